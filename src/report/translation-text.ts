/**
 * `check --explain` for a test with TLB invalidations: each CPU thread's translation regime, and
 * what each TLBI does to the other threads' accesses (platform/tlbi-scope.ts), so a verdict that
 * turns on an invalidation says which entries it removed and which it left.
 */
import type { Program } from '../events/program.js';
import type { ThreadPath } from '../events/event.js';
import { locationBase } from '../events/locations.js';
import { reachAt, tlbiPositions, type Reach } from '../events/tlbi-reach.js';
import { regimeText } from '../events/topology.js';

const REACH_TEXT: Readonly<Record<Reach, string>> = {
  all: 'every entry it may use goes: its access is ordered before what follows the next DSB, or faults',
  some: 'its mapping changes here, but an entry may survive: it may fault, or go on using it (a combined stage 1+2 one), unordered',
  none: 'its mapping did not change, or none of its entries goes: it keeps translating',
  undeclared: 'which VMID is named is not declared',
};

/** One line per CPU thread's regime, then one per TLBI and other CPU thread it could concern. */
export function translationLines(program: Program): string[] {
  const topology = program.topology;
  const name = (t: number) => program.test.threads.find((th) => th.id === t)?.name ?? `P${t}`;
  const cpuPaths = program.threads.map((paths) => paths[0]).filter((p): p is ThreadPath => p !== undefined && p.agent === 'cpu');
  if (!cpuPaths.some((p) => tlbiPositions(p).length > 0)) return [];
  const lines = ['Translation (regimes, and what each TLBI removes of the other threads\' entries):'];
  for (const { thread: t } of cpuPaths) lines.push(`  ${name(t)}: ${regimeText(topology, t)}`);
  for (const issuer of cpuPaths)
    for (const k of tlbiPositions(issuer)) {
      const e = issuer.events[k]!;
      const named = e.kind === 'F' ? e.fence.addr : undefined;
      for (const target of cpuPaths) {
        if (target.thread === issuer.thread) continue;
        // The locations the target accesses; a by-address TLBI concerns only its own.
        const locs = new Set(target.events.flatMap((a) => (a.kind === 'R' || a.kind === 'W' ? [locationBase(a.addr)] : [])));
        for (const loc of locs) {
          if (named !== undefined && named !== loc) continue;
          const reach = reachAt(issuer, k, target.thread, loc, topology);
          lines.push(`  ${name(issuer.thread)}: ${e.text}${e.span ? `, line ${e.span.line}` : ''} -> ${name(target.thread)}'s ${program.locations.formatAddress(loc)}: ${REACH_TEXT[reach]}`);
        }
      }
    }
  return lines;
}
