/**
 * Instructions back to text (`LDR W3,[X3,W2,SXTW]`), for witnesses, timelines and dot graphs.
 */
import { ZR, type Address, type Instr, type Operand, type Reg } from './ast.js';

export function formatReg(r: Reg): string {
  if (r.index === ZR) return r.wide ? 'XZR' : 'WZR';
  return `${r.wide ? 'X' : 'W'}${r.index}`;
}

export function formatOperand(o: Operand): string {
  if (o.kind === 'imm') return `#${o.value}`;
  const base = formatReg(o.reg);
  if (!o.shift) return base;
  return o.shift.amount === 0 && o.shift.op !== 'LSL' ? `${base},${o.shift.op}` : `${base},${o.shift.op} #${o.shift.amount}`;
}

export function formatAddress(a: Address): string {
  return a.offset ? `[${formatReg(a.base)},${formatOperand(a.offset)}]` : `[${formatReg(a.base)}]`;
}

const SIZE_SUFFIX: Record<number, string> = { 1: 'B', 2: 'H', 4: '', 8: '' };

export function formatInstr(i: Instr): string {
  switch (i.kind) {
    case 'load': {
      const base = i.exclusive ? (i.order === 'acquire' ? 'LDAXR' : 'LDXR') : i.order === 'acquire' ? 'LDAR' : i.order === 'acquirePC' ? 'LDAPR' : 'LDR';
      return `${base}${SIZE_SUFFIX[i.size]} ${formatReg(i.rt)},${formatAddress(i.addr)}`;
    }
    case 'store': {
      const base = i.exclusive ? (i.release ? 'STLXR' : 'STXR') : i.release ? 'STLR' : 'STR';
      const status = i.status ? `${formatReg(i.status)},` : '';
      return `${base}${SIZE_SUFFIX[i.size]} ${status}${formatReg(i.rt)},${formatAddress(i.addr)}`;
    }
    case 'mov':
      return `MOV ${formatReg(i.rd)},${formatOperand(i.src)}`;
    case 'alu':
      return `${i.op.toUpperCase()}${i.setFlags ? 'S' : ''} ${formatReg(i.rd)},${formatReg(i.rn)},${formatOperand(i.op2)}`;
    case 'cmp':
      return `CMP ${formatReg(i.rn)},${formatOperand(i.op2)}`;
    case 'branch':
      if (!i.cond) return `B ${i.target}`;
      if (i.cond.kind === 'flags') return `B.${i.cond.code} ${i.target}`;
      return `${i.cond.nonZero ? 'CBNZ' : 'CBZ'} ${formatReg(i.cond.reg)},${i.target}`;
    case 'label':
      return `${i.name}:`;
    case 'barrier':
      return `${i.op} ${barrierOption(i.domain, i.type)}`;
    case 'isb':
      return 'ISB';
    case 'nop':
      return 'NOP';
    case 'dgh':
      return 'DGH';
    case 'tlbi':
      return i.reg ? `TLBI ${i.op},${formatReg(i.reg)}` : `TLBI ${i.op}`;
  }
}

/** `SY`, `ST`, `LD`, `ISH`, `ISHST`, `OSHLD`, ... as written in assembly. */
export function barrierOption(domain: string, type: string): string {
  const t = type === 'ALL' ? '' : type;
  if (domain === 'SY') return t === '' ? 'SY' : t;
  return `${domain}${t}`;
}
