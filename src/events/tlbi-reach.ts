/**
 * What a TLBI in a thread's path removes of another CPU thread's translation of an address:
 * the regime table of platform/tlbi-scope.ts, with the context the path gives (which locations
 * it unmapped, and KVM's guest context after a completed stage-2 invalidation by IPA).
 */
import { availableToGuest, tlbiReach, type Reach } from '../platform/tlbi-scope.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import type { Event, ThreadPath } from './event.js';
import { locationBase } from './locations.js';

const NO_SPAN = { line: 1, col: 1, endLine: 1, endCol: 1 };
const isTlbi = (e: Event): e is Event & { kind: 'F' } => e.kind === 'F' && e.fence.op === 'TLBI';
const isFullDsb = (e: Event) => e.kind === 'F' && e.fence.op === 'DSB' && e.fence.domain !== 'NSH' && (e.fence.type ?? 'ALL') === 'ALL';
const byIpa = (op: string | undefined) => op === 'IPAS2E1IS' || op === 'IPAS2LE1IS';

/** Who is a guest, and the VMIDs declared (topology's `guests` and `vmids`). */
export interface Regimes {
  readonly guests: ReadonlySet<number>;
  readonly vmids: ReadonlyMap<number, number>;
  readonly asids: ReadonlyMap<number, number>;
  readonly accessors?: ReadonlyMap<number, ReadonlySet<number>>;
}

/** The CPU threads that access each location, by its base address. */
export function locationAccessors(threads: readonly (readonly ThreadPath[])[]): Map<number, Set<number>> {
  const out = new Map<number, Set<number>>();
  for (const paths of threads)
    for (const p of paths) {
      if (p.agent !== 'cpu') continue;
      for (const e of p.events) {
        if (e.kind !== 'R' && e.kind !== 'W') continue;
        const loc = locationBase(e.addr);
        if (!out.has(loc)) out.set(loc, new Set());
        out.get(loc)!.add(p.thread);
      }
    }
  return out;
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

/**
 * What the issuing path did before position k: the locations by-address TLBIs named, whose
 * mappings changed (the page-table store is implicit in the TLBI) in the host's regime or in a
 * guest's; those whose stage-2 entries a completed IPAS2E1IS removed; and whether the path is in
 * KVM's guest context: after such a completed stage-2 invalidation, until an ISB (where
 * `__tlb_switch_to_host` restores TGE).
 */
function pathContext(path: ThreadPath, k: number, issuerIsGuest: boolean) {
  const unmapped = { host: new Set<number>(), guest: new Set<number>() };
  const pending = new Set<number>();
  const stage2Done = new Set<number>();
  let guestContext = false;
  for (const p of path.events.slice(0, k)) {
    if (isTlbi(p) && p.fence.addr !== undefined) {
      const guestRegime = issuerIsGuest || guestContext || byIpa(p.fence.tlbi);
      (guestRegime ? unmapped.guest : unmapped.host).add(p.fence.addr);
      if (byIpa(p.fence.tlbi)) pending.add(p.fence.addr);
    } else if (isFullDsb(p) && pending.size > 0) {
      for (const a of pending) stage2Done.add(a);
      pending.clear();
      guestContext = true;
    } else if (p.kind === 'F' && p.fence.op === 'ISB') guestContext = false;
  }
  return { unmapped, stage2Done, guestContext };
}

/**
 * The reach of the TLBI at position k of `path` on `target`'s accesses to `addr`. A by-address
 * TLBI names a location (any address in it); an "all" form concerns only the locations whose
 * mappings the path changed before it (a TLBI by itself changes no mapping: an access whose
 * mapping did not change keeps translating, before or after it, and is not ordered by it).
 */
export function reachAt(path: ThreadPath, k: number, target: number, addr: number, regimes: Regimes): Reach {
  const guests = regimes.guests;
  const e = path.events[k]!;
  const loc = locationBase(addr);
  if (!isTlbi(e)) return 'none';
  const ctx = pathContext(path, k, guests.has(path.thread));
  const changed = guests.has(target) ? ctx.unmapped.guest : ctx.unmapped.host;
  if (e.fence.addr !== undefined ? e.fence.addr !== loc : !changed.has(loc)) return 'none';
  return tlbiReach({
    op: e.fence.tlbi ?? '',
    issuerIsGuest: guests.has(path.thread),
    targetIsGuest: guests.has(target),
    guestContext: ctx.guestContext,
    stage2Done: ctx.stage2Done.has(loc),
    sameVmid: sameVmid(regimes, path.thread, target),
    tlbiAsid: e.fence.asid ?? 0,
    targetAsid: regimes.asids.get(target),
    namesUserVa: namesUserVa(e, path.thread, loc, regimes),
  });
}

/**
 * Whose VA a by-VA TLBI names: a process's when its ASID is a declared one, else the kernel's.
 * An all-ASID form names the processes' VA when only processes (besides the issuer) access the
 * location, or a built-in says so; with processes and kernel threads both accessing it, which VA
 * is meant is not said (undefined).
 */
function namesUserVa(e: Event & { kind: 'F' }, issuer: number, loc: number, regimes: Regimes): boolean | undefined {
  if (regimes.asids.size === 0) return false;
  if (e.fence.userSpaces) return true;
  if (!['VAAE1IS', 'VAALE1IS', 'VAAE1', 'VAALE1'].includes(e.fence.tlbi ?? '')) return [...regimes.asids.values()].includes(e.fence.asid ?? 0);
  const others = [...(regimes.accessors?.get(loc) ?? [])].filter((t) => t !== issuer);
  const users = others.filter((t) => regimes.asids.has(t));
  if (users.length === 0) return false;
  return users.length === others.length ? true : undefined;
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
        // TLBI is UNDEFINED at EL0 (C5.5): a user process cannot issue one.
        if (regimes.asids.has(p.thread)) {
          out.set(`${at.line}:${at.col}`, error('semantic', `TLBI is not available at EL0, and ${name(p.thread)} is a user process (it has an ASID)`, at));
          continue;
        }
        if (guests.has(p.thread) && !availableToGuest(op)) {
          out.set(`${at.line}:${at.col}`, error('semantic', `TLBI ${op} is not available at EL1, and ${name(p.thread)} is a guest (it maps something through a stage 2)`, at));
          continue;
        }
        const other = accesses.find((a) => a.thread !== p.thread && reachAt(p, k, a.thread, a.addr, regimes) === 'undeclared');
        if (!other) continue;
        const why = ['VAAE1IS', 'VAALE1IS'].includes(op)
          ? `whether it names a process's VA or the kernel's is not said, and both access the location (a kernel's VA of a location is not a process's)`
          : `which guest's VMID ${name(p.thread)} invalidates is not said, and the test has several guests: declare it ('${name(p.thread)}: vmid:N;', with the guests' own 'Pn: vmid:N;')`;
        out.set(`${at.line}:${at.col}`, error('unsupported', `unsupported: TLBI ${op}: ${why}`, at));
      }
  return [...out.values()];
}
