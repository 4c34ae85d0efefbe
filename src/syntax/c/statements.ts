/**
 * Statements and expressions of a thread's body: the kernel C subset LKMM litmus tests use
 * (declarations, `x = e;`, `*x = e;`, calls, `if`/`else`, blocks, labels), plus the
 * arithmetic the dependency idioms need (`+ - ^ & |`, with C's precedence: `|` loosest, then `^`,
 * `&`, then `+ -`). Constructs outside the subset (loops, pointer arithmetic, `&&`) are
 * 'unsupported' diagnostics at their token.
 *
 * A bad statement is diagnosed and skipped up to its ';' (or the '}' of its block), so one run
 * reports every bad statement of a body. Statements, and the parts of an expression, nest at
 * most MAX_NESTING levels (limits.ts), which bounds every recursion here and in lowering.
 * @internal
 */
import { Abort } from '../shared/source.js';
import type { Cursor, Token } from '../shared/tokens.js';
import { numberValue } from '../shared/values.js';
import { MAX_NESTING, nestingMessage } from '../limits.js';
import { TYPE_WORDS, WIDE_TYPES, type BinaryOp, type CCond, type CDeclarator, type CExpr, type CStmt, type RelOp } from './syntax-tree.js';

/** Keywords of statements iolitmus does not model, with the reason given. */
const UNSUPPORTED_STATEMENTS: ReadonlyMap<string, string> = new Map([
  ['while', 'loops are not supported (litmus threads are straight-line code with if/else)'],
  ['for', 'loops are not supported (litmus threads are straight-line code with if/else)'],
  ['do', 'loops are not supported (litmus threads are straight-line code with if/else)'],
  ['goto', "'goto' is not supported"],
  ['switch', "'switch' is not supported: use if/else"],
  ['return', "'return' is not supported"],
  ['break', "'break' is not supported"],
  ['continue', "'continue' is not supported"],
]);

const REL_OPS: ReadonlySet<string> = new Set(['==', '!=', '<', '>', '<=', '>=']);

/** Compound assignments and increments, diagnosed as unsupported. */
const UPDATE_OPS: ReadonlySet<string> = new Set(['++', '--', '+=', '-=', '*=', '/=', '|=', '&=', '^=']);

function isIdent(t: Token | undefined, text?: string): boolean {
  return t !== undefined && t.kind === 'ident' && (text === undefined || t.text === text);
}

function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === text;
}

/** Parse statements up to the end of the cursor (a function body, braces excluded). */
export function parseBody(cur: Cursor): CStmt[] {
  const out: CStmt[] = [];
  while (!cur.atEnd) {
    const s = parseGuarded(cur, 0);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/**
 * One statement, inside `depth` others (blocks, `if`, `else`, labels); on an error, skip to its
 * ';' (or before the '}' closing its block).
 */
function parseGuarded(cur: Cursor, depth: number): CStmt | undefined {
  try {
    return parseStatement(cur, depth);
  } catch (e) {
    if (e !== Abort.instance) throw e;
    recover(cur);
    return undefined;
  }
}

/** Skip the rest of a bad statement; an abandoned `if` takes its `else` branches with it. */
function recover(cur: Cursor): void {
  skipStatement(cur);
  while (isIdent(cur.peek(), 'else')) {
    cur.next('else');
    skipStatement(cur);
  }
}

function skipStatement(cur: Cursor): void {
  let depth = 0;
  while (!cur.atEnd) {
    const t = cur.peek()!;
    if (t.kind === 'punct') {
      if (t.text === '{' || t.text === '(') depth++;
      else if (t.text === ')' && depth > 0) depth--;
      else if (t.text === '}') {
        if (depth === 0) return;
        depth--;
        if (depth === 0) {
          cur.next('}');
          return;
        }
      } else if (t.text === ';' && depth === 0) {
        cur.next(';');
        return;
      }
    }
    cur.next('a token');
  }
}

/** A statement inside `depth` others: at most MAX_NESTING, so lowering's recursion is bounded too. */
function parseStatement(cur: Cursor, depth: number): CStmt {
  if (depth > MAX_NESTING) cur.failAt(cur.peek(), nestingMessage('statement'));
  const t = cur.next('a statement');
  if (isPunct(t, ';')) return { kind: 'empty', start: t.start, end: t.end };
  if (isPunct(t, '{')) {
    const body: CStmt[] = [];
    while (!cur.isPunct('}')) {
      if (cur.atEnd) cur.failAt(undefined, `expected '}' to close the block opened at this '{'`);
      const s = parseGuarded(cur, depth + 1);
      if (s !== undefined) body.push(s);
    }
    const close = cur.next('}');
    return { kind: 'block', body, start: t.start, end: close.end };
  }
  if (isPunct(t, '*')) return parseStore(cur, t);
  // `(void)f(...);`: a call whose value is dropped, as herd (7.56 and later) reads it.
  if (isPunct(t, '(') && isIdent(cur.peek(), 'void') && isPunct(cur.peek(1), ')')) {
    cur.next('void');
    cur.next(')');
    const name = cur.next('a call');
    if (!isIdent(name) || !cur.isPunct('(')) cur.failAt(name, `expected a call after '(void)', found '${name.text}'`);
    const call = parseCall(cur, name, 0).e;
    const semi = expectSemicolon(cur);
    return { kind: 'call', call, start: t.start, end: semi.end };
  }
  if (t.kind !== 'ident') cur.failAt(t, `expected a statement, found '${t.text}'`);
  const unsupported = UNSUPPORTED_STATEMENTS.get(t.text);
  if (unsupported !== undefined) cur.failCode('unsupported', t, unsupported);
  if (t.text === 'if') return parseIf(cur, t, depth);
  if (t.text === 'else') cur.failAt(t, "'else' without an 'if'");
  if (cur.isPunct(':')) {
    cur.next(':');
    if (cur.atEnd || cur.isPunct('}')) cur.failAt(cur.peek(), `label '${t.text}' must be followed by a statement`);
    const stmt = parseStatement(cur, depth + 1);
    return { kind: 'label', name: t, stmt, start: t.start, end: stmt.end };
  }
  if (TYPE_WORDS.has(t.text)) return parseDecl(cur, t);
  if (cur.isPunct('=')) {
    cur.next('=');
    const value = parseExpr(cur);
    const semi = expectSemicolon(cur);
    return { kind: 'assign', target: t, value, start: t.start, end: semi.end };
  }
  if (cur.isPunct('(')) {
    const call = parseCall(cur, t, 0).e;
    const semi = expectSemicolon(cur);
    return { kind: 'call', call, start: t.start, end: semi.end };
  }
  const op = cur.peek();
  if (op !== undefined && UPDATE_OPS.has(op.text)) cur.failCode('unsupported', op, `'${op.text}' is not supported: write '${t.text} = ${t.text} + 1;' style assignments`);
  if (op !== undefined && op.kind === 'ident') cur.failAt(t, `unknown type '${t.text}' (types: int, long, u32, u64, ...)`);
  cur.failAt(op, `expected '=' or '(' after '${t.text}', found ${cur.describe(op)}`);
}

function expectSemicolon(cur: Cursor): Token {
  const t = cur.peek();
  if (t !== undefined && UPDATE_OPS.has(t.text)) cur.failCode('unsupported', t, `'${t.text}' is not supported`);
  if (isPunct(t, ';')) return cur.next(';');
  const last = cur.last!;
  const src = cur.ctx.src;
  if (t === undefined || src.lineIndexOf(t.start) !== src.lineIndexOf(last.start)) {
    // The statement ends its line: report the missing ';' there and go on with the next line.
    cur.ctx.report('syntax', "missing ';' at the end of the statement", last.end, last.end + 1);
    return last;
  }
  cur.failAt(t, `expected ';', found ${cur.describe(t)}`);
}

/** `*x = e;` (the '*' consumed). */
function parseStore(cur: Cursor, star: Token): CStmt {
  const ptr = cur.next('a pointer');
  if (isPunct(ptr, '(')) cur.failCode('unsupported', ptr, 'pointer arithmetic is not supported: store through a parameter, *x = e');
  if (!isIdent(ptr)) cur.failAt(ptr, `expected a pointer parameter after '*', found '${ptr.text}'`);
  cur.expectPunct('=');
  const value = parseExpr(cur);
  const semi = expectSemicolon(cur);
  return { kind: 'store', ptr, value, start: star.start, end: semi.end };
}

/** `if (cond) stmt [else stmt]` (the `if` consumed), inside `depth` statements. */
function parseIf(cur: Cursor, kw: Token, depth: number): CStmt {
  cur.expectPunct('(');
  const cond = parseCond(cur);
  const close = cur.expectPunct(')');
  if (cur.atEnd || cur.isPunct('}')) cur.failAt(cur.peek(), "expected a statement after 'if (...)'");
  const then = parseStatement(cur, depth + 1);
  let otherwise: CStmt | undefined;
  if (isIdent(cur.peek(), 'else')) {
    const e = cur.next('else');
    if (cur.atEnd || cur.isPunct('}')) cur.failAt(cur.peek(), `expected a statement after '${e.text}'`);
    otherwise = parseStatement(cur, depth + 1);
  }
  return { kind: 'if', cond, then, otherwise, start: kw.start, end: close.end };
}

function parseCond(cur: Cursor): CCond {
  let cond: CCond;
  if (cur.eatPunct('!')) cond = { kind: 'truth', expr: parseUnary(cur, 0).e, negated: true };
  else {
    const lhs = parseExpr(cur);
    const op = cur.peek();
    if (op !== undefined && op.kind === 'punct' && REL_OPS.has(op.text)) {
      cur.next(op.text);
      cond = { kind: 'compare', op: op.text as RelOp, lhs, rhs: parseExpr(cur) };
    } else cond = { kind: 'truth', expr: lhs, negated: false };
  }
  const t = cur.peek();
  if (t !== undefined && (t.text === '&&' || t.text === '||')) cur.failCode('unsupported', t, `'${t.text}' is not supported: nest the ifs`);
  if (t !== undefined && t.text === '=') cur.failAt(t, "'=' in a condition: compare with '=='");
  return cond;
}

/** `int r0, r1 = e;` (the first type word consumed). */
function parseDecl(cur: Cursor, first: Token): CStmt {
  let wide = WIDE_TYPES.has(first.text);
  while (isIdent(cur.peek()) && TYPE_WORDS.has(cur.peek()!.text)) wide = WIDE_TYPES.has(cur.next('a type').text) || wide;
  const names: CDeclarator[] = [];
  while (true) {
    const pointer = cur.eatPunct('*');
    if (pointer && isPunct(cur.peek(), '*')) cur.failCode('unsupported', cur.peek()!, "pointers to pointers ('**') are not supported as local variables: hold the address in an 'int *' local");
    const name = cur.next('a variable name');
    if (!isIdent(name)) cur.failAt(name, `expected a variable name, found '${name.text}'`);
    let init: CExpr | undefined;
    if (cur.eatPunct('=')) init = parseExpr(cur);
    names.push({ name, init, ...(pointer ? { pointer: true as const } : {}) });
    if (!cur.eatPunct(',')) break;
  }
  const semi = expectSemicolon(cur);
  return { kind: 'decl', wide, names, start: first.start, end: semi.end };
}

// ---- Expressions ------------------------------------------------------------------------------

/** Binary operators of C that iolitmus does not model: a located `unsupported`, not a syntax error. */
const UNMODELLED_OPS: ReadonlySet<string> = new Set(['*', '/', '%', '<<', '>>']);

/** Binding strength of the binary operators (C: `|` < `^` < `&` < additive). */
const PRECEDENCE: ReadonlyMap<string, number> = new Map([['|', 0], ['^', 1], ['&', 2], ['+', 3], ['-', 3]]);

/** The precedence of `t` as a binary operator, or -1 when it is none. */
function precedence(t: Token): number {
  return t.kind === 'punct' ? PRECEDENCE.get(t.text) ?? -1 : -1;
}

/**
 * An expression and its height: the operators and calls on its deepest path. Inside `nest`
 * parentheses and calls, a height of at most MAX_NESTING - nest is accepted, so no expression
 * tree is more than MAX_NESTING deep and lowering's walks of it are bounded.
 */
interface Sized<E extends CExpr = CExpr> {
  readonly e: E;
  readonly height: number;
}

/** An expression. */
export function parseExpr(cur: Cursor): CExpr {
  return parseSized(cur, 0).e;
}

/**
 * An expression inside `nest` parentheses and calls. Operands and operators are read in a loop
 * and grouped with an operator stack, left to right, so a parenthesis costs the stack two frames
 * (this and parseUnary), whatever the precedence levels in between.
 */
function parseSized(cur: Cursor, nest: number): Sized {
  const operand = (): Sized => {
    const o = parseUnary(cur, nest);
    const u = cur.peek();
    if (u !== undefined && u.kind === 'punct' && UNMODELLED_OPS.has(u.text)) cur.failCode('unsupported', u, `'${u.text}' is not supported in expressions (only + - ^ & |)`);
    return o;
  };
  const operands: Sized[] = [operand()];
  const operators: Token[] = [];
  const reduce = (): void => {
    const op = operators.pop()!;
    const rhs = operands.pop()!;
    const lhs = operands.pop()!;
    // A chain groups to the left, so each operator adds a level (lowering takes one at a time).
    const height = 1 + Math.max(lhs.height, rhs.height);
    if (nest + height > MAX_NESTING) cur.failAt(op, nestingMessage('expression'));
    operands.push({ e: { kind: 'binary', op: op.text as BinaryOp, lhs: lhs.e, rhs: rhs.e, opTok: op, start: lhs.e.start, end: rhs.e.end }, height });
  };
  for (let t = cur.peek(); t !== undefined && precedence(t) >= 0; t = cur.peek()) {
    cur.next(t.text);
    while (operators.length > 0 && precedence(operators[operators.length - 1]!) >= precedence(t)) reduce();
    operators.push(t);
    operands.push(operand());
  }
  while (operators.length > 0) reduce();
  return operands[0]!;
}

function parseUnary(cur: Cursor, nest: number): Sized {
  const t = cur.next('an expression');
  const leaf = (e: CExpr): Sized => ({ e, height: 0 });
  if (t.kind === 'number') return leaf({ kind: 'num', value: numberOf(cur, t), start: t.start, end: t.end });
  if (isPunct(t, '-') && cur.peek()?.kind === 'number') {
    const n = cur.next('a number');
    return leaf({ kind: 'num', value: -numberOf(cur, n), start: t.start, end: n.end });
  }
  if (isPunct(t, '*')) {
    const ptr = cur.next('a pointer');
    if (isPunct(ptr, '(')) cur.failCode('unsupported', ptr, 'pointer arithmetic is not supported (address dependencies: write them in an AArch64 test)');
    if (isPunct(ptr, '*')) cur.failCode('unsupported', ptr, "pointers to pointers ('**') are not supported");
    if (!isIdent(ptr)) cur.failAt(ptr, `expected a pointer after '*', found '${ptr.text}'`);
    return leaf({ kind: 'deref', ptr, start: t.start, end: ptr.end });
  }
  if (isPunct(t, '(')) {
    const inner = parseSized(cur, nestedIn(cur, t, nest));
    cur.expectPunct(')');
    return inner;
  }
  if (isIdent(t)) {
    if (cur.isPunct('(')) return parseCall(cur, t, nest);
    return leaf({ kind: 'name', tok: t, start: t.start, end: t.end });
  }
  if (isPunct(t, '&')) {
    const loc = cur.next('a location');
    if (!isIdent(loc)) cur.failAt(loc, `expected a location's name after '&', found '${loc.text}'`);
    return leaf({ kind: 'addressOf', loc, start: t.start, end: loc.end });
  }
  if (t.kind === 'punct' && (t.text === '!' || t.text === '~' || t.text === '-')) cur.failCode('unsupported', t, `unary '${t.text}' is not supported here`);
  cur.failAt(t, `expected an expression, found '${t.text}'`);
}

/** One more level of nesting, opened by `at` ('(' or a call's name); an error past MAX_NESTING. */
function nestedIn(cur: Cursor, at: Token, nest: number): number {
  if (nest + 1 > MAX_NESTING) cur.failAt(at, nestingMessage('expression'));
  return nest + 1;
}

/** `name(args)` with the name consumed and '(' next; its arguments are one level deeper. */
function parseCall(cur: Cursor, name: Token, nest: number): Sized<Extract<CExpr, { kind: 'call' }>> {
  const inner = nestedIn(cur, name, nest);
  cur.expectPunct('(');
  const args: CExpr[] = [];
  let height = 1;
  if (!cur.isPunct(')')) {
    while (true) {
      const arg = parseSized(cur, inner);
      args.push(arg.e);
      height = Math.max(height, 1 + arg.height);
      if (!cur.eatPunct(',')) break;
    }
  }
  const close = cur.expectPunct(')');
  return { e: { kind: 'call', name, args, start: name.start, end: close.end }, height };
}

function numberOf(cur: Cursor, t: Token): number {
  const v = numberValue(t.text);
  if (v === undefined) {
    if (/^(?:0[xX][0-9a-fA-F]+|[0-9]+)$/.test(t.text)) cur.failCode('unsupported', t, `number '${t.text}' is too large (at most 2^53-1 is supported)`);
    cur.failAt(t, `bad number '${t.text}'`);
  }
  return v;
}
