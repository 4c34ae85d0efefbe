/**
 * What a TLBI in a thread's path removes of another CPU thread's translation of an address:
 * the regime table of platform/tlbi-scope.ts, with the context the path gives (KVM's guest
 * context: an earlier stage-2 invalidation by IPA of the address, completed by a DSB).
 */
import { availableToGuest, tlbiReach, type Reach } from '../platform/tlbi-scope.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import type { Event, ThreadPath } from './event.js';

const NO_SPAN = { line: 1, col: 1, endLine: 1, endCol: 1 };
const isTlbi = (e: Event): e is Event & { kind: 'F' } => e.kind === 'F' && e.fence.op === 'TLBI';
const isFullDsb = (e: Event) => e.kind === 'F' && e.fence.op === 'DSB' && e.fence.domain !== 'NSH' && (e.fence.type ?? 'ALL') === 'ALL';
const byIpa = (op: string | undefined) => op === 'IPAS2E1IS' || op === 'IPAS2LE1IS';

/** The reach of the TLBI at position k of `path` on `target`'s accesses to `addr`. */
export function reachAt(path: ThreadPath, k: number, target: number, addr: number, guests: ReadonlySet<number>): Reach {
  const e = path.events[k]!;
  if (!isTlbi(e) || (e.fence.addr !== undefined && e.fence.addr !== addr)) return 'none';
  // Stage-2 invalidations by IPA before k, and those of them a full DSB completed.
  const pending = new Set<number | undefined>();
  const done = new Set<number | undefined>();
  for (const p of path.events.slice(0, k)) {
    if (isTlbi(p) && byIpa(p.fence.tlbi)) pending.add(p.fence.addr);
    else if (isFullDsb(p)) for (const a of pending) done.add(a);
  }
  return tlbiReach({
    op: e.fence.tlbi ?? '',
    issuerIsGuest: guests.has(path.thread),
    targetIsGuest: guests.has(target),
    guestContext: done.size > 0,
    stage2Done: done.has(addr) || done.has(undefined),
  });
}

/** Every TLBI position of a path. */
export function tlbiPositions(path: ThreadPath): number[] {
  return path.events.flatMap((e, k) => (isTlbi(e) ? [k] : []));
}

/**
 * What a test's TLBIs cannot mean: an EL2 or stage-2 operation issued by a guest (UNDEFINED at
 * EL1), and an invalidation whose reach the test does not declare (one guest's seen by another:
 * whether they share a VMID): such a test is refused rather than answered.
 */
export function tlbiDiagnostics(threads: readonly (readonly ThreadPath[])[], guests: ReadonlySet<number>, name: (thread: number) => string): Diagnostic[] {
  const out = new Map<string, Diagnostic>();
  const accesses = threads.flatMap((paths) => paths.filter((p) => p.agent === 'cpu').flatMap((p) => p.events.flatMap((e) => (e.kind === 'R' || e.kind === 'W' ? [{ thread: p.thread, addr: e.addr }] : []))));
  for (const paths of threads)
    for (const p of paths)
      for (const k of tlbiPositions(p)) {
        const e = p.events[k]!;
        const op = e.kind === 'F' ? (e.fence.tlbi ?? '') : '';
        const at = e.span ?? NO_SPAN;
        if (guests.has(p.thread) && !availableToGuest(op)) {
          out.set(`${at.line}:${at.col}`, error('semantic', `TLBI ${op} is not available at EL1, and ${name(p.thread)} is a guest (it maps something through a stage 2)`, at));
          continue;
        }
        const other = accesses.find((a) => a.thread !== p.thread && reachAt(p, k, a.thread, a.addr, guests) === 'undeclared');
        if (other) out.set(`${at.line}:${at.col}`, error('unsupported', `unsupported: TLBI ${op}: whether ${name(p.thread)} and ${name(other.thread)}, both guests, share a VMID cannot be declared yet`, at));
      }
  return [...out.values()];
}
