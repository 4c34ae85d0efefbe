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

import { CommentBlanker, docStringEnd, isLineCommentAt, isOcamlCommentAt, lineCommentEnd, ocamlCommentEnd, type Stripped } from '../shared/comments.js';

const QUOTE = 34; // "
const STAR = 42; // *
const SLASH = 47; // /
const LBRACE = 123; // {
const RBRACE = 125; // }

/** The result of blanking comments. */
export type CStripped = Stripped;

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Blank out the comments of a C litmus text (see the file comment for the rules). */
export function stripCComments(text: string): CStripped {
  const blanker = new CommentBlanker(text);
  const n = text.length;
  // Brace depth, and whether the first brace group (the init section) has closed.
  let depth = 0;
  let initDone = false;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const inBody = initDone && depth > 0;
    if (c === QUOTE && !inBody) {
      i = docStringEnd(text, i); // a doc string runs to its closing quote or the end of its line
    } else if (isOcamlCommentAt(text, i) && (!inBody || isBlank(text.charCodeAt(i + 2)))) {
      const end = ocamlCommentEnd(text, i);
      blanker.blank(i, end < 0 ? n : end);
      if (end < 0) return blanker.finish(i);
      i = end;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const close = text.indexOf('*/', i + 2);
      blanker.blank(i, close < 0 ? n : close + 2);
      if (close < 0) return blanker.finish(i);
      i = close + 2;
    } else if (isLineCommentAt(text, i)) {
      const end = lineCommentEnd(text, i);
      blanker.blank(i, end);
      i = end;
    } else {
      if (c === LBRACE) depth++;
      else if (c === RBRACE && depth > 0 && --depth === 0) initDone = true;
      i++;
    }
  }
  return blanker.finish(undefined);
}
