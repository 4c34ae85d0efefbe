/**
 * Comment removal. herd's litmus files use OCaml comments `(* ... *)`, which nest; `//` line
 * comments are accepted too. Comments are replaced by spaces (newlines kept), so every offset
 * and therefore every line:col in the blanked text is the same as in the original.
 *
 * The pieces (doc strings, OCaml and line comments, the blanking) are exported for the kernel C
 * front end, whose comment rules add C's own on top of these.
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
  /** Offset of an unterminated comment opener, if any (everything after it is blanked). */
  readonly unterminatedAt: number | undefined;
}

/**
 * Blank out comments. Double-quoted strings (doc strings) are skipped up to their closing quote
 * or the end of their line, so a `(*` inside a doc string is not a comment. `//` directly after
 * a `:` is not a comment, so `Url=http://...` meta lines survive.
 */
export function stripComments(text: string): Stripped {
  const blanker = new CommentBlanker(text);
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) i = docStringEnd(text, i);
    else if (isOcamlCommentAt(text, i)) {
      const end = ocamlCommentEnd(text, i);
      blanker.blank(i, end < 0 ? n : end);
      if (end < 0) return blanker.finish(i);
      i = end;
    } else if (isLineCommentAt(text, i)) {
      const end = lineCommentEnd(text, i);
      blanker.blank(i, end);
      i = end;
    } else i++;
  }
  return blanker.finish(undefined);
}

/** Builds the blanked text: the original with the ranges given to `blank` turned into spaces. */
export class CommentBlanker {
  private readonly out: string[] = [];
  private copied = 0;

  constructor(private readonly text: string) {}

  /** Blank [start, end), keeping its newlines; ranges come in order and do not overlap. */
  blank(start: number, end: number): void {
    this.out.push(this.text.slice(this.copied, start), this.text.slice(start, end).replace(NOT_NEWLINE, ' '));
    this.copied = end;
  }

  /** The blanked text (everything after an unterminated comment at `unterminatedAt` is blank). */
  finish(unterminatedAt: number | undefined): Stripped {
    if (this.out.length === 0) return { text: this.text, unterminatedAt };
    return { text: this.out.join('') + this.text.slice(this.copied), unterminatedAt };
  }
}

/** Offset just past the doc string whose `"` is at `open`: past its closing quote, or at the end of its line. */
export function docStringEnd(text: string, open: number): number {
  let i = open + 1;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === NEWLINE) break;
    i++;
    if (d === QUOTE) break;
  }
  return i;
}

/** Does an OCaml comment `(*` start at `i`? */
export function isOcamlCommentAt(text: string, i: number): boolean {
  return text.charCodeAt(i) === LPAREN && text.charCodeAt(i + 1) === STAR;
}

/** Offset just past the `*)` closing the `(*` at `start` (they nest), or -1. */
export function ocamlCommentEnd(text: string, start: number): number {
  let depth = 1;
  let i = start + 2;
  while (i < text.length) {
    if (isOcamlCommentAt(text, i)) {
      depth++;
      i += 2;
    } else if (text.charCodeAt(i) === STAR && text.charCodeAt(i + 1) === RPAREN) {
      i += 2;
      if (--depth === 0) return i;
    } else i++;
  }
  return -1;
}

/** Does a `//` line comment start at `i`? Not right after a `:`, so `Url=http://...` survives. */
export function isLineCommentAt(text: string, i: number): boolean {
  return text.charCodeAt(i) === SLASH && text.charCodeAt(i + 1) === SLASH && (i === 0 || text.charCodeAt(i - 1) !== COLON);
}

/** Where the line comment at `i` ends: at its newline (kept), or at the end of the text. */
export function lineCommentEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
}
