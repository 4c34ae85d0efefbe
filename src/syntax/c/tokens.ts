/**
 * Tokens of C function definitions. The same token shape and scanner as the AArch64 front end's
 * (so its Cursor and diagnostics work unchanged), with C's lexical rules: identifiers have no
 * dots, and the two-character operators are C's (`==`, `&&`, `->`, ...).
 * @internal
 */
import { scanTokens, type LexicalRules, type Token } from '../shared/tokens.js';

/** C's two-character operators (recognised so that errors name them whole). */
const C_RULES: LexicalRules = {
  dotInIdent: false,
  pairs: new Set(['==', '!=', '<=', '>=', '&&', '||', '<<', '>>', '->', '++', '--', '+=', '-=', '*=', '/=', '|=', '&=', '^=']),
};

/** Split text[start, end) into C tokens; whitespace separates, every other character is a token. */
export function tokenizeC(text: string, start: number, end: number): Token[] {
  return scanTokens(text, start, end, C_RULES);
}
