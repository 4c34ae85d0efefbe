/**
 * Pieces shared by the init section and the condition: numbers, values (an integer or a
 * location's address) and state references (`T:Reg`, `x`, `[x]`).
 * @internal
 */
import type { Reg, StateRef, Value } from '../ast.js';
import type { Span } from '../diagnostics.js';
import { expectRegister } from './registers.js';
import { THREAD_NAME, cpuThreadProblem, deviceColumnProblem, type ThreadScope } from './thread-scope.js';
import { expectLocation, type Cursor, type Token } from './tokens.js';
import { isEntryName, oldVmsaName, parenLocation, parseDescriptor, pteLocation } from './vmsa-syntax.js';

/** Value of a number token (`12`, `0x1f`) as an exact integer, or undefined if malformed. */
export function bigValue(text: string): bigint | undefined {
  if (!WELL_FORMED_NUMBER.test(text)) return undefined;
  return BigInt(text);
}

/** Value of a number token below 2^53 (counts, offsets, thread numbers), or undefined. */
export function numberValue(text: string): number | undefined {
  const v = bigValue(text);
  return v !== undefined && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : undefined;
}

/** A number token that is well formed (so a failed conversion means "too large"). */
const WELL_FORMED_NUMBER = /^(?:0[xX][0-9a-fA-F]+|[0-9]+)$/;

/** 2^64: values are 64-bit patterns; `-2^63` .. `2^64-1` can be written. */
const LIMIT = 1n << 64n;

/** Consume an integer token (an optional '-' first when `signed`), exact; at most 64 bits. */
export function expectBigInt(cur: Cursor, what: string, signed: boolean): bigint {
  const negative = signed && cur.eatPunct('-');
  const t = cur.next(what);
  if (t.kind !== 'number') cur.failAt(t, `expected ${what}, found '${t.text}'`);
  const v = bigValue(t.text);
  if (v === undefined) cur.failAt(t, `bad number '${t.text}'`);
  if (v >= LIMIT || (negative && v > LIMIT / 2n)) cur.failAt(t, `number '${negative ? '-' : ''}${t.text}' does not fit in 64 bits`);
  return negative ? -v : v;
}

/** Consume a small integer token (counts, offsets): below 2^53. */
export function expectNumber(cur: Cursor, what: string, signed: boolean): number {
  const start = cur.peek();
  const v = expectBigInt(cur, what, signed);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) cur.failAt(start, `${what} ${v} is too large`);
  return Number(v);
}

/** Names that introduce herd's VMSA (page-table) forms, a later issue. */
const VMSA_NAMES: ReadonlySet<string> = new Set(['PTE', 'PA', 'TTD', 'AF', 'DB', 'DBM', 'VALID', 'OA', 'ATTRS', 'FAULT', 'TAG']);


/** Report an ident followed by '(' (e.g. `PTE(x)`, `fault(...)`) as unsupported. */
export function failCall(cur: Cursor, name: Token): never {
  const upper = name.text.toUpperCase();
  // A register or location holding an entry's address, or an entry read in a condition, would
  // need the page tables as memory; a physical address as a value would need physical locations.
  if (name.text === 'PA') cur.failCode('unsupported', name, `unsupported physical address 'PA(...)' here (a value, not a location)`);
  if (VMSA_NAMES.has(upper)) cur.failCode('unsupported', name, `'${name.text}(...)' (page tables, VMSA) is not supported yet`);
  cur.failCode('unsupported', name, `'${name.text}(...)' is not supported`);
}

/**
 * A value: a signed integer, a location name (or `&name`, C style) standing for its address, an
 * array `{1,2,3}` (init section), or a code address `P1:L0`. herd's other value forms are
 * diagnosed as unsupported: descriptors `(oa:..., attrs:...)` (except as a `[PTE(x)]` item,
 * page-table.ts), tagged addresses `x:red`, instruction values `instr:"NOP"`.
 */
/**
 * A location name. herd reads some names as VMSA and MTE objects whatever the variant: `pte_x` is
 * x's page-table entry, `phy_x` its physical address, `x.atag` its tag. iolitmus has none of these
 * objects, so such a name is unsupported rather than taken for an ordinary location.
 */
function checkedName(cur: Cursor, t: Token): string {
  const old = oldVmsaName(t.text);
  if (old?.kind === 'pte') return pteLocation(old.loc);
  if (old?.kind === 'pa') cur.failCode('unsupported', t, `unsupported: '${t.text}' is a physical address, not a location`);
  if (/\.atag$/.test(t.text)) cur.failCode('unsupported', t, `unsupported: '${t.text}' names an allocation tag (herd's x.atag)`);
  return t.text;
}

export function parseValue(cur: Cursor, arrays = false): Value {
  const t = cur.peek();
  if (t !== undefined && t.kind === 'punct' && t.text === '&' && cur.peek(1)?.kind === 'ident') {
    cur.next('&');
  }
  const u = cur.peek();
  if (u !== undefined && u.kind === 'ident') {
    cur.next('a value');
    if (cur.isPunct('(')) {
      if (isEntryName(u.text)) return { kind: 'addr', loc: pteLocation(parenLocation(cur).text, u.text) };
      if (u.text === 'PA') return { kind: 'pa', loc: parenLocation(cur).text };
      // The kernel's initialiser of an atomic_t: its value (include/linux/atomic.h).
      if (u.text === 'ATOMIC_INIT' || u.text === 'ATOMIC_LONG_INIT') {
        cur.next('(');
        const v = expectBigInt(cur, 'a number', true);
        cur.expectPunct(')');
        return { kind: 'int', value: v };
      }
      failCall(cur, u);
    }
    const old = oldVmsaName(u.text);
    if (old?.kind === 'pa') return { kind: 'pa', loc: old.loc };
    if (cur.isPunct(':')) {
      if (u.text === 'label' && cur.isPunct('"', 1)) return parseQuotedLabel(cur);
      if (!THREAD_NAME.test(u.text)) cur.failCode('unsupported', u, `'${u.text}:...' values (tags, instructions) are not supported`);
      cur.next(':');
      const label = cur.next('a label');
      if (label.kind !== 'ident') cur.failAt(label, `expected a label, found '${label.text}'`);
      return { kind: 'label', thread: Number(u.text.slice(1)), label: label.text };
    }
    return { kind: 'addr', loc: checkedName(cur, u) };
  }
  if (u !== undefined && u.kind === 'punct') {
    if (u.text === '(') return parseDescriptor(cur);
    if (u.text === '{') {
      if (!arrays) cur.failAt(u, 'an array value {...} is not allowed here');
      return parseArray(cur);
    }
  }
  if (u !== undefined && u.kind === 'number' && cur.isPunct(':', 1)) {
    const thread = numberValue(u.text);
    cur.next('a thread');
    cur.next(':');
    const label = cur.next('a label');
    if (label.kind !== 'ident' || thread === undefined) cur.failAt(label, `expected a label, found '${label.text}'`);
    return { kind: 'label', thread, label: label.text };
  }
  return { kind: 'int', value: expectBigInt(cur, 'a value', true) };
}

/** herd's `label:"P0:L0"` (or `label:"0:L0"`): a code address, after the word `label`. */
function parseQuotedLabel(cur: Cursor): Value {
  cur.next(':');
  cur.expectPunct('"');
  const t = cur.next('a thread');
  const thread = t.kind === 'number' ? numberValue(t.text) : THREAD_NAME.test(t.text) ? Number(t.text.slice(1)) : undefined;
  if (thread === undefined) cur.failAt(t, `expected a thread like P0, found '${t.text}'`);
  cur.expectPunct(':');
  const label = cur.next('a label');
  if (label.kind !== 'ident') cur.failAt(label, `expected a label, found '${label.text}'`);
  cur.expectPunct('"');
  return { kind: 'label', thread, label: label.text };
}

/** `{1,2,3}`: the elements of an array. */
function parseArray(cur: Cursor): Value {
  cur.expectPunct('{');
  const values: bigint[] = [];
  if (!cur.isPunct('}')) {
    do values.push(expectBigInt(cur, 'an array element', true));
    while (cur.eatPunct(','));
  }
  cur.expectPunct('}');
  return { kind: 'array', values };
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
    if (isEntryName(t.text) && cur.isPunct('(')) return { kind: 'loc', loc: pteLocation(parenLocation(cur).text, t.text), span: span(cur.lastEnd(t.end)) };
    if (cur.isPunct('(')) failCall(cur, t);
    if (cur.eatPunct('[')) {
      const index = expectNumber(cur, 'an array index', false);
      const close = cur.expectPunct(']');
      return { kind: 'loc', loc: checkedName(cur, t), index, span: span(close.end) };
    }
    return { kind: 'loc', loc: checkedName(cur, t), span: span(t.end) };
  }
  if (t.text === '[') {
    const name = expectLocation(cur);
    if (isEntryName(name.text) && cur.isPunct('(')) {
      const loc = pteLocation(parenLocation(cur).text, name.text);
      const close = cur.expectPunct(']');
      return { kind: 'loc', loc, span: span(close.end) };
    }
    if (cur.isPunct('(')) failCall(cur, name);
    const close = cur.expectPunct(']');
    return { kind: 'loc', loc: checkedName(cur, name), span: span(close.end) };
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
    if (problem !== undefined) cur.ctx.add({ code: 'semantic', severity: 'error', message: problem, span: ref.span });
  }
  return ref;
}
