/**
 * One AArch64 instruction (the text of one cell after its labels) -> an AST instruction.
 *
 * Mnemonics are case-insensitive and looked up in one table built at load time. The supported
 * set is what herd's AArch64 catalogue uses for ordering tests: loads/stores (plain,
 * acquire/release, exclusive, byte/halfword), MOV, the ALU dependency idioms, CMP, branches,
 * DMB/DSB/ISB, NOP, DGH, and TLBI for the reclaim scenarios. Anything else is an 'unsupported' diagnostic at the mnemonic.
 * @internal
 */
import type { AccessSize, BarrierDomain, BarrierType, CondCode, Instr, Reg } from '../ast.js';
import { parseAddress, parseOperand } from './operands.js';
import { expectRegister } from './registers.js';
import { tlbiOperation } from './tlbi-ops.js';
import type { Cursor, Token } from './tokens.js';

/** A parsed instruction, plus the label a branch names (checked once the thread is complete). */
export interface ParsedInstr {
  readonly instr: Instr;
  readonly target: Token | undefined;
}

type Handler = (cur: Cursor, mnemonic: Token) => ParsedInstr;

const HANDLERS = new Map<string, Handler>();

// ---- Loads and stores -------------------------------------------------------------------------

interface AccessForm {
  /** Fixed size for the B/H forms; undefined: 4 for Wt, 8 for Xt. */
  readonly size: 1 | 2 | undefined;
  /** Only `[Xn]` (or `[Xn,#0]`): the acquire/release and exclusive forms have no offset
   * (Arm ARM C6.2: LDAR, LDAPR, STLR, LDXR, STXR take `[<Xn|SP>{,#0}]`). */
  readonly baseOnly: boolean;
}

function sizeOf(mn: Token, form: AccessForm, rt: { reg: Reg; token: Token }, cur: Cursor): AccessSize {
  if (form.size === undefined) return rt.reg.wide ? 8 : 4;
  // LDRB/STRB/LDRH/STRH and friends name the register as Wt (Arm ARM C6.2).
  if (rt.reg.wide) cur.failAt(rt.token, `${mn.text.toUpperCase()} takes a W register, found '${rt.token.text}'`);
  return form.size;
}

function addressFor(cur: Cursor, mn: Token, form: AccessForm) {
  const { addr, offsetToken } = parseAddress(cur);
  if (form.baseOnly && addr.offset !== undefined && !(addr.offset.kind === 'imm' && addr.offset.value === 0)) {
    cur.failAt(offsetToken, `${mn.text.toUpperCase()} takes only a base register address [Xn]`);
  }
  // Post-indexed `[Xn],#imm` has writeback, which the AST does not model.
  const comma = cur.peek();
  if (comma !== undefined && cur.isPunct(',') && cur.isPunct('#', 1)) {
    cur.failCode('unsupported', comma, 'post-indexed addressing ([Xn],#imm) is not supported');
  }
  return addr;
}

function defineLoad(name: string, form: AccessForm, order: 'plain' | 'acquire' | 'acquirePC', exclusive: boolean): void {
  HANDLERS.set(name, (cur, mn) => {
    const rt = expectRegister(cur);
    const size = sizeOf(mn, form, rt, cur);
    cur.expectPunct(',');
    const addr = addressFor(cur, mn, form);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'load', rt: rt.reg, addr, size, order, exclusive });
  });
}

function defineStore(name: string, form: AccessForm, release: boolean, exclusive: boolean): void {
  HANDLERS.set(name, (cur, mn) => {
    // STXR Ws, Rt, [Xn]: the status register comes first (Arm ARM C6.2 STXR).
    let status: Reg | undefined;
    if (exclusive) {
      status = expectRegister(cur, 'a status register').reg;
      cur.expectPunct(',');
    }
    const rt = expectRegister(cur);
    const size = sizeOf(mn, form, rt, cur);
    cur.expectPunct(',');
    const addr = addressFor(cur, mn, form);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'store', rt: rt.reg, addr, size, release, exclusive, status });
  });
}

for (const [suffix, size] of [['', undefined], ['B', 1], ['H', 2]] as const) {
  const full: AccessForm = { size, baseOnly: false };
  const base: AccessForm = { size, baseOnly: true };
  defineLoad(`LDR${suffix}`, full, 'plain', false);
  defineLoad(`LDAR${suffix}`, base, 'acquire', false);
  defineLoad(`LDAPR${suffix}`, base, 'acquirePC', false);
  defineLoad(`LDXR${suffix}`, base, 'plain', true);
  defineLoad(`LDAXR${suffix}`, base, 'acquire', true);
  defineStore(`STR${suffix}`, full, false, false);
  defineStore(`STLR${suffix}`, base, true, false);
  defineStore(`STXR${suffix}`, base, false, true);
  defineStore(`STLXR${suffix}`, base, true, true);
}

// ---- Data processing ---------------------------------------------------------------------------

HANDLERS.set('MOV', (cur, mn) => {
  const rd = expectRegister(cur).reg;
  cur.expectPunct(',');
  // MOV takes a plain register or an immediate; a shifted register is ORR's form, not MOV's.
  const first = cur.peek();
  const src = first !== undefined && first.kind !== 'ident' ? parseOperand(cur) : { kind: 'reg' as const, reg: expectRegister(cur, 'a register or #immediate').reg };
  cur.expectEnd('the operands');
  return done(cur, mn, { kind: 'mov', rd, src });
});

for (const [name, op, setFlags] of [
  ['ADD', 'add', false], ['ADDS', 'add', true], ['SUB', 'sub', false], ['SUBS', 'sub', true],
  ['EOR', 'eor', false], ['AND', 'and', false], ['ANDS', 'and', true], ['ORR', 'orr', false],
] as const) {
  HANDLERS.set(name, (cur, mn) => {
    const rd = expectRegister(cur).reg;
    cur.expectPunct(',');
    const rn = expectRegister(cur).reg;
    cur.expectPunct(',');
    const op2 = parseOperand(cur);
    cur.expectEnd('the operands');
    return done(cur, mn, { kind: 'alu', op, rd, rn, op2, setFlags });
  });
}

HANDLERS.set('CMP', (cur, mn) => {
  const rn = expectRegister(cur).reg;
  cur.expectPunct(',');
  const op2 = parseOperand(cur);
  cur.expectEnd('the operands');
  return done(cur, mn, { kind: 'cmp', rn, op2 });
});

// ---- Branches ----------------------------------------------------------------------------------

function expectLabel(cur: Cursor): Token {
  const t = cur.next('a label');
  if (t.kind === 'punct' && t.text === '.') cur.failCode('unsupported', t, 'relative branch targets (.+n) are not supported');
  if (t.kind !== 'ident') cur.failAt(t, `expected a label, found '${t.text}'`);
  return t;
}

HANDLERS.set('B', (cur, mn) => {
  const target = expectLabel(cur);
  cur.expectEnd('the label');
  return done(cur, mn, { kind: 'branch', target: target.text, cond: undefined }, target);
});

for (const [name, nonZero] of [['CBZ', false], ['CBNZ', true]] as const) {
  HANDLERS.set(name, (cur, mn) => {
    const reg = expectRegister(cur).reg;
    cur.expectPunct(',');
    const target = expectLabel(cur);
    cur.expectEnd('the label');
    return done(cur, mn, { kind: 'branch', target: target.text, cond: { kind: 'zero', reg, nonZero } }, target);
  });
}

/** B.cond codes (Arm ARM C1.2.4, table C1-1); CS and CC are the aliases of HS and LO. */
const COND_CODES: ReadonlyMap<string, CondCode> = new Map<string, CondCode>([
  ['EQ', 'EQ'], ['NE', 'NE'], ['GE', 'GE'], ['GT', 'GT'], ['LE', 'LE'], ['LT', 'LT'], ['HS', 'HS'], ['CS', 'HS'],
  ['HI', 'HI'], ['LS', 'LS'], ['LO', 'LO'], ['CC', 'LO'], ['MI', 'MI'], ['PL', 'PL'], ['AL', 'AL'],
]);

for (const [suffix, code] of COND_CODES) {
  HANDLERS.set(`B.${suffix}`, (cur, mn) => {
    const target = expectLabel(cur);
    cur.expectEnd('the label');
    return done(cur, mn, { kind: 'branch', target: target.text, cond: { kind: 'flags', code } }, target);
  });
}

// ---- Barriers and operand-less instructions ---------------------------------------------------

/** DMB/DSB options (Arm ARM C6.2 DMB, "<option>"): domain and access types. */
const BARRIER_OPTIONS: ReadonlyMap<string, readonly [BarrierDomain, BarrierType]> = new Map([
  ['SY', ['SY', 'ALL']], ['ST', ['SY', 'ST']], ['LD', ['SY', 'LD']],
  ['ISH', ['ISH', 'ALL']], ['ISHST', ['ISH', 'ST']], ['ISHLD', ['ISH', 'LD']],
  ['OSH', ['OSH', 'ALL']], ['OSHST', ['OSH', 'ST']], ['OSHLD', ['OSH', 'LD']],
  ['NSH', ['NSH', 'ALL']], ['NSHST', ['NSH', 'ST']], ['NSHLD', ['NSH', 'LD']],
]);

for (const op of ['DMB', 'DSB'] as const) {
  HANDLERS.set(op, (cur, mn) => {
    const t = cur.next('a barrier option (SY, ST, LD, ISH, ISHST, ...)');
    const option = t.kind === 'ident' ? BARRIER_OPTIONS.get(t.text.toUpperCase()) : undefined;
    if (option === undefined) return cur.failAt(t, `bad ${op} option '${t.text}' (expected SY, ST, LD, ISH, ISHST, ISHLD, OSH, OSHST, OSHLD, NSH, NSHST or NSHLD)`);
    cur.expectEnd('the barrier option');
    return done(cur, mn, { kind: 'barrier', op, domain: option[0], type: option[1] });
  });
}

for (const [name, kind] of [['ISB', 'isb'], ['NOP', 'nop'], ['DGH', 'dgh']] as const) {
  HANDLERS.set(name, (cur, mn) => {
    // `ISB SY` is the same instruction as `ISB` (SY is its only option).
    if (kind === 'isb' && cur.isWord('sy')) cur.next('SY');
    cur.expectEnd(name);
    return done(cur, mn, { kind });
  });
}

// ---- TLB maintenance --------------------------------------------------------------------------

/**
 * `TLBI <op>, Xt` for the by-address operations, `TLBI <op>` for the "all" ones (Arm ARM C5.5:
 * the register operand exists exactly when the operation names an address).
 */
HANDLERS.set('TLBI', (cur, mn) => {
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
  if (cur.atEnd) cur.failAt(undefined, `TLBI ${op} invalidates by address: expected ',Xn' (the page's ${desc.address === 'ipa' ? 'IPA' : 'address'}), found ${cur.endName}`);
  cur.expectPunct(',');
  const rt = expectRegister(cur, 'an X register');
  // Xt is a 64-bit register (Arm ARM C5.5: "TLBI <op>{, <Xt>}").
  if (!rt.reg.wide) cur.failAt(rt.token, `TLBI takes an X register, found '${rt.token.text}'`);
  cur.expectEnd('the operands');
  return done(cur, mn, { kind: 'tlbi', op, reg: rt.reg });
});

// ---- Entry point -------------------------------------------------------------------------------

/** Fill in the span: from the mnemonic to the last consumed token. */
function done(cur: Cursor, mn: Token, body: DistributiveOmit<Instr, 'span'>, target?: Token): ParsedInstr {
  const span = cur.ctx.src.span(mn.start, cur.lastEnd(mn.end));
  return { instr: { ...body, span } as Instr, target };
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Parse the instruction starting at the cursor (its first token is the mnemonic). */
export function parseInstruction(cur: Cursor): ParsedInstr {
  const mn = cur.next('an instruction');
  if (mn.kind !== 'ident') cur.failAt(mn, `expected an instruction, found '${mn.text}'`);
  const handler = HANDLERS.get(mn.text.toUpperCase());
  if (handler === undefined) cur.failCode('unsupported', mn, `unsupported instruction '${mn.text}'`);
  return handler(cur, mn);
}

/** Is `name` (any case) a supported mnemonic? */
export function isSupportedMnemonic(name: string): boolean {
  return HANDLERS.has(name.toUpperCase());
}
