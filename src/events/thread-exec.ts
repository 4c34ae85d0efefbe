/**
 * Per-thread symbolic execution: one thread's instructions -> its control-flow paths.
 *
 * Each load produces a fresh variable; registers hold symbolic values and the reads they were
 * computed from (their dependency taint, taint.ts). A conditional branch whose condition is not a
 * constant forks the path; each side records the condition it assumed, to be checked once
 * reads-from fixes the values. So do CSEL, a store-exclusive (success or failure) and CAS.
 *
 * Loops follow herd's unrolling rule (herd's `-unroll`): a backward jump by an unconditional
 * branch, a branch to a register, or a conditional branch whose condition is not known yet may be
 * taken at most `unroll` times per target on one path; a path that would take it more is cut
 * (herd prints `Loop`). A conditional branch whose condition is known is simply followed, however
 * often, up to `maxSteps` instructions per path.
 *
 * An address computed from a loaded value (pointer chasing) forks the path over every location
 * the value may point to, each fork assuming the value; a last fork assumes it points to none, and
 * is reported as an error if some execution satisfies that.
 */
import { locationBase } from './locations.js';
import { availableToGuest } from '../platform/tlbi-scope.js';
import type { Instr, Thread } from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import { formatInstr } from '../syntax/format.js';
import type { Event, ThreadPath } from './event.js';
import { FLAGS, PathState, type Classify, type Origin } from './path-state.js';
import { atomicPairs } from './atomic-pairs.js';
import { alu, cmp, csel, flagsOf, movWide, mulAdd, readFlags, unaryOp, writeFlags } from './semantics-data.js';
import { cas, casp, ldop, load, loadPair, operandValue, store, storePair, swp, type MemoryContext, type TranslatedAccess } from './semantics-memory.js';
import { lkmmStep } from './semantics-lkmm.js';
import { addressRange } from './address-range.js';
import { afterFault, markStoredEntry, setAf, spuriousConditions, translate, type VmsaSpace } from './translation.js';
import { condition, constant, sameSym, unary, type Sym } from './sym.js';
import { NONE, type Src } from './taint.js';
import { addressNumber, addressValue, isSymbolic, labelNumber, labelValue, tlbPageNumber, ValueError, type Val } from './value.js';

export type { Classify } from './path-state.js';

export interface ThreadExecOptions {
  /** How many times each backward jump target may be reached by a jump on one path (herd's -unroll). */
  readonly unroll: number;
  /** Stop (and report truncation) beyond this many paths. */
  readonly maxPaths: number;
  /** Instructions one path may execute (a loop on known values runs until then). */
  readonly maxSteps?: number;
  /** Polled while executing: true once the test's time is up (the result is then partial). */
  readonly expired?: () => boolean;
  /** Events held by the paths of every thread so far: the memory bound is over the whole test. */
  readonly held?: { count: number };
  /** herd's VMSA (`-variant vmsa`): accesses are translated through the test's page tables. */
  readonly vmsa?: VmsaSpace;
  /** An address inside a device register's location: the register it reaches, or why none (register-address.ts). */
  readonly registerAt?: (addr: number, from?: number) => number | string;
}

/** The code of every thread and where its labels are: a thread may branch into another's code. */
export interface CodeSpace {
  readonly threads: readonly Thread[];
  /** Code label value <-> (thread, instruction index). */
  codeAddress(thread: number, index: number): number;
  codeTarget(k: number): { readonly thread: number; readonly index: number } | undefined;
  labelIndex(thread: number, label: string): number | undefined;
  /** Index of the instruction `bytes` (a multiple of 4) after the one at `index`. */
  relative(thread: number, index: number, bytes: number): number | undefined;
  /** The place of an instruction in one address order over all threads' code. */
  order(thread: number, index: number): number;
  /** The code addresses of every label of every thread. */
  allLabels(): readonly number[];
  /** The code that shares labels with this one: a thread's fault handler, a handler's thread. */
  partner(thread: number): number | undefined;
}

export interface ThreadExecution {
  readonly paths: ThreadPath[];
  readonly diagnostics: Diagnostic[];
  /** Some paths were cut by the unrolling bound. */
  readonly unrollCut: boolean;
  /** Some path ran longer than `maxSteps`: results are partial. */
  readonly stepsCut: boolean;
  /** More paths than `maxPaths`. */
  readonly truncated: boolean;
  /** Stopped because `expired()` said so. */
  readonly timedOut: boolean;
  /** A path faulted inside its fault handler: herd keeps no execution of it (VMSA). */
  readonly handlerFault?: boolean;
  /** The events of paths a bound cut: what they stored still counts for VMSA's entry values. */
  readonly abandoned: readonly (readonly Event[])[];
}

/** Variable ids: unique per (thread, event position). */
export function varId(thread: number, position: number): number {
  return thread * 65536 + position;
}

const DEFAULT_MAX_STEPS = 100_000;
/**
 * Events one path may hold. Litmus paths have tens; a loop unrolled far (`--unroll 10000`) would
 * make executions whose n x n relations exhaust memory. Past it the path is cut: partial.
 */
export const MAX_PATH_EVENTS = 1024;
/**
 * What all paths of one thread may hold together — events, dependency pairs (a control
 * dependency adds one per later event) and constraints — as forks copy their prefix: partial beyond.
 */
export const MAX_HELD_EVENTS = 2_000_000;

/** Execute one thread symbolically; `initRegs` holds the init section's register values. */
export function executeThread(thread: Thread, initRegs: ReadonlyMap<number, Val>, options: ThreadExecOptions, classify: Classify, code: CodeSpace, candidates: readonly number[]): ThreadExecution {
  return new ThreadRunner(thread, options, classify, code, candidates).execute(initRegs);
}

type Next = 'next' | 'jumped' | 'dead';
type BranchInstr = Extract<Instr, { kind: 'branch' }>;

/** The paths of one thread, explored from a work list of paths (forks push onto it). */
class ThreadRunner {
  private readonly diagnostics: Diagnostic[] = [];
  private readonly paths: ThreadPath[] = [];
  private readonly work: PathState[] = [];
  private unrollCut = false;
  private stepsCut = false;
  private handlerFault = false;
  private readonly abandoned: Event[][] = [];
  private truncated = false;
  private timedOut = false;
  private failed = false;
  private steps = 0;
  /** Events held by finished and pending paths (each fork holds a copy of its prefix), over all threads. */
  private readonly held: { count: number };
  private current: Instr | undefined;

  constructor(
    private readonly thread: Thread,
    private readonly options: ThreadExecOptions,
    private readonly classify: Classify,
    private readonly code: CodeSpace,
    private readonly candidates: readonly number[],
  ) {
    this.held = options.held ?? { count: 0 };
  }

  execute(initRegs: ReadonlyMap<number, Val>): ThreadExecution {
    const start = new PathState(this.thread.id);
    for (const [r, v] of initRegs) {
      start.regs[r] = { v: constant(v), t: NONE, p: NONE };
      start.written.add(r);
    }
    this.work.push(start);
    while (this.work.length > 0 && !this.failed) {
      if (this.paths.length + this.work.length > this.options.maxPaths) {
        this.truncated = true;
        break;
      }
      this.run(this.work.pop()!);
      if (this.timedOut || this.truncated) break;
    }
    const { paths, diagnostics, unrollCut, stepsCut, truncated, timedOut } = this;
    return { paths, diagnostics, unrollCut, stepsCut, truncated, timedOut, abandoned: this.abandoned, ...(this.handlerFault ? { handlerFault: true } : {}) };
  }

  private readonly fail = (message: string, code: 'unsupported' | 'semantic' = 'unsupported'): void => {
    if (!this.failed) this.diagnostics.push(error(code, message, this.current?.span ?? this.thread.span));
    this.failed = true;
  };

  private readonly spawn = (f: PathState): void => {
    this.push(f);
  };

  /** Queue a forked path, within the memory budget (beyond it the thread's paths are partial). */
  private push(f: PathState): void {
    this.held.count += f.size();
    if (this.held.count > MAX_HELD_EVENTS) this.truncated = true;
    else this.work.push(f);
  }

  /** Run one path to its end (or its death), pushing forks on the work list. */
  private run(s: PathState): void {
    const maxSteps = this.options.maxSteps ?? DEFAULT_MAX_STEPS;
    for (;;) {
      if (s.storedEntry !== undefined && this.options.vmsa) this.spuriousFork(s);
      const instrs = this.code.threads[s.codeThread]!.code;
      if (s.pc >= instrs.length) return this.finish(s);
      // Past the memory bound the thread's paths are partial already: stop forking copies.
      if (this.truncated) return;
      // Forks copy their prefix, so a step can be slow on long paths: look at the clock often.
      if ((++this.steps & 63) === 0 && this.options.expired?.()) {
        this.timedOut = this.truncated = true;
        return;
      }
      if (++s.steps > maxSteps || s.events.length > MAX_PATH_EVENTS) {
        this.stepsCut = true;
        if (this.options.vmsa) this.abandoned.push(s.events);
        return;
      }
      const ins = instrs[s.pc]!;
      this.current = ins;
      s.instr++;
      const next = this.stepOrFail(s, ins);
      s.tribFrom = undefined;
      s.casAlternative = undefined;
      if (this.failed || next === 'dead') return;
      if (next === 'next') s.pc++;
    }
  }

  /**
   * One step; an instruction that computes what has no meaning here (arithmetic on an address,
   * an address narrowed to 32 bits) is unsupported at that instruction, as herd rejects it.
   */
  private stepOrFail(s: PathState, ins: Instr): Next {
    try {
      return this.step(s, ins, this.contextFor(ins));
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      this.fail(e.message.replace(/^unsupported: /, ''));
      return 'dead';
    }
  }

  private contextFor(ins: Instr): MemoryContext {
    const origin: Origin = { thread: this.thread.id, text: formatInstr(ins), span: ins.span };
    const id = this.thread.id;
    const ctx: MemoryContext = { origin, classify: this.classify, varId: (pos) => varId(id, pos), resolve: (p, a) => (p.pinned !== undefined ? takePin(p) : this.resolve(p, a)), spawn: this.spawn, fail: this.fail, ...(this.options.registerAt ? { registerAt: this.options.registerAt } : {}) };
    const space = this.options.vmsa;
    return space === undefined ? ctx : { ...ctx, translate: (p, addr, ea, access) => this.translate(p, addr, ea, access, space, ctx), stored: (p, addr) => markStoredEntry(p, addr, space) };
  }

  /**
   * After a store to an entry, under hardware AF management: a path where the hardware then
   * updates the entry's AF spuriously, beside the one where it does not (herd's phantom update).
   */
  private spuriousFork(s: PathState): void {
    const entry = s.storedEntry!;
    s.storedEntry = undefined;
    const f = s.fork();
    const origin: Origin = { thread: this.thread.id, text: 'spurious AF update', span: undefined };
    f.spuriousUpdate(origin, entry, this.classify, (pos) => varId(this.thread.id, pos), setAf, spuriousConditions);
    this.push(f);
  }

  /** A VMSA translation (translation.ts). */
  private translate(s: PathState, addr: number, ea: Src, access: TranslatedAccess, space: VmsaSpace, ctx: MemoryContext): number | undefined {
    const end = (p: PathState, stray?: string) => this.finish(p, stray);
    return translate(s, addr, ea, access.dir, { space, origin: ctx.origin, classify: this.classify, varId: ctx.varId, spawn: this.spawn, end, mistake: (m) => this.fail(m, 'semantic'), release: access.release, preWriteback: access.preWriteback, duplicateFault: access.duplicateFault === true, handler: this.handler });
  }

  /**
   * herd's fault handler (a `P0.F` column, VMSA): a fault of the thread's own code runs it, with
   * ELR_EL1 the faulting instruction's address ('entered'); herd keeps no execution that faults
   * inside the handler ('dropped', with a warning); without a handler, the test's fault handling
   * decides ('none').
   */
  private readonly handler = (s: PathState): 'entered' | 'dropped' | 'none' => {
    const code = this.code.partner(this.thread.id);
    if (code === undefined) return 'none';
    if (s.inHandler) {
      this.handlerFault = true;
      return 'dropped';
    }
    // The return address is the faulting instruction's label when it has one (herd).
    const instrs = this.code.threads[s.codeThread]!.code;
    let at = s.pc;
    while (at > 0 && instrs[at - 1]!.kind === 'label') at--;
    s.elr = { v: constant(labelValue(this.code.codeAddress(s.codeThread, at))), t: NONE, p: NONE };
    s.inHandler = true;
    s.codeThread = code;
    s.pc = 0;
    this.spawn(s);
    return 'entered';
  };

  /** UDF under VMSA: an Undefined Instruction exception, handled as herd handles faults. */
  private udf(s: PathState, ctx: MemoryContext): Next {
    const space = this.options.vmsa;
    if (space === undefined) return this.fail(`unsupported: '${ctx.origin.text}' (an Undefined Instruction exception) outside herd's VMSA semantics`), 'dead';
    s.fence(ctx.origin, { op: 'FAULT', domain: undefined, type: undefined, undefinedInstruction: true });
    afterFault(s, { space, spawn: this.spawn, end: (p) => this.finish(p), handler: this.handler });
    return 'dead';
  }

  /** ERET: an exception return (context synchronising) to ELR_EL1, which must hold a code address. */
  private eret(s: PathState, ctx: MemoryContext): Next {
    const k = s.elr?.v.k === 'const' ? labelNumber(s.elr.v.v) : undefined;
    const to = k === undefined ? undefined : this.code.codeTarget(k);
    if (to === undefined) return this.fail(`unsupported: '${ctx.origin.text}' returns to no known code address (ELR_EL1 holds none)`), 'dead';
    s.fence(ctx.origin, { op: 'ERET', domain: undefined, type: undefined });
    s.inHandler = false;
    return this.jump(s, to.thread, to.index, true) ? 'jumped' : 'dead';
  }

  private readElr(s: PathState, reg: import('../syntax/ast.js').Reg): Next {
    s.write(reg, s.elr ?? { v: constant(0n), t: NONE, p: NONE });
    s.bind(reg.index);
    return 'next';
  }

  /** Execute one instruction: 'next' to go on, 'jumped' when pc was set, 'dead' when the path ends. */
  private step(s: PathState, ins: Instr, ctx: MemoryContext): Next {
    switch (ins.kind) {
      case 'label':
        if (s.codeThread === this.thread.id && !s.labelsSeen.has(ins.name)) s.labelsSeen.set(ins.name, s.events.length);
        if (s.codeThread === this.thread.id) s.labelMarks.push(s.events.length);
        return 'next';
      case 'nop': return 'next';
      case 'load': return load(s, ins, ctx) ? 'next' : 'dead';
      case 'store': return store(s, ins, ctx) ? 'next' : 'dead';
      case 'loadPair': return loadPair(s, ins, ctx) ? 'next' : 'dead';
      case 'storePair': return storePair(s, ins, ctx) ? 'next' : 'dead';
      case 'swp': return swp(s, ins, ctx) ? 'next' : 'dead';
      case 'cas': return cas(s, ins, ctx) ? 'next' : 'dead';
      case 'casp': return casp(s, ins, ctx) ? 'next' : 'dead';
      case 'ldop': return ldop(s, ins, ctx) ? 'next' : 'dead';
      case 'mov':
        s.write(ins.rd, operandValue(s, ins.src, ins.rd.wide ? 64 : 32));
        s.bind(ins.rd.index);
        return 'next';
      case 'movw': movWide(s, ins); return 'next';
      case 'alu': alu(s, ins); return 'next';
      case 'muladd': mulAdd(s, ins); return 'next';
      case 'unary': unaryOp(s, ins); return 'next';
      case 'cmp': cmp(s, ins); return 'next';
      case 'csel': csel(s, ins, this.spawn); return 'next';
      case 'mrs':
        if (ins.elr) return this.readElr(s, ins.reg);
        readFlags(s, ins.reg);
        return 'next';
      case 'msr':
        if (ins.elr) s.elr = s.read(ins.reg);
        else writeFlags(s, ins.reg);
        return 'next';
      case 'eret': return this.eret(s, ctx);
      case 'udf': return this.udf(s, ctx);
      case 'adr': return this.adr(s, ins);
      case 'branch': return this.branch(s, ins);
      case 'branchReg': return this.branchReg(s, ins);
      case 'barrier': s.fence(ctx.origin, { op: ins.op, domain: ins.domain, type: ins.type }); return 'next';
      case 'isb': s.fence(ctx.origin, { op: 'ISB', domain: undefined, type: undefined }); return 'next';
      case 'dgh': s.fence(ctx.origin, { op: 'DGH', domain: undefined, type: undefined }); return 'next';
      case 'tlbi': return this.tlbi(s, ins, ctx);
      case 'lkmmScope': case 'lkmmFence': case 'lkmmRmw': case 'lkmmCmpxchg': case 'lkmmAddUnless': case 'lkmmLock': case 'lkmmSrcu':
        return lkmmStep(s, ins, ctx) ? 'next' : 'dead';
    }
  }

  /** An address value -> its address number, forking over locations when it is not known yet. */
  private resolve(s: PathState, a: Src): number | string {
    if (a.v.k === 'const') {
      const n = addressNumber(a.v.v);
      return n !== undefined ? n : `unsupported: '${formatInstr(this.current!)}' accesses address ${a.v.v}, which is no location of the test`;
    }
    // A value this path already resolved is where it was: forking again would only add forks
    // whose constraints contradict each other (exponentially many, for a pointer used n times).
    const known = s.resolved.find((r) => sameSym(r.value, a.v));
    if (known !== undefined) return known.at;
    const same = (c: number) => condition('EQ', 'sub', a.v, constant(addressValue(c)), 64);
    // Only the locations the address's form allows (address-range.ts).
    const range = addressRange(a.v);
    const candidates = range === undefined ? this.candidates : this.candidates.filter((c) => c >= range[0] && c <= range[1]);
    for (const c of candidates) {
      const f = s.fork();
      f.assume(same(c), true);
      f.pinned = c; // the fork runs the access again, at this address
      f.viaPointer = true;
      f.resolved.push({ value: a.v, at: c });
      this.push(f);
    }
    const stray = s.fork();
    for (const c of candidates) stray.assume(same(c), false);
    this.finish(stray, `'${formatInstr(this.current!)}' may access an address that is no location of the test`);
    return '';
  }

  private finish(s: PathState, stray?: string): void {
    const regs = new Map<number, Sym>();
    for (const r of s.written) regs.set(r, s.regs[r]?.v ?? constant(0n));
    const t = this.thread;
    this.paths.push({
      thread: t.id,
      agent: t.agent,
      endpoint: t.agent === 'device' ? t.name : undefined,
      labels: new Map(s.labelsSeen),
      labelMarks: s.labelMarks,
      events: s.events,
      ...s.rel,
      ...atomicPairs(s.events, s.instanceOf, s.rel.iicoOrder),
      constraints: s.constraints,
      regs,
      weight: s.weight,
      instances: s.instanceOf,
      ...(stray !== undefined ? { stray } : {}),
      ...(s.viaPointer ? { viaPointer: true } : {}),
    });
  }

  /** Jump to instruction `to` of thread `codeThread`; false when the unrolling bound cuts the path. */
  private jump(s: PathState, codeThread: number, to: number, counted: boolean): boolean {
    // herd counts backward jumps into the executing thread's own code (mem.ml, fetch_addr).
    if (counted && codeThread === this.thread.id && this.code.order(codeThread, to) <= this.code.order(s.codeThread, s.pc)) {
      const key = `${codeThread}:${to}`;
      const n = (s.back.get(key) ?? 0) + 1;
      if (n > this.options.unroll) {
        this.unrollCut = true;
        if (this.options.vmsa) this.abandoned.push(s.events);
        return false;
      }
      s.back.set(key, n);
    }
    s.codeThread = codeThread;
    s.pc = to;
    return true;
  }

  /** Where a branch or ADR goes: a label of this code (or of the code it shares labels with: a thread and its fault handler), or an offset. */
  private targetOf(s: PathState, target: BranchInstr['target']): { thread: number; index: number } | undefined {
    if (!('label' in target)) {
      const index = this.code.relative(s.codeThread, s.pc, target.offset);
      return index === undefined ? undefined : { thread: s.codeThread, index };
    }
    for (const thread of [s.codeThread, this.code.partner(s.codeThread)]) {
      const index = thread === undefined ? undefined : this.code.labelIndex(thread, target.label);
      if (index !== undefined) return { thread: thread!, index };
    }
    return undefined;
  }

  /** X30 := the address of the instruction after this one (BL, BLR). */
  private link(s: PathState): void {
    s.write({ index: 30, wide: true }, { v: constant(labelValue(this.code.codeAddress(s.codeThread, s.pc + 1))), t: NONE, p: NONE });
  }

  private adr(s: PathState, ins: Extract<Instr, { kind: 'adr' }>): Next {
    const to = this.targetOf(s, ins.target);
    if (to === undefined) return this.fail(`'${formatInstr(ins)}' names no instruction`), 'dead';
    s.write(ins.rd, { v: constant(labelValue(this.code.codeAddress(to.thread, to.index))), t: NONE, p: NONE });
    s.bind(ins.rd.index);
    return 'next';
  }

  private tlbi(s: PathState, ins: Extract<Instr, { kind: 'tlbi' }>, ctx: MemoryContext): Next {
    if (this.options.vmsa) return this.vmsaTlbi(s, ins, ctx);
    if (!ins.reg) {
      s.fence(ctx.origin, { op: 'TLBI', domain: undefined, type: undefined, tlbi: ins.op });
      return 'next';
    }
    const a = s.read(ins.reg);
    const operand = a.v.k === 'const' ? tlbiOperand(a.v.v, ins.op) : undefined;
    if (operand === undefined) return this.fail(`unsupported: the ${ins.op.startsWith('ASIDE1') ? 'ASID' : 'address'} of '${formatInstr(ins)}' is not ${ins.op.startsWith('ASIDE1') ? 'an integer' : 'a known location'}`), 'dead';
    s.tlbi(ctx.origin, { op: 'TLBI', domain: undefined, type: undefined, ...(operand.addr === undefined ? {} : { addr: operand.addr }), tlbi: ins.op, asid: operand.asid, ...(ins.userSpaces ? { userSpaces: true as const } : {}) }, a);
    return 'next';
  }

  /**
   * herd's VMSA TLBI: the ALL and VMALL forms reach every entry; the others the entry of the page
   * their register names (`LSR #12` of a location's address), or none when it holds anything else.
   */
  private vmsaTlbi(s: PathState, ins: Extract<Instr, { kind: 'tlbi' }>, ctx: MemoryContext): Next {
    const fence = { op: 'TLBI' as const, domain: undefined, type: undefined, tlbi: ins.op };
    // Arm ARM C5.5: the EL2 and stage-2 operations are UNDEFINED at EL1, where a guest runs.
    if (this.options.vmsa?.isGuest(this.thread.id) && !availableToGuest(ins.op)) return this.fail(`'${formatInstr(ins)}' is UNDEFINED at EL1, where guest ${this.thread.name} runs (an EL2 or stage-2 operation)`, 'semantic'), 'dead';
    if (/^(ALL|VMALL)/.test(ins.op)) {
      if (ins.reg) s.tlbi(ctx.origin, fence, s.read(ins.reg));
      else s.fence(ctx.origin, fence);
      return 'next';
    }
    const a = ins.reg ? s.read(ins.reg) : { v: constant(0n), t: NONE, p: NONE };
    if (a.v.k !== 'const') return this.fail(`unsupported: the page of '${formatInstr(ins)}' is not known when the thread runs`), 'dead';
    const page = tlbPageNumber(a.v.v);
    s.tlbi(ctx.origin, { ...fence, page: page === undefined ? 'none' : locationBase(page) }, a);
    return 'next';
  }

  /** A branch's condition, what it depends on, and whether herd knows it statically. */
  private branchCondition(s: PathState, cond: NonNullable<BranchInstr['cond']>): { cond: Sym; src: { t: bigint; p: bigint }; known: boolean } {
    if (cond.kind === 'flags') {
      const f = flagsOf(s);
      const c = condition(cond.code, f.f, f.a, f.b, f.w);
      return { cond: c, src: f, known: s.determined(FLAGS, c) };
    }
    const r = s.read(cond.reg);
    const w = cond.reg.wide ? 64 : 32;
    const tested = cond.kind === 'bit' ? unary('bit', r.v, w, [cond.bit]) : r.v;
    const c = condition(cond.nonZero ? 'NE' : 'EQ', 'sub', tested, constant(0n), w);
    return { cond: c, src: r, known: s.determined(cond.reg.index, c) };
  }

  private branch(s: PathState, ins: BranchInstr): Next {
    const target = this.targetOf(s, ins.target);
    if (target === undefined) return this.fail(`'${formatInstr(ins)}' branches to no instruction of ${this.code.threads[s.codeThread]!.name}`), 'dead';
    const { thread: into, index: to } = target;
    if (ins.link) this.link(s);
    if (!ins.cond) return this.jump(s, into, to, true) ? 'jumped' : 'dead';
    const { cond, src, known } = this.branchCondition(s, ins.cond);
    // Arm ARM B2.3.3: everything after a branch whose condition a read feeds is control-dependent on it.
    s.branchOn(src.t, src.p);
    // herd counts a backward jump unless it knows the condition statically (mem.ml, CondJump).
    if (cond.k === 'const') return cond.v === 1n ? (this.jump(s, into, to, !known) ? 'jumped' : 'dead') : 'next';
    const notTaken = s.fork();
    notTaken.assume(cond, false);
    notTaken.pc++;
    this.spawn(notTaken);
    s.assume(cond, true);
    return this.jump(s, into, to, true) ? 'jumped' : 'dead';
  }

  private branchReg(s: PathState, ins: Extract<Instr, { kind: 'branchReg' }>): Next {
    const r = s.read(ins.reg);
    // What follows a branch to a register depends on the register (herd: an indirect branch commits).
    s.branchOn(r.t, r.p);
    const to = (p: PathState, k: number): Next => {
      const tgt = this.code.codeTarget(k)!;
      if (ins.link) this.link(p);
      return this.jump(p, tgt.thread, tgt.index, true) ? 'jumped' : 'dead';
    };
    if (r.v.k === 'const') {
      const k = labelNumber(r.v.v);
      if (k === undefined || this.code.codeTarget(k) === undefined) return this.fail(`unsupported: '${formatInstr(ins)}' branches to ${r.v.v}, which is no code address`), 'dead';
      return to(s, k);
    }
    // A code address loaded from memory: one path per label of the test, each assuming it.
    const labels = this.code.allLabels();
    const same = (k: number) => condition('EQ', 'sub', r.v, constant(labelValue(k)), 64);
    for (const k of labels) {
      const f = s.fork();
      f.assume(same(k), true);
      if (to(f, k) === 'jumped') this.push(f);
    }
    for (const k of labels) s.assume(same(k), false);
    this.finish(s, `'${formatInstr(ins)}' may branch to an address that is no label of the test`);
    return 'dead';
  }
}

function takePin(s: PathState): number {
  const c = s.pinned!;
  s.pinned = undefined;
  return c;
}

/**
 * What a TLBI's Xt names (Arm ARM C5.5): for ASIDE1, the ASID in bits [63:48] of an integer; for
 * the by-VA and by-IPA forms, a location's address, plus an ASID in bits [63:48] added to it
 * (`ADD X9,X1,X8` with X8 = ASID << 48: an address cannot be masked or shifted).
 */
function tlbiOperand(v: bigint, op: string): { addr: number | undefined; asid: number } | undefined {
  if (op.startsWith('ASIDE1')) return isSymbolic(v) ? undefined : { addr: undefined, asid: Number((v >> 48n) & 0xffffn) };
  const n = addressNumber(v);
  if (n === undefined) return undefined;
  const asidUnit = 2 ** 48;
  return { addr: locationBase(n % asidUnit), asid: Math.floor(n / asidUnit) & 0xffff };
}
