/**
 * The function definitions between the init section and the condition:
 * `P0(int *x, int *y) { ... }` for CPU threads, `nic(int *db) { ... }` for a device's program.
 * Parameters are pointers, each naming a shared location (LKMM: the parameter's name is the
 * location's name). Which names are threads or devices is checked by the caller.
 * @internal
 */
import { Abort, type Context } from '../shared/source.js';
import { Cursor, type Token } from '../shared/tokens.js';
import { parseBody } from './statements.js';
import { WIDE_TYPES, type CFunction, type CParam } from './syntax-tree.js';

/** Parse every function of `tokens`; a malformed one is diagnosed and the rest still parsed. */
export function parseFunctions(ctx: Context, tokens: readonly Token[]): CFunction[] {
  const out: CFunction[] = [];
  let i = 0;
  while (i < tokens.length) {
    const open = findOpenBrace(tokens, i);
    if (open < 0) {
      const t = tokens[i]!;
      ctx.report('syntax', `expected a function like 'P0(int *x) { ... }', found '${t.text}'`, t.start, t.end);
      return out;
    }
    const close = matchingClose(tokens, open);
    if (close < 0) {
      const t = tokens[open]!;
      ctx.report('syntax', "unterminated function body: missing '}'", t.start, t.end);
      return out;
    }
    const header = new Cursor(ctx, tokens.slice(i, open), tokens[open]!.start, "'{'");
    try {
      const { name, params } = parseHeader(header);
      const body = parseBody(new Cursor(ctx, tokens.slice(open + 1, close), tokens[close]!.start, "'}'"));
      out.push({ name, params, body });
    } catch (e) {
      if (e !== Abort.instance) throw e;
    }
    i = close + 1;
  }
  return out;
}

/** Index of the first '{' at or after `from`, or -1. */
function findOpenBrace(tokens: readonly Token[], from: number): number {
  for (let i = from; i < tokens.length; i++) if (tokens[i]!.kind === 'punct' && tokens[i]!.text === '{') return i;
  return -1;
}

/** Index of the '}' matching the '{' at `open`, or -1. */
function matchingClose(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '{') depth++;
    else if (t.text === '}' && --depth === 0) return i;
  }
  return -1;
}

/** `NAME ( params )`, `NAME ()` or `NAME (void)`. */
function parseHeader(cur: Cursor): { name: Token; params: CParam[] } {
  const name = cur.next('a function name (P0, P1, ... or a device)');
  if (name.kind !== 'ident') cur.failAt(name, `expected a function name (P0, P1, ... or a device), found '${name.text}'`);
  cur.expectPunct('(');
  const params: CParam[] = [];
  const voidList = cur.isWord('void') && cur.isPunct(')', 1);
  if (voidList) cur.next('void');
  if (!cur.eatPunct(')')) {
    while (true) {
      params.push(parseParam(cur));
      if (cur.eatPunct(')')) break;
      cur.expectPunct(',');
    }
  }
  cur.expectEnd(`the parameters of '${name.text}' (missing '{'?)`);
  return { name, params };
}

/** `int *x`, `u64 *db`, `volatile int *x`: type words, '*', the location's name. */
function parseParam(cur: Cursor): CParam {
  const words: Token[] = [];
  let pointer = false;
  // `int **p`: the location p holds an address.
  let pointee = false;
  let last: Token | undefined;
  while (true) {
    const t = cur.peek();
    if (t === undefined || (t.kind === 'punct' && (t.text === ',' || t.text === ')'))) break;
    cur.next('a parameter');
    if (t.kind === 'punct' && t.text === '*') {
      if (pointee) cur.failCode('unsupported', t, "pointers to pointers to pointers ('***') are not supported");
      if (pointer) pointee = true;
      if (words.length === 0) cur.failAt(t, "expected a type before '*' (int *x)");
      pointer = true;
    } else if (t.kind === 'ident') {
      if (pointer && last !== undefined && last.kind === 'ident') cur.failAt(t, `unexpected '${t.text}' after parameter '${last.text}'`);
      words.push(t);
    } else cur.failAt(t, `expected a parameter like 'int *x', found '${t.text}'`);
    last = t;
  }
  const name = words.pop();
  if (name === undefined || last === undefined || last.kind !== 'ident') cur.failAt(cur.peek(), `expected a parameter like 'int *x', found ${cur.describe(cur.peek())}`);
  // Reported without abandoning the function, so its body is still checked.
  if (!pointer) cur.ctx.report('semantic', `parameter '${name.text}' is not a pointer: parameters name shared locations (write 'int *${name.text}')`, name.start, name.end);
  return { name, wide: pointee || words.some((w) => WIDE_TYPES.has(w.text)), type: `${words.map((w) => w.text).join(' ')}${pointee ? ' *' : ''}*` };
}
