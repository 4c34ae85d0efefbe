/**
 * Tokens of a model file. Names may contain `.` and `-` after their first character
 * (`dmb.full`, `po-loc`), as in herd's cat; comments are `(* ... *)` and nest.
 */
import { error, type Diagnostic, type Span } from '../../syntax/diagnostics.js';
import { Source } from '../../syntax/shared/source.js';

export type TokenKind = 'name' | 'string' | 'number' | 'punct' | 'end';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly span: Span;
}

const PUNCT = new Set(['|', '&', '\\', ';', '*', '+', '?', '^', '[', ']', '(', ')', '=', '~', '-', ',']);

/** The offset just past the comment that starts at `at` (nested comments included), or -1 if it never ends. */
function commentEnd(text: string, at: number): number {
  let depth = 0;
  let i = at;
  for (;;) {
    const open = text.indexOf('(*', i);
    const close = text.indexOf('*)', i);
    if (close < 0) return -1;
    if (open >= 0 && open < close) {
      depth++;
      // `(*)` opens and closes: the `*` may start the `*)`.
      i = open + 1;
    } else {
      depth--;
      i = close + 2;
      if (depth === 0) return i;
    }
  }
}

const isNameStart = (ch: string) => (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || ch === '_';
const isDigit = (ch: string) => ch >= '0' && ch <= '9';
const isNameChar = (ch: string) => isNameStart(ch) || isDigit(ch) || ch === '.';
const isSpace = (ch: string) => ch === ' ' || ch === '\n' || ch === '\t' || ch === '\r' || (ch > '\x7f' || ch === '\f' || ch === '\v') && /\s/.test(ch);

export function tokenize(text: string, diagnostics: Diagnostic[]): Token[] {
  const pos = new Source(text);
  const out: Token[] = [];
  const ch = (i: number) => text[i] ?? '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const start = i;
    if (isSpace(c)) i++;
    else if (c === '(' && ch(i + 1) === '*') {
      const end = commentEnd(text, i);
      if (end < 0) {
        diagnostics.push(error('syntax', 'comment never closed: (* needs a matching *)', pos.span(start, text.length)));
        i = text.length;
      } else i = end;
    } else if (isNameStart(c)) {
      // A '-' continues a name when a letter follows it (po-loc), not before a digit (^-1).
      while (isNameChar(ch(i)) || (ch(i) === '-' && isNameStart(ch(i + 1)))) i++;
      out.push({ kind: 'name', text: text.slice(start, i), span: pos.span(start, i) });
    } else if (isDigit(c)) {
      while (isDigit(ch(i))) i++;
      out.push({ kind: 'number', text: text.slice(start, i), span: pos.span(start, i) });
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"' && text[i] !== '\n') i++;
      const value = text.slice(start + 1, i);
      if (text[i] === '"') i++;
      else diagnostics.push(error('syntax', 'string never closed: a " is missing on this line', pos.span(start, i)));
      out.push({ kind: 'string', text: value, span: pos.span(start, i) });
    } else if (PUNCT.has(c)) {
      i++;
      out.push({ kind: 'punct', text: c, span: pos.span(start, i) });
    } else {
      // One character (a surrogate pair stays whole).
      const cp = text.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      diagnostics.push(error('syntax', `unexpected character ${JSON.stringify(String.fromCodePoint(cp))}`, pos.span(start, i)));
    }
  }
  out.push({ kind: 'end', text: 'end of file', span: pos.span(text.length, text.length) });
  return out;
}
