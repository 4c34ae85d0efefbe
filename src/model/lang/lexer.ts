/**
 * Tokens of a model file. Names may contain `.` and `-` after their first character
 * (`dmb.full`, `po-loc`), as in herd's cat; comments are `(* ... *)` and nest.
 */
import { error, type Diagnostic, type Span } from '../../syntax/diagnostics.js';

export type TokenKind = 'name' | 'string' | 'number' | 'punct' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly span: Span;
}

const PUNCT = new Set(['|', '&', '\\', ';', '*', '+', '?', '^', '[', ']', '(', ')', '=', '~', '-']);

/** Position bookkeeping: offset to line and column. */
class Cursor {
  line = 1;
  col = 1;
  constructor(readonly text: string, public at = 0) {}
  peek(k = 0): string {
    return this.text[this.at + k] ?? '';
  }
  advance(): void {
    if (this.text[this.at] === '\n') {
      this.line++;
      this.col = 1;
    } else this.col++;
    this.at++;
  }
  span(line: number, col: number): Span {
    return { line, col, endLine: this.line, endCol: this.col };
  }
}

/** Skip a comment that starts at the cursor; false if it never ends (reported by the caller). */
function skipComment(c: Cursor): boolean {
  let depth = 0;
  while (c.at < c.text.length) {
    if (c.peek() === '(' && c.peek(1) === '*') {
      depth++;
      c.advance();
    } else if (c.peek() === '*' && c.peek(1) === ')') {
      depth--;
      c.advance();
      c.advance();
      if (depth === 0) return true;
      continue;
    }
    c.advance();
  }
  return false;
}

const isNameStart = (ch: string) => /[A-Za-z_]/.test(ch);
const isNameChar = (ch: string) => /[A-Za-z0-9_.]/.test(ch);

export function tokenize(text: string, diagnostics: Diagnostic[]): Token[] {
  const c = new Cursor(text);
  const out: Token[] = [];
  while (c.at < text.length) {
    const ch = c.peek();
    const line = c.line;
    const col = c.col;
    if (/\s/.test(ch)) c.advance();
    else if (ch === '(' && c.peek(1) === '*') {
      if (!skipComment(c)) diagnostics.push(error('syntax', 'comment never closed: (* needs a matching *)', c.span(line, col)));
    } else if (isNameStart(ch)) {
      const start = c.at;
      // A '-' continues a name when a letter follows it (po-loc), not before a digit (^-1).
      while (isNameChar(c.peek()) || (c.peek() === '-' && isNameStart(c.peek(1)))) c.advance();
      out.push({ kind: 'name', text: text.slice(start, c.at), span: c.span(line, col) });
    } else if (/[0-9]/.test(ch)) {
      const start = c.at;
      while (/[0-9]/.test(c.peek())) c.advance();
      out.push({ kind: 'number', text: text.slice(start, c.at), span: c.span(line, col) });
    } else if (ch === '"') {
      out.push(readString(c, diagnostics));
    } else if (PUNCT.has(ch)) {
      c.advance();
      out.push({ kind: 'punct', text: ch, span: c.span(line, col) });
    } else {
      c.advance();
      diagnostics.push(error('syntax', `unexpected character ${JSON.stringify(ch)}`, c.span(line, col)));
    }
  }
  out.push({ kind: 'end', text: 'end of file', span: { line: c.line, col: c.col, endLine: c.line, endCol: c.col } });
  return out;
}

function readString(c: Cursor, diagnostics: Diagnostic[]): Token {
  const line = c.line;
  const col = c.col;
  c.advance();
  const start = c.at;
  while (c.at < c.text.length && c.peek() !== '"' && c.peek() !== '\n') c.advance();
  const value = c.text.slice(start, c.at);
  if (c.peek() === '"') c.advance();
  else diagnostics.push(error('syntax', 'string never closed: a " is missing on this line', c.span(line, col)));
  return { kind: 'string', text: value, span: c.span(line, col) };
}
