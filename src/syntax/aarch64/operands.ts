/**
 * Instruction operands: immediates `#imm`, shifted/extended registers, and addressing modes.
 * Arm ARM C1.2 (A64 assembly syntax) and C6.2 (instruction descriptions): `<Xm>{, LSL #n}`,
 * `<Wm>, UXTW|SXTW {#n}`, and the load/store forms `[Xn]`, `[Xn, #imm]`, `[Xn, Xm{, LSL #n}]`,
 * `[Xn, Wm, UXTW|SXTW {#n}]`, pre-indexed `[Xn, #imm]!` and post-indexed `[Xn], #imm`.
 * @internal
 */
import type { Address, ExtendOp, Operand, Shift, ShiftOp } from '../ast.js';
import { expectRegister } from '../shared/registers.js';
import type { Cursor, Token } from '../shared/tokens.js';
import { expectBigInt, expectNumber } from '../shared/values.js';

/** `#imm` with an optional sign; hex allowed (`#0x10`); herd also accepts it without '#'. */
export function parseImmediate(cur: Cursor): bigint {
  cur.eatPunct('#');
  return expectBigInt(cur, 'an immediate value', true);
}

/** A small immediate (shift amounts, bit numbers) in [lo, hi]. */
export function parseSmallImmediate(cur: Cursor, what: string, lo: number, hi: number): number {
  cur.eatPunct('#');
  const t = cur.peek();
  const v = expectNumber(cur, what, true);
  if (v < lo || v > hi) cur.failAt(t, `${what} ${v} out of range ${lo}..${hi}`);
  return v;
}

/** Does an immediate start here (`#`, a number, or `-` and a number)? */
export function atImmediate(cur: Cursor): boolean {
  const t = cur.peek();
  if (t === undefined) return false;
  if (t.kind === 'number') return true;
  return t.kind === 'punct' && (t.text === '#' || (t.text === '-' && cur.peek(1)?.kind === 'number'));
}

const SHIFT_OPS: ReadonlySet<string> = new Set(['LSL', 'LSR', 'ASR', 'ROR']);
const EXTEND_OPS: ReadonlySet<string> = new Set(['UXTB', 'UXTH', 'UXTW', 'UXTX', 'SXTB', 'SXTH', 'SXTW', 'SXTX']);

/**
 * `LSL|LSR|ASR|ROR #n` (amount required, 0..63) or an extend `UXTB .. SXTX {#n}` (amount 0..4,
 * Arm ARM C6.2 ADD (extended register): "the left shift amount ... in the range 0 to 4").
 */
export function parseShift(cur: Cursor): Shift {
  const t = cur.next('a shift');
  const op = t.text.toUpperCase();
  if (SHIFT_OPS.has(op)) return { op: op as ShiftOp, amount: parseSmallImmediate(cur, 'shift amount', 0, 63) };
  if (EXTEND_OPS.has(op)) {
    if (cur.atEnd || cur.isPunct(']') || cur.isPunct(',')) return { op: op as ExtendOp, amount: 0 };
    return { op: op as ExtendOp, amount: parseSmallImmediate(cur, 'extend amount', 0, 4) };
  }
  if (op === 'MSL') cur.failCode('unsupported', t, `shift '${t.text}' (SIMD immediates) is not supported`);
  cur.failAt(t, `expected LSL, LSR, ASR, ROR or an extend (UXTB .. SXTX), found '${t.text}'`);
}

/**
 * `#imm`, or a register with an optional `, shift`. An immediate may carry `, LSL #0` or
 * `, LSL #12` (Arm ARM C6.2 ADD (immediate): "<shift> ... LSL #0 (default) or LSL #12").
 */
export function parseOperand(cur: Cursor): Operand {
  if (atImmediate(cur)) {
    const value = parseImmediate(cur);
    if (!(cur.isPunct(',') && cur.isWord('lsl', 1))) return { kind: 'imm', value };
    cur.next(',');
    cur.next('LSL');
    const amountTok = cur.peek(cur.isPunct('#') ? 1 : 0);
    const amount = parseSmallImmediate(cur, 'immediate shift', 0, 63);
    if (amount !== 0 && amount !== 12) cur.failAt(amountTok, `immediate shift must be LSL #0 or LSL #12, found ${amount}`);
    return { kind: 'imm', value: value << BigInt(amount) };
  }
  const { reg } = expectRegister(cur, 'a register or #immediate');
  if (cur.isPunct(',') && isShiftAt(cur, 1)) {
    cur.next(',');
    return { kind: 'reg', reg, shift: parseShift(cur) };
  }
  return { kind: 'reg', reg };
}

function isShiftAt(cur: Cursor, k: number): boolean {
  const t = cur.peek(k);
  if (t === undefined || t.kind !== 'ident') return false;
  const u = t.text.toUpperCase();
  return SHIFT_OPS.has(u) || EXTEND_OPS.has(u) || u === 'MSL';
}

/** An address and the token where its offset starts (for "offset not allowed" errors). */
export interface ParsedAddress {
  readonly addr: Address;
  readonly offsetToken: Token | undefined;
}

/**
 * `[Xn]`, `[Xn,#imm]`, `[Xn,Rm]`, `[Xn,Rm,shift]`, `[Xn,#imm]!` and `[Xn],#imm`. The base is an X
 * register or SP (Arm ARM C1.3.3: "<Xn|SP>").
 */
export function parseAddress(cur: Cursor): ParsedAddress {
  cur.expectPunct('[');
  const base = expectRegister(cur, 'a base register');
  if (!base.reg.wide) cur.failAt(base.token, `base register must be an X register, found '${base.token.text}'`);
  let offset: Operand | undefined;
  let offsetToken: Token | undefined;
  if (cur.eatPunct(',')) {
    offsetToken = cur.peek();
    offset = parseOperand(cur);
  }
  cur.expectPunct(']');
  if (cur.eatPunct('!')) {
    if (offset?.kind !== 'imm') cur.failAt(offsetToken ?? cur.last, 'pre-indexed addressing takes an immediate offset: [Xn,#imm]!');
    return { addr: { base: base.reg, offset, index: 'pre' }, offsetToken };
  }
  if (offset === undefined && cur.isPunct(',') && !cur.atEnd && atImmediateAfterComma(cur)) {
    cur.next(',');
    offsetToken = cur.peek();
    return { addr: { base: base.reg, offset: { kind: 'imm', value: parseImmediate(cur) }, index: 'post' }, offsetToken };
  }
  return { addr: { base: base.reg, offset, index: 'offset' }, offsetToken };
}

function atImmediateAfterComma(cur: Cursor): boolean {
  const t = cur.peek(1);
  if (t === undefined) return false;
  if (t.kind === 'number') return true;
  return t.kind === 'punct' && (t.text === '#' || t.text === '-');
}
