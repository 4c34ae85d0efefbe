/**
 * What the instruction parsers share: the handler type, how a finished instruction gets its span
 * and its text as written, and operand helpers used by several families.
 * @internal
 */
import type { BranchTarget, Instr, Reg } from '../ast.js';
import { expectRegister } from '../shared/registers.js';
import type { Cursor, Token } from '../shared/tokens.js';
import { expectNumber } from '../shared/values.js';

/** A parsed instruction, plus the label a branch names (checked once the thread is complete). */
export interface ParsedInstr {
  readonly instr: Instr;
  readonly target: Token | undefined;
}

/** Parses the operands of one mnemonic (the cursor is past the mnemonic). */
export type Handler = (cur: Cursor, mnemonic: Token) => ParsedInstr;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type InstrBody = DistributiveOmit<Instr, 'span' | 'asm'>;

/** Fill in the span (mnemonic to last consumed token) and the text as written, in herd's form. */
export function done(cur: Cursor, mn: Token, body: InstrBody, target?: Token): ParsedInstr {
  const end = cur.lastEnd(mn.end);
  const span = cur.ctx.src.span(mn.start, end);
  const text = cur.ctx.src.text;
  // Upper case like herd prints instructions, except a label, which is case-sensitive.
  const asm = target === undefined
    ? normalizeAsm(text.slice(mn.start, end).toUpperCase())
    : normalizeAsm(text.slice(mn.start, target.start).toUpperCase() + target.text + text.slice(target.end, end).toUpperCase());
  return { instr: { ...body, span, asm } as Instr, target };
}

/** Normalised texts already seen (tests repeat instructions); cleared when it grows large. */
const normalized = new Map<string, string>();

/** `LDR W0, [X1, #4]` -> `LDR W0,[X1,#4]`: one space after the mnemonic, none around separators. */
function normalizeAsm(text: string): string {
  const known = normalized.get(text);
  if (known !== undefined) return known;
  const out = text.replace(/0X/g, '0x').replace(/\s+/g, ' ').replace(/\s*([,[\]!])\s*/g, '$1').replace(/^(\S+)(?=[[#])/, '$1 ').trim();
  if (normalized.size >= 4096) normalized.clear();
  normalized.set(text, out);
  return out;
}

/** A register whose width must be `wide` (X) or not (W), with a message naming the instruction. */
export function expectRegOfWidth(cur: Cursor, mn: Token, wide: boolean): Reg {
  const r = expectRegister(cur);
  if (r.reg.wide !== wide) cur.failAt(r.token, `${mn.text.toUpperCase()} takes ${wide ? 'an X' : 'a W'} register here, found '${r.token.text}'`);
  return r.reg;
}

/** A register of the same width as `like`. */
export function expectSameWidth(cur: Cursor, mn: Token, like: Reg): Reg {
  return expectRegOfWidth(cur, mn, like.wide);
}

/** `, ` then a register. */
export function commaRegister(cur: Cursor, what?: string): { reg: Reg; token: Token } {
  cur.expectPunct(',');
  return expectRegister(cur, what);
}

/**
 * A branch target: a label, or herd's relative form `.+8` / `.-4` (bytes from this instruction;
 * A64 instructions are 4 bytes long).
 */
export function expectTarget(cur: Cursor): { target: BranchTarget; token: Token | undefined } {
  const t = cur.peek();
  if (t !== undefined && t.kind === 'punct' && t.text === '.') {
    cur.next('.');
    const sign = cur.next("'+' or '-'");
    if (sign.kind !== 'punct' || (sign.text !== '+' && sign.text !== '-')) cur.failAt(sign, `expected '+' or '-' after '.', found '${sign.text}'`);
    const numTok = cur.peek();
    const n = expectNumber(cur, 'a byte offset', false);
    if (n % 4 !== 0) cur.failAt(numTok, `branch offset ${n} is not a multiple of 4 (the size of an instruction)`);
    return { target: { offset: sign.text === '-' ? -n : n }, token: undefined };
  }
  const l = cur.next('a label');
  if (l.kind !== 'ident') cur.failAt(l, `expected a label, found '${l.text}'`);
  return { target: { label: l.text }, token: l };
}
