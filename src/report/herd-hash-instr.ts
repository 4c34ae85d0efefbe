/**
 * One AArch64 instruction as herd prints it into the code part of a test's hash.
 *
 * herd (lib/testHash.ml) prints each instruction with its "hash" printer: the parsed
 * instruction, not the text as written. So aliases come out as herd stores them (NEG as SUB
 * from the zero register, CSINC Wd,Wn,Wn as CINC, ADR as ADDR, EON as EOR), immediates in
 * decimal with '#', a post-index as `[Xn]#k` (` [Xn]#k` for pairs) and LDUR with a space after
 * its comma. Input is the instruction's normalised text (Instr.asm); labels are renamed by the
 * caller. Anything outside the forms herd 7.58 reads and prints this way gives undefined: the
 * caller then prints no Hash line rather than a wrong one.
 */

/** A general-purpose register: index 0..30, 31 for XZR/WZR, 32 for SP. */
interface GReg {
  readonly n: number;
  readonly wide: boolean;
}

class NoHash extends Error {}

function fail(): never {
  throw new NoHash();
}

function reg(text: string | undefined): GReg {
  if (text === undefined) fail();
  if (text === 'XZR' || text === 'WZR') return { n: 31, wide: text === 'XZR' };
  if (text === 'SP') return { n: 32, wide: true };
  const m = /^([XW])(\d{1,2})$/.exec(text);
  if (!m || Number(m[2]) > 30) fail();
  return { n: Number(m[2]), wide: m[1] === 'X' };
}

function pr(r: GReg, wide = r.wide): string {
  if (r.n === 31) return wide ? 'XZR' : 'WZR';
  if (r.n === 32) return wide ? 'SP' : fail();
  return `${wide ? 'X' : 'W'}${r.n}`;
}

function isReg(text: string | undefined): boolean {
  return text !== undefined && /^(XZR|WZR|SP|[XW]\d{1,2})$/.test(text);
}

/** herd reads only decimal immediates (`#` optional) and keeps them as OCaml ints. */
function imm(text: string | undefined): number {
  const m = text === undefined ? null : /^#?([+-]?\d+)$/.exec(text);
  if (!m) fail();
  const v = Number(m[1]);
  if (!Number.isSafeInteger(v)) fail();
  return v;
}

function k(v: number): string {
  return `#${v}`;
}

/** Operands split at the commas outside brackets. */
function operands(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() !== '') out.push(cur.trim());
  return out;
}

/** `[Xn]`, `[Xn,#k]`, `[Xn,#k]!`, `[Xn,Rm]`, `[Xn,Rm,EXT]`, `[Xn,Rm,EXT #k]` split up. */
interface Mem {
  readonly base: GReg;
  readonly rest: readonly string[];
  readonly pre: boolean;
}

function mem(text: string | undefined): Mem {
  const m = text === undefined ? null : /^\[([^\]]*)\](!?)$/.exec(text);
  if (!m) fail();
  const parts = m[1]!.split(',').map((s) => s.trim());
  const base = reg(parts[0]);
  if (!base.wide) fail();
  return { base, rest: parts.slice(1), pre: m[2] === '!' };
}

/** `[Xn]` only (herd also takes `[Xn,#0]` where its grammar has `zeroopt`). */
function plainMem(text: string | undefined, zeroOk: boolean): string {
  const m = mem(text);
  if (m.pre || m.rest.length > 1 || (m.rest.length === 1 && !(zeroOk && imm(m.rest[0]) === 0))) fail();
  return `[${pr(m.base)}]`;
}

/** The immediate-indexed forms: offset, pre- and post-index (herd's compat printing). */
function idxMem(ops: readonly string[], at: number, pair: boolean): string {
  const m = mem(ops[at]);
  const post = ops[at + 1];
  if (ops.length > at + 2) fail();
  const b = pr(m.base);
  if (post !== undefined) {
    if (m.pre || m.rest.length > 0) fail();
    return `${pair ? ' ' : ''}[${b}]${k(imm(post))}`;
  }
  if (m.rest.length > 1) fail();
  const off = m.rest.length === 0 ? 0 : imm(m.rest[0]);
  if (m.pre) return `[${b},${k(off)}]!`;
  return off === 0 ? `[${b}]` : `[${b},${k(off)}]`;
}

/** LDR/STR addressing: immediate forms, or a register offset with an optional extend. */
function extMem(ops: readonly string[], at: number): string {
  const m = mem(ops[at]);
  if (m.rest.length === 0 || !isReg(m.rest[0])) return idxMem(ops, at, false);
  if (m.pre || ops.length > at + 1 || m.rest.length > 2) fail();
  const rm = reg(m.rest[0]);
  const b = pr(m.base);
  if (m.rest.length === 1) return `[${b},${pr(rm)}]`;
  const e = /^(UXTW|LSL|SXTW|SXTX)(?: *(#?\d+))?$/.exec(m.rest[1]!);
  if (!e) fail();
  const amount = e[2] === undefined ? 0 : imm(e[2]);
  if (amount === 0) return e[1] === 'LSL' ? `[${b},${pr(rm)}]` : `[${b},${pr(rm)},${e[1]}]`;
  return `[${b},${pr(rm)},${e[1]} ${k(amount)}]`;
}

type Printer = (mn: string, ops: readonly string[]) => string;

/** The printers by mnemonic, filled by the families below. */
const PRINTERS = new Map<string, Printer>();

function define(names: readonly string[], p: Printer): void {
  for (const n of names) PRINTERS.set(n, p);
}

function arity(ops: readonly string[], n: number): void {
  if (ops.length !== n) fail();
}

function memoryFamilies(): void {
  define(['LDR', 'STR', 'LDRB', 'LDRH', 'STRB', 'STRH', 'LDRSB', 'LDRSH', 'LDRSW'], (mn, ops) => {
    const rt = reg(ops[0]);
    if (rt.n === 32 || (['LDRB', 'LDRH', 'STRB', 'STRH'].includes(mn) && rt.wide) || (mn === 'LDRSW' && !rt.wide)) fail();
    return `${mn} ${pr(rt)},${extMem(ops, 1)}`;
  });
  define(['LDUR'], (_mn, ops) => {
    arity(ops, 2);
    const m = mem(ops[1]);
    if (m.pre || m.rest.length > 1) fail();
    const off = m.rest.length === 0 ? 0 : imm(m.rest[0]);
    return `LDUR ${pr(reg(ops[0]), true)}, [${pr(m.base)}${off === 0 ? '' : `,${k(off)}`}]`;
  });
  const acq = ['LDAR', 'LDAPR', 'LDXR', 'LDAXR', 'STLR'];
  define([...acq, ...acq.flatMap((a) => [`${a}B`, `${a}H`])], (mn, ops) => {
    arity(ops, 2);
    const rt = reg(ops[0]);
    if (/[BH]$/.test(mn) && rt.wide) fail();
    return `${mn} ${pr(rt)},${plainMem(ops[1], false)}`;
  });
  define(['STXR', 'STXRB', 'STXRH', 'STLXR', 'STLXRB', 'STLXRH'], (mn, ops) => {
    arity(ops, 3);
    const rs = reg(ops[0]);
    if (rs.wide) fail();
    return `${mn} ${pr(rs)},${pr(reg(ops[1]))},${plainMem(ops[2], false)}`;
  });
  define(['LDP', 'STP', 'LDNP', 'STNP', 'LDPSW', 'LDIAPP', 'STILP'], (mn, ops) => {
    const r1 = reg(ops[0]);
    const r2 = reg(ops[1]);
    if (r1.wide !== r2.wide || (mn === 'LDPSW' && !r1.wide)) fail();
    return `${mn} ${pr(r1)},${pr(r2)},${idxMem(ops, 2, true)}`;
  });
  define(['LDXP', 'LDAXP'], (mn, ops) => {
    arity(ops, 3);
    // herd's compat printer shows the first register in its W form.
    return `${mn} ${pr(reg(ops[0]), false)},${pr(reg(ops[1]))},${plainMem(ops[2], false)}`;
  });
  define(['STXP', 'STLXP'], (mn, ops) => {
    arity(ops, 4);
    return `${mn} ${pr(reg(ops[0]))},${pr(reg(ops[1]))},${pr(reg(ops[2]))},${plainMem(ops[3], false)}`;
  });
  atomicFamilies();
}

function atomicFamilies(): void {
  const orders = ['', 'A', 'L', 'AL'];
  const sizes = ['', 'B', 'H'];
  const rmw = ['CAS', 'SWP', ...['ADD', 'EOR', 'SET', 'CLR', 'SMAX', 'SMIN', 'UMAX', 'UMIN'].map((o) => `LD${o}`)];
  define(rmw.flatMap((b) => orders.flatMap((o) => sizes.map((s) => `${b}${o}${s}`))), (mn, ops) => {
    arity(ops, 3);
    return `${mn} ${pr(reg(ops[0]))},${pr(reg(ops[1]))},${plainMem(ops[2], true)}`;
  });
  define(orders.map((o) => `CASP${o}`), (mn, ops) => {
    arity(ops, 5);
    return `${mn} ${ops.slice(0, 4).map((o) => pr(reg(o))).join(',')},${plainMem(ops[4], true)}`;
  });
  const stops = ['ADD', 'EOR', 'SET', 'CLR', 'SMAX', 'SMIN', 'UMAX', 'UMIN'].flatMap((o) => ['', 'L'].flatMap((w) => sizes.map((s) => `ST${o}${w}${s}`)));
  define(stops, (mn, ops) => {
    arity(ops, 2);
    return `${mn} ${pr(reg(ops[0]))},${plainMem(ops[1], true)}`;
  });
}

/** herd's third operand of a data-processing instruction: `#k`, `#k,LSL #s`, `Rm`, `Rm,SHIFT #s`. */
function op3Ext(ops: readonly string[], at: number, wide: boolean): string {
  const x = ops[at];
  const sh = ops[at + 1];
  if (ops.length > at + 2) fail();
  const s = sh === undefined ? null : /^(LSL|LSR|ASR|ROR) *(#?\d+)$/.exec(sh);
  if (sh !== undefined && !s) fail();
  if (isReg(x)) {
    const r = reg(x);
    if (r.wide !== wide || r.n === 32) fail();
    const amount = s ? imm(s[2]) : 0;
    return amount === 0 ? pr(r) : `${pr(r)},${s![1]} ${k(amount)}`;
  }
  const v = imm(x);
  if (s && s[1] !== 'LSL') fail();
  const amount = s ? imm(s[2]) : 0;
  return amount === 0 ? k(v) : `${k(v)},LSL ${k(amount)}`;
}

/** herd's special printing of I_OP3: CMP, TST and MVN come back from their zero-register forms. */
function printOp3(op: string, rd: GReg, rn: GReg, e: string): string {
  if (op === 'SUBS' && rd.n === 31) return `CMP ${pr(rn)},${e}`;
  if (op === 'ANDS' && rd.n === 31) return `TST ${pr(rn)},${e}`;
  if (op === 'ORN' && rn.n === 31) return `MVN ${pr(rd)},${e}`;
  return `${op} ${pr(rd)},${pr(rn)},${e}`;
}

const EXTENDS = /^(UXTB|UXTH|UXTW|UXTX|SXTB|SXTH|SXTW|SXTX)(?: *(#?\d+))?$/;

/** ADD/SUB with an extended register: herd's I_ADDSUBEXT. */
function addSubExt(op: string, rd: GReg, rn: GReg, ops: readonly string[], at: number): string {
  const rm = reg(ops[at]);
  const e = EXTENDS.exec(ops[at + 1] ?? '');
  if (!e || ops.length > at + 2 || (!rd.wide && rm.wide)) fail();
  const amount = e[2] === undefined ? '' : ` ${k(imm(e[2]))}`;
  return `${op} ${pr(rd)},${pr(rn)},${pr(rm)},${e[1]}${amount}`;
}

function dataFamilies(): void {
  const shifts: Record<string, string> = { LSLV: 'LSL', LSRV: 'LSR', ASRV: 'ASR', RORV: 'ROR', EON: 'EOR' };
  define(['ADD', 'ADDS', 'SUB', 'SUBS', 'AND', 'ANDS', 'ORR', 'EOR', 'EON', 'ORN', 'BIC', 'BICS', 'LSL', 'LSR', 'ASR', 'ROR', 'LSLV', 'LSRV', 'ASRV', 'RORV'], (mn, ops) => {
    const rd = reg(ops[0]);
    const rn = reg(ops[1]);
    if (rd.wide !== rn.wide) fail();
    if (['ADD', 'ADDS', 'SUB', 'SUBS'].includes(mn) && EXTENDS.test(ops[3] ?? '')) return addSubExt(mn, rd, rn, ops, 2);
    return printOp3(shifts[mn] ?? mn, rd, rn, op3Ext(ops, 2, rd.wide));
  });
  define(['CMP', 'TST'], (mn, ops) => {
    const rn = reg(ops[0]);
    const zr = { n: 31, wide: rn.wide };
    if (mn === 'CMP' && EXTENDS.test(ops[2] ?? '')) return addSubExt('SUBS', zr, rn, ops, 1);
    return printOp3(mn === 'CMP' ? 'SUBS' : 'ANDS', zr, rn, op3Ext(ops, 1, rn.wide));
  });
  define(['NEG', 'NEGS'], (mn, ops) => {
    const rd = reg(ops[0]);
    if (!isReg(ops[1])) fail();
    return printOp3(mn === 'NEG' ? 'SUB' : 'SUBS', rd, { n: 31, wide: rd.wide }, op3Ext(ops, 1, rd.wide));
  });
  define(['MVN'], (_mn, ops) => {
    arity(ops, 2);
    const rd = reg(ops[0]);
    const rm = reg(ops[1]);
    if (rd.wide !== rm.wide) fail();
    return printOp3('ORN', rd, { n: 31, wide: rd.wide }, pr(rm));
  });
  define(['MOV'], (_mn, ops) => {
    arity(ops, 2);
    const rd = reg(ops[0]);
    if (!isReg(ops[1])) return `MOV ${pr(rd)},${k(imm(ops[1]))}`;
    const rm = reg(ops[1]);
    if (rm.wide !== rd.wide) fail();
    return `MOV ${pr(rd)},${pr(rm)}`;
  });
  define(['MOVZ', 'MOVN', 'MOVK'], (mn, ops) => {
    const rd = reg(ops[0]);
    const v = imm(ops[1]);
    if (ops.length === 2) return `${mn} ${pr(rd)},${k(v)}`;
    const s = /^LSL *(#?\d+)$/.exec(ops[2] ?? '');
    if (!s || ops.length > 3) fail();
    // herd's format puts its own comma before the shift's: two commas.
    return `${mn} ${pr(rd)},${k(v)},,LSL ${k(imm(s[1]))}`;
  });
  multiplyFamilies();
  selectFamilies();
}

function multiplyFamilies(): void {
  const same = (ops: readonly string[], n: number): GReg[] => {
    arity(ops, n);
    const rs = ops.map((o) => reg(o));
    if (rs.some((r) => r.wide !== rs[0]!.wide || r.n === 32)) fail();
    return rs;
  };
  define(['MUL', 'MNEG'], (mn, ops) => `${mn} ${same(ops, 3).map((r) => pr(r)).join(',')}`);
  define(['MADD', 'MSUB'], (mn, ops) => {
    const rs = same(ops, 4);
    if (rs[3]!.n === 31) return `${mn === 'MADD' ? 'MUL' : 'MNEG'} ${rs.slice(0, 3).map((r) => pr(r)).join(',')}`;
    return `${mn} ${rs.map((r) => pr(r)).join(',')}`;
  });
  const long: Record<string, string> = { SMADDL: 'SMULL', SMSUBL: 'SMNEGL', UMADDL: 'UMULL', UMSUBL: 'UMNEGL' };
  define([...Object.keys(long), ...Object.values(long)], (mn, ops) => {
    const rs = ops.map((o) => reg(o));
    if (!rs[0]!.wide || rs[1]!.wide || rs[2]!.wide) fail();
    const ra = rs[3];
    if (mn in long ? ops.length !== 4 || !ra!.wide : ops.length !== 3) fail();
    const memo = ra === undefined || ra.n === 31 ? long[mn] ?? mn : mn;
    return `${memo} ${pr(rs[0]!)},${pr(rs[1]!)},${pr(rs[2]!)}${ra === undefined || ra.n === 31 ? '' : `,${pr(ra)}`}`;
  });
  define(['SXTW'], (_mn, ops) => {
    arity(ops, 2);
    const rd = reg(ops[0]);
    const rn = reg(ops[1]);
    if (!rd.wide || rn.wide) fail();
    return `SXTW ${pr(rd)},${pr(rn)}`;
  });
  define(['ABS', 'RBIT', 'REV', 'REV16', 'REV32', 'REV64'], (mn, ops) => {
    arity(ops, 2);
    const rd = reg(ops[0]);
    const rn = reg(ops[1]);
    if (rd.wide !== rn.wide || rd.n === 32 || rn.n === 32 || (!rd.wide && (mn === 'REV32' || mn === 'REV64'))) fail();
    // herd stores REV64 as REV.
    return `${mn === 'REV64' ? 'REV' : mn} ${pr(rd)},${pr(rn)}`;
  });
  define(['UBFM', 'SBFM'], (mn, ops) => {
    arity(ops, 4);
    // herd prints these two registers (and LDUR's) in their X form, whatever the width.
    return `${mn} ${pr(reg(ops[0]), true)},${pr(reg(ops[1]), true)},${k(imm(ops[2]))},${k(imm(ops[3]))}`;
  });
}

const CONDS = new Set(['EQ', 'NE', 'CS', 'CC', 'MI', 'PL', 'VS', 'VC', 'HI', 'LS', 'GE', 'LT', 'GT', 'LE', 'AL']);

/** herd's inverse_cond, as it is (its GE/LT/GT/LE pairs are not the architectural inverses). */
const INVERSE: Record<string, string> = { NE: 'EQ', EQ: 'NE', LE: 'GT', LT: 'GE', GE: 'GT', GT: 'LE', CS: 'CC', CC: 'CS', MI: 'PL', PL: 'MI', VS: 'VC', VC: 'VS', HI: 'LS', LS: 'HI', AL: 'AL' };

function cond(text: string | undefined): string {
  if (text === undefined || !CONDS.has(text)) fail();
  return text;
}

/** herd's printing of I_CSEL (opsel: the CS* mnemonic), from the stored condition. */
function printCsel(opsel: string, rd: GReg, rn: GReg, rm: GReg, c: string): string {
  if (rn.n === 31 && rm.n === 31 && opsel === 'CSINC') return `CSET ${pr(rd)},${INVERSE[c]}`;
  if (rn.n === 31 && rm.n === 31 && opsel === 'CSINV') return `CSETM ${pr(rd)},${INVERSE[c]}`;
  if (opsel === 'CSINC' && rn.n === rm.n) return `CINC ${pr(rd)},${pr(rn)},${INVERSE[c]}`;
  return `${opsel} ${pr(rd)},${pr(rn)},${pr(rm)},${c}`;
}

function selectFamilies(): void {
  const regs = (ops: readonly string[], n: number): GReg[] => {
    const rs = ops.slice(0, n).map((o) => reg(o));
    if (rs.some((r) => r.wide !== rs[0]!.wide || r.n === 32)) fail();
    return rs;
  };
  define(['CSEL', 'CSINC', 'CSINV', 'CSNEG'], (mn, ops) => {
    arity(ops, 4);
    const [rd, rn, rm] = regs(ops, 3) as [GReg, GReg, GReg];
    return printCsel(mn, rd, rn, rm, cond(ops[3]));
  });
  define(['CSET', 'CSETM'], (mn, ops) => {
    arity(ops, 2);
    const [rd] = regs(ops, 1) as [GReg];
    const zr = { n: 31, wide: rd.wide };
    return printCsel(mn === 'CSET' ? 'CSINC' : 'CSINV', rd, zr, zr, INVERSE[cond(ops[1])]!);
  });
  define(['CINC'], (_mn, ops) => {
    arity(ops, 3);
    const [rd, rn] = regs(ops, 2) as [GReg, GReg];
    return printCsel('CSINC', rd, rn, rn, INVERSE[cond(ops[2])]!);
  });
}

/** A branch target: a (renamed) label, or `.+n` / `.-n`. */
function target(text: string | undefined, label: (l: string) => string): string {
  if (text === undefined) fail();
  const off = /^\.([+-])(\d+)$/.exec(text);
  if (off) return `.${off[1] === '-' && Number(off[2]) !== 0 ? '-' : '+'}${Number(off[2])}`;
  if (!/^[A-Za-z_.$][A-Za-z0-9_/.$]*$/.test(text)) fail();
  return label(text);
}

const BARRIER_OPTS = new Set(['SY', 'ST', 'LD', 'OSH', 'OSHST', 'OSHLD', 'ISH', 'ISHST', 'ISHLD', 'NSH', 'NSHST', 'NSHLD']);
const TLBI_OP = /^(ALL|VMALL|VMALLS12|ASID|VA|VAL|VAA|VAAL|IPAS2|IPAS2L)E[0-3](IS)?$/;

function controlPrinter(mn: string, ops: readonly string[], label: (l: string) => string): string | undefined {
  const bc = /^B\.([A-Z]{2})$/.exec(mn);
  if (bc) return (arity(ops, 1), `B.${cond(bc[1])} ${target(ops[0], label)}`);
  switch (mn) {
    case 'B':
    case 'BL':
      return (arity(ops, 1), `${mn} ${target(ops[0], label)}`);
    case 'BR':
    case 'BLR':
      return (arity(ops, 1), `${mn} ${pr(wideReg(ops[0]))}`);
    case 'RET':
      return ops.length === 0 ? 'RET' : (arity(ops, 1), `RET ${pr(wideReg(ops[0]))}`);
    case 'CBZ':
    case 'CBNZ':
      return (arity(ops, 2), `${mn} ${pr(reg(ops[0]))},${target(ops[1], label)}`);
    case 'TBZ':
    case 'TBNZ':
      return (arity(ops, 3), `${mn} ${pr(reg(ops[0]))},${k(imm(ops[1]))},${target(ops[2], label)}`);
    case 'ADR':
      // herd's compat printer calls it ADDR.
      return (arity(ops, 2), `ADDR ${pr(wideReg(ops[0]))},${target(ops[1], label)}`);
    case 'DMB':
    case 'DSB':
      return (arity(ops, 1), BARRIER_OPTS.has(ops[0]!) ? `${mn} ${ops[0]}` : fail());
    case 'ISB':
    case 'NOP':
      return (arity(ops, 0), mn);
    case 'TLBI':
      if (!TLBI_OP.test(ops[0] ?? '') || ops.length > 2) fail();
      return ops.length === 1 ? `TLBI ${ops[0]}` : `TLBI ${ops[0]},${pr(wideReg(ops[1]))}`;
    case 'MRS':
      return (arity(ops, 2), ops[1] === 'NZCV' ? `MRS ${pr(wideReg(ops[0]))},NZCV` : fail());
    case 'MSR':
      return (arity(ops, 2), ops[0] === 'NZCV' ? `MSR NZCV,${pr(wideReg(ops[1]))}` : fail());
  }
  return undefined;
}

function wideReg(text: string | undefined): GReg {
  const r = reg(text);
  if (!r.wide) fail();
  return r;
}

memoryFamilies();
dataFamilies();

/**
 * `asm` (an instruction's normalised text) as herd's hash printer shows it, labels passed
 * through `label`; undefined when herd would not print it this way (or not read it at all).
 */
export function herdHashInstruction(asm: string, label: (l: string) => string): string | undefined {
  const sp = asm.indexOf(' ');
  const mn = sp < 0 ? asm : asm.slice(0, sp);
  const ops = sp < 0 ? [] : operands(asm.slice(sp + 1));
  try {
    const control = controlPrinter(mn, ops, label);
    if (control !== undefined) return control;
    const p = PRINTERS.get(mn);
    return p === undefined ? undefined : p(mn, ops);
  } catch (e) {
    if (e instanceof NoHash) return undefined;
    throw e;
  }
}
