/**
 * The init section `{ ... }`: items separated by ';' (the last one optional), each
 * `[type] ref [= value]` where ref is `T:Reg`, `x` or `[x]`, and type is a C-like prefix
 * (`int`, `uint64_t`, `unsigned long`, `int *`). A declaration without a value starts at 0,
 * as in herd. A bad item is diagnosed and skipped; the others are still parsed.
 * @internal
 */
import type { InitItem } from '../ast.js';
import { Abort, type Context } from './source.js';
import { Cursor, type Token } from './tokens.js';
import { parseStateRef, parseValue } from './values.js';

/** Parse the items of an init section whose tokens (braces excluded) are given. */
export function parseInit(ctx: Context, tokens: readonly Token[]): InitItem[] {
  const items: InitItem[] = [];
  for (const itemTokens of splitItems(tokens)) {
    const cur = new Cursor(ctx, itemTokens, itemTokens[itemTokens.length - 1]!.end);
    try {
      items.push(parseItem(cur));
    } catch (e) {
      if (e !== Abort.instance) throw e;
    }
  }
  return items;
}

/** Split at ';' outside parentheses and brackets (herd's descriptor values nest commas and colons). */
function splitItems(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let depth = 0;
  let item: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'punct') {
      if (t.text === '(' || t.text === '[') depth++;
      else if ((t.text === ')' || t.text === ']') && depth > 0) depth--;
      else if (t.text === ';' && depth === 0) {
        if (item.length > 0) out.push(item);
        item = [];
        continue;
      }
    }
    item.push(t);
  }
  if (item.length > 0) out.push(item);
  return out;
}

/** Is the token at k a possible start of a ref after a type word (ident, `*`, thread number)? */
function continuesType(cur: Cursor, k: number): boolean {
  const t = cur.peek(k);
  if (t === undefined) return false;
  return t.kind === 'ident' || t.kind === 'number' || (t.kind === 'punct' && t.text === '*');
}

function parseItem(cur: Cursor): InitItem {
  const first = cur.peek()!;
  // Type words: every identifier or '*' that is followed by something that can still be the ref.
  let type = '';
  while (true) {
    const t = cur.peek();
    if (t === undefined) break;
    if (t.kind === 'punct' && t.text === '*') {
      if (type === '') cur.failAt(t, "expected a type, register or location, found '*'");
      cur.next('*');
      type += '*';
    } else if (t.kind === 'ident' && continuesType(cur, 1)) {
      cur.next('a type');
      type += type === '' ? t.text : ` ${t.text}`;
    } else break;
  }
  const ref = parseStateRef(cur);
  let value = { kind: 'int' as const, value: 0 } as InitItem['value'];
  if (!cur.atEnd) {
    cur.expectPunct('=');
    value = parseValue(cur);
    const extra = cur.peek();
    if (extra !== undefined) cur.failAt(extra, `unexpected '${extra.text}' after the value (missing ';'?)`);
  }
  const span = cur.ctx.src.span(first.start, cur.lastEnd(first.end));
  const typ = type === '' ? undefined : type;
  return ref.kind === 'reg'
    ? { kind: 'reg', thread: ref.thread, reg: ref.reg, value, type: typ, span }
    : { kind: 'loc', loc: ref.loc, value, type: typ, span };
}
