/**
 * Instructions back to text (`LDR W3,[X3,W2,SXTW]`), for witnesses, timelines and dot graphs.
 */
import { SP, ZR, type Address, type BranchTarget, type Instr, type Operand, type Reg } from './ast.js';

export function formatReg(r: Reg): string {
  if (r.index === ZR) return r.wide ? 'XZR' : 'WZR';
  if (r.index === SP) return r.wide ? 'SP' : 'WSP';
  return `${r.wide ? 'X' : 'W'}${r.index}`;
}

export function formatOperand(o: Operand): string {
  if (o.kind === 'imm') return `#${o.value}`;
  const base = formatReg(o.reg);
  if (!o.shift) return base;
  return o.shift.amount === 0 && o.shift.op !== 'LSL' ? `${base},${o.shift.op}` : `${base},${o.shift.op} #${o.shift.amount}`;
}

export function formatAddress(a: Address): string {
  if (a.index === 'post') return `[${formatReg(a.base)}],${formatOperand(a.offset!)}`;
  const inner = a.offset ? `[${formatReg(a.base)},${formatOperand(a.offset)}]` : `[${formatReg(a.base)}]`;
  return a.index === 'pre' ? `${inner}!` : inner;
}

function formatTarget(t: BranchTarget): string {
  return 'label' in t ? t.label : `.${t.offset >= 0 ? '+' : ''}${t.offset}`;
}

const SIZE_SUFFIX: Record<number, string> = { 1: 'B', 2: 'H', 4: '', 8: '' };
const ORDER_SUFFIX = (acquire: boolean, release: boolean) => (acquire ? 'A' : '') + (release ? 'L' : '');

/** An instruction as written, or (for code a front end lowered) in its canonical assembly form. */
export function formatInstr(i: Instr): string {
  return i.asm ?? canonical(i);
}

function canonical(i: Instr): string {
  const r = formatReg;
  switch (i.kind) {
    case 'load': {
      const base = i.exclusive ? (i.order === 'acquire' ? 'LDAXR' : 'LDXR') : i.order === 'acquire' ? 'LDAR' : i.order === 'acquirePC' ? 'LDAPR' : i.signed ? 'LDRS' : 'LDR';
      return `${base}${i.signed && i.size === 4 ? 'W' : SIZE_SUFFIX[i.size]} ${r(i.rt)},${formatAddress(i.addr)}`;
    }
    case 'store': {
      const base = i.exclusive ? (i.release ? 'STLXR' : 'STXR') : i.release ? 'STLR' : 'STR';
      const status = i.status ? `${r(i.status)},` : '';
      return `${base}${SIZE_SUFFIX[i.size]} ${status}${r(i.rt)},${formatAddress(i.addr)}`;
    }
    case 'loadPair':
      return `${i.exclusive ? (i.order === 'acquire' ? 'LDAXP' : 'LDXP') : i.order === 'acquirePC' ? 'LDIAPP' : i.signed ? 'LDPSW' : 'LDP'} ${r(i.rt)},${r(i.rt2)},${formatAddress(i.addr)}`;
    case 'storePair': {
      const status = i.status ? `${r(i.status)},` : '';
      return `${i.exclusive ? (i.release ? 'STLXP' : 'STXP') : i.release ? 'STILP' : 'STP'} ${status}${r(i.rt)},${r(i.rt2)},${formatAddress(i.addr)}`;
    }
    case 'swp':
      return `SWP${ORDER_SUFFIX(i.acquire, i.release)}${SIZE_SUFFIX[i.size]} ${r(i.rs)},${r(i.rt)},${formatAddress(i.addr)}`;
    case 'cas':
      return `CAS${ORDER_SUFFIX(i.acquire, i.release)}${SIZE_SUFFIX[i.size]} ${r(i.rs)},${r(i.rt)},${formatAddress(i.addr)}`;
    case 'casp':
      return `CASP${ORDER_SUFFIX(i.acquire, i.release)} ${r(i.rs)},${r({ ...i.rs, index: i.rs.index + 1 })},${r(i.rt)},${r({ ...i.rt, index: i.rt.index + 1 })},${formatAddress(i.addr)}`;
    case 'ldop':
      return `LD${i.op.toUpperCase()}${ORDER_SUFFIX(i.acquire, i.release)}${SIZE_SUFFIX[i.size]} ${r(i.rs)},${r(i.rt)},${formatAddress(i.addr)}`;
    case 'mov':
      return `MOV ${r(i.rd)},${formatOperand(i.src)}`;
    case 'movw':
      return `MOV${i.op.toUpperCase()} ${r(i.rd)},#${i.imm}${i.shift ? `,LSL #${i.shift}` : ''}`;
    case 'alu':
      return `${i.op.toUpperCase()}${i.setFlags ? 'S' : ''} ${r(i.rd)},${r(i.rn)},${formatOperand(i.op2)}`;
    case 'muladd':
      return `${i.long === undefined ? '' : i.long === 'signed' ? 'S' : 'U'}M${i.sub ? 'SUB' : 'ADD'}${i.long ? 'L' : ''} ${r(i.rd)},${r(i.rn)},${r(i.rm)},${r(i.ra)}`;
    case 'unary':
      return `${i.op.toUpperCase()} ${r(i.rd)},${r(i.rn)}${i.params.map((p) => `,#${p}`).join('')}`;
    case 'cmp':
      return `${i.f === 'sub' ? 'CMP' : i.f === 'add' ? 'CMN' : 'TST'} ${r(i.rn)},${formatOperand(i.op2)}`;
    case 'csel':
      return `CS${i.op === 'sel' ? 'EL' : i.op.toUpperCase()} ${r(i.rd)},${r(i.rn)},${r(i.rm)},${i.cond}`;
    case 'branch': {
      const t = formatTarget(i.target);
      if (!i.cond) return `${i.link ? 'BL' : 'B'} ${t}`;
      if (i.cond.kind === 'flags') return `B.${i.cond.code} ${t}`;
      if (i.cond.kind === 'bit') return `${i.cond.nonZero ? 'TBNZ' : 'TBZ'} ${r(i.cond.reg)},#${i.cond.bit},${t}`;
      return `${i.cond.nonZero ? 'CBNZ' : 'CBZ'} ${r(i.cond.reg)},${t}`;
    }
    case 'branchReg':
      return `${i.link ? 'BLR' : 'BR'} ${r(i.reg)}`;
    case 'adr':
      return `ADR ${r(i.rd)},${formatTarget(i.target)}`;
    case 'label':
      return `${i.name}:`;
    case 'lkmmScope':
      return `(if ${i.op})`;
    case 'lkmmFence':
      return `F[${i.tag}]`;
    case 'lkmmRmw':
      return `RMW[${i.order}] ${i.op ?? 'xchg'} ${r(i.addr)}`;
    case 'lkmmCmpxchg':
      return `CMPXCHG[${i.order}] ${r(i.addr)}`;
    case 'lkmmAddUnless':
      return `ADD_UNLESS ${r(i.addr)}`;
    case 'lkmmLock':
      return `${i.op} ${r(i.addr)}`;
    case 'lkmmSrcu':
      return `srcu-${i.op} ${r(i.addr)}`;
    case 'barrier':
      return `${i.op} ${barrierOption(i.domain, i.type)}`;
    case 'isb':
      return 'ISB';
    case 'nop':
      return 'NOP';
    case 'dgh':
      return 'DGH';
    case 'eret':
      return 'ERET';
    case 'udf':
      return 'UDF #0';
    case 'tlbi':
      return i.reg ? `TLBI ${i.op},${r(i.reg)}` : `TLBI ${i.op}`;
    case 'mrs':
      return `MRS ${r(i.reg)},${i.elr ? 'ELR_EL1' : 'NZCV'}`;
    case 'msr':
      return `MSR ${i.elr ? 'ELR_EL1' : 'NZCV'},${r(i.reg)}`;
  }
}

/** `SY`, `ST`, `LD`, `ISH`, `ISHST`, `OSHLD`, ... as written in assembly. */
export function barrierOption(domain: string, type: string): string {
  const t = type === 'ALL' ? '' : type;
  if (domain === 'SY') return t === '' ? 'SY' : t;
  return `${domain}${t}`;
}
