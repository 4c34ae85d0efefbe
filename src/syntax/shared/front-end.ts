/**
 * The steps every litmus front end shares (AArch64 here, kernel C in ../c/): blank the
 * comments, check the first word, then parse the body; the header and the init section (herd's
 * items plus the device items, parsed and checked the same way in both languages); and the
 * final sorting of the diagnostics into a ParseResult.
 * @internal
 */
import type { LitmusTest, RegisterDecl, TopologyDecl } from '../ast.js';
import type { ParseResult } from '../parse-result.js';
import type { Stripped } from './comments.js';
import { checkRegisterInits, checkRegisters, checkTopology, type NodeKind } from './device-checks.js';
import { firstWord, parseHeader, type Header, type Word } from './header.js';
import { parseInit, type InitSection } from './init.js';
import { Context, Source } from './source.js';
import { tokenize } from './tokens.js';

/** What one front end brings to `parseLitmusWith`. */
export interface FrontEnd {
  /** Blank the comments of a text in this language (offsets kept). */
  readonly stripComments: (text: string) => Stripped;
  /** The message for an unterminated comment. */
  readonly unterminatedComment: string;
  /** How a test in this language starts, for the empty-file message: `AArch64 NAME`. */
  readonly firstLine: string;
  /** The diagnostic for a first word that does not start a test in this language, or undefined when it does. */
  readonly wrongArch: (arch: Word) => { readonly code: 'syntax' | 'unsupported'; readonly message: string } | undefined;
  /** Everything after the first word; undefined when an error stops the parse. */
  readonly parseBody: (ctx: Context, arch: Word) => LitmusTest | undefined;
}

/** Parse a litmus test with `fe`. Never throws on bad text: errors come back as diagnostics. */
export function parseLitmusWith(text: string, fe: FrontEnd): ParseResult {
  const stripped = fe.stripComments(text);
  const ctx = new Context(new Source(stripped.text));
  if (stripped.unterminatedAt !== undefined) {
    // Everything after it is blanked, so parsing on would only produce follow-on errors.
    ctx.report('syntax', fe.unterminatedComment, stripped.unterminatedAt, stripped.unterminatedAt + 2);
    return finish(ctx, undefined);
  }
  const arch = firstWord(stripped.text);
  if (arch === undefined) {
    ctx.report('syntax', `empty file: expected a first line like '${fe.firstLine}'`, 0, 1);
    return finish(ctx, undefined);
  }
  const wrong = fe.wrongArch(arch);
  if (wrong !== undefined) {
    ctx.report(wrong.code, wrong.message, arch.start, arch.end);
    return finish(ctx, undefined);
  }
  return finish(ctx, fe.parseBody(ctx, arch));
}

/** The header and the checked init section. */
export interface HeadAndInit {
  readonly header: Header;
  /** Offset of the '}' closing the init section. */
  readonly close: number;
  readonly init: InitSection;
  readonly nodes: ReadonlyMap<string, NodeKind>;
  readonly topology: readonly TopologyDecl[];
  readonly registers: readonly RegisterDecl[];
}

/**
 * Parse the header and the init section `{ ... }` and check its devices. `skipQuoted`: whether
 * a quoted string inside the init hides its braces from the search for the closing '}' (the
 * AArch64 front end does, the C front end does not). Undefined after an error that stops the parse.
 */
export function parseHeadAndInit(ctx: Context, arch: Word, skipQuoted: boolean): HeadAndInit | undefined {
  const text = ctx.src.text;
  const header = parseHeader(ctx, arch);
  if (header === undefined) return undefined;
  const close = matchingBrace(text, header.initStart, skipQuoted);
  if (close < 0) {
    ctx.report('syntax', "unterminated init section: missing '}'", header.initStart, header.initStart + 1);
    return undefined;
  }
  const init = parseInit(ctx, tokenize(text, header.initStart + 1, close));
  const { nodes, topology } = checkTopology(ctx, init.topology);
  const registers = checkRegisters(ctx, init.registers, nodes);
  checkRegisterInits(ctx, init.items, init.registers);
  return { header, close, init, nodes, topology, registers };
}

/** Offset of the '}' closing the '{' at `open` (herd's array values `{1,2}` nest), or -1. */
function matchingBrace(text: string, open: number, skipQuoted: boolean): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
    else if (c === 34 && skipQuoted) {
      // Skip a quoted string (`instr:"NOP"`) up to its closing quote or the end of the line.
      i++;
      while (i < text.length && text.charCodeAt(i) !== 34 && text.charCodeAt(i) !== 10) i++;
    }
  }
  return -1;
}

/** Diagnostics sorted by position; the test only when nothing is an error. */
function finish(ctx: Context, test: LitmusTest | undefined): ParseResult {
  return { test: ctx.hasErrors ? undefined : test, diagnostics: ctx.sorted() };
}
