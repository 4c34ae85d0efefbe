/**
 * Data processing (Arm ARM C6.2): moves (MOV, MOVZ/MOVN/MOVK, MVN, NEG), arithmetic and logic
 * with immediates or shifted/extended registers (and their flag-setting S forms), shifts,
 * multiplies and divides, bitfield moves and extends, compare/test, and conditional selects
 * with their aliases (CSET, CINC, ...). Aliases are parsed to the instruction they stand for.
 * @internal
 */
import type { AluOp, CondCode, Operand, Reg, UnaryOp } from '../ast.js';
import { SP, ZR } from '../ast.js';
import { commaRegister, done, expectSameWidth, type Handler } from './instr-common.js';
import { atImmediate, parseImmediate, parseOperand, parseSmallImmediate } from './operands.js';
import { expectRegister } from '../shared/registers.js';
import type { Cursor, Token } from '../shared/tokens.js';

export const DATA_HANDLERS = new Map<string, Handler>();

const zr = (like: Reg): Reg => ({ index: ZR, wide: like.wide });
const bits = (r: Reg): 32 | 64 => (r.wide ? 64 : 32);

/** An operand whose register (if any) has Rd's width, except the extended-register forms. */
function operandFor(cur: Cursor, mn: Token, rd: Reg): Operand {
  const start = cur.peek();
  const o = parseOperand(cur);
  if (o.kind === 'reg' && o.reg.wide !== rd.wide && !(o.shift && /^[SU]XT/.test(o.shift.op))) {
    cur.failAt(start, `${mn.text.toUpperCase()} takes ${rd.wide ? 'X' : 'W'} registers, found '${start!.text}'`);
  }
  return o;
}

// ---- Moves -------------------------------------------------------------------------------------

DATA_HANDLERS.set('MOV', (cur, mn) => {
  const rd = expectRegister(cur).reg;
  cur.expectPunct(',');
  // MOV takes a plain register or an immediate; a shifted register is ORR's form, not MOV's.
  if (atImmediate(cur)) {
    const at = cur.peek(cur.isPunct('#') ? 1 : 0);
    const value = parseImmediate(cur);
    // A W register holds 32 bits: -2^31 .. 2^32-1 can be written.
    if (!rd.wide && (value < -(1n << 31n) || value >= 1n << 32n)) cur.failAt(at, `MOV to a W register takes a 32-bit immediate, found ${value}`);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'mov', rd, src: { kind: 'imm', value } });
  }
  const src = expectRegister(cur);
  // MOV to or from SP is ADD's alias; between general registers both have one width.
  if (src.reg.wide !== rd.wide) cur.failAt(src.token, `MOV takes two registers of one width, found '${src.token.text}'`);
  cur.expectEnd('the operands');
  return done(cur, mn, { kind: 'mov', rd, src: { kind: 'reg', reg: src.reg } });
});

for (const [name, op] of [['MOVZ', 'z'], ['MOVN', 'n'], ['MOVK', 'k']] as const) {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    cur.expectPunct(',');
    const immTok = cur.peek(cur.isPunct('#') ? 1 : 0);
    const imm = parseImmediate(cur);
    if (imm < 0n || imm > 0xffffn) cur.failAt(immTok, `${name} takes a 16-bit immediate (0..65535), found ${imm}`);
    let shift = 0;
    if (cur.eatPunct(',')) {
      const lsl = cur.next('LSL');
      if (lsl.text.toUpperCase() !== 'LSL') cur.failAt(lsl, `expected LSL, found '${lsl.text}'`);
      const at = cur.peek(cur.isPunct('#') ? 1 : 0);
      shift = parseSmallImmediate(cur, 'shift', 0, rd.wide ? 48 : 16);
      if (shift % 16 !== 0) cur.failAt(at, `${name} shifts by 0, 16${rd.wide ? ', 32 or 48' : ''}, found ${shift}`);
    }
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'movw', op, rd, imm: Number(imm), shift });
  });
}

/** MVN Rd, op2 = ORN Rd, ZR, op2; NEG/NEGS Rd, op2 = SUB/SUBS Rd, ZR, op2. */
for (const [name, op, setFlags] of [['MVN', 'orn', false], ['NEG', 'sub', false], ['NEGS', 'sub', true]] as const) {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    cur.expectPunct(',');
    const op2 = operandFor(cur, mn, rd);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'alu', op, rd, rn: zr(rd), op2, setFlags });
  });
}

// ---- Two-operand arithmetic and logic ----------------------------------------------------------

const ALU: readonly (readonly [string, AluOp, boolean])[] = [
  ['ADD', 'add', false], ['ADDS', 'add', true], ['SUB', 'sub', false], ['SUBS', 'sub', true],
  ['AND', 'and', false], ['ANDS', 'and', true], ['ORR', 'orr', false], ['EOR', 'eor', false],
  ['BIC', 'bic', false], ['BICS', 'bic', true], ['ORN', 'orn', false], ['EON', 'eon', false],
  ['LSL', 'lsl', false], ['LSR', 'lsr', false], ['ASR', 'asr', false], ['ROR', 'ror', false],
  ['LSLV', 'lsl', false], ['LSRV', 'lsr', false], ['ASRV', 'asr', false], ['RORV', 'ror', false],
  ['MUL', 'mul', false], ['UDIV', 'udiv', false], ['SDIV', 'sdiv', false],
  ['SMULH', 'smulh', false], ['UMULH', 'umulh', false],
  ['SMAX', 'smax', false], ['SMIN', 'smin', false], ['UMAX', 'umax', false], ['UMIN', 'umin', false],
];

/** Instructions whose second operand is a register only (no immediate, no shift). */
const REGISTER_ONLY: ReadonlySet<AluOp> = new Set(['mul', 'udiv', 'sdiv', 'smulh', 'umulh']);

for (const [name, op, setFlags] of ALU) {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    const rn = commaRegister(cur);
    if (rn.reg.wide !== rd.wide && rn.reg.index !== SP) cur.failAt(rn.token, `${name} takes ${rd.wide ? 'X' : 'W'} registers, found '${rn.token.text}'`);
    cur.expectPunct(',');
    const start = cur.peek();
    const op2 = operandFor(cur, mn, rd);
    if (REGISTER_ONLY.has(op) && (op2.kind !== 'reg' || op2.shift)) cur.failAt(start, `${name} takes a register as its last operand`);
    if ((op === 'smulh' || op === 'umulh') && !rd.wide) cur.failAt(start, `${name} takes X registers`);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'alu', op, rd, rn: rn.reg, op2, setFlags });
  });
}

// ---- Multiply-add ------------------------------------------------------------------------------

for (const [name, sub, long, hasRa] of [
  ['MADD', false, undefined, true], ['MSUB', true, undefined, true], ['MNEG', true, undefined, false],
  ['SMADDL', false, 'signed', true], ['SMSUBL', true, 'signed', true], ['UMADDL', false, 'unsigned', true], ['UMSUBL', true, 'unsigned', true],
  ['SMULL', false, 'signed', false], ['UMULL', false, 'unsigned', false], ['SMNEGL', true, 'signed', false], ['UMNEGL', true, 'unsigned', false],
] as const) {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    // The long forms multiply W registers into an X register (Arm ARM C6.2 SMADDL).
    if (long !== undefined && !rd.wide) cur.failAt(cur.last, `${name} writes an X register`);
    cur.expectPunct(',');
    const rn = long ? expectSameWidth(cur, mn, { index: 0, wide: false }) : expectSameWidth(cur, mn, rd);
    cur.expectPunct(',');
    const rm = long ? expectSameWidth(cur, mn, { index: 0, wide: false }) : expectSameWidth(cur, mn, rd);
    let ra = zr(rd);
    if (hasRa) {
      cur.expectPunct(',');
      ra = expectSameWidth(cur, mn, rd);
    }
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'muladd', sub, long, rd, rn, rm, ra });
  });
}

// ---- One operand -------------------------------------------------------------------------------

function defineUnary(name: string, op: UnaryOp, params: (rd: Reg) => number[], narrowSource = false): void {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    cur.expectPunct(',');
    // SXTB/SXTH/SXTW read a W register whatever Rd is (Arm ARM C6.2 SXTB: "<Wn>").
    const rn = narrowSource ? expectSameWidth(cur, mn, { index: 0, wide: false }) : expectSameWidth(cur, mn, rd);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'unary', op, rd, rn, params: params(rd) });
  });
}

defineUnary('ABS', 'abs', () => []);
defineUnary('CLZ', 'clz', () => []);
defineUnary('CLS', 'cls', () => []);
defineUnary('RBIT', 'rbit', () => []);
defineUnary('REV', 'rev', (rd) => [bits(rd)]);
defineUnary('REV16', 'rev', () => [16]);
defineUnary('REV32', 'rev', () => [32]);
defineUnary('REV64', 'rev', () => [64]);
for (const [name, n] of [['SXTB', 8], ['SXTH', 16], ['SXTW', 32]] as const) defineUnary(name, 'sext', () => [n], true);
for (const [name, n] of [['UXTB', 8], ['UXTH', 16]] as const) defineUnary(name, 'zext', () => [n], true);

/** UBFM/SBFM Rd, Rn, #immr, #imms and the field aliases UBFX/SBFX (lsb, width) and UBFIZ/SBFIZ. */
for (const [name, op, form] of [
  ['UBFM', 'ubfm', 'raw'], ['SBFM', 'sbfm', 'raw'], ['UBFX', 'ubfm', 'extract'], ['SBFX', 'sbfm', 'extract'],
  ['UBFIZ', 'ubfm', 'insert'], ['SBFIZ', 'sbfm', 'insert'],
] as const) {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    cur.expectPunct(',');
    const rn = expectSameWidth(cur, mn, rd);
    const w = bits(rd);
    cur.expectPunct(',');
    const a = parseSmallImmediate(cur, form === 'raw' ? 'immr' : 'lsb', 0, w - 1);
    cur.expectPunct(',');
    const bTok = cur.peek(cur.isPunct('#') ? 1 : 0);
    const b = parseSmallImmediate(cur, form === 'raw' ? 'imms' : 'width', form === 'raw' ? 0 : 1, form === 'raw' ? w - 1 : w);
    if (form !== 'raw' && a + b > w) cur.failAt(bTok, `the field (lsb ${a}, width ${b}) does not fit in ${w} bits`);
    cur.expectEnd('the operands');
    const params = form === 'raw' ? [a, b] : form === 'extract' ? [a, a + b - 1] : [(w - a) % w, b - 1];
    return done(cur, mn, { kind: 'unary', op, rd, rn, params });
  });
}

// ---- Compare and test --------------------------------------------------------------------------

for (const [name, f] of [['CMP', 'sub'], ['CMN', 'add'], ['TST', 'logic']] as const) {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rn = expectRegister(cur).reg;
    cur.expectPunct(',');
    const op2 = operandFor(cur, mn, rn);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'cmp', f, rn, op2 });
  });
}

// ---- Conditional select ------------------------------------------------------------------------

/** Condition names (Arm ARM C1.2.4, table C1-1); CS and CC are the aliases of HS and LO. */
export const COND_CODES: ReadonlyMap<string, CondCode> = new Map<string, CondCode>([
  ['EQ', 'EQ'], ['NE', 'NE'], ['HS', 'HS'], ['CS', 'HS'], ['LO', 'LO'], ['CC', 'LO'], ['MI', 'MI'], ['PL', 'PL'],
  ['VS', 'VS'], ['VC', 'VC'], ['HI', 'HI'], ['LS', 'LS'], ['GE', 'GE'], ['LT', 'LT'], ['GT', 'GT'], ['LE', 'LE'],
  ['AL', 'AL'], ['NV', 'NV'],
]);

const INVERSE: Readonly<Record<CondCode, CondCode>> = {
  EQ: 'NE', NE: 'EQ', HS: 'LO', LO: 'HS', MI: 'PL', PL: 'MI', VS: 'VC', VC: 'VS',
  HI: 'LS', LS: 'HI', GE: 'LT', LT: 'GE', GT: 'LE', LE: 'GT', AL: 'NV', NV: 'AL',
};

function expectCond(cur: Cursor, aliasOfInverse: boolean): CondCode {
  const t = cur.next('a condition (EQ, NE, ...)');
  const code = t.kind === 'ident' ? COND_CODES.get(t.text.toUpperCase()) : undefined;
  if (code === undefined) cur.failAt(t, `expected a condition (EQ, NE, HS, LO, ...), found '${t.text}'`);
  // The aliases (CSET, CINC, ...) invert their condition and reject AL/NV (Arm ARM C6.2 CSET).
  if (aliasOfInverse && (code === 'AL' || code === 'NV')) cur.failAt(t, `this alias does not take the condition ${code}`);
  return aliasOfInverse ? INVERSE[code] : code;
}

for (const [name, op] of [['CSEL', 'sel'], ['CSINC', 'inc'], ['CSINV', 'inv'], ['CSNEG', 'neg']] as const) {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    cur.expectPunct(',');
    const rn = expectSameWidth(cur, mn, rd);
    cur.expectPunct(',');
    const rm = expectSameWidth(cur, mn, rd);
    cur.expectPunct(',');
    const cond = expectCond(cur, false);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'csel', op, rd, rn, rm, cond });
  });
}

/** CSET/CSETM Rd, cond = CSINC/CSINV Rd, ZR, ZR, invert(cond). */
for (const [name, op] of [['CSET', 'inc'], ['CSETM', 'inv']] as const) {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    cur.expectPunct(',');
    const cond = expectCond(cur, true);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'csel', op, rd, rn: zr(rd), rm: zr(rd), cond });
  });
}

/** CINC/CINV/CNEG Rd, Rn, cond = CSINC/CSINV/CSNEG Rd, Rn, Rn, invert(cond). */
for (const [name, op] of [['CINC', 'inc'], ['CINV', 'inv'], ['CNEG', 'neg']] as const) {
  DATA_HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    cur.expectPunct(',');
    const rn = expectSameWidth(cur, mn, rd);
    cur.expectPunct(',');
    const cond = expectCond(cur, true);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'csel', op, rd, rn, rm: rn, cond });
  });
}
