/**
 * Pieces shared by the init section and the condition: numbers, values (an integer or a
 * location's address) and state references (`T:Reg`, `x`, `[x]`).
 * @internal
 */
import type { StateRef, Value } from '../ast.js';
import { expectRegister } from './registers.js';
import { type Cursor, type Token } from './tokens.js';

/** Value of a number token (`12`, `0x1f`), or undefined if malformed or beyond 2^53-1. */
export function numberValue(text: string): number | undefined {
  let value: number;
  if (text.length > 2 && text.charCodeAt(0) === 48 && (text[1] === 'x' || text[1] === 'X')) {
    for (let i = 2; i < text.length; i++) if (!isHexDigit(text.charCodeAt(i))) return undefined;
    value = parseInt(text.slice(2), 16);
  } else {
    for (let i = 0; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d < 48 || d > 57) return undefined;
    }
    value = Number(text);
  }
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A number token that is well formed (so a failed conversion means "too large"). */
const WELL_FORMED_NUMBER = /^(?:0[xX][0-9a-fA-F]+|[0-9]+)$/;

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Consume a number token (an optional '-' first when `signed`); diagnose bad or huge numbers. */
export function expectNumber(cur: Cursor, what: string, signed: boolean): number {
  const negative = signed && cur.eatPunct('-');
  const t = cur.next(what);
  if (t.kind !== 'number') cur.failAt(t, `expected ${what}, found '${t.text}'`);
  const v = numberValue(t.text);
  if (v === undefined) {
    // A well-formed number that is too big for a double's exact range is a limitation, not a typo.
    if (WELL_FORMED_NUMBER.test(t.text)) cur.failCode('unsupported', t, `number '${t.text}' is too large (at most 2^53-1 is supported)`);
    cur.failAt(t, `bad number '${t.text}'`);
  }
  return negative ? -v : v;
}

/** `P0`, `P1`...: a thread name, as in the label address `P1:L0`. */
const THREAD_NAME = /^P[0-9]+$/;

/** Names that introduce herd's VMSA (page-table) forms, a later issue. */
const VMSA_NAMES: ReadonlySet<string> = new Set(['PTE', 'PA', 'TTD', 'AF', 'DB', 'DBM', 'VALID', 'OA', 'ATTRS', 'FAULT', 'TAG']);

/** Report an ident followed by '(' (e.g. `PTE(x)`, `fault(...)`) as unsupported. */
export function failCall(cur: Cursor, name: Token): never {
  const upper = name.text.toUpperCase();
  if (VMSA_NAMES.has(upper)) cur.failCode('unsupported', name, `'${name.text}(...)' (page tables, VMSA) is not supported yet`);
  cur.failCode('unsupported', name, `'${name.text}(...)' is not supported`);
}

/**
 * A value: a signed integer, or a location name (or `&name`, C style) standing for its address.
 * herd's other value forms are diagnosed as unsupported: arrays `{1,2}`, descriptors
 * `(oa:..., attrs:...)`, tagged addresses `x:red`, label addresses `P1:L0`, `instr:"NOP"`.
 */
export function parseValue(cur: Cursor): Value {
  const t = cur.peek();
  if (t !== undefined && t.kind === 'punct' && t.text === '&' && cur.peek(1)?.kind === 'ident') {
    cur.next('&');
  }
  const u = cur.peek();
  if (u !== undefined && u.kind === 'ident') {
    cur.next('a value');
    if (cur.isPunct('(')) failCall(cur, u);
    if (cur.isPunct(':')) {
      cur.failCode('unsupported', u, THREAD_NAME.test(u.text) ? 'label addresses (P0:L0) are not supported' : `'${u.text}:...' values (tags, instructions) are not supported`);
    }
    return { kind: 'addr', loc: u.text };
  }
  if (u !== undefined && u.kind === 'punct') {
    if (u.text === '(') cur.failCode('unsupported', u, 'descriptor values (oa:..., attrs:...) are not supported yet');
    if (u.text === '{') cur.failCode('unsupported', u, 'array values {...} are not supported');
  }
  if (u !== undefined && u.kind === 'number' && cur.isPunct(':', 1)) {
    cur.failCode('unsupported', u, 'label addresses (1:L0) are not supported');
  }
  return { kind: 'int', value: expectNumber(cur, 'a value', true) };
}

/**
 * A state reference: `T:Reg` or `PT:Reg` (thread T's register), `x` or `[x]` (location x).
 * Whether thread T exists is checked later, once the thread count is known.
 */
export function parseStateRef(cur: Cursor): StateRef {
  const t = cur.next('a register or location');
  const span = (end: number) => cur.ctx.src.span(t.start, end);
  if (t.kind === 'number') {
    const thread = numberValue(t.text);
    if (thread === undefined || (t.text.length > 1 && t.text[0] === '0')) cur.failAt(t, `bad thread number '${t.text}'`);
    cur.expectPunct(':');
    const { reg, token } = expectRegister(cur);
    return { kind: 'reg', thread, reg, span: span(token.end) };
  }
  if (t.kind === 'ident' && THREAD_NAME.test(t.text) && cur.isPunct(':')) {
    // herd also writes a thread's register as `P1:X0`.
    cur.next(':');
    const { reg, token } = expectRegister(cur);
    return { kind: 'reg', thread: Number(t.text.slice(1)), reg, span: span(token.end) };
  }
  if (t.kind === 'ident') {
    if (cur.isPunct('(')) failCall(cur, t);
    const bracket = cur.peek();
    if (bracket !== undefined && cur.isPunct('[')) cur.failCode('unsupported', bracket, `array element '${t.text}[...]' is not supported`);
    return { kind: 'loc', loc: t.text, span: span(t.end) };
  }
  if (t.text === '[') {
    const name = cur.next('a location');
    if (name.kind !== 'ident') cur.failAt(name, `expected a location, found '${name.text}'`);
    if (cur.isPunct('(')) failCall(cur, name);
    const close = cur.expectPunct(']');
    return { kind: 'loc', loc: name.text, span: span(close.end) };
  }
  cur.failAt(t, `expected a register or location, found '${t.text}'`);
}
