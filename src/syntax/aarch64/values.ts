/**
 * Pieces shared by the init section and the condition: numbers, values (an integer or a
 * location's address) and state references (`T:Reg`, `x`, `[x]`).
 * @internal
 */
import type { Reg, StateRef, Value } from '../ast.js';
import type { Span } from '../diagnostics.js';
import { expectRegister } from './registers.js';
import { THREAD_NAME, cpuThreadProblem, deviceColumnProblem, type ThreadScope } from './thread-scope.js';
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

/** Names that introduce herd's VMSA (page-table) forms, a later issue. */
const VMSA_NAMES: ReadonlySet<string> = new Set(['PTE', 'PA', 'TTD', 'AF', 'DB', 'DBM', 'VALID', 'OA', 'ATTRS', 'FAULT', 'TAG']);

/** The one VMSA form that is supported (page-table.ts), for messages. */
const PTE_FORM = '[PTE(x)]=(oa:PA(x), attrs:(...)) in the init section';

/** Report an ident followed by '(' (e.g. `PTE(x)`, `fault(...)`) as unsupported. */
export function failCall(cur: Cursor, name: Token): never {
  const upper = name.text.toUpperCase();
  // A register or location holding an entry's address, or an entry read in a condition, would
  // need the page tables as memory; a physical address as a value would need physical locations.
  if (name.text === 'PTE') cur.failCode('unsupported', name, `unsupported page-table entry 'PTE(...)' here (only ${PTE_FORM})`);
  if (name.text === 'PA') cur.failCode('unsupported', name, `unsupported physical address 'PA(...)' here (only ${PTE_FORM})`);
  if (VMSA_NAMES.has(upper)) cur.failCode('unsupported', name, `'${name.text}(...)' (page tables, VMSA) is not supported yet`);
  cur.failCode('unsupported', name, `'${name.text}(...)' is not supported`);
}

/**
 * A value: a signed integer, or a location name (or `&name`, C style) standing for its address.
 * herd's other value forms are diagnosed as unsupported: arrays `{1,2}`, descriptors
 * `(oa:..., attrs:...)` (except as a `[PTE(x)]` item, page-table.ts), tagged addresses `x:red`,
 * label addresses `P1:L0`, `instr:"NOP"`.
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
    if (u.text === '(') cur.failCode('unsupported', u, `unsupported descriptor value (only ${PTE_FORM})`);
    if (u.text === '{') cur.failCode('unsupported', u, 'array values {...} are not supported');
  }
  if (u !== undefined && u.kind === 'number' && cur.isPunct(':', 1)) {
    cur.failCode('unsupported', u, 'label addresses (1:L0) are not supported');
  }
  return { kind: 'int', value: expectNumber(cur, 'a value', true) };
}

/** A device column's register, `nic:X1`, before the table tells which column id it is. */
export interface DeviceRegRef {
  readonly kind: 'device';
  readonly device: Token;
  readonly reg: Reg;
  readonly span: Span;
}

/**
 * A state reference as written: `T:Reg` or `PT:Reg` (CPU thread T's register), `dev:Reg` (a
 * device column's register, resolved once the table is known), `x` or `[x]` (location x).
 * Whether thread T exists is checked by the caller.
 */
export function parseRef(cur: Cursor): StateRef | DeviceRegRef {
  const t = cur.next('a register or location');
  const span = (end: number) => cur.ctx.src.span(t.start, end);
  if (t.kind === 'number') {
    const thread = numberValue(t.text);
    if (thread === undefined || (t.text.length > 1 && t.text[0] === '0')) cur.failAt(t, `bad thread number '${t.text}'`);
    cur.expectPunct(':');
    const { reg, token } = expectRegister(cur);
    return { kind: 'reg', thread, reg, span: span(token.end) };
  }
  if (t.kind === 'ident' && cur.isPunct(':')) {
    // herd writes a thread's register as `P1:X0` too; any other name is a device column.
    cur.next(':');
    const { reg, token } = expectRegister(cur);
    if (THREAD_NAME.test(t.text)) return { kind: 'reg', thread: Number(t.text.slice(1)), reg, span: span(token.end) };
    return { kind: 'device', device: t, reg, span: span(token.end) };
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

/**
 * A state reference once the table is known: device names become column ids. A CPU thread
 * past the CPU columns is reported (`where` names the section) without abandoning the parse;
 * an unknown device name abandons the current item.
 */
export function parseStateRef(cur: Cursor, scope: ThreadScope, where: string): StateRef {
  const ref = parseRef(cur);
  if (ref.kind === 'device') {
    const problem = deviceColumnProblem(scope, ref.device.text);
    if (problem !== undefined) cur.failCode('semantic', ref.device, problem);
    return { kind: 'reg', thread: scope.devices.get(ref.device.text)!, reg: ref.reg, span: ref.span };
  }
  if (ref.kind === 'reg') {
    const problem = cpuThreadProblem(scope, ref.thread, where);
    if (problem !== undefined) cur.ctx.diagnostics.push({ code: 'semantic', severity: 'error', message: problem, span: ref.span });
  }
  return ref;
}
