/**
 * The syntax layer's public API: litmus text -> AST, with diagnostics instead of exceptions.
 */
import { stripComments } from './shared/comments.js';
import { firstWord } from './shared/header.js';
import { parseAArch64, unsupportedArchMessage } from './aarch64/parser.js';
import { statedResult } from './shared/stated-result.js';
import { parseC } from './c/parser.js';
import { error, spanAt } from './diagnostics.js';
import type { ParseResult } from './parse-result.js';

export type { ParseResult } from './parse-result.js';
export { parseAArch64 } from './aarch64/parser.js';
export { parseC } from './c/parser.js';
export * from './ast.js';
export * from './diagnostics.js';
export { MAX_DIAGNOSTICS, MAX_NESTING, MAX_TEXT_CHARS } from './limits.js';
import { MAX_TEXT_CHARS } from './limits.js';

/**
 * Parse a litmus test of any supported architecture, chosen by the first word of the text:
 * `AArch64` (herd's AArch64 litmus) or `C` (kernel C litmus, lowered to AArch64). Other
 * architectures give one 'unsupported' diagnostic naming the architecture.
 */
export function parseLitmus(text: string): ParseResult {
  if (text.length > MAX_TEXT_CHARS) {
    const message = `the text has ${text.length.toLocaleString('en')} characters; a litmus test may have at most ${MAX_TEXT_CHARS.toLocaleString('en')}`;
    return { test: undefined, diagnostics: [error('syntax', message, spanAt(1, 1))] };
  }
  // Comments may precede the architecture line; blanking keeps offsets, so spans stay right.
  const word = firstWord(stripComments(text).text);
  if (word === undefined || word.text.toLowerCase() === 'aarch64') return withStated(parseAArch64(text), text);
  if (word.text === 'C') return withStated(parseC(text), text);
  return { test: undefined, diagnostics: [error('unsupported', unsupportedArchMessage(word), spanOf(text, word.start, word.end))] };
}

/** The parsed test with the verdict its `Result:` comment states, if any, and its values' radix. */
function withStated(r: ParseResult, text: string): ParseResult {
  if (!r.test) return r;
  const stated = statedResult(text);
  const hex = HEX_VALUE.test(stripComments(text).text);
  return stated || hex ? { ...r, test: { ...r.test, ...(stated ? { stated } : {}), ...(hex ? { radix: 16 as const } : {}) } } : r;
}

/**
 * A value written in hex: after `=`, `#`, `,` or `(` (an init value, an immediate, an argument).
 * An offset after `:` (`nic.bar0:0x10`) is an address, not a value.
 */
const HEX_VALUE = /[=#,(]\s*-?0x[0-9a-f]+/i;

/** 1-based span of [start, end) in text. */
function spanOf(text: string, start: number, end: number) {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) line++;
  return spanAt(line, start - lineStart + 1, end - start);
}
