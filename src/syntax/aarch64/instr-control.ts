/**
 * Control flow, barriers and system instructions (Arm ARM C6.2): B, B.cond, BL, BR, BLR, RET,
 * CBZ/CBNZ, TBZ/TBNZ, ADR; DMB/DSB with every option, ISB, NOP, DGH; TLBI; MRS/MSR of NZCV.
 * @internal
 */
import type { BarrierDomain, BarrierType, Reg } from '../ast.js';
import { done, expectRegOfWidth, expectTarget, type Handler } from './instr-common.js';
import { COND_CODES } from './instr-data.js';
import { parseSmallImmediate } from './operands.js';
import { expectRegister } from '../shared/registers.js';
import { tlbiOperation } from './tlbi-ops.js';

export const CONTROL_HANDLERS = new Map<string, Handler>();

// ---- Branches ----------------------------------------------------------------------------------

for (const [name, link] of [['B', false], ['BL', true]] as const) {
  CONTROL_HANDLERS.set(name, (cur, mn) => {
    const { target, token } = expectTarget(cur);
    cur.expectEnd('the target');
    return done(cur, mn, { kind: 'branch', target, cond: undefined, link }, token);
  });
}

for (const [suffix, code] of COND_CODES) {
  CONTROL_HANDLERS.set(`B.${suffix}`, (cur, mn) => {
    const { target, token } = expectTarget(cur);
    cur.expectEnd('the target');
    return done(cur, mn, { kind: 'branch', target, cond: { kind: 'flags', code }, link: false }, token);
  });
}

for (const [name, nonZero] of [['CBZ', false], ['CBNZ', true]] as const) {
  CONTROL_HANDLERS.set(name, (cur, mn) => {
    const reg = expectRegister(cur).reg;
    cur.expectPunct(',');
    const { target, token } = expectTarget(cur);
    cur.expectEnd('the target');
    return done(cur, mn, { kind: 'branch', target, cond: { kind: 'zero', reg, nonZero }, link: false }, token);
  });
}

for (const [name, nonZero] of [['TBZ', false], ['TBNZ', true]] as const) {
  CONTROL_HANDLERS.set(name, (cur, mn) => {
    const reg = expectRegister(cur).reg;
    cur.expectPunct(',');
    const bit = parseSmallImmediate(cur, 'bit number', 0, reg.wide ? 63 : 31);
    cur.expectPunct(',');
    const { target, token } = expectTarget(cur);
    cur.expectEnd('the target');
    return done(cur, mn, { kind: 'branch', target, cond: { kind: 'bit', reg, bit, nonZero }, link: false }, token);
  });
}

for (const [name, link] of [['BR', false], ['BLR', true]] as const) {
  CONTROL_HANDLERS.set(name, (cur, mn) => {
    const reg = expectRegOfWidth(cur, mn, true);
    cur.expectEnd('the register');
    return done(cur, mn, { kind: 'branchReg', reg, link });
  });
}

/** RET {Xn}: a branch to the address in Xn, X30 by default. */
CONTROL_HANDLERS.set('RET', (cur, mn) => {
  const reg: Reg = cur.atEnd ? { index: 30, wide: true } : expectRegOfWidth(cur, mn, true);
  cur.expectEnd('the register');
  return done(cur, mn, { kind: 'branchReg', reg, link: false });
});

CONTROL_HANDLERS.set('ADR', (cur, mn) => {
  const rd = expectRegOfWidth(cur, mn, true);
  cur.expectPunct(',');
  const { target, token } = expectTarget(cur);
  cur.expectEnd('the label');
  return done(cur, mn, { kind: 'adr', rd, target }, token);
});

// ---- Barriers and operand-less instructions ---------------------------------------------------

/** DMB/DSB options (Arm ARM C6.2 DMB, "<option>"): domain and access types. */
const BARRIER_OPTIONS: ReadonlyMap<string, readonly [BarrierDomain, BarrierType]> = new Map([
  ['SY', ['SY', 'ALL']], ['ST', ['SY', 'ST']], ['LD', ['SY', 'LD']],
  ['ISH', ['ISH', 'ALL']], ['ISHST', ['ISH', 'ST']], ['ISHLD', ['ISH', 'LD']],
  ['OSH', ['OSH', 'ALL']], ['OSHST', ['OSH', 'ST']], ['OSHLD', ['OSH', 'LD']],
  ['NSH', ['NSH', 'ALL']], ['NSHST', ['NSH', 'ST']], ['NSHLD', ['NSH', 'LD']],
]);

for (const op of ['DMB', 'DSB'] as const) {
  CONTROL_HANDLERS.set(op, (cur, mn) => {
    const t = cur.next('a barrier option (SY, ST, LD, ISH, ISHST, ...)');
    const option = t.kind === 'ident' ? BARRIER_OPTIONS.get(t.text.toUpperCase()) : undefined;
    if (option === undefined) return cur.failAt(t, `bad ${op} option '${t.text}' (expected SY, ST, LD, ISH, ISHST, ISHLD, OSH, OSHST, OSHLD, NSH, NSHST or NSHLD)`);
    cur.expectEnd('the barrier option');
    return done(cur, mn, { kind: 'barrier', op, domain: option[0], type: option[1] });
  });
}

for (const [name, kind] of [['ISB', 'isb'], ['NOP', 'nop'], ['DGH', 'dgh'], ['ERET', 'eret']] as const) {
  CONTROL_HANDLERS.set(name, (cur, mn) => {
    // `ISB SY` is the same instruction as `ISB` (SY is its only option).
    if (kind === 'isb' && cur.isWord('sy')) cur.next('SY');
    cur.expectEnd(name);
    return done(cur, mn, { kind });
  });
}

/** UDF #imm16 (Arm ARM C6.2: permanently undefined); the immediate means nothing to the model. */
CONTROL_HANDLERS.set('UDF', (cur, mn) => {
  if (cur.peek() !== undefined) parseSmallImmediate(cur, 'the UDF immediate', 0, 65535);
  cur.expectEnd('the operands');
  return done(cur, mn, { kind: 'udf' });
});

// ---- System registers and TLB maintenance ------------------------------------------------------

/**
 * MRS Xt, NZCV and MSR NZCV, Xt: the flags as bits 31..28 of a register (Arm ARM C5.2.9); with
 * ELR_EL1, the return address of an exception (a fault handler's, herd's VMSA).
 */
CONTROL_HANDLERS.set('MRS', (cur, mn) => {
  const reg = expectRegOfWidth(cur, mn, true);
  cur.expectPunct(',');
  const elr = expectSysreg(cur);
  cur.expectEnd('the operands');
  return done(cur, mn, { kind: 'mrs', reg, ...(elr ? { elr } : {}) });
});

CONTROL_HANDLERS.set('MSR', (cur, mn) => {
  const elr = expectSysreg(cur);
  cur.expectPunct(',');
  const reg = expectRegOfWidth(cur, mn, true);
  cur.expectEnd('the operands');
  return done(cur, mn, { kind: 'msr', reg, ...(elr ? { elr } : {}) });
});

/** NZCV (undefined) or ELR_EL1 (true). */
function expectSysreg(cur: Parameters<Handler>[0]): true | undefined {
  const t = cur.next('a system register');
  if (t.kind !== 'ident') cur.failAt(t, `expected a system register, found '${t.text}'`);
  const name = t.text.toUpperCase();
  if (name === 'ELR_EL1') return true;
  if (name !== 'NZCV') cur.failCode('unsupported', t, `system register '${t.text}' is not supported (only NZCV and ELR_EL1)`);
  return undefined;
}

/**
 * `TLBI <op>, Xt` for the by-address operations, `TLBI <op>` for the "all" ones (Arm ARM C5.5:
 * the register operand exists exactly when the operation names an address).
 */
CONTROL_HANDLERS.set('TLBI', (cur, mn) => {
  const t = cur.next('a TLBI operation (VAE1IS, VMALLE1IS, ...)');
  if (t.kind !== 'ident') cur.failAt(t, `expected a TLBI operation (VAE1IS, VMALLE1IS, ...), found '${t.text}'`);
  const op = t.text.toUpperCase();
  const desc = tlbiOperation(op);
  if (desc === undefined) return cur.failCode('unsupported', t, `unsupported TLBI operation '${t.text}'`);
  if (desc.address === undefined) {
    const comma = cur.peek();
    if (comma !== undefined && cur.isPunct(',')) cur.failAt(comma, `TLBI ${op} invalidates every entry and takes no register`);
    cur.expectEnd('the TLBI operation');
    return done(cur, mn, { kind: 'tlbi', op, reg: undefined });
  }
  // The missing operand is reported where it belongs, like any other missing operand.
  if (cur.atEnd) cur.failAt(undefined, `TLBI ${op} invalidates by address: expected ',Xn' (${desc.address === 'asid' ? 'the ASID, in bits [63:48]' : `the page's ${desc.address === 'ipa' ? 'IPA' : 'address'}`}), found ${cur.endName}`);
  cur.expectPunct(',');
  const rt = expectRegister(cur, 'an X register');
  // Xt is a 64-bit register (Arm ARM C5.5: "TLBI <op>{, <Xt>}").
  if (!rt.reg.wide) cur.failAt(rt.token, `TLBI takes an X register, found '${rt.token.text}'`);
  cur.expectEnd('the operands');
  return done(cur, mn, { kind: 'tlbi', op, reg: rt.reg });
});
