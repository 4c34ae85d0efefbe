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

/** Who is a guest, and the VMIDs declared (topology's `guests` and `vmids`). */
export interface Regimes {
  readonly guests: ReadonlySet<number>;
  readonly vmids: ReadonlyMap<number, number>;
  readonly asids: ReadonlyMap<number, number>;
}

/** A guest's VMID: declared, or its own (the default: each guest thread is a VM of its own). */
const guestVmid = (r: Regimes, thread: number) => r.vmids.get(thread) ?? -1 - thread;

/**
 * Whether the VMID a TLBI by `issuer` names is `target`'s: a guest names its own; a host the one
 * it declares, or the only guest's; undefined when several guests leave it open.
 */
function sameVmid(r: Regimes, issuer: number, target: number): boolean | undefined {
  if (!r.guests.has(target)) return undefined;
  if (r.guests.has(issuer)) return guestVmid(r, issuer) === guestVmid(r, target);
  const named = r.vmids.get(issuer) ?? (r.guests.size === 1 ? guestVmid(r, [...r.guests][0]!) : undefined);
  return named === undefined ? undefined : named === guestVmid(r, target);
}

/** The reach of the TLBI at position k of `path` on `target`'s accesses to `addr`. */
export function reachAt(path: ThreadPath, k: number, target: number, addr: number, regimes: Regimes): Reach {
  const guests = regimes.guests;
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
    sameVmid: sameVmid(regimes, path.thread, target),
    tlbiAsid: e.fence.asid ?? 0,
    targetAsid: regimes.asids.get(target),
  });
}

/** Every TLBI position of a path. */
export function tlbiPositions(path: ThreadPath): number[] {
  return path.events.flatMap((e, k) => (isTlbi(e) ? [k] : []));
}

/**
 * What a test's TLBIs cannot mean: an EL2 or stage-2 operation issued by a guest (UNDEFINED at
 * EL1), and a host's invalidation of a guest's regime when the test has several guests and does
 * not say whose VMID it names: such a test is refused rather than answered.
 */
export function tlbiDiagnostics(threads: readonly (readonly ThreadPath[])[], regimes: Regimes, name: (thread: number) => string): Diagnostic[] {
  const guests = regimes.guests;
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
        const other = accesses.find((a) => a.thread !== p.thread && reachAt(p, k, a.thread, a.addr, regimes) === 'undeclared');
        if (other) out.set(`${at.line}:${at.col}`, error('unsupported', `unsupported: TLBI ${op}: which guest's VMID ${name(p.thread)} invalidates is not said, and the test has several guests: declare it ('${name(p.thread)}: vmid:N;', with the guests' own 'Pn: vmid:N;')`, at));
      }
  return [...out.values()];
}
