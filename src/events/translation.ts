/**
 * VMSA translation of an explicit access, as herd7 runs it under `-variant vmsa` with fatal
 * faults:
 *
 * - the access to virtual address x+k first reads x's translation table entry PTE(x) (an implicit
 *   read, address-dependent like the access: Arm ARM D8.2, the translation table walk);
 * - the descriptor read decides (Arm ARM D8.15, D8.4.1): invalid -> Translation fault; else,
 *   with software management, AF clear -> Access flag fault, a write to a read-only entry (db 0)
 *   -> Permission fault; else the access goes on at the output address oa + k;
 * - with hardware management of the access flag (TTHM HA, Arm ARM D8.4.1.2 "Hardware management
 *   of the Access flag"), AF clear is no fault: the hardware sets it, atomically with the read;
 *   with hardware management of the dirty state too (HD, D8.4.1.3), a write to a read-only entry
 *   with DBM set makes it writable (db 1) the same way; other read-only writes are Permission
 *   faults, and so is (herd) any non-translation fault of a thread with HA;
 * - a fault is an exception entry: it takes the place of the access, its destination register
 *   unwritten; then the thread stops (fatal faults), goes on (skip) or runs the instruction again
 *   (handled), as the test's fault handling says.
 *
 * Which outcome a path takes depends on the value the entry read returns, chosen later by the
 * search: each outcome is a path of its own, with conditions on that value. Only outcomes some
 * value of the entry allows are made (the values the entry can hold: its initial descriptor and
 * the descriptors stored to it, or every descriptor when a stored value is computed).
 */
import type { MmuFault } from './event.js';
import type { Classify, Origin, PathState, TranslationOutcome } from './path-state.js';
import { binary, condition, constant, unary, type Sym } from './sym.js';
import type { Src } from './taint.js';
import { descriptorOf, physicalValue, type Descriptor, type Val } from './value.js';

/**
 * Hardware management of the access flag (ha) and dirty state (hd) for a thread (herd's TTHM),
 * and whether it runs at EL0 (herd's `EL0=`: its accesses check the entry's EL0 permission).
 */
export interface Management {
  readonly ha: boolean;
  readonly hd: boolean;
  readonly el0?: boolean;
}

/**
 * What a thread does after a fault (herd's fault handling variants): stop (fatal), go on with the
 * next instruction (skip), or run the faulting instruction again once (handled: a second fault,
 * then or later in the thread, leaves no execution).
 */
export type FaultHandling = 'fatal' | 'skip' | 'handled';

/** What translation knows of a test's memory under VMSA. */
export interface VmsaSpace {
  readonly handling: FaultHandling;
  /** The entry translating virtual address `addr`; undefined for an entry itself (not translated). */
  entryOf(addr: number): number | undefined;
  /** The byte offset of `addr` in its location (kept by translation). */
  offsetOf(addr: number): number;
  /** The values entry `pte` may hold, or 'any' when some stored value is computed. */
  possible(pte: number): readonly Val[] | 'any';
  /** Every location's (physical) address that an output address may name. */
  readonly outputs: readonly number[];
  /** What the hardware manages for a thread. */
  management(thread: number): Management;
  /** Some thread has hardware access flag management: entries may get spurious AF updates. */
  readonly spurious: boolean;
  /** Is `addr` a translation table entry (of either stage)? */
  isEntry(addr: number): boolean;
  /** Is `addr` a stage-2 entry `S2PTE(x)`? */
  isStage2Entry(addr: number): boolean;
  /** Is the thread a guest's vCPU, translated in two stages? */
  isGuest(thread: number): boolean;
  /** The stage-2 entry translating intermediate physical address `ipa` (guests only). */
  stage2EntryOf(ipa: number): number | undefined;
}

/** A read, a write, or a read herd translates as one that may update the dirty state (a failing CAS). */
export type Direction = 'R' | 'W' | 'RU';

/** What a translation needs from the instruction being executed. */
export interface TranslateContext {
  readonly space: VmsaSpace;
  readonly origin: Origin;
  readonly classify: Classify;
  readonly varId: (pos: number) => number;
  readonly spawn: (s: PathState) => void;
  /** End a path here (a fault stops the thread), as an error when `stray` is given. */
  readonly end: (s: PathState, stray?: string) => void;
  /** A mistake in the test, found where the thread runs: a located `semantic` error. */
  readonly mistake: (message: string) => void;
  /** The instruction is a release (STLR): its fault is too. */
  readonly release: boolean;
  /** Pre-indexed base writeback: it happens even when the access faults. */
  readonly preWriteback: (() => void) | undefined;
  /** A fault here would repeat another path's (one of CAS's alike alternatives): no path. */
  readonly duplicateFault: boolean;
  /** The thread's fault handler, if it has one (thread-exec.ts): it takes precedence over the fault handling. */
  readonly handler: (s: PathState) => 'entered' | 'dropped' | 'none';
}

/** Descriptor parts (value.ts descriptorPart): fields by index, 5 the output address. */
const VALID = 0;
const AF = 1;
const DB = 2;
const DBM = 3;
const EL0 = 4;
const OA = 5;

/** The descriptor with AF set (ORR of bit 10), and with DB set too (BIC of AP[2], bit 7): herd's updates. */
export const setAf = (v: Sym): Sym => binary('orr', v, constant(1024n), 64);
const setAfDb = (v: Sym): Sym => binary('bic', setAf(v), constant(128n), 64);

/**
 * Translate the access at `vaddr` (address value `ea`): the physical address the access goes on
 * at, or undefined when this path ends here (a fault) or was forked into one path per outcome.
 */
export function translate(s: PathState, vaddr: number, ea: Src, dir: Direction, ctx: TranslateContext): number | undefined {
  const guest = ctx.space.isGuest(ctx.origin.thread);
  const entry = ctx.space.entryOf(vaddr);
  if (guest && ctx.space.isStage2Entry(vaddr)) {
    ctx.mistake(`'${ctx.origin.text}' accesses a stage-2 entry from guest P${ctx.origin.thread}: stage-2 tables belong to the hypervisor, and are not mapped in the guest`);
    return undefined;
  }
  // A test with guests: the host's own translations are fixed (not the test's tables).
  if (!guest && ctx.space.stage2EntryOf(vaddr) !== undefined) return vaddr;
  const managed = ctx.space.management(ctx.origin.thread);
  // EL0 checks apply outside a fault handler (herd).
  const mode = { ...managed, el0: managed.el0 === true && !s.inHandler };
  if (entry === undefined) {
    // EL0 cannot access the page tables: a Permission fault, and the thread stops (herd: Exit).
    if (mode.el0 && ctx.space.isEntry(vaddr)) {
      s.fence(ctx.origin, { op: 'FAULT', domain: undefined, type: undefined, addr: vaddr, mmu: 'Permission', el0: true });
      ctx.end(s);
      return undefined;
    }
    // A store to an entry itself: the hardware may then update its AF spuriously (herd).
    if (dir === 'W') markStoredEntry(s, vaddr, ctx.space);
    return vaddr;
  }
  if (s.translation === undefined) {
    const outcomes = withStage2(possibleOutcomes(ctx.space.possible(entry), dir, mode, ctx.space.outputs), guest, dir, ctx.space);
    if (outcomes.length > 1) {
      for (const o of outcomes) {
        const f = s.fork();
        f.translation = o; // the fork runs the instruction again, with this outcome
        ctx.spawn(f);
      }
      return undefined;
    }
    s.translation = outcomes[0]!;
  }
  const outcome = s.translation;
  s.translation = undefined;
  const read = s.ttdRead(ctx.origin, entry, ea, ctx.classify, ctx.varId, mode.ha);
  const v: Sym = { k: 'var', id: ctx.varId(read.pos) };
  for (const [part, value] of outcome.conds) s.assume(partIs(v, part, value), true);
  const offset = ctx.space.offsetOf(vaddr);
  switch (outcome.kind) {
    case 'ok':
      if (outcome.update !== undefined) s.hardwareUpdate(ctx.origin, entry, ea, outcome.update === 'af' ? setAf(v) : setAfDb(v), ctx.classify);
      if (outcome.stage2 !== undefined) return stage2(s, vaddr, outcome.oa, outcome.stage2, read.pos, ea, ctx);
      s.tribFrom = [read.pos];
      return outcome.oa + offset;
    case 'stray':
      ctx.end(s, `'${ctx.origin.text}' uses a descriptor with no output address (herd's PA())`);
      return undefined;
    case 'fault':
      if (raiseFault(s, vaddr, outcome, [read.pos], false, ctx)) afterFault(s, ctx);
      return undefined;
  }
}

/**
 * The fault of an access at `vaddr`, after the table reads that decided it (tr-ib): an exception
 * entry, with the physical address a descriptor gave. False when it would repeat another path's
 * (no fault, no path).
 */
function raiseFault(s: PathState, vaddr: number, outcome: Extract<TranslationOutcome, { kind: 'fault' }>, reads: readonly number[], stage2: boolean, ctx: TranslateContext): boolean {
  if (ctx.duplicateFault) return false;
  ctx.preWriteback?.();
  const pa = outcome.oa === undefined ? {} : { pa: outcome.oa + ctx.space.offsetOf(vaddr) };
  const fault = s.fence(ctx.origin, { op: 'FAULT', domain: undefined, type: undefined, addr: vaddr, mmu: outcome.mmu, ...(stage2 ? { stage2: true as const } : {}), ...pa, ...(ctx.release ? { release: true as const } : {}) });
  for (const r of reads) s.rel.trib.push([r, fault]);
  return true;
}

/**
 * The stage-2 half of a guest's translation (Arm ARM D8.2, two-stage translation): the stage-1
 * descriptor gave intermediate physical address `ipa`; the read of its stage-2 entry decides as a
 * stage-1 read does with software management (D8.4: the stage-2 AF and S2AP write permission,
 * here `af` and `db`). A stage-2 fault is taken to EL2, not to the guest: the guest thread stops
 * there (what the hypervisor does next is outside the test).
 */
function stage2(s: PathState, vaddr: number, ipa: number, outcome: TranslationOutcome, s1Read: number, ea: Src, ctx: TranslateContext): number | undefined {
  const entry = ctx.space.stage2EntryOf(ipa)!;
  const read = s.ttdRead(ctx.origin, entry, ea, ctx.classify, ctx.varId, false);
  const v: Sym = { k: 'var', id: ctx.varId(read.pos) };
  for (const [part, value] of outcome.conds) s.assume(partIs(v, part, value), true);
  const offset = ctx.space.offsetOf(vaddr);
  switch (outcome.kind) {
    case 'ok':
      s.tribFrom = [s1Read, read.pos];
      return outcome.oa + offset;
    case 'stray':
      ctx.end(s, `'${ctx.origin.text}' uses a stage-2 descriptor with no output address (PA())`);
      return undefined;
    case 'fault':
      if (raiseFault(s, vaddr, outcome, [s1Read, read.pos], true, ctx)) ctx.end(s);
      return undefined;
  }
}

/**
 * A guest's outcomes: each stage-1 outcome that reaches an intermediate physical address goes on
 * with each outcome its stage-2 entry's possible values allow (software management, EL1).
 */
function withStage2(outcomes: TranslationOutcome[], guest: boolean, dir: Direction, space: VmsaSpace): TranslationOutcome[] {
  if (!guest) return outcomes;
  const software: Management = { ha: false, hd: false };
  return outcomes.flatMap((o): TranslationOutcome[] => {
    if (o.kind !== 'ok') return [o];
    const s2 = space.stage2EntryOf(o.oa);
    if (s2 === undefined) return [o];
    return possibleOutcomes(space.possible(s2), dir, software, space.outputs).map((stage2) => ({ ...o, stage2 }));
  });
}

/** What a path needs to go on after a fault. */
export type FaultContext = Pick<TranslateContext, 'space' | 'spawn' | 'end' | 'handler'>;

/** The path after a fault, by the test's fault handling (the destination register is never written). */
export function afterFault(s: PathState, ctx: FaultContext): void {
  // A handler runs; a fault inside it leaves no execution (herd warns that outcomes may be missing).
  const handled = ctx.handler(s);
  if (handled !== 'none') return;
  switch (ctx.space.handling) {
    case 'fatal':
      return ctx.end(s);
    case 'skip':
      s.pc++;
      return ctx.spawn(s);
    case 'handled':
      // Run again once; herd discards an execution whose thread faults after that.
      if (s.reexecuted) return;
      s.reexecuted = true;
      return ctx.spawn(s);
  }
}

/** After a store to entry `addr`: a spurious AF update may follow, when the hardware manages AF. */
export function markStoredEntry(s: PathState, addr: number, space: VmsaSpace): void {
  if (space.spurious && space.isEntry(addr)) s.storedEntry = addr;
}

/** `part` of descriptor v equals `value` (a path condition). */
export function partIs(v: Sym, part: number, value: bigint): Sym {
  return condition('EQ', 'sub', unary('desc', v, 64, [part]), constant(value), 64);
}

/** The conditions for a spurious AF update's read: a valid entry with AF clear (herd asserts it). */
export function spuriousConditions(v: Sym): Sym[] {
  return [partIs(v, VALID, 1n), partIs(v, AF, 0n)];
}

/** What a translation does, apart from the output address: a leaf of the decision below. */
type Effect = { readonly kind: 'fault'; readonly mmu: MmuFault } | { readonly kind: 'ok'; readonly update: 'af' | 'afdb' | undefined; readonly family?: number };

/** A leaf: the field values leading to it, and what the translation then does. */
interface Leaf {
  readonly conds: readonly (readonly [number, bigint])[];
  readonly effect: Effect;
}

const fault = (mmu: MmuFault): Effect => ({ kind: 'fault', mmu });
const ok = (update?: 'af' | 'afdb'): Effect => ({ kind: 'ok', update });

/**
 * The decision a translation makes on the descriptor's fields (header comment), as leaves. Only
 * the fields that matter on the way are tested. With HA, herd types every fault but a
 * translation fault Permission.
 */
function leaves(dir: Direction, m: Management): Leaf[] {
  if (!m.el0) return accessLeaves(dir, m, [[VALID, 1n]]);
  // EL0 without permission (herd types it as the other faults after validity are typed).
  const denied: Leaf[] = m.ha
    ? [{ conds: [[VALID, 1n], [EL0, 0n]], effect: fault('Permission') }]
    : [{ conds: [[VALID, 1n], [EL0, 0n], [AF, 0n]], effect: fault('AccessFlag') }, { conds: [[VALID, 1n], [EL0, 0n], [AF, 1n]], effect: fault('Permission') }];
  const [invalid, ...rest] = accessLeaves(dir, m, [[VALID, 1n], [EL0, 1n]]);
  return [invalid!, ...denied, ...rest];
}

/** The leaves of a translation past the EL0 check: `valid` the conditions of a valid, permitted entry. */
function accessLeaves(dir: Direction, m: Management, valid: readonly [number, bigint][]): Leaf[] {
  const invalid: Leaf = { conds: [[VALID, 0n]], effect: fault('Translation') };
  const v = (...cs: [number, bigint][]): [number, bigint][] => [...valid, ...cs];
  if (!m.ha) {
    const base = [invalid, { conds: v([AF, 0n]), effect: fault('AccessFlag') }];
    if (dir !== 'W') return [...base, { conds: v([AF, 1n]), effect: ok() }];
    return [...base, { conds: v([AF, 1n], [DB, 0n]), effect: fault('Permission') }, { conds: v([AF, 1n], [DB, 1n]), effect: ok() }];
  }
  const accessed = (cs: [number, bigint][], update: 'af' | 'afdb'): Leaf[] => [
    { conds: v(...cs, [AF, 0n]), effect: ok(update) },
    { conds: v(...cs, [AF, 1n]), effect: ok() },
  ];
  if (dir === 'R' || (dir === 'RU' && !m.hd)) return [invalid, ...accessed([], 'af')];
  if (dir === 'RU') {
    // herd: with HD, a failing CAS's read updates AF and DB, or AF only: both are candidates.
    const both: Leaf[] = [
      { conds: v([AF, 1n], [DB, 1n]), effect: ok() },
      { conds: v([AF, 0n]), effect: ok('afdb') },
      { conds: v([AF, 1n], [DB, 0n]), effect: ok('afdb') },
    ];
    return [invalid, ...both, ...accessed([], 'af').map((l) => ({ ...l, effect: { ...l.effect, family: 1 } }))];
  }
  if (!m.hd) return [invalid, { conds: v([DB, 0n]), effect: fault('Permission') }, ...accessed([[DB, 1n]], 'af')];
  return [
    invalid,
    ...accessed([[DB, 1n]], 'afdb'),
    { conds: v([DB, 0n], [DBM, 0n]), effect: fault('Permission') },
    { conds: v([DB, 0n], [DBM, 1n]), effect: ok('afdb') },
  ];
}

/** The outcome of a leaf at output address oa (undefined: the descriptor has none). */
function outcomeAt(leaf: Leaf, oa: number | undefined): TranslationOutcome {
  const e = leaf.effect;
  if (e.kind === 'fault' && e.mmu === 'Translation') return { kind: 'fault', mmu: e.mmu, oa: undefined, conds: leaf.conds };
  const conds = [...leaf.conds, [OA, oa === undefined ? 0n : physicalValue(oa)] as const];
  if (e.kind === 'fault') return { kind: 'fault', mmu: e.mmu, oa, conds };
  return oa === undefined ? { kind: 'stray', conds } : { kind: 'ok', oa, update: e.update, conds, ...(e.family === undefined ? {} : { family: e.family }) };
}

const FIELD_OF: Readonly<Record<number, keyof Descriptor>> = { [VALID]: 'valid', [AF]: 'af', [DB]: 'db', [DBM]: 'dbm', [EL0]: 'el0' };

/** The distinct outcomes the entry's possible values allow (every one when any value is possible). */
function possibleOutcomes(values: readonly Val[] | 'any', dir: Direction, m: Management, outputs: readonly number[]): TranslationOutcome[] {
  const out = new Map<string, TranslationOutcome>();
  const add = (o: TranslationOutcome) => out.set(JSON.stringify(o, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)), o);
  const all = leaves(dir, m);
  if (values === 'any') {
    for (const leaf of all) for (const oa of [undefined, ...outputs]) add(outcomeAt(leaf, oa));
    return [...out.values()];
  }
  for (const value of values) {
    const d = descriptorOf(value);
    // An entry holding what is no descriptor: herd rejects such a test; so does the search
    // (the conditions cannot be evaluated on it).
    if (d === undefined) {
      add(outcomeAt(all[0]!, undefined));
      continue;
    }
    for (const leaf of all.filter((l) => l.conds.every(([part, want]) => (d[FIELD_OF[part]!] ? 1n : 0n) === want))) add(outcomeAt(leaf, d.oa));
  }
  return [...out.values()];
}
