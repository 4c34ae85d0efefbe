/**
 * Parser of model files (grammar in docs/models.md). Operators, loosest first: `|`, `;`, `\`,
 * `&`, `*` (product of sets); then the postfix `+ * ? ^-1`. Chains of one associative operator
 * are built as balanced trees, and `a \ b \ c` as `a \ (b | c)`, so no tree is deeper than the
 * text nests (at most MAX_NESTING levels): walking one never exhausts a stack.
 */
import { error, spanAt, type Diagnostic, type Span } from '../../syntax/diagnostics.js';
import { MAX_NESTING, MAX_TEXT_CHARS } from '../../syntax/limits.js';
import type { Binding, CheckKind, Expr, ModelFile, Statement } from './ast.js';
import { tokenize, type Token } from './lexer.js';

export const KEYWORDS = new Set(['let', 'rec', 'and', 'as', 'acyclic', 'irreflexive', 'empty', 'flag', 'include', 'if', 'then', 'else', 'domain', 'range', 'with', 'from', 'orientations']);
const CHECKS = new Set<string>(['acyclic', 'irreflexive', 'empty']);

class ParseError extends Error {}

const join = (a: Span, b: Span): Span => ({ line: a.line, col: a.col, endLine: b.endLine, endCol: b.endCol });

function balanced(op: 'union' | 'inter' | 'seq', items: readonly Expr[]): Expr {
  let level = items;
  while (level.length > 1) {
    const next: Expr[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push({ kind: 'binary', op, left: level[i]!, right: level[i + 1]!, span: join(level[i]!.span, level[i + 1]!.span) });
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

class Parser {
  private at = 0;
  private depth = 0;
  constructor(private readonly tokens: readonly Token[], private readonly diagnostics: Diagnostic[]) {}

  private get tok(): Token {
    return this.tokens[this.at]!;
  }
  private is(text: string): boolean {
    return (this.tok.kind === 'punct' || this.tok.kind === 'name') && this.tok.text === text;
  }
  private fail(message: string, span: Span = this.tok.span): never {
    this.diagnostics.push(error('syntax', message, span));
    throw new ParseError(message);
  }
  private expect(text: string, what = `'${text}'`): Token {
    if (!this.is(text)) this.fail(`expected ${what}, found ${this.describe()}`);
    return this.tokens[this.at++]!;
  }
  private describe(): string {
    return this.tok.kind === 'end' ? 'the end of the file' : `'${this.tok.text}'`;
  }
  private name(what: string): Token {
    if (this.tok.kind !== 'name' || KEYWORDS.has(this.tok.text)) this.fail(`expected ${what}, found ${this.describe()}`);
    return this.tokens[this.at++]!;
  }

  file(): ModelFile {
    let title: string | undefined;
    if (this.tok.kind === 'string') title = this.tokens[this.at++]!.text;
    const statements: Statement[] = [];
    while (this.tok.kind !== 'end') {
      try {
        statements.push(this.statement());
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.recover();
      }
    }
    return { title, statements };
  }

  /** After an error, go on at the next statement keyword. */
  private recover(): void {
    if (this.tok.kind !== 'end') this.at++;
    while (this.tok.kind !== 'end' && !['let', 'include', 'flag', 'with', ...CHECKS].some((k) => this.is(k))) this.at++;
  }

  private statement(): Statement {
    const start = this.tok.span;
    if (this.is('let')) {
      this.at++;
      const rec = this.is('rec') && this.at++ >= 0;
      const bindings = [this.binding()];
      while (this.is('and')) {
        this.at++;
        bindings.push(this.binding());
      }
      return { kind: 'let', rec, bindings, span: join(start, bindings[bindings.length - 1]!.body.span) };
    }
    if (this.is('include')) {
      this.at++;
      if (this.tok.kind !== 'string') this.fail(`expected a file name in quotes after 'include', found ${this.describe()}`);
      const file = this.tokens[this.at++]!;
      return { kind: 'include', file: file.text, span: join(start, file.span) };
    }
    if (this.is('with')) return this.withStatement(start);
    return this.check(start);
  }

  /** `with NAME from orientations(P, L)`. */
  private withStatement(start: Span): Statement {
    this.at++;
    const name = this.name('a name to define');
    this.expect('from', "'from orientations(P, L)' after the name");
    this.expect('orientations', "'orientations(P, L)'");
    this.expect('(');
    const pairs = this.expr();
    this.expect(',');
    const order = this.expr();
    const close = this.tok;
    this.expect(')');
    return { kind: 'with', name: name.text, nameSpan: name.span, pairs, order, span: join(start, close.span) };
  }

  private binding(): Binding {
    const name = this.name('a name to define');
    this.expect('=');
    return { name: name.text, span: name.span, body: this.expr() };
  }

  private check(start: Span): Statement {
    const flag = this.is('flag') && this.at++ >= 0;
    const negated = this.is('~') && this.at++ >= 0;
    if (this.tok.kind !== 'name' || !CHECKS.has(this.tok.text)) this.fail(`expected a statement (let, include, acyclic, irreflexive, empty or flag), found ${this.describe()}`);
    const test = this.tokens[this.at++]!.text as CheckKind;
    const expr = this.expr();
    this.expect('as', "'as NAME' after the checked relation");
    const name = this.name('the name of the check');
    return { kind: 'check', flag, negated, test, expr, name: name.text, span: join(start, name.span) };
  }

  private expr(): Expr {
    return this.chain('|', 'union', () => this.chain(';', 'seq', () => this.difference()));
  }

  /** `item op item op ...` of one associative operator, as a balanced tree. */
  private chain(sym: string, op: 'union' | 'inter' | 'seq', item: () => Expr): Expr {
    const items = [item()];
    while (this.is(sym)) {
      this.at++;
      items.push(item());
    }
    return balanced(op, items);
  }

  private difference(): Expr {
    const left = this.chain('&', 'inter', () => this.product());
    if (!this.is('\\')) return left;
    const removed: Expr[] = [];
    while (this.is('\\')) {
      this.at++;
      removed.push(this.chain('&', 'inter', () => this.product()));
    }
    const right = balanced('union', removed);
    return { kind: 'binary', op: 'diff', left, right, span: join(left.span, right.span) };
  }

  private product(): Expr {
    const left = this.postfix();
    if (!this.is('*') || !this.startsAtom(this.tokens[this.at + 1]!)) return left;
    this.at++;
    const right = this.postfix();
    return { kind: 'binary', op: 'product', left, right, span: join(left.span, right.span) };
  }

  private startsAtom(t: Token): boolean {
    if (t.kind === 'name') return !KEYWORDS.has(t.text) || ['domain', 'range', 'if'].includes(t.text);
    return t.kind === 'number' || (t.kind === 'punct' && (t.text === '(' || t.text === '['));
  }

  private postfix(): Expr {
    let e = this.atom();
    for (;;) {
      const t = this.tok;
      if (this.is('+') || this.is('?') || (this.is('*') && !this.startsAtom(this.tokens[this.at + 1]!))) {
        this.at++;
        e = { kind: 'postfix', op: t.text === '+' ? 'plus' : t.text === '?' ? 'opt' : 'star', arg: e, span: join(e.span, t.span) };
      } else if (this.is('^')) {
        this.at++;
        this.expect('-', "'^-1' (the inverse)");
        const one = this.tok;
        if (one.kind !== 'number' || one.text !== '1') this.fail(`expected '^-1' (the inverse), found ${this.describe()}`);
        this.at++;
        e = { kind: 'postfix', op: 'inverse', arg: e, span: join(e.span, one.span) };
      } else return e;
    }
  }

  private atom(): Expr {
    const t = this.tok;
    if (t.kind === 'number') {
      if (t.text !== '0') this.fail(`'${t.text}' is no relation: the only number is 0, the empty relation`);
      this.at++;
      return { kind: 'empty', span: t.span };
    }
    if (this.is('(') || this.is('[')) return this.nested(t);
    if (this.is('domain') || this.is('range')) {
      this.at++;
      this.expect('(', `'(' after '${t.text}'`);
      const arg = this.nest(() => this.expr());
      const close = this.expect(')');
      return { kind: 'call', fn: t.text as 'domain' | 'range', arg, span: join(t.span, close.span) };
    }
    if (this.is('if')) return this.conditional();
    const name = this.name('a set or relation');
    return { kind: 'name', name: name.text, span: name.span };
  }

  private nested(open: Token): Expr {
    // The depth is counted at the bracket, so an error points at the one that opens too deep.
    const inner = this.nest(() => {
      this.at++;
      return this.expr();
    });
    const close = this.expect(open.text === '(' ? ')' : ']');
    return open.text === '(' ? { ...inner, span: join(open.span, close.span) } : { kind: 'identity', arg: inner, span: join(open.span, close.span) };
  }

  private nest<T>(f: () => T): T {
    if (++this.depth > MAX_NESTING) this.fail(`expression nested deeper than ${MAX_NESTING} levels`);
    try {
      return f();
    } finally {
      this.depth--;
    }
  }

  private conditional(): Expr {
    const start = this.tok.span;
    this.at++;
    const v = this.tok;
    if (v.kind !== 'string') this.fail(`expected a variant name in quotes after 'if', found ${this.describe()}`);
    this.at++;
    this.expect('then');
    const then = this.nest(() => this.expr());
    this.expect('else', "'else' (every 'if' has one)");
    const otherwise = this.nest(() => this.expr());
    return { kind: 'if', variant: v.text, variantSpan: v.span, then, else: otherwise, span: join(start, otherwise.span) };
  }
}

/** Parse a model file's text: the file, and its syntax errors (the file is partial when there are any). */
export function parseModel(text: string): { file: ModelFile; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  if (text.length > MAX_TEXT_CHARS) {
    diagnostics.push(error('syntax', `the model has ${text.length.toLocaleString('en')} characters; a model file may have at most ${MAX_TEXT_CHARS.toLocaleString('en')}`, spanAt(1, 1)));
    return { file: { title: undefined, statements: [] }, diagnostics };
  }
  const tokens = tokenize(text, diagnostics);
  const file = new Parser(tokens, diagnostics).file();
  return { file, diagnostics };
}
