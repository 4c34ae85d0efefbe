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
import type { Instr, Thread } from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import { formatInstr } from '../syntax/format.js';
import type { ThreadPath } from './event.js';
import { FLAGS, PathState, type Classify, type Origin } from './path-state.js';
import { atomicPairs } from './atomic-pairs.js';
import { alu, cmp, csel, flagsOf, movWide, mulAdd, readFlags, unaryOp, writeFlags } from './semantics-data.js';
import { cas, casp, ldop, load, loadPair, operandValue, store, storePair, swp, type MemoryContext } from './semantics-memory.js';
import { condition, constant, unary, type Sym } from './sym.js';
import { NONE, type Src } from './taint.js';
import { addressNumber, addressValue, labelNumber, labelValue, type Val } from './value.js';

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
}

/** Variable ids: unique per (thread, event position). */
export function varId(thread: number, position: number): number {
  return thread * 65536 + position;
}

const DEFAULT_MAX_STEPS = 100_000;

/** Execute one thread symbolically; `initRegs` holds the init section's register values. */
export function executeThread(thread: Thread, initRegs: ReadonlyMap<number, Val>, options: ThreadExecOptions, classify: Classify, code: CodeSpace, candidates: readonly number[]): ThreadExecution {
  const diagnostics: Diagnostic[] = [];
  const paths: ThreadPath[] = [];
  let unrollCut = false;
  let stepsCut = false;
  let truncated = false;
  let timedOut = false;
  let failed = false;
  let steps = 0;
  const maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
  const ids = (pos: number) => varId(thread.id, pos);

  const start = new PathState(thread.id);
  for (const [r, v] of initRegs) {
    start.regs[r] = { v: constant(v), t: NONE, p: NONE };
    start.written.add(r);
  }
  const work: PathState[] = [start];

  let current: Instr | undefined;
  const fail = (message: string): void => {
    if (!failed) diagnostics.push(error('unsupported', message, current?.span ?? thread.span));
    failed = true;
  };

  /** An address value -> its address number, forking over locations when it is not known yet. */
  const resolve = (s: PathState, a: Src): number | string => {
    if (a.v.k === 'const') {
      const n = addressNumber(a.v.v);
      return n !== undefined ? n : `unsupported: '${formatInstr(current!)}' accesses address ${a.v.v}, which is no location of the test`;
    }
    for (const c of candidates) {
      const f = s.fork();
      f.assume(condition('EQ', 'sub', a.v, constant(addressValue(c)), 64), true);
      f.pinned = c; // the fork runs the access again, at this address
      work.push(f);
    }
    const stray = s.fork();
    for (const c of candidates) stray.assume(condition('EQ', 'sub', a.v, constant(addressValue(c)), 64), false);
    finish(stray, `'${formatInstr(current!)}' may access an address that is no location of the test`);
    return '';
  };

  const finish = (s: PathState, stray?: string): void => {
    const regs = new Map<number, Sym>();
    for (const r of s.written) regs.set(r, s.regs[r]?.v ?? constant(0n));
    paths.push({
      thread: thread.id,
      agent: thread.agent,
      endpoint: thread.agent === 'device' ? thread.name : undefined,
      labels: new Map(s.labelsSeen),
      events: s.events,
      ...s.rel,
      ...atomicPairs(s.events, s.instanceOf, s.rel.iicoOrder),
      constraints: s.constraints,
      regs,
      weight: s.weight,
      instances: s.instanceOf,
      ...(stray !== undefined ? { stray } : {}),
    });
  };

  /** Jump to instruction `to` of thread `codeThread`; false when the unrolling bound cuts the path. */
  const jump = (s: PathState, codeThread: number, to: number, counted: boolean): boolean => {
    // herd counts backward jumps into the executing thread's own code (mem.ml, fetch_addr).
    if (counted && codeThread === thread.id && code.order(codeThread, to) <= code.order(s.codeThread, s.pc)) {
      const key = `${codeThread}:${to}`;
      const n = (s.back.get(key) ?? 0) + 1;
      if (n > options.unroll) {
        unrollCut = true;
        return false;
      }
      s.back.set(key, n);
    }
    s.codeThread = codeThread;
    s.pc = to;
    return true;
  };

  /** Run one path to its end (or its death), pushing forks on the work list. */
  const run = (s: PathState): void => {
    const spawn = (f: PathState) => work.push(f);
    for (;;) {
      const instrs = code.threads[s.codeThread]!.code;
      if (s.pc >= instrs.length) {
        finish(s);
        return;
      }
      if ((++steps & 1023) === 0 && options.expired?.()) {
        timedOut = truncated = true;
        return;
      }
      if (++s.steps > maxSteps) {
        stepsCut = true;
        return;
      }
      const ins = instrs[s.pc]!;
      current = ins;
      s.instr++;
      const origin: Origin = { thread: thread.id, text: formatInstr(ins), span: ins.span };
      const ctx: MemoryContext = { origin, classify, varId: ids, resolve: (p, a) => (p.pinned !== undefined ? takePin(p) : resolve(p, a)), spawn, fail };
      const next = step(s, ins, ctx, spawn);
      if (failed) return;
      if (next === 'dead') return;
      if (next === 'next') s.pc++;
    }
  };

  /** Execute one instruction: 'next' to go on, 'jumped' when pc was set, 'dead' when the path ends. */
  const step = (s: PathState, ins: Instr, ctx: MemoryContext, spawn: (f: PathState) => void): 'next' | 'jumped' | 'dead' => {
    switch (ins.kind) {
      case 'label':
        if (s.codeThread === thread.id && !s.labelsSeen.has(ins.name)) s.labelsSeen.set(ins.name, s.events.length);
        return 'next';
      case 'nop':
        return 'next';
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
      case 'csel': csel(s, ins, spawn); return 'next';
      case 'mrs': readFlags(s, ins.reg); return 'next';
      case 'msr': writeFlags(s, ins.reg); return 'next';
      case 'adr': {
        const to = targetIndex(s, ins.target);
        if (to === undefined) return ctx.fail(`'${formatInstr(ins)}' names no instruction`), 'dead';
        s.write(ins.rd, { v: constant(labelValue(code.codeAddress(s.codeThread, to))), t: NONE, p: NONE });
        s.bind(ins.rd.index);
        return 'next';
      }
      case 'branch': return branch(s, ins, ctx, spawn);
      case 'branchReg': return branchReg(s, ins, ctx);
      case 'barrier':
        s.fence(ctx.origin, { op: ins.op, domain: ins.domain, type: ins.type });
        return 'next';
      case 'isb':
        s.fence(ctx.origin, { op: 'ISB', domain: undefined, type: undefined });
        return 'next';
      case 'dgh':
        s.fence(ctx.origin, { op: 'DGH', domain: undefined, type: undefined });
        return 'next';
      case 'tlbi': {
        if (!ins.reg) {
          s.fence(ctx.origin, { op: 'TLBI', domain: undefined, type: undefined, tlbi: ins.op });
          return 'next';
        }
        const a = s.read(ins.reg);
        const addr = a.v.k === 'const' ? addressNumber(a.v.v) : undefined;
        if (addr === undefined) return ctx.fail(`unsupported: the address of '${formatInstr(ins)}' is not a known location`), 'dead';
        s.tlbi(ctx.origin, { op: 'TLBI', domain: undefined, type: undefined, addr, tlbi: ins.op }, a);
        return 'next';
      }
    }
  };

  const targetIndex = (s: PathState, target: Extract<Instr, { kind: 'branch' }>['target']): number | undefined =>
    'label' in target ? code.labelIndex(s.codeThread, target.label) : code.relative(s.codeThread, s.pc, target.offset);

  const branch = (s: PathState, ins: Extract<Instr, { kind: 'branch' }>, ctx: MemoryContext, spawn: (f: PathState) => void): 'next' | 'jumped' | 'dead' => {
    const to = targetIndex(s, ins.target);
    if (to === undefined) return ctx.fail(`'${formatInstr(ins)}' branches to no instruction of ${code.threads[s.codeThread]!.name}`), 'dead';
    if (ins.link) s.write({ index: 30, wide: true }, { v: constant(labelValue(code.codeAddress(s.codeThread, s.pc + 1))), t: NONE, p: NONE });
    if (!ins.cond) return jump(s, s.codeThread, to, true) ? 'jumped' : 'dead';
    let cond: Sym;
    let src: { t: bigint; p: bigint };
    let known: boolean;
    if (ins.cond.kind === 'flags') {
      const f = flagsOf(s);
      cond = condition(ins.cond.code, f.f, f.a, f.b, f.w);
      src = f;
      known = s.determined(FLAGS, cond);
    } else {
      const r = s.read(ins.cond.reg);
      const w = ins.cond.reg.wide ? 64 : 32;
      const tested = ins.cond.kind === 'bit' ? unary('bit', r.v, w, [ins.cond.bit]) : r.v;
      cond = condition(ins.cond.nonZero ? 'NE' : 'EQ', 'sub', tested, constant(0n), w);
      src = r;
      known = s.determined(ins.cond.reg.index, cond);
    }
    // Arm ARM B2.3.3: everything after a branch whose condition a read feeds is control-dependent on it.
    s.branchOn(src.t, src.p);
    // herd counts a backward jump unless it knows the condition statically (mem.ml, CondJump).
    if (cond.k === 'const') return cond.v === 1n ? (jump(s, s.codeThread, to, !known) ? 'jumped' : 'dead') : 'next';
    const notTaken = s.fork();
    notTaken.assume(cond, false);
    notTaken.pc++;
    spawn(notTaken);
    s.assume(cond, true);
    return jump(s, s.codeThread, to, true) ? 'jumped' : 'dead';
  };

  const branchReg = (s: PathState, ins: Extract<Instr, { kind: 'branchReg' }>, ctx: MemoryContext): 'jumped' | 'dead' => {
    const r = s.read(ins.reg);
    // What follows a branch to a register depends on the register (herd: an indirect branch commits).
    s.branchOn(r.t, r.p);
    const to = (p: PathState, k: number): 'jumped' | 'dead' => {
      const tgt = code.codeTarget(k)!;
      if (ins.link) p.write({ index: 30, wide: true }, { v: constant(labelValue(code.codeAddress(p.codeThread, p.pc + 1))), t: NONE, p: NONE });
      return jump(p, tgt.thread, tgt.index, true) ? 'jumped' : 'dead';
    };
    if (r.v.k === 'const') {
      const k = labelNumber(r.v.v);
      if (k === undefined || code.codeTarget(k) === undefined) return ctx.fail(`unsupported: '${formatInstr(ins)}' branches to ${r.v.v}, which is no code address`), 'dead';
      return to(s, k);
    }
    // A code address loaded from memory: one path per label of the test, each assuming it.
    const labels = code.allLabels();
    for (const k of labels) {
      const f = s.fork();
      f.assume(condition('EQ', 'sub', r.v, constant(labelValue(k)), 64), true);
      if (to(f, k) === 'jumped') work.push(f);
    }
    for (const k of labels) s.assume(condition('EQ', 'sub', r.v, constant(labelValue(k)), 64), false);
    finish(s, `'${formatInstr(ins)}' may branch to an address that is no label of the test`);
    return 'dead';
  };

  while (work.length > 0 && !failed) {
    if (paths.length + work.length > options.maxPaths) {
      truncated = true;
      break;
    }
    run(work.pop()!);
    if (timedOut) break;
  }
  return { paths, diagnostics, unrollCut, stepsCut, truncated, timedOut };
}

function takePin(s: PathState): number {
  const c = s.pinned!;
  s.pinned = undefined;
  return c;
}

