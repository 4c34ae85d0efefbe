/**
 * Tokens of the init section, the thread cells and the condition, and a cursor over them.
 *
 * Tokens keep their offsets into the source, so any diagnostic points at the exact token.
 * The scanner is a char-code loop over a class table (no regular expressions per token).
 * @internal
 */
import { Context, isSpace } from './source.js';

export type TokenKind = 'ident' | 'number' | 'punct';

export interface Token {
  /** 'ident': `[A-Za-z_][A-Za-z0-9_.]*` (the dot, in AArch64 only, keeps `B.EQ` whole); 'number': a digit then
   * letters/digits (validated later, so `0x1F` and a bad `12ab` are one token); 'punct': one
   * symbol, or one of the language's two-character symbols (LexicalRules.pairs). */
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

// Character classes for ASCII: 1 = starts an identifier, 2 = digit, 0 = other.
const IDENT_START = 1;
const DIGIT = 2;
const CLASS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) CLASS[c] = IDENT_START;
for (let c = 97; c <= 122; c++) CLASS[c] = IDENT_START;
CLASS[95] = IDENT_START; // _
for (let c = 48; c <= 57; c++) CLASS[c] = DIGIT;
const DOT = 46;

function isWordChar(c: number): boolean {
  return c < 128 && CLASS[c] !== 0;
}

/** What tells one litmus language's tokens from another's (the kernel C front end has its own). */
export interface LexicalRules {
  /** Whether an identifier continues through dots (AArch64 keeps `B.EQ` whole; C has none). */
  readonly dotInIdent: boolean;
  /** The two-character symbols, kept as one punct token. */
  readonly pairs: ReadonlySet<string>;
}

/** AArch64 litmus: dotted identifiers, and herd's condition symbols `/\` `\/` `!=` `=>` `<>`. */
const AARCH64_RULES: LexicalRules = { dotInIdent: true, pairs: new Set(['/\\', '\\/', '!=', '=>', '<>']) };

/** Split text[start, end) into AArch64 tokens. Whitespace separates; every other character is a token. */
export function tokenize(text: string, start: number, end: number): Token[] {
  return scanTokens(text, start, end, AARCH64_RULES);
}

/**
 * Split text[start, end) into tokens by `rules`: an identifier, a number (a digit then letters
 * and digits, kept whole so a bad `12ab` is one diagnostic) or one symbol (a pair of `rules`, or
 * one character). Whitespace separates.
 */
export function scanTokens(text: string, start: number, end: number, rules: LexicalRules): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const s = i;
    const cls = c < 128 ? CLASS[c]! : 0;
    // herd's names may start with a dot (a label `.text:`); `.+8` stays a dot and a sign.
    const dotName = c === DOT && rules.dotInIdent && i + 1 < end && CLASS[text.charCodeAt(i + 1)] === IDENT_START;
    if (cls === IDENT_START || dotName) {
      i++;
      while (i < end) {
        const d = text.charCodeAt(i);
        if (isWordChar(d) || (d === DOT && rules.dotInIdent)) i++;
        else break;
      }
      tokens.push({ kind: 'ident', text: text.slice(s, i), start: s, end: i });
    } else if (cls === DIGIT) {
      i++;
      while (i < end && isWordChar(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'number', text: text.slice(s, i), start: s, end: i });
    } else {
      const two = i + 1 < end ? text.slice(i, i + 2) : '';
      i += rules.pairs.has(two) ? 2 : 1;
      tokens.push({ kind: 'punct', text: text.slice(s, i), start: s, end: i });
    }
  }
  return tokens;
}

/**
 * A cursor over a token list. `fail` records a syntax error at a token and throws the shared
 * Abort, which the item's parser (one init item, one cell, the condition) catches.
 */
export class Cursor {
  private i = 0;

  /**
   * @param endOffset where "unexpected end" errors point when the list is exhausted.
   * @param endName how messages name that end (a cell ends at its '|' or ';').
   */
  constructor(
    readonly ctx: Context,
    readonly tokens: readonly Token[],
    readonly endOffset: number,
    readonly endName = 'end of input',
  ) {}

  /** How a token, or the end of the list, is named in messages. */
  describe(t: Token | undefined): string {
    return t === undefined ? this.endName : `'${t.text}'`;
  }

  get atEnd(): boolean {
    return this.i >= this.tokens.length;
  }

  peek(k = 0): Token | undefined {
    return this.tokens[this.i + k];
  }

  /** The token just consumed (for spans ending at it). */
  get last(): Token | undefined {
    return this.tokens[this.i - 1];
  }

  /** End offset of the last consumed token, or of `fallback` when none was consumed. */
  lastEnd(fallback: number): number {
    return this.i > 0 ? this.tokens[this.i - 1]!.end : fallback;
  }

  next(what: string): Token {
    const t = this.tokens[this.i];
    if (t === undefined) this.failAt(undefined, `expected ${what}, found ${this.endName}`);
    this.i++;
    return t;
  }

  isPunct(text: string, k = 0): boolean {
    const t = this.tokens[this.i + k];
    return t !== undefined && t.kind === 'punct' && t.text === text;
  }

  eatPunct(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.i++;
    return true;
  }

  expectPunct(text: string): Token {
    const t = this.tokens[this.i];
    if (t === undefined || t.kind !== 'punct' || t.text !== text) this.failAt(t, `expected '${text}', found ${this.describe(t)}`);
    this.i++;
    return t;
  }

  /** Is the next token the identifier `word` (case-insensitive)? */
  isWord(word: string, k = 0): boolean {
    const t = this.tokens[this.i + k];
    return t !== undefined && t.kind === 'ident' && t.text.toLowerCase() === word;
  }

  /** Syntax error at `t` (or at the end when undefined). */
  failAt(t: Token | undefined, message: string): never {
    if (t === undefined) this.ctx.fail('syntax', message, this.endOffset, this.endOffset + 1);
    const k = this.indexOf(t);
    const percent = [t, this.tokens[k + 1]].find((u) => u?.kind === 'punct' && u.text === '%');
    // herd's symbolic registers (`%r`, `X%r`: herd picks a register for each) stop the parse here.
    if (percent !== undefined) this.ctx.fail('unsupported', "unsupported: herd's symbolic registers ('%name')", percent.start, percent.end + 1);
    this.ctx.fail('syntax', message, t.start, t.end);
  }

  /**
   * Where `t` is in the list, or -1. Tokens are in text order, so a binary search: a text with
   * an error at every token stays linear.
   */
  private indexOf(t: Token): number {
    let lo = 0;
    let hi = this.tokens.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const u = this.tokens[mid]!;
      if (u.start < t.start) lo = mid + 1;
      else if (u.start > t.start) hi = mid - 1;
      else return u === t ? mid : -1;
    }
    return -1;
  }

  /** Error of any code at `t`. */
  failCode(code: 'syntax' | 'unsupported' | 'semantic', t: Token, message: string): never {
    this.ctx.fail(code, message, t.start, t.end);
  }

  /** Require that every token was consumed. */
  expectEnd(after: string): void {
    const t = this.tokens[this.i];
    if (t !== undefined) this.failAt(t, `unexpected ${this.describe(t)} after ${after}`);
  }
}

/** A location name (an identifier): what mappings, page-table entries, `PTE(x)` and `[x]` name. */
export function expectLocation(cur: Cursor): Token {
  const loc = cur.next('a location');
  if (loc.kind !== 'ident') cur.failAt(loc, `expected a location, found '${loc.text}'`);
  return loc;
}
