/**
 * What the data-processing instructions do to a path (Arm ARM C6.2): each result is an expression
 * over its operands (sym.ts) and depends on every register it reads; the flag-setting forms leave
 * the flags as the comparison they make. CSEL and its aliases fork on their condition, as herd
 * does: each side assumes the condition (or its negation), and the chosen value depends on the
 * flags through a pick dependency only.
 */
import type { Alu, Cmp, Csel, MovWide, MulAdd, Unary } from '../syntax/ast.js';
import { binary, condition, constant, truncate, unary, type Sym } from './sym.js';
import { FLAGS, type Flags, type PathState } from './path-state.js';
import { operandValue } from './semantics-memory.js';
import { NONE, type Src } from './taint.js';

const widthOf = (wide: boolean): 32 | 64 => (wide ? 64 : 32);

/** The flags before any instruction set them: NZCV = 0. */
export const INITIAL_FLAGS: Flags = { f: 'nzcv', a: constant(0n), b: constant(0n), w: 64, t: NONE, p: NONE };

export function flagsOf(s: PathState): Flags {
  return s.flags ?? INITIAL_FLAGS;
}

export function alu(s: PathState, ins: Alu): void {
  const w = widthOf(ins.rd.wide);
  const a = s.read(ins.rn);
  const b = operandValue(s, ins.op2, w);
  const v = binary(ins.op, a.v, b.v, w);
  const t = a.t | b.t;
  const p = a.p | b.p;
  s.write(ins.rd, { v, t, p });
  s.bind(ins.rd.index);
  // SUBS/ADDS set the flags of the comparison; ANDS/BICS those of the result (C = V = 0).
  if (ins.setFlags) setFlags(s, ins.op === 'sub' || ins.op === 'add' ? { f: ins.op, a: a.v, b: b.v, w, t, p } : { f: 'logic', a: v, b: constant(w === 64 ? (1n << 64n) - 1n : (1n << 32n) - 1n), w, t, p });
}

/** Flag-setting instructions bind NZCV in herd (its value is known when their operands are). */
function setFlags(s: PathState, f: Flags): void {
  s.flags = f;
  s.bind(FLAGS);
}

export function cmp(s: PathState, ins: Cmp): void {
  const w = widthOf(ins.rn.wide);
  const a = s.read(ins.rn);
  const b = operandValue(s, ins.op2, w);
  setFlags(s, { f: ins.f, a: a.v, b: b.v, w, t: a.t | b.t, p: a.p | b.p });
}

export function movWide(s: PathState, ins: MovWide): void {
  const w = widthOf(ins.rd.wide);
  const imm = BigInt(ins.imm) << BigInt(ins.shift);
  if (ins.op === 'k') {
    // MOVK keeps the other bits of Rd: it reads Rd.
    const old = s.read(ins.rd);
    const keep = binary('bic', old.v, constant(0xffffn << BigInt(ins.shift)), w);
    s.write(ins.rd, { ...old, v: binary('orr', keep, constant(imm), w) });
  } else {
    const v = ins.op === 'z' ? imm : BigInt.asUintN(w, ~imm);
    s.write(ins.rd, { v: constant(v), t: NONE, p: NONE });
  }
  s.bind(ins.rd.index);
}

export function mulAdd(s: PathState, ins: MulAdd): void {
  const w = widthOf(ins.rd.wide);
  const n = s.read(ins.rn);
  const m = s.read(ins.rm);
  const acc = s.read(ins.ra);
  const ext = (v: Sym) => (ins.long === 'signed' ? unary('sext', v, 64, [32]) : v);
  const prod = binary('mul', ext(n.v), ext(m.v), w);
  s.write(ins.rd, { v: binary(ins.sub ? 'sub' : 'add', acc.v, prod, w), t: n.t | m.t | acc.t, p: n.p | m.p | acc.p });
  s.bind(ins.rd.index);
}

export function unaryOp(s: PathState, ins: Unary): void {
  const w = widthOf(ins.rd.wide);
  const a = s.read(ins.rn);
  s.write(ins.rd, { ...a, v: truncate(unary(ins.op, a.v, w, ins.params), w) });
  // herd binds the results of SXTW, REV, RBIT, ABS...; the bitfield moves (UBFM, SBFM and their
  // aliases SXTB/SXTH/UXTB/UXTH) it does not.
  if (!(ins.op === 'ubfm' || ins.op === 'sbfm' || ins.op === 'zext' || (ins.op === 'sext' && ins.params[0] !== 32))) s.bind(ins.rd.index);
}

/** A CSEL family instruction: forks the path that assumes the condition false. */
export function csel(s: PathState, ins: Csel, spawn: (f: PathState) => void): void {
  const w = widthOf(ins.rd.wide);
  const flags = flagsOf(s);
  const cond = condition(ins.cond, flags.f, flags.a, flags.b, flags.w);
  const pick = (p: PathState, chosen: Src): void => {
    // The flags choose the value (herd: the read of Rn or Rm is control-dependent on them).
    p.write(ins.rd, { v: chosen.v, t: chosen.t, p: chosen.p | flags.p });
  };
  const second = (p: PathState): Src => {
    const m = p.read(ins.rm);
    switch (ins.op) {
      case 'sel': return m;
      case 'inc': return { ...m, v: binary('add', m.v, constant(1n), w) };
      case 'inv': return { ...m, v: unary('not', m.v, w) };
      case 'neg': return { ...m, v: unary('neg', m.v, w) };
    }
  };
  if (cond.k === 'const') {
    pick(s, cond.v === 1n ? s.read(ins.rn) : second(s));
    return;
  }
  const other = s.fork();
  other.assume(cond, false);
  pick(other, second(other));
  other.pc++;
  spawn(other);
  s.assume(cond, true);
  pick(s, s.read(ins.rn));
}

/** MRS Xt, NZCV: the flags as bits 31..28 (N, Z, C, V). */
export function readFlags(s: PathState, rt: import('../syntax/ast.js').Reg): void {
  const f = flagsOf(s);
  const bit = (code: 'MI' | 'EQ' | 'HS' | 'VS', at: number) => binary('lsl', condition(code, f.f, f.a, f.b, f.w), constant(BigInt(at)), 64);
  const v = binary('orr', binary('orr', bit('MI', 31), bit('EQ', 30), 64), binary('orr', bit('HS', 29), bit('VS', 28), 64), 64);
  s.write(rt, { v, t: f.t, p: f.p });
  s.bind(rt.index);
}

/** MSR NZCV, Xt: the flags become bits 31..28 of Xt. */
export function writeFlags(s: PathState, rt: import('../syntax/ast.js').Reg): void {
  const r = s.read(rt);
  setFlags(s, { f: 'nzcv', a: r.v, b: constant(0n), w: 64, t: r.t, p: r.p });
}
