/**
 * Loads, stores and atomics (Arm ARM C6.2): LDR/STR and their sized, signed, unscaled,
 * acquire/release and exclusive forms, the pair forms (LDP, STP, LDXP, LDIAPP, ...) and the LSE
 * atomics (SWP, CAS, CASP, LD<op>, ST<op>), each with the A/L ordering suffixes and B/H sizes.
 * @internal
 */
import type { AccessSize, Address, AtomicOp, LoadOrder, Reg } from '../ast.js';
import { ZR } from '../ast.js';
import { done, expectRegOfWidth, type Handler } from './instr-common.js';
import { parseAddress } from './operands.js';
import { expectRegister } from '../shared/registers.js';
import type { Cursor, Token } from '../shared/tokens.js';

export const MEMORY_HANDLERS = new Map<string, Handler>();

interface AccessForm {
  /** Fixed size for the B/H/SW forms; undefined: 4 for Wt, 8 for Xt. */
  readonly size: AccessSize | undefined;
  /** Only `[Xn]` (or `[Xn,#0]`): acquire/release and exclusive forms (Arm ARM C6.2 LDAR, LDXR: `[<Xn|SP>{,#0}]`). */
  readonly baseOnly: boolean;
  /** Only an immediate offset (LDUR, LDAPUR, STLUR: `[<Xn|SP>{, #<simm>}]`). */
  readonly immOnly?: boolean;
  /** LDRS*: sign-extend into Wt or Xt. */
  readonly signed?: boolean;
}

function sizeOf(cur: Cursor, mn: Token, form: AccessForm, rt: { reg: Reg; token: Token }): AccessSize {
  if (form.size === undefined) return rt.reg.wide ? 8 : 4;
  // LDRB/STRB/LDRH/STRH name Wt; the signed loads may name Xt (LDRSW only Xt).
  if (rt.reg.wide && !form.signed) cur.failAt(rt.token, `${mn.text.toUpperCase()} takes a W register, found '${rt.token.text}'`);
  if (form.signed && form.size === 4 && !rt.reg.wide) cur.failAt(rt.token, `${mn.text.toUpperCase()} takes an X register, found '${rt.token.text}'`);
  return form.size;
}

function addressFor(cur: Cursor, mn: Token, form: AccessForm): Address {
  const { addr, offsetToken } = parseAddress(cur);
  const name = mn.text.toUpperCase();
  const zeroOffset = addr.offset === undefined || (addr.offset.kind === 'imm' && addr.offset.value === 0n);
  if (form.baseOnly && (addr.index !== 'offset' || !zeroOffset)) cur.failAt(offsetToken, `${name} takes only a base register address [Xn]`);
  if (form.immOnly && addr.offset !== undefined && (addr.offset.kind !== 'imm' || addr.index !== 'offset')) cur.failAt(offsetToken, `${name} takes an address [Xn,#imm]`);
  return addr;
}

function defineLoad(name: string, form: AccessForm, order: LoadOrder, exclusive: boolean): void {
  MEMORY_HANDLERS.set(name, (cur, mn) => {
    const rt = expectRegister(cur);
    const size = sizeOf(cur, mn, form, rt);
    cur.expectPunct(',');
    const addr = addressFor(cur, mn, form);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'load', rt: rt.reg, addr, size, signed: form.signed === true, order, exclusive });
  });
}

function defineStore(name: string, form: AccessForm, release: boolean, exclusive: boolean): void {
  MEMORY_HANDLERS.set(name, (cur, mn) => {
    // STXR Ws, Rt, [Xn]: the status register comes first (Arm ARM C6.2 STXR).
    let status: Reg | undefined;
    if (exclusive) {
      status = expectRegOfWidth(cur, mn, false);
      cur.expectPunct(',');
    }
    const rt = expectRegister(cur);
    const size = sizeOf(cur, mn, form, rt);
    cur.expectPunct(',');
    const addr = addressFor(cur, mn, form);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'store', rt: rt.reg, addr, size, release, exclusive, status });
  });
}

for (const [suffix, size] of [['', undefined], ['B', 1], ['H', 2]] as const) {
  const full: AccessForm = { size, baseOnly: false };
  const base: AccessForm = { size, baseOnly: true };
  const unscaled: AccessForm = { size, baseOnly: false, immOnly: true };
  defineLoad(`LDR${suffix}`, full, 'plain', false);
  defineLoad(`LDUR${suffix}`, unscaled, 'plain', false);
  defineLoad(`LDAR${suffix}`, base, 'acquire', false);
  defineLoad(`LDAPR${suffix}`, base, 'acquirePC', false);
  defineLoad(`LDAPUR${suffix}`, unscaled, 'acquirePC', false);
  defineLoad(`LDXR${suffix}`, base, 'plain', true);
  defineLoad(`LDAXR${suffix}`, base, 'acquire', true);
  defineStore(`STR${suffix}`, full, false, false);
  defineStore(`STUR${suffix}`, unscaled, false, false);
  defineStore(`STLR${suffix}`, base, true, false);
  defineStore(`STLUR${suffix}`, unscaled, true, false);
  defineStore(`STXR${suffix}`, base, false, true);
  defineStore(`STLXR${suffix}`, base, true, true);
}
for (const [suffix, size] of [['B', 1], ['H', 2], ['W', 4]] as const) {
  defineLoad(`LDRS${suffix}`, { size, baseOnly: false, signed: true }, 'plain', false);
  defineLoad(`LDURS${suffix}`, { size, baseOnly: false, immOnly: true, signed: true }, 'plain', false);
  defineLoad(`LDAPURS${suffix}`, { size, baseOnly: false, immOnly: true, signed: true }, 'acquirePC', false);
}

// ---- Pairs -------------------------------------------------------------------------------------

interface PairForm {
  readonly order: LoadOrder;
  readonly release: boolean;
  readonly exclusive: boolean;
  /** LDPSW: two sign-extended words into X registers. */
  readonly signedWords?: boolean;
  /** Exclusive pairs take only `[Xn]`; LDIAPP/STILP `[Xn]` or an indexed form (post for LDIAPP, pre for STILP). */
  readonly address: 'any' | 'base' | 'baseIndexed';
}

function pairRegisters(cur: Cursor, mn: Token, form: PairForm): { rt: Reg; rt2: Reg; size: AccessSize } {
  const rt = expectRegister(cur);
  cur.expectPunct(',');
  const rt2 = expectRegister(cur);
  if (rt2.reg.wide !== rt.reg.wide) cur.failAt(rt2.token, `${mn.text.toUpperCase()} takes two registers of one width, found '${rt.token.text}' and '${rt2.token.text}'`);
  if (form.signedWords && !rt.reg.wide) cur.failAt(rt.token, `LDPSW takes X registers, found '${rt.token.text}'`);
  return { rt: rt.reg, rt2: rt2.reg, size: form.signedWords ? 4 : rt.reg.wide ? 8 : 4 };
}

function pairAddress(cur: Cursor, mn: Token, form: PairForm): Address {
  const { addr, offsetToken } = parseAddress(cur);
  const name = mn.text.toUpperCase();
  if (addr.offset !== undefined && addr.offset.kind !== 'imm') cur.failAt(offsetToken, `${name} takes an immediate offset`);
  const zero = addr.offset === undefined || (addr.offset.kind === 'imm' && addr.offset.value === 0n);
  if (form.address === 'base' && (addr.index !== 'offset' || !zero)) cur.failAt(offsetToken, `${name} takes only a base register address [Xn]`);
  if (form.address === 'baseIndexed' && addr.index === 'offset' && !zero) cur.failAt(offsetToken, `${name} takes [Xn], [Xn],#imm or [Xn,#imm]!`);
  return addr;
}

function defineLoadPair(name: string, form: PairForm): void {
  MEMORY_HANDLERS.set(name, (cur, mn) => {
    const { rt, rt2, size } = pairRegisters(cur, mn, form);
    cur.expectPunct(',');
    const addr = pairAddress(cur, mn, form);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'loadPair', rt, rt2, addr, size, signed: form.signedWords === true, order: form.order, exclusive: form.exclusive });
  });
}

function defineStorePair(name: string, form: PairForm): void {
  MEMORY_HANDLERS.set(name, (cur, mn) => {
    let status: Reg | undefined;
    if (form.exclusive) {
      status = expectRegOfWidth(cur, mn, false);
      cur.expectPunct(',');
    }
    const { rt, rt2, size } = pairRegisters(cur, mn, form);
    cur.expectPunct(',');
    const addr = pairAddress(cur, mn, form);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'storePair', rt, rt2, addr, size, release: form.release, exclusive: form.exclusive, status });
  });
}

const PAIR = { order: 'plain', release: false, exclusive: false, address: 'any' } as const;
defineLoadPair('LDP', PAIR);
defineLoadPair('LDNP', PAIR);
defineLoadPair('LDPSW', { ...PAIR, signedWords: true });
defineLoadPair('LDXP', { ...PAIR, exclusive: true, address: 'base' });
defineLoadPair('LDAXP', { ...PAIR, order: 'acquire', exclusive: true, address: 'base' });
defineLoadPair('LDIAPP', { ...PAIR, order: 'acquirePC', address: 'baseIndexed' });
defineStorePair('STP', PAIR);
defineStorePair('STNP', PAIR);
defineStorePair('STXP', { ...PAIR, exclusive: true, address: 'base' });
defineStorePair('STLXP', { ...PAIR, release: true, exclusive: true, address: 'base' });
defineStorePair('STILP', { ...PAIR, release: true, address: 'baseIndexed' });

// ---- LSE atomics -------------------------------------------------------------------------------

const ORDERS = [['', false, false], ['A', true, false], ['L', false, true], ['AL', true, true]] as const;
const SIZES = [['', undefined], ['B', 1], ['H', 2]] as const;

/** The operands `Rs, Rt, [Xn]` of SWP, CAS and LD<op>: Rs and Rt of the access's width. */
function atomicOperands(cur: Cursor, mn: Token, fixed: AccessSize | undefined): { rs: Reg; rt: Reg; addr: Address; size: AccessSize } {
  const rs = expectRegister(cur);
  cur.expectPunct(',');
  const rt = expectRegister(cur);
  if (fixed !== undefined) {
    for (const r of [rs, rt]) if (r.reg.wide) cur.failAt(r.token, `${mn.text.toUpperCase()} takes W registers, found '${r.token.text}'`);
  } else if (rs.reg.wide !== rt.reg.wide) cur.failAt(rt.token, `${mn.text.toUpperCase()} takes two registers of one width, found '${rs.token.text}' and '${rt.token.text}'`);
  cur.expectPunct(',');
  const addr = addressFor(cur, mn, { size: fixed, baseOnly: true });
  cur.expectEnd('the operands');
  return { rs: rs.reg, rt: rt.reg, addr, size: fixed ?? (rs.reg.wide ? 8 : 4) };
}

const ATOMIC_OPS: readonly AtomicOp[] = ['add', 'clr', 'eor', 'set', 'smax', 'smin', 'umax', 'umin'];

for (const [order, acquire, release] of ORDERS) {
  for (const [suffix, size] of SIZES) {
    MEMORY_HANDLERS.set(`SWP${order}${suffix}`, (cur, mn) => done(cur, mn, { kind: 'swp', ...atomicOperands(cur, mn, size), acquire, release }));
    MEMORY_HANDLERS.set(`CAS${order}${suffix}`, (cur, mn) => done(cur, mn, { kind: 'cas', ...atomicOperands(cur, mn, size), acquire, release }));
    for (const op of ATOMIC_OPS) {
      const name = op.toUpperCase();
      MEMORY_HANDLERS.set(`LD${name}${order}${suffix}`, (cur, mn) => done(cur, mn, { kind: 'ldop', op, ...atomicOperands(cur, mn, size), acquire, release }));
      // ST<op> Rs, [Xn] is LD<op> Rs, ZR, [Xn]; it has no acquire forms (Arm ARM C6.2 STADD).
      if (acquire) continue;
      MEMORY_HANDLERS.set(`ST${name}${order}${suffix}`, (cur, mn) => {
        const rs = expectRegister(cur);
        if (size !== undefined && rs.reg.wide) cur.failAt(rs.token, `${mn.text.toUpperCase()} takes a W register, found '${rs.token.text}'`);
        cur.expectPunct(',');
        const addr = addressFor(cur, mn, { size, baseOnly: true });
        cur.expectEnd('the operands');
        const rt: Reg = { index: ZR, wide: rs.reg.wide };
        return done(cur, mn, { kind: 'ldop', op, rs: rs.reg, rt, addr, size: size ?? (rs.reg.wide ? 8 : 4), acquire, release });
      });
    }
  }
  // CASP Rs, Rs+1, Rt, Rt+1, [Xn]: even-numbered first registers (Arm ARM C6.2 CASP).
  MEMORY_HANDLERS.set(`CASP${order}`, (cur, mn) => {
    const regs: { reg: Reg; token: Token }[] = [];
    for (let k = 0; k < 4; k++) {
      regs.push(expectRegister(cur));
      cur.expectPunct(',');
    }
    const [rs, rs1, rt, rt1] = regs as [typeof regs[0], typeof regs[0], typeof regs[0], typeof regs[0]];
    for (const [first, second] of [[rs, rs1], [rt, rt1]] as const) {
      if (first.reg.index % 2 !== 0 || first.reg.index >= 30) cur.failAt(first.token, `${mn.text.toUpperCase()} takes an even-numbered register pair, found '${first.token.text}'`);
      if (second.reg.index !== first.reg.index + 1 || second.reg.wide !== first.reg.wide) cur.failAt(second.token, `expected the register after '${first.token.text}', found '${second.token.text}'`);
    }
    if (rt.reg.wide !== rs.reg.wide) cur.failAt(rt.token, `${mn.text.toUpperCase()} takes pairs of one width`);
    const addr = addressFor(cur, mn, { size: undefined, baseOnly: true });
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'casp', rs: rs.reg, rt: rt.reg, addr, size: rs.reg.wide ? 8 : 4, acquire, release });
  });
}
