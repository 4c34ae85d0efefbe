/**
 * The state of one control-flow path while a thread is executed symbolically, and the effects an
 * instruction can have on it: register reads and writes (with their dependency taint), memory
 * reads and writes (events, with the dependency relations herd derives for them), barriers, and
 * the conditions the path assumes. The instruction semantics (semantics-*.ts) are written in
 * these terms, so every instruction gets its dependencies the same way.
 *
 * Dependencies follow herd's aarch64 model ("Dependency through registers and memory",
 * "Data, Address and Control dependencies", "Pick dependencies"): a value's taint (taint.ts) is
 * the set of reads it is computed from; an access's address registers give addr (and pick-addr)
 * edges, a store's data registers data (and pick-data) edges, a conditional branch's inputs
 * ctrl (and pick-ctrl) edges to every later event. A read's result also depends on what its
 * address depends on, and on what flowed into its local write predecessor (lrs).
 */
import { SP, ZR, type Reg } from '../syntax/ast.js';
import type { Event, FenceKind, PathConstraint, Target } from './event.js';
import type { MemoryType } from '../platform/memory-type.js';
import { constant, truncate, unary, type FlagsOp, type Sym } from './sym.js';
import { NONE, only, positions, type Src, type Taint } from './taint.js';

/**
 * How a VMSA translation ends (translation.ts): a fault of an MMU fault type (with the output
 * address the descriptor gave, for the types checked after validity), or the access goes on at
 * output address `oa` (a physical address number), the hardware setting AF (and DB) in the entry
 * on the way when `update` says; `stray` when the descriptor has none. `conds` are the conditions
 * on the descriptor read (part, value: value.ts descriptorPart) under which it ends so.
 */
export type TranslationOutcome = (
  | { readonly kind: 'fault'; readonly mmu: import('./event.js').MmuFault; readonly oa: number | undefined }
  | { readonly kind: 'ok'; readonly oa: number; readonly update: 'af' | 'afdb' | undefined; readonly family?: number; readonly stage2?: TranslationOutcome }
  | { readonly kind: 'stray' }
) & { readonly conds: readonly (readonly [number, bigint])[] };

/** CAS's alternatives as herd enumerates them (semantics-memory.ts). */
export type CasAlternative = 'ok-rs' | 'ok-read' | 'fail-ctrl' | 'fail' | 'fail-writeback';

/** What an address is for this thread: its target and the memory type of its mapping. */
export type Classify = (addr: number) => { readonly target: Target; readonly mem: MemoryType };

/** The flags (NZCV) as the instruction that set them left them. */
export interface Flags {
  readonly f: FlagsOp | 'nzcv';
  readonly a: Sym;
  readonly b: Sym;
  readonly w: 32 | 64;
  readonly t: Taint;
  readonly p: Taint;
}

/** The open exclusive monitor: the load-exclusive's reads, what it reserved, its address's taint. */
export interface Monitor {
  readonly reads: readonly number[];
  readonly addr: number;
  readonly size: number;
  readonly t: Taint;
  readonly p: Taint;
}

type Pairs = [number, number][];

/** The dependency relations of a path, as position pairs (event.ts, ThreadPath). */
export interface PathRelations {
  addr: Pairs;
  data: Pairs;
  ctrl: Pairs;
  pickAddr: Pairs;
  pickData: Pairs;
  pickCtrl: Pairs;
  pickBasic: Pairs;
  rmw: Pairs;
  amo: Pairs;
  iicoOrder: Pairs;
  sca: Pairs;
  trib: Pairs;
}

const RELATION_NAMES: readonly (keyof PathRelations)[] = ['addr', 'data', 'ctrl', 'pickAddr', 'pickData', 'pickCtrl', 'pickBasic', 'rmw', 'amo', 'iicoOrder', 'sca', 'trib'];

/** Annotations of a memory event (herd's A, Q, L, X, NoRet). */
export interface ReadAnnotation {
  readonly order: 'plain' | 'A' | 'Q';
  readonly exclusive: boolean;
  readonly noRet?: boolean;
  /** LKMM annotation sets of the event. */
  readonly tags?: readonly string[];
}

export interface WriteAnnotation {
  readonly order: 'plain' | 'L';
  readonly exclusive: boolean;
  /** LKMM annotation sets of the event. */
  readonly tags?: readonly string[];
}

/** Where an event comes from: its thread, instruction text and span. */
export interface Origin {
  readonly thread: number;
  readonly text: string;
  readonly span: import('../syntax/diagnostics.js').Span | undefined;
}

const ZERO_SRC: Src = { v: constant(0n), t: NONE, p: NONE };

/** The index the flags have in `unknown` (after the general registers and SP). */
export const FLAGS = SP + 1;

export class PathState {
  /** Index of the thread whose code runs (a thread may branch into another's code: herd's BLR to P1:L0). */
  codeThread: number;
  pc = 0;
  regs: (Src | undefined)[] = new Array<Src | undefined>(SP + 1).fill(undefined);
  flags: Flags | undefined = undefined;
  events: Event[] = [];
  rel: PathRelations = { addr: [], data: [], ctrl: [], pickAddr: [], pickData: [], pickCtrl: [], pickBasic: [], rmw: [], amo: [], iicoOrder: [], sca: [], trib: [] };
  /** Reads everything from now on is control-dependent on (basic and pick). */
  ctrlT: Taint = NONE;
  ctrlP: Taint = NONE;
  /** Kernel C under the LKMM: the control taints saved at each enclosing `if` (a dependency ends at its join). */
  ctrlSaved: (readonly [Taint, Taint])[] = [];
  /** Kernel C under the LKMM: the locks this path holds (their addresses), so an unlock knows whether it closes one. */
  heldLocks: ReadonlySet<number> = new Set();
  constraints: PathConstraint[] = [];
  monitor: Monitor | undefined = undefined;
  /** Address -> what flowed into the last write to it on this path (for its local read successors). */
  lrs = new Map<number, { t: Taint; p: Taint }>();
  /** Backward jumps taken, by target (herd's unrolling counter). */
  back = new Map<string, number>();
  written = new Set<number>();
  /** Labels passed on this path -> the number of events emitted before them (first visit). */
  labelsSeen = new Map<string, number>();
  /** Where the path passed a label of its own code, every time (a loop passes one again). */
  labelMarks: number[] = [];
  weight = 1;
  steps = 0;
  /** The address the next access uses, when a fork fixed it (pointer chasing). */
  pinned: number | undefined = undefined;
  /** Some access on this path goes where a pointer fork chose (the fork may be no execution). */
  viaPointer = false;
  /** Address values a pointer fork already fixed on this path: the same value goes to the same place. */
  resolved: { readonly value: Sym; readonly at: number }[] = [];
  /**
   * Registers (and FLAGS) whose value herd does not know statically: written by an instruction
   * that does not bind its result (loads, atomics, a store-exclusive's status, CSEL, the bitfield
   * moves). A branch on such a register counts against the unrolling bound even when its value is
   * a constant here (herd's `is_var_determined`).
   */
  unknown = new Set<number>();
  /** Instructions executed so far, and the instruction (by that count) each event came from. */
  instr = 0;
  instanceOf: number[] = [];
  /** The outcome of the next translation, when a fork fixed it (VMSA: the fork runs the instruction again). */
  translation: TranslationOutcome | undefined = undefined;
  /** The translation table read of the current instruction: its accesses are tr-ib after it. */
  tribFrom: readonly number[] | undefined = undefined;
  /** An entry the current instruction stored to: a spurious access flag update may follow (VMSA, TTHM). */
  storedEntry: number | undefined = undefined;
  /** A faulting instruction was run again (VMSA, handled faults): a later fault leaves no execution. */
  reexecuted = false;
  /** Running a fault handler's code (VMSA, herd's `P0.F`), and ELR_EL1, the address it returns to. */
  inHandler = false;
  elr: Src | undefined = undefined;
  /** The CAS alternative this path runs (VMSA: forked before translation, semantics-memory.ts). */
  casAlternative: CasAlternative | undefined = undefined;

  constructor(codeThread: number) {
    this.codeThread = codeThread;
  }

  /** What this path holds in memory, in events, relation pairs and constraints (forks copy it all). */
  size(): number {
    let n = this.events.length + this.constraints.length;
    for (const k of RELATION_NAMES) n += this.rel[k].length;
    return n;
  }

  fork(): PathState {
    const s = new PathState(this.codeThread);
    s.pc = this.pc;
    s.regs = this.regs.slice();
    s.flags = this.flags;
    s.events = this.events.slice();
    for (const k of RELATION_NAMES) s.rel[k] = this.rel[k].slice();
    s.ctrlT = this.ctrlT;
    s.ctrlP = this.ctrlP;
    s.ctrlSaved = this.ctrlSaved.slice();
    s.heldLocks = this.heldLocks;
    s.constraints = this.constraints.slice();
    s.monitor = this.monitor;
    s.lrs = new Map(this.lrs);
    s.back = new Map(this.back);
    s.written = new Set(this.written);
    s.labelsSeen = new Map(this.labelsSeen);
    s.labelMarks = this.labelMarks.slice();
    s.weight = this.weight;
    s.steps = this.steps;
    s.instr = this.instr;
    s.unknown = new Set(this.unknown);
    s.instanceOf = this.instanceOf.slice();
    s.viaPointer = this.viaPointer;
    s.resolved = this.resolved.slice();
    s.tribFrom = this.tribFrom;
    s.storedEntry = this.storedEntry;
    s.reexecuted = this.reexecuted;
    s.casAlternative = this.casAlternative;
    s.inHandler = this.inHandler;
    s.elr = this.elr;
    return s;
  }

  // ---- Registers ------------------------------------------------------------------------------

  /** Read a register at its view's width (a W view is the low 32 bits). */
  read(r: Reg): Src {
    if (r.index === ZR) return ZERO_SRC;
    const s = this.regs[r.index] ?? ZERO_SRC;
    return r.wide ? s : { ...s, v: truncate(s.v, 32) };
  }

  /** Write a register; a W view zero-extends (Arm ARM C1.2.5). */
  write(r: Reg, s: Src): void {
    if (r.index === ZR) return;
    this.regs[r.index] = r.wide ? s : { ...s, v: truncate(s.v, 32) };
    this.written.add(r.index);
    this.unknown.add(r.index);
  }

  /** The instruction that wrote `index` (a register, or FLAGS) binds its value, as herd's do. */
  bind(index: number): void {
    this.unknown.delete(index);
  }

  /** Does herd know the register's value statically (and is it a constant)? */
  determined(index: number, v: Sym): boolean {
    return v.k === 'const' && (index === ZR || !this.unknown.has(index));
  }

  // ---- Events ---------------------------------------------------------------------------------

  /** Append an event; everything after a conditional branch is control-dependent on its inputs. */
  private emit(e: Event): number {
    const pos = this.events.length;
    this.events.push(e);
    this.instanceOf.push(this.instr);
    if (this.tribFrom !== undefined && e.kind !== 'F') for (const from of this.tribFrom) this.rel.trib.push([from, pos]);
    for (const c of positions(this.ctrlT)) this.rel.ctrl.push([c, pos]);
    for (const c of positions(this.ctrlP)) this.rel.pickCtrl.push([c, pos]);
    return pos;
  }

  private edges(kind: keyof PathRelations, from: Taint, to: number): void {
    for (const c of positions(from)) this.rel[kind].push([c, to]);
  }

  /**
   * A memory read of `size` bytes at address number `addr`, whose address is computed as `a`.
   * `own` are this instruction's earlier reads (no dependency edges inside one instruction).
   * Returns the read's position and the taint of its result.
   */
  memRead(o: Origin, addr: number, size: number, a: Src, ann: ReadAnnotation, classify: Classify, varId: (pos: number) => number, own: Taint = NONE): { pos: number; t: Taint; p: Taint } {
    const pos = this.events.length;
    // An LKMM event (tags, even none) does not inherit what the thread's last store there carried:
    // under the LKMM that is the model's business (carry-dep through rfi), not the event's.
    const prior = ann.tags !== undefined ? undefined : this.lrs.get(addr);
    const inT = a.t | (prior?.t ?? NONE);
    const inP = a.p | (prior?.p ?? NONE);
    this.emit({ kind: 'R', thread: o.thread, po: pos, text: o.text, span: o.span, ...classify(addr), addr, size: size as 1 | 2 | 4 | 8, order: ann.order, exclusive: ann.exclusive, ...(ann.noRet ? { noRet: true } : {}), ...(ann.tags ? { tags: ann.tags } : {}), id: varId(pos) });
    this.edges('addr', a.t & ~own, pos);
    this.edges('pickAddr', a.p & ~own, pos);
    this.edges('pickBasic', inP & ~own, pos);
    // Under the LKMM a loaded value depends on the load alone (herd's dependencies start at it).
    return { pos, t: ann.tags !== undefined ? only(pos) : only(pos) | inT, p: only(pos) | inP };
  }

  /**
   * A memory write of `value` (already of the access's size). `data` is what the instruction's
   * data registers carry (data edges), `flow` what else flows into the write inside the
   * instruction (an atomic's own read), `pick` the condition that allowed it (CAS's comparison).
   */
  memWrite(o: Origin, addr: number, size: number, a: Src, value: Sym, data: { t: Taint; p: Taint }, flow: { t: Taint; p: Taint }, pick: Taint, ann: WriteAnnotation, classify: Classify, own: Taint = NONE): number {
    const pos = this.events.length;
    this.emit({ kind: 'W', thread: o.thread, po: pos, text: o.text, span: o.span, ...classify(addr), addr, size: size as 1 | 2 | 4 | 8, order: ann.order, exclusive: ann.exclusive, value, ...(ann.tags ? { tags: ann.tags } : {}) });
    this.edges('addr', a.t & ~own, pos);
    this.edges('data', data.t & ~own, pos);
    this.edges('pickAddr', a.p & ~own, pos);
    this.edges('pickData', (data.p | pick) & ~own, pos);
    this.edges('pickBasic', (a.p | data.p | flow.p | pick) & ~own, pos);
    this.lrs.set(addr, { t: a.t | data.t | flow.t, p: a.p | data.p | flow.p | pick });
    return pos;
  }

  /**
   * The implicit read of translation table entry `addr` that translates an access whose address
   * is `a` (atomic where the hardware manages the access flag: herd's X).
   */
  ttdRead(o: Origin, addr: number, a: Src, classify: Classify, varId: (pos: number) => number, atomic: boolean): { pos: number; p: Taint } {
    const pos = this.events.length;
    const prior = this.lrs.get(addr);
    const inP = a.p | (prior?.p ?? NONE);
    this.emit({ kind: 'R', thread: o.thread, po: pos, text: o.text, span: o.span, ...classify(addr), addr, size: 8, order: 'plain', exclusive: atomic, id: varId(pos), implicit: true });
    this.edges('addr', a.t, pos);
    this.edges('pickAddr', a.p, pos);
    this.edges('pickBasic', inP, pos);
    return { pos, p: inP };
  }

  /** The hardware's update of entry `addr` (its access flag, dirty state) after translation read it: atomic with the read. */
  hardwareUpdate(o: Origin, addr: number, a: Src, value: Sym, classify: Classify): number {
    const pos = this.events.length;
    this.emit({ kind: 'W', thread: o.thread, po: pos, text: o.text, span: o.span, ...classify(addr), addr, size: 8, order: 'plain', exclusive: true, value, implicit: true });
    this.edges('addr', a.t, pos);
    this.edges('pickAddr', a.p, pos);
    return pos;
  }

  /**
   * A spurious access flag update of entry `addr` (herd's phantom update, under hardware access
   * flag management): a read of a valid entry with AF clear and the write setting it, atomic,
   * by no thread. The read's conditions are the path's.
   */
  spuriousUpdate(o: Origin, addr: number, classify: Classify, varId: (pos: number) => number, setAf: (v: Sym) => Sym, conds: (v: Sym) => readonly Sym[]): void {
    const r = this.events.length;
    const v: Sym = { k: 'var', id: varId(r) };
    this.events.push({ kind: 'R', thread: o.thread, po: r, text: o.text, span: o.span, ...classify(addr), addr, size: 8, order: 'plain', exclusive: true, id: varId(r), implicit: true, spurious: true });
    this.instanceOf.push(-1);
    this.events.push({ kind: 'W', thread: o.thread, po: r + 1, text: o.text, span: o.span, ...classify(addr), addr, size: 8, order: 'plain', exclusive: true, value: setAf(v), implicit: true, spurious: true });
    this.instanceOf.push(-1);
    for (const c of conds(v)) this.assume(c, true);
  }

  fence(o: Origin, fence: FenceKind): number {
    return this.emit({ kind: 'F', thread: o.thread, po: this.events.length, text: o.text, span: o.span, fence });
  }

  /** A TLBI's address register is an address dependency target too (herd's addr: [... | TLBI]). */
  tlbi(o: Origin, fence: FenceKind, a: Src): void {
    const pos = this.fence(o, fence);
    this.edges('addr', a.t, pos);
    this.edges('pickAddr', a.p, pos);
  }

  /** A conditional branch on inputs of taint t/p: everything after it is control-dependent. */
  branchOn(t: Taint, p: Taint): void {
    this.ctrlT |= t;
    this.ctrlP |= p;
  }

  assume(cond: Sym, holds: boolean): void {
    this.constraints.push({ cond, holds, at: this.events.length });
  }
}

/** The value of a W/X register read of a loaded value of `size` bytes, extended as the load says. */
export function extendLoaded(v: Sym, size: number, signed: boolean, wide: boolean): Sym {
  if (!signed || size === 8) return v;
  const ext = unary('sext', v, wide ? 64 : 32, [size * 8]);
  return wide ? ext : truncate(ext, 32);
}
