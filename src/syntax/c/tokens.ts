/**
 * Tokens of C function definitions. The same token shape as the AArch64 front end's (so its
 * Cursor and diagnostics work unchanged), with C's lexical rules: identifiers have no dots, and
 * the two-character operators are C's (`==`, `&&`, `->`, ...).
 * @internal
 */
import { isSpace } from '../aarch64/source.js';
import type { Token } from '../aarch64/tokens.js';

/** C's two-character operators (recognised so that errors name them whole). */
const PAIRS: ReadonlySet<string> = new Set(['==', '!=', '<=', '>=', '&&', '||', '<<', '>>', '->', '++', '--', '+=', '-=', '*=', '/=', '|=', '&=', '^=']);

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isWordChar(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

/** Split text[start, end) into C tokens; whitespace separates, every other character is a token. */
export function tokenizeC(text: string, start: number, end: number): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const s = i;
    if (isIdentStart(c)) {
      while (i < end && isWordChar(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'ident', text: text.slice(s, i), start: s, end: i });
    } else if (c >= 48 && c <= 57) {
      // A digit then letters/digits: `0x1f`, or a malformed `12ab` kept whole for the diagnostic.
      while (i < end && isWordChar(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'number', text: text.slice(s, i), start: s, end: i });
    } else {
      const two = i + 1 < end ? text.slice(i, i + 2) : '';
      const len = PAIRS.has(two) ? 2 : 1;
      i += len;
      tokens.push({ kind: 'punct', text: text.slice(s, i), start: s, end: i });
    }
  }
  return tokens;
}
