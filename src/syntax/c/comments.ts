/**
 * Comment removal for kernel C litmus files.
 *
 * A C litmus file mixes herd's OCaml comments `(* ... *)` (header, init section, condition) with
 * C code, where `(*` is ordinary syntax: `READ_ONCE(*x)`. So the rule depends on where the text
 * is. Outside function bodies `(*` always opens a (nesting) comment, as in the AArch64 front end.
 * Inside a function body — a `{ ... }` group after the init section — `/* ... *\/` and `//` are
 * comments, and `(*` opens an OCaml comment only when a space, tab or newline follows it (so
 * `(* wait for the doorbell *)` is a comment and `(*x)` is code). `//` is a comment everywhere,
 * except right after a `:` (`Url=http://...` meta lines).
 *
 * Comments become spaces (newlines kept), so every offset, and therefore every line:col, is the
 * same as in the original text.
 * @internal
 */

const QUOTE = 34; // "
const LPAREN = 40; // (
const RPAREN = 41; // )
const STAR = 42; // *
const SLASH = 47; // /
const COLON = 58; // :
const LBRACE = 123; // {
const RBRACE = 125; // }
const NEWLINE = 10;

const NOT_NEWLINE = /[^\n\r]/g;

/** The result of blanking comments. */
export interface CStripped {
  readonly text: string;
  /** Offset of an unterminated comment opener, if any (everything after it is blanked). */
  readonly unterminatedAt: number | undefined;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Blank out the comments of a C litmus text (see the file comment for the rules). */
export function stripCComments(text: string): CStripped {
  const out: string[] = [];
  let copied = 0;
  const n = text.length;
  const blank = (start: number, end: number): void => {
    out.push(text.slice(copied, start), text.slice(start, end).replace(NOT_NEWLINE, ' '));
    copied = end;
  };
  const finish = (unterminatedAt: number | undefined): CStripped => {
    out.push(text.slice(copied));
    return { text: out.join(''), unterminatedAt };
  };
  // Brace depth, and whether the first brace group (the init section) has closed.
  let depth = 0;
  let initDone = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    const inBody = initDone && depth > 0;
    if (c === QUOTE && !inBody) {
      // A doc string runs to its closing quote or the end of its line.
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === NEWLINE) break;
        i++;
        if (d === QUOTE) break;
      }
    } else if (c === LPAREN && next === STAR && (!inBody || isBlank(text.charCodeAt(i + 2)))) {
      const end = ocamlCommentEnd(text, i);
      blank(i, end < 0 ? n : end);
      if (end < 0) return finish(i);
      i = end;
    } else if (c === SLASH && next === STAR) {
      const close = text.indexOf('*/', i + 2);
      blank(i, close < 0 ? n : close + 2);
      if (close < 0) return finish(i);
      i = close + 2;
    } else if (c === SLASH && next === SLASH && (i === 0 || text.charCodeAt(i - 1) !== COLON)) {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? n : nl;
      blank(i, end);
      i = end;
    } else {
      if (c === LBRACE) depth++;
      else if (c === RBRACE && depth > 0 && --depth === 0) initDone = true;
      i++;
    }
  }
  return finish(undefined);
}

/** Offset just past the `*)` closing the `(*` at `start` (they nest), or -1. */
function ocamlCommentEnd(text: string, start: number): number {
  let depth = 1;
  let i = start + 2;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === LPAREN && text.charCodeAt(i + 1) === STAR) {
      depth++;
      i += 2;
    } else if (d === STAR && text.charCodeAt(i + 1) === RPAREN) {
      i += 2;
      if (--depth === 0) return i;
    } else i++;
  }
  return -1;
}
