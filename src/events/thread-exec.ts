/**
 * Per-thread symbolic execution: one thread's instructions -> its control-flow paths.
 *
 * Each load produces a fresh variable; registers hold symbolic values and the set of loads
 * they were computed from (their dependency "taint"). Dependencies are syntactic, as the
 * architecture defines them (Arm ARM B2.3.3: a register data flow from a read's result, whatever
 * the value): `EOR W2,W1,W1` gives the value 0 but W2 still carries W1's dependency.
 *
 * A conditional branch whose condition is not a constant forks the path; each side records the
 * condition it assumed, to be checked once reads-from fixes the values. Backward branches are
 * unrolled at most `unroll` times per branch instruction (paths that loop longer are cut, as in
 * herd). A store-exclusive forks into success (a write, paired with the preceding
 * load-exclusive) and failure (no write, status 1).
 */
import { ZR, type Address, type CondCode, type Instr, type Operand, type Reg, type Thread } from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import { formatInstr } from '../syntax/format.js';
import type { Event, FenceKind, PathConstraint, Target, ThreadPath } from './event.js';
import type { MemoryType } from '../platform/memory-type.js';
import { constant, op, truncate32, variable, type AluOp, type Sym } from './sym.js';

export interface ThreadExecOptions {
  /** How many times each backward branch may be taken on one path. */
  readonly unroll: number;
  /** Stop (and report truncation) beyond this many paths. */
  readonly maxPaths: number;
  /** Polled while executing: true once the test's time is up (the result is then partial). */
  readonly expired?: () => boolean;
}

/** What an address is for this thread: its target and the memory type of its mapping. */
export type Classify = (addr: number) => { readonly target: Target; readonly mem: MemoryType };

export interface ThreadExecution {
  readonly paths: ThreadPath[];
  readonly diagnostics: Diagnostic[];
  /** Some paths were cut by the unrolling bound. */
  readonly unrollCut: boolean;
  /** More paths than `maxPaths`. */
  readonly truncated: boolean;
  /** Stopped because `expired()` said so. */
  readonly timedOut: boolean;
}

/** Variable ids: unique per (thread, event position). */
export function varId(thread: number, position: number): number {
  return thread * 65536 + position;
}

interface Flags {
  readonly a: Sym;
  readonly b: Sym;
  readonly w32: boolean;
  readonly deps: readonly number[];
}

/** The mutable state of one path being explored; copied when the path forks. */
interface State {
  pc: number;
  regs: (Sym | undefined)[];
  deps: (readonly number[])[];
  flags: Flags | undefined;
  events: Event[];
  addr: [number, number][];
  data: [number, number][];
  ctrl: number[]; // reads the control flow depends on so far
  ctrlEdges: [number, number][];
  rmw: [number, number][];
  constraints: PathConstraint[];
  exclusive: number; // position of the open load-exclusive, -1 if none
  back: Map<number, number>;
  written: Set<number>;
  /** Labels passed on this path -> the number of events emitted before them (first visit). */
  labelsSeen: Map<string, number>;
}

function fork(s: State): State {
  return {
    pc: s.pc,
    regs: s.regs.slice(),
    deps: s.deps.slice(),
    flags: s.flags,
    events: s.events.slice(),
    addr: s.addr.slice(),
    data: s.data.slice(),
    ctrl: s.ctrl.slice(),
    ctrlEdges: s.ctrlEdges.slice(),
    rmw: s.rmw.slice(),
    constraints: s.constraints.slice(),
    exclusive: s.exclusive,
    back: new Map(s.back),
    written: new Set(s.written),
    labelsSeen: new Map(s.labelsSeen),
  };
}

const NO_DEPS: readonly number[] = [];

function unionDeps(a: readonly number[], b: readonly number[]): readonly number[] {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = a.slice();
  for (const x of b) if (!out.includes(x)) out.push(x);
  return out;
}

/** Execute one thread symbolically; `initRegs` holds the init section's register values. */
export function executeThread(thread: Thread, initRegs: ReadonlyMap<number, number>, options: ThreadExecOptions, classify: Classify): ThreadExecution {
  const code = thread.code;
  const labels = new Map<string, number>();
  code.forEach((ins, i) => {
    if (ins.kind === 'label') labels.set(ins.name, i);
  });
  const diagnostics: Diagnostic[] = [];
  const paths: ThreadPath[] = [];
  let unrollCut = false;
  let truncated = false;
  let timedOut = false;
  let steps = 0;

  const start: State = {
    pc: 0,
    regs: new Array<Sym | undefined>(32).fill(undefined),
    deps: new Array<readonly number[]>(32).fill(NO_DEPS),
    flags: undefined,
    events: [],
    addr: [],
    data: [],
    ctrl: [],
    ctrlEdges: [],
    rmw: [],
    constraints: [],
    exclusive: -1,
    back: new Map(),
    written: new Set(),
    labelsSeen: new Map(),
  };
  for (const [r, v] of initRegs) {
    start.regs[r] = constant(v);
    start.written.add(r);
  }

  const read = (s: State, r: Reg): Sym => {
    if (r.index === ZR) return constant(0);
    const v = s.regs[r.index] ?? constant(0);
    return r.wide ? v : truncate32(v);
  };
  const depsOf = (s: State, r: Reg): readonly number[] => (r.index === ZR ? NO_DEPS : s.deps[r.index]!);
  const write = (s: State, r: Reg, v: Sym, deps: readonly number[]): void => {
    if (r.index === ZR) return;
    s.regs[r.index] = r.wide ? v : truncate32(v);
    s.deps[r.index] = deps;
    s.written.add(r.index);
  };
  const operand = (s: State, o: Operand, w32: boolean): { v: Sym; deps: readonly number[] } => {
    if (o.kind === 'imm') return { v: constant(o.value), deps: NO_DEPS };
    let v = read(s, o.reg);
    if (o.shift) {
      const sh = o.shift;
      // Extends are identities on the non-negative values litmus tests use; shifts scale.
      if (sh.op === 'LSR' || sh.op === 'ASR') v = op('lsr', v, constant(sh.amount), w32);
      else v = op('lsl', v, constant(sh.amount), w32);
    }
    return { v, deps: depsOf(s, o.reg) };
  };
  const address = (s: State, a: Address, ins: Instr): { addr: number; deps: readonly number[] } | undefined => {
    let v = read(s, { index: a.base.index, wide: true });
    let deps = depsOf(s, a.base);
    if (a.offset) {
      const o = operand(s, a.offset, false);
      v = op('add', v, o.v, false);
      deps = unionDeps(deps, o.deps);
    }
    if (v.k !== 'const') {
      diagnostics.push(error('unsupported', `unsupported: the address of '${formatInstr(ins)}' depends on a loaded value (pointer chasing is not supported yet)`, ins.span));
      return undefined;
    }
    return { addr: v.v, deps };
  };
  const emit = (s: State, e: Event): number => {
    const pos = s.events.length;
    s.events.push(e);
    for (const c of s.ctrl) s.ctrlEdges.push([c, pos]);
    return pos;
  };
  const base = (ins: Instr) => ({ thread: thread.id, text: formatInstr(ins), span: ins.span });
  /** A non-access effect (barrier, ISB, DGH, TLBI), then the next instruction. */
  const fence = (s: State, ins: Instr, kind: FenceKind): void => {
    emit(s, { kind: 'F', ...base(ins), po: s.events.length, fence: kind });
    s.pc++;
  };

  const finish = (s: State): void => {
    const regs = new Map<number, Sym>();
    for (const r of s.written) regs.set(r, s.regs[r] ?? constant(0));
    // A label names the first event of the instructions at or after it on this path.
    const labelPos = new Map<string, number>();
    for (const [name, pos] of s.labelsSeen) labelPos.set(name, pos);
    paths.push({
      thread: thread.id,
      agent: thread.agent,
      endpoint: thread.agent === 'device' ? thread.name : undefined,
      labels: labelPos,
      events: s.events,
      addr: s.addr,
      data: s.data,
      ctrl: s.ctrlEdges,
      rmw: s.rmw,
      constraints: s.constraints,
      regs,
    });
  };

  /** Runs a path to its end, pushing forks on the work list. */
  const work: State[] = [start];
  const jump = (s: State, target: string): boolean => {
    const to = labels.get(target)!;
    if (to <= s.pc) {
      const n = (s.back.get(s.pc) ?? 0) + 1;
      if (n > options.unroll) {
        unrollCut = true;
        return false;
      }
      s.back.set(s.pc, n);
    }
    s.pc = to;
    return true;
  };

  while (work.length > 0) {
    if (paths.length + work.length > options.maxPaths) {
      truncated = true;
      break;
    }
    const s = work.pop()!;
    let alive = true;
    while (alive && s.pc < code.length) {
      if ((++steps & 1023) === 0 && options.expired?.()) {
        timedOut = truncated = true;
        return { paths, diagnostics, unrollCut, truncated, timedOut };
      }
      const ins = code[s.pc]!;
      switch (ins.kind) {
        case 'label':
          if (!s.labelsSeen.has(ins.name)) s.labelsSeen.set(ins.name, s.events.length);
          s.pc++;
          break;
        case 'nop':
          s.pc++;
          break;
        case 'load': {
          const a = address(s, ins.addr, ins);
          if (!a) return { paths, diagnostics, unrollCut, truncated, timedOut };
          const pos = s.events.length;
          const order = ins.order === 'acquire' ? 'A' : ins.order === 'acquirePC' ? 'Q' : 'plain';
          emit(s, { kind: 'R', ...base(ins), ...classify(a.addr), po: pos, addr: a.addr, size: ins.size, order, exclusive: ins.exclusive, id: varId(thread.id, pos) });
          for (const d of a.deps) s.addr.push([d, pos]);
          let v: Sym = variable(varId(thread.id, pos));
          if (ins.size < 8 && ins.size !== 4) v = op('and', v, constant(2 ** (8 * ins.size) - 1), true);
          write(s, ins.rt, v, [pos]);
          if (ins.exclusive) s.exclusive = pos;
          s.pc++;
          break;
        }
        case 'store': {
          const a = address(s, ins.addr, ins);
          if (!a) return { paths, diagnostics, unrollCut, truncated, timedOut };
          let value = read(s, ins.rt);
          if (ins.size < 4) value = op('and', value, constant(2 ** (8 * ins.size) - 1), true);
          const valueDeps = depsOf(s, ins.rt);
          const doWrite = (t: State): void => {
            const pos = t.events.length;
            emit(t, { kind: 'W', ...base(ins), ...classify(a.addr), po: pos, addr: a.addr, size: ins.size, order: ins.release ? 'L' : 'plain', exclusive: ins.exclusive, value });
            for (const d of a.deps) t.addr.push([d, pos]);
            for (const d of valueDeps) t.data.push([d, pos]);
            if (ins.exclusive && t.exclusive >= 0) t.rmw.push([t.exclusive, pos]);
          };
          if (!ins.exclusive) {
            doWrite(s);
          } else {
            // Arm ARM B2.9: a store-exclusive may fail; it can succeed only with an open monitor.
            const fail = fork(s);
            if (ins.status) write(fail, ins.status, constant(1), NO_DEPS);
            fail.exclusive = -1;
            fail.pc++;
            work.push(fail);
            if (s.exclusive < 0) {
              alive = false;
              break;
            }
            doWrite(s);
            if (ins.status) write(s, ins.status, constant(0), NO_DEPS);
            s.exclusive = -1;
          }
          s.pc++;
          break;
        }
        case 'mov': {
          const o = operand(s, ins.src, !ins.rd.wide);
          write(s, ins.rd, o.v, o.deps);
          s.pc++;
          break;
        }
        case 'alu': {
          const w32 = !ins.rd.wide;
          const a = read(s, ins.rn);
          const b = operand(s, ins.op2, w32);
          const v = op(ins.op as AluOp, a, b.v, w32);
          const deps = unionDeps(depsOf(s, ins.rn), b.deps);
          write(s, ins.rd, v, deps);
          // SUBS compares its operands; ADDS/ANDS set flags from the result (exact for EQ/NE/MI/PL).
          if (ins.setFlags) s.flags = ins.op === 'sub' ? { a, b: b.v, w32, deps } : { a: v, b: constant(0), w32, deps };
          s.pc++;
          break;
        }
        case 'cmp': {
          const w32 = !ins.rn.wide;
          const b = operand(s, ins.op2, w32);
          s.flags = { a: read(s, ins.rn), b: b.v, w32, deps: unionDeps(depsOf(s, ins.rn), b.deps) };
          s.pc++;
          break;
        }
        case 'branch': {
          if (!ins.cond) {
            alive = jump(s, ins.target);
            break;
          }
          let code: CondCode;
          let a: Sym;
          let b: Sym;
          let w32: boolean;
          let deps: readonly number[];
          if (ins.cond.kind === 'flags') {
            const f = s.flags ?? { a: constant(0), b: constant(0), w32: false, deps: NO_DEPS };
            ({ a, b, w32, deps } = f);
            code = ins.cond.code;
          } else {
            a = read(s, ins.cond.reg);
            b = constant(0);
            w32 = !ins.cond.reg.wide;
            deps = depsOf(s, ins.cond.reg);
            code = ins.cond.nonZero ? 'NE' : 'EQ';
          }
          // Arm ARM B2.3.3: everything after a branch whose condition a read feeds is control-dependent on it.
          s.ctrl = unionDeps(s.ctrl, deps).slice();
          if (a.k === 'const' && b.k === 'const') {
            if (conditionHolds(code, a.v, b.v, w32)) alive = jump(s, ins.target);
            else s.pc++;
            break;
          }
          const notTaken = fork(s);
          notTaken.constraints.push({ code, a, b, w32, holds: false, at: s.events.length });
          notTaken.pc++;
          work.push(notTaken);
          s.constraints.push({ code, a, b, w32, holds: true, at: s.events.length });
          alive = jump(s, ins.target);
          break;
        }
        case 'barrier':
          fence(s, ins, { op: ins.op, domain: ins.domain, type: ins.type });
          break;
        case 'isb':
          fence(s, ins, { op: 'ISB', domain: undefined, type: undefined });
          break;
        case 'tlbi': {
          let addr: number | undefined;
          if (ins.reg) {
            const v = read(s, ins.reg);
            if (v.k !== 'const') {
              diagnostics.push(error('unsupported', `unsupported: the address of '${formatInstr(ins)}' depends on a loaded value`, ins.span));
              return { paths, diagnostics, unrollCut, truncated, timedOut };
            }
            addr = v.v;
          }
          fence(s, ins, { op: 'TLBI', domain: undefined, type: undefined, addr, tlbi: ins.op });
          break;
        }
        case 'dgh':
          fence(s, ins, { op: 'DGH', domain: undefined, type: undefined });
          break;
      }
    }
    if (alive) finish(s);
  }
  return { paths, diagnostics, unrollCut, truncated, timedOut };
}

/** Value of condition `code` for the comparison a - b (Arm ARM C1.2.4, condition codes). */
export function conditionHolds(code: CondCode, a: number, b: number, w32: boolean): boolean {
  const bits = w32 ? 32 : 53;
  const signed = (x: number) => (x >= 2 ** (bits - 1) ? x - 2 ** bits : x);
  switch (code) {
    case 'EQ': return a === b;
    case 'NE': return a !== b;
    case 'HS': return a >= b;
    case 'LO': return a < b;
    case 'HI': return a > b;
    case 'LS': return a <= b;
    case 'GE': return signed(a) >= signed(b);
    case 'LT': return signed(a) < signed(b);
    case 'GT': return signed(a) > signed(b);
    case 'LE': return signed(a) <= signed(b);
    case 'MI': return signed(a) - signed(b) < 0;
    case 'PL': return signed(a) - signed(b) >= 0;
    case 'AL': return true;
  }
}
