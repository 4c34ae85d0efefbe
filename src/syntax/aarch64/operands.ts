/**
 * Instruction operands: immediates `#imm`, shifted/extended registers, and addressing modes.
 * Arm ARM C1.2 (A64 assembly syntax) and C6.2 (instruction descriptions): `<Xm>{, LSL #n}`,
 * `<Wm>, UXTW|SXTW {#n}`, and the load/store forms `[Xn]`, `[Xn, #imm]`, `[Xn, Xm{, LSL #n}]`,
 * `[Xn, Wm, UXTW|SXTW {#n}]`.
 * @internal
 */
import type { Address, Operand, Shift } from '../ast.js';
import { expectRegister } from './registers.js';
import type { Cursor, Token } from './tokens.js';
import { expectNumber } from './values.js';

/** `#imm` with an optional sign; hex allowed (`#0x10`); herd also accepts it without '#'. */
export function parseImmediate(cur: Cursor): number {
  cur.eatPunct('#');
  return expectNumber(cur, 'an immediate value', true);
}

/** Does an immediate start here (`#`, a number, or `-` and a number)? */
function atImmediate(cur: Cursor): boolean {
  const t = cur.peek();
  if (t === undefined) return false;
  if (t.kind === 'number') return true;
  return t.kind === 'punct' && (t.text === '#' || (t.text === '-' && cur.peek(1)?.kind === 'number'));
}

const SHIFT_OPS: ReadonlySet<string> = new Set(['LSL', 'LSR', 'ASR']);
const EXTEND_OPS: ReadonlySet<string> = new Set(['UXTW', 'SXTW', 'UXTX', 'SXTX']);
/** Shifts and extends the AST has no room for: recognised so they get an 'unsupported' error. */
const OTHER_SHIFTS: ReadonlySet<string> = new Set(['ROR', 'MSL', 'UXTB', 'UXTH', 'SXTB', 'SXTH']);

/**
 * `LSL|LSR|ASR #n` (amount required, 0..63) or `UXTW|SXTW|UXTX|SXTX {#n}` (amount 0..4,
 * Arm ARM C6.2 ADD (extended register): "the left shift amount ... in the range 0 to 4").
 */
export function parseShift(cur: Cursor): Shift {
  const t = cur.next('a shift');
  const op = t.text.toUpperCase();
  if (SHIFT_OPS.has(op)) {
    const amountTok = cur.peek(1);
    const amount = parseImmediate(cur);
    if (amount < 0 || amount > 63) cur.failAt(amountTok, `shift amount ${amount} out of range 0..63`);
    return { op: op as Shift['op'], amount };
  }
  if (EXTEND_OPS.has(op)) {
    if (!cur.isPunct('#')) return { op: op as Shift['op'], amount: 0 };
    const amountTok = cur.peek(1);
    const amount = parseImmediate(cur);
    if (amount < 0 || amount > 4) cur.failAt(amountTok, `extend amount ${amount} out of range 0..4`);
    return { op: op as Shift['op'], amount };
  }
  if (OTHER_SHIFTS.has(op)) cur.failCode('unsupported', t, `shift/extend '${t.text}' is not supported`);
  cur.failAt(t, `expected LSL, LSR, ASR, UXTW, SXTW, UXTX or SXTX, found '${t.text}'`);
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
    const amount = parseImmediate(cur);
    if (amount !== 0 && amount !== 12) cur.failAt(amountTok, `immediate shift must be LSL #0 or LSL #12, found ${amount}`);
    return { kind: 'imm', value: value * 2 ** amount };
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
  return SHIFT_OPS.has(u) || EXTEND_OPS.has(u) || OTHER_SHIFTS.has(u);
}

/** An address and the token where its offset starts (for "offset not allowed" errors). */
export interface ParsedAddress {
  readonly addr: Address;
  readonly offsetToken: Token | undefined;
}

/**
 * `[Xn]`, `[Xn,#imm]`, `[Xn,Rm]`, `[Xn,Rm,shift]`. Pre-indexed `[...]!` is diagnosed as
 * unsupported (the AST has no writeback).
 */
export function parseAddress(cur: Cursor): ParsedAddress {
  cur.expectPunct('[');
  const base = expectRegister(cur, 'a base register');
  // The base of a load/store is a 64-bit register (Arm ARM C1.3.3: "<Xn|SP>").
  if (!base.reg.wide) cur.failAt(base.token, `base register must be an X register, found '${base.token.text}'`);
  let offset: Operand | undefined;
  let offsetToken: Token | undefined;
  if (cur.eatPunct(',')) {
    offsetToken = cur.peek();
    offset = parseOperand(cur);
  }
  cur.expectPunct(']');
  const bang = cur.peek();
  if (bang !== undefined && bang.kind === 'punct' && bang.text === '!') {
    cur.failCode('unsupported', bang, 'pre-indexed addressing ([Xn,#imm]!) is not supported');
  }
  return { addr: { base: base.reg, offset }, offsetToken };
}
