/**
 * What a TLBI in a thread's path removes of another CPU thread's translation of an address:
 * the regime table of platform/tlbi-scope.ts, with the context the path gives (which locations
 * it unmapped, and KVM's guest context after a completed stage-2 invalidation by IPA).
 */
import { availableToGuest, isAllAsidsByVa, kernelSpace, stage2SpaceOf, tlbiAction, type TlbiAction } from '../platform/tlbi-scope.js';
import { error, spanAt, type Diagnostic } from '../syntax/diagnostics.js';
import type { Event, ThreadPath } from './event.js';
import { locationBase } from './locations.js';

const isTlbi = (e: Event): e is Event & { kind: 'F' } => e.kind === 'F' && e.fence.op === 'TLBI';
const isFullDsb = (e: Event) => e.kind === 'F' && e.fence.op === 'DSB' && e.fence.domain !== 'NSH' && (e.fence.type ?? 'ALL') === 'ALL';
const byIpa = (op: string | undefined) => /^IPAS2L?E1(IS)?$/.test(op ?? '');

/**
 * At each event of a host path, whether it runs in KVM's guest context (VTTBR_EL2 loaded, TGE
 * clear), where the EL1 TLBI forms act on the guest: from a full DSB that completes a stage-2
 * invalidation by IPA to the next ISB (`__kvm_tlb_flush_vmid_ipa`, then `__tlb_switch_to_host`
 * restoring TGE).
 */
export function kvmGuestContext(events: readonly Event[]): boolean[] {
  const out: boolean[] = [];
  let pendingIpa = false;
  let context = false;
  for (const e of events) {
    out.push(context);
    if (isTlbi(e)) pendingIpa ||= byIpa(e.fence.tlbi);
    else if (isFullDsb(e)) {
      if (pendingIpa) context = true;
      pendingIpa = false;
    } else if (e.kind === 'F' && e.fence.op === 'ISB') context = false;
  }
  return out;
}

/** Who is a guest, the VMIDs and ASIDs declared, and who accesses each location. */
export interface Regimes {
  readonly guests: ReadonlySet<number>;
  readonly vmids: ReadonlyMap<number, number>;
  readonly asids: ReadonlyMap<number, number>;
  readonly accessors?: ReadonlyMap<number, ReadonlySet<number>>;
}

/** What a TLBI removes of a thread's translation of a location (see reachAt). */
export type Reach = 'all' | 'some' | 'none' | 'undeclared';

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
/** A thread's stage-1 space (platform/tlbi-scope.ts) and, for a guest, its stage 2. */
function stage1Space(r: Regimes, thread: number): string {
  const kernel = kernelSpace(r.guests.has(thread) ? guestVmid(r, thread) : undefined);
  const asid = r.asids.get(thread);
  return asid === undefined ? kernel : `${kernel}/a${asid}`;
}
const stage2Space = (r: Regimes, thread: number) => (r.guests.has(thread) ? stage2SpaceOf(guestVmid(r, thread)) : undefined);

/** The VMID a host's guest invalidations name: declared, or the only VM's; among several VMs, not said. */
function namedVmid(r: Regimes, issuer: number): number | 'undeclared' | undefined {
  if (r.guests.has(issuer)) return guestVmid(r, issuer);
  const declared = r.vmids.get(issuer);
  if (declared !== undefined) return declared;
  const vms = new Set([...r.guests].map((g) => guestVmid(r, g)));
  if (vms.size === 0) return undefined;
  return vms.size === 1 ? [...vms][0]! : 'undeclared';
}

/** The VMID of a guest the test has no thread of. */
const NO_GUEST = -1e9;

interface Step {
  readonly k: number;
  readonly action: TlbiAction | undefined;
  /** A by-address TLBI: the location it names. */
  readonly loc: number | undefined;
}

/**
 * The TLBIs of a path up to position k with their actions, and the positions of full DSBs. KVM's
 * guest context runs from a full DSB that completes a stage-2 invalidation by IPA to the next ISB
 * (where `__tlb_switch_to_host` restores TGE).
 */
function steps(path: ThreadPath, k: number, loc: number, r: Regimes): { steps: Step[]; dsbs: number[] } {
  const out: Step[] = [];
  const dsbs: number[] = [];
  const inContext = kvmGuestContext(path.events);
  const issuerVmid = r.guests.has(path.thread) ? guestVmid(r, path.thread) : undefined;
  const named = namedVmid(r, path.thread);
  const accessors = [...(r.accessors?.get(loc) ?? [])].map((t) => stage1Space(r, t));
  const processes = [...r.asids.keys()].map((t) => stage1Space(r, t));
  path.events.slice(0, k + 1).forEach((e, j) => {
    if (isTlbi(e)) {
      const op = e.fence.tlbi ?? '';
      // In KVM's context with no guest in the test, the EL1 forms act on a guest the test lacks.
      const contextVmid = inContext[j] && issuerVmid === undefined ? (named ?? NO_GUEST) : undefined;
      const action = contextVmid === 'undeclared' ? undefined : tlbiAction(op, e.fence.asid ?? 0, { guestVmid: issuerVmid, contextVmid, namedVmid: named }, { spaces: accessors, userSpaces: e.fence.userSpaces === true, processes });
      out.push({ k: j, action, loc: e.fence.addr });
    } else if (isFullDsb(e)) dsbs.push(j);
  });
  return { steps: out, dsbs };
}

/**
 * The reach of the TLBI at position k of `path` on `target`'s accesses to `addr`:
 * - `all`: the location's mapping in the target's space changed (a by-address TLBI of the path
 *   named it there), and after this TLBI every entry the target may still use for it is gone —
 *   stage-2-only entries before, or with, the combined ones (the DSB between them completing the
 *   first): an access that used an old entry is complete when the DSB after it completes;
 * - `some`: this TLBI is where the mapping changed, but an entry may survive: the access may fault,
 *   or go on using it, unordered;
 * - `none`: the target's mapping of the location did not change, or this TLBI removes nothing of
 *   it: a fresh walk finds the same translation;
 * - `undeclared`: the test does not say what the TLBI names.
 * The target may be the issuer itself, for its accesses after the TLBI.
 */
export function reachAt(path: ThreadPath, k: number, target: number, addr: number, regimes: Regimes): Reach {
  const loc = locationBase(addr);
  // The same paths meet in many executions: the answer depends on the path only.
  return memoised(path, k, target, loc, regimes).reach;
}

/** Whether the TLBI at position k may remove `target`'s translation of the location (`all` or `some`). */
export function mayRemove(path: ThreadPath, k: number, target: number, addr: number, regimes: Regimes): boolean {
  const reach = reachAt(path, k, target, addr, regimes);
  return reach === 'all' || reach === 'some';
}

/** Whether the TLBI at position k is where `target`'s mapping of the location changed (a fault's cause). */
export function unmapsAt(path: ThreadPath, k: number, target: number, addr: number, regimes: Regimes): boolean {
  return memoised(path, k, target, locationBase(addr), regimes).unmaps;
}

interface Answer {
  readonly reach: Reach;
  readonly unmaps: boolean;
}

function memoised(path: ThreadPath, k: number, target: number, loc: number, regimes: Regimes): Answer {
  let byPath = MEMO.get(path);
  if (!byPath) MEMO.set(path, (byPath = new Map()));
  const key = `${k}/${target}/${loc}`;
  let answer = byPath.get(key);
  if (answer === undefined) byPath.set(key, (answer = computeReach(path, k, target, loc, regimes)));
  return answer;
}

const MEMO = new WeakMap<ThreadPath, Map<string, Answer>>();

function computeReach(path: ThreadPath, k: number, target: number, loc: number, regimes: Regimes): Answer {
  if (!isTlbi(path.events[k]!)) return { reach: 'none', unmaps: false };
  const { steps: all, dsbs } = steps(path, k, loc, regimes);
  const here = all[all.length - 1]!;
  if (here.action === undefined && (here.loc === undefined || here.loc === loc)) return { reach: 'undeclared', unmaps: false };
  const concerns = (s: Step) => s.action !== undefined && (s.loc === undefined || s.loc === loc);
  const s1 = stage1Space(regimes, target);
  const s2 = stage2Space(regimes, target);
  // Where the location's mapping first changed in the target's stage-1 space and stage 2.
  const firstChange = (space: string | undefined) => all.find((s) => space !== undefined && s.loc === loc && s.action?.unmaps.includes(space))?.k;
  const c1 = firstChange(s1);
  const c2 = firstChange(s2);
  if (c1 === undefined && c2 === undefined) return { reach: 'none', unmaps: false };
  const reaches = (s: Step) => concerns(s) && (s.action!.broadcast || target === path.thread);
  const removes1 = all.filter((s) => reaches(s) && s.action!.removes(s1)).map((s) => s.k);
  const removes2 = s2 === undefined ? [] : all.filter((s) => reaches(s) && s.action!.removes(s2)).map((s) => s.k);
  // Entries cached before the change may be cached again until it: only removals at or after it
  // count. With stage 1 changed, a walk fails from then on, and removing its stage-1 and combined
  // entries is enough. With only stage 2 changed, a combined entry is gone for good once no
  // stage-2-only entry can make it again: removed by the same TLBI, or one a DSB completed before.
  const complete = c1 !== undefined
    ? removes1.some((i) => i >= c1)
    : removes1.some((i) => removes2.some((j) => j >= c2! && (j === i || (j < i && dsbs.some((d) => j < d && d < i)))));
  const contributes = removes1.includes(k) || removes2.includes(k);
  const unmaps = k === c1 || k === c2;
  return { reach: complete && contributes ? 'all' : unmaps ? 'some' : 'none', unmaps };
}

/** The threads whose TLBIs change `target`'s mapping of the location of `addr`, its own included. */
function unmappers(threads: readonly (readonly ThreadPath[])[], target: number, addr: number, regimes: Regimes): Set<number> {
  const out = new Set<number>();
  for (const paths of threads)
    for (const p of paths) if (tlbiPositions(p).some((k) => unmapsAt(p, k, target, addr, regimes))) out.add(p.thread);
  return out;
}

/** Whether one path unmaps `target`'s location at two TLBIs (its stage 1 at one, its stage 2 at another). */
function unmapsTwice(p: ThreadPath, target: number, addr: number, regimes: Regimes): boolean {
  return tlbiPositions(p).filter((k) => unmapsAt(p, k, target, addr, regimes)).length > 1;
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
        const at = e.span ?? spanAt(1, 1);
        // TLBI is UNDEFINED at EL0 (C5.5): a user process cannot issue one.
        if (regimes.asids.has(p.thread)) {
          out.set(`${at.line}:${at.col}`, error('semantic', `TLBI is not available at EL0, and ${name(p.thread)} is a user process (it has an ASID)`, at));
          continue;
        }
        if (guests.has(p.thread) && !availableToGuest(op)) {
          out.set(`${at.line}:${at.col}`, error('semantic', `TLBI ${op} is not available at EL1, and ${name(p.thread)} is a guest (it maps something through a stage 2)`, at));
          continue;
        }
        const twice = accesses.find((a) => unmapsAt(p, k, a.thread, a.addr, regimes) && unmappers(threads, a.thread, a.addr, regimes).size > 1);
        if (twice) {
          const who = [...unmappers(threads, twice.thread, twice.addr, regimes)].map(name).join(', ');
          out.set(`${at.line}:${at.col}`, error('unsupported', `unsupported: TLBI ${op}: ${name(twice.thread)}'s mapping of the location is changed by TLBIs of several threads (${who}): which one a fault of it follows is not modelled`, at));
          continue;
        }
        const both = accesses.find((a) => unmapsAt(p, k, a.thread, a.addr, regimes) && unmapsTwice(p, a.thread, a.addr, regimes));
        if (both) {
          out.set(`${at.line}:${at.col}`, error('unsupported', `unsupported: TLBI ${op}: ${name(both.thread)}'s stage 1 and stage 2 of the location are unmapped at two TLBIs: which one a fault of it follows is not modelled`, at));
          continue;
        }
        const other = accesses.find((a) => a.thread !== p.thread && reachAt(p, k, a.thread, a.addr, regimes) === 'undeclared');
        if (!other) continue;
        const why = isAllAsidsByVa(op)
          ? `whether it names a process's VA or the kernel's is not said, and both access the location (a kernel's VA of a location is not a process's)`
          : `which guest's VMID ${name(p.thread)} invalidates is not said, and the test has several guests: declare it ('${name(p.thread)}: vmid:N;', with the guests' own 'Pn: vmid:N;')`;
        out.set(`${at.line}:${at.col}`, error('unsupported', `unsupported: TLBI ${op}: ${why}`, at));
      }
  return [...out.values()];
}
