/**
 * Comment removal. herd's litmus files use OCaml comments `(* ... *)`, which nest; `//` line
 * comments are accepted too. Comments are replaced by spaces (newlines kept), so every offset
 * and therefore every line:col in the blanked text is the same as in the original.
 * @internal
 */

const QUOTE = 34; // "
const LPAREN = 40; // (
const STAR = 42; // *
const RPAREN = 41; // )
const SLASH = 47; // /
const COLON = 58; // :
const NEWLINE = 10;

const NOT_NEWLINE = /[^\n\r]/g;

/** The result of blanking comments. */
export interface Stripped {
  readonly text: string;
  /** Offset of an unterminated `(*`, if any (everything after it is blanked). */
  readonly unterminatedAt: number | undefined;
}

/**
 * Blank out comments. Double-quoted strings (doc strings) are skipped up to their closing quote
 * or the end of their line, so a `(*` inside a doc string is not a comment. `//` directly after
 * a `:` is not a comment, so `Url=http://...` meta lines survive.
 */
export function stripComments(text: string): Stripped {
  let out: string[] | undefined;
  let copied = 0;
  const n = text.length;
  let i = 0;
  const blank = (start: number, end: number): void => {
    out ??= [];
    out.push(text.slice(copied, start), text.slice(start, end).replace(NOT_NEWLINE, ' '));
    copied = end;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === NEWLINE) break;
        i++;
        if (d === QUOTE) break;
      }
    } else if (c === LPAREN && text.charCodeAt(i + 1) === STAR) {
      const start = i;
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        const d = text.charCodeAt(i);
        if (d === LPAREN && text.charCodeAt(i + 1) === STAR) {
          depth++;
          i += 2;
        } else if (d === STAR && text.charCodeAt(i + 1) === RPAREN) {
          depth--;
          i += 2;
        } else i++;
      }
      blank(start, i);
      if (depth > 0) return { text: finish(), unterminatedAt: start };
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH && (i === 0 || text.charCodeAt(i - 1) !== COLON)) {
      const start = i;
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      blank(start, i);
    } else i++;
  }
  return { text: finish(), unterminatedAt: undefined };

  function finish(): string {
    if (out === undefined) return text;
    out.push(text.slice(copied));
    return out.join('');
  }
}
