/**
 * herd7 AArch64 litmus text -> LitmusTest.
 *
 * Hand-written scanner and recursive descent, no parsing library: the file mixes line-oriented
 * parts (name line, doc and key=value lines, one table row per line split into columns by '|')
 * with token-oriented ones (init, instructions, condition), and every diagnostic needs the exact
 * line:col of the token at fault. A generator (lezer, chevrotain, peggy) would need the column
 * layout handled outside the grammar anyway, and would add a dependency to the browser-pure
 * core; the whole front end is a few hundred lines that run in one pass over the text.
 *
 * Sections are found first (header up to '{', init up to '}', the table up to the first line
 * starting with exists/~/forall/locations/filter, the condition to the end), then each is parsed;
 * errors inside an init item or a cell skip just that item, so one run reports every bad
 * instruction without cascading. The device extensions tie the sections together: the table's
 * device columns need the init's topology, and the init's device registers and mappings, the
 * locations and the condition need the table's columns, so those are resolved after the table.
 */
import type { LitmusTest } from '../ast.js';
import type { ParseResult } from '../parse-result.js';
import { resolveInterrupts } from '../shared/interrupts.js';
import { stripComments } from '../shared/comments.js';
import { parseConditionSection } from './condition.js';
import { checkNamedVmids, resolveGuestThreads, resolveThreadTags, resolveInit, resolveMappings, usedLocations } from '../shared/device-checks.js';
import { parseHeadAndInit, parseLitmusWith, type FrontEnd } from '../shared/front-end.js';
import type { Word } from '../shared/header.js';
import { parseProgram } from './program.js';
import { type Context, type Source, isSpace } from '../shared/source.js';
import { threadScope } from '../shared/thread-scope.js';

/** First words of a line that end the thread table. */
const CONDITION_KEYWORDS: ReadonlySet<string> = new Set(['exists', 'forall', 'locations', 'filter']);

const AARCH64: FrontEnd = {
  stripComments,
  unterminatedComment: "unterminated comment: '(*' without a matching '*)'",
  firstLine: 'AArch64 NAME',
  wrongArch: (arch) => (arch.text.toLowerCase() === 'aarch64' ? undefined : { code: 'unsupported', message: unsupportedArchMessage(arch) }),
  parseBody,
};

/** Parse an AArch64 litmus test. Never throws on bad text: errors come back as diagnostics. */
export function parseAArch64(text: string): ParseResult {
  return parseLitmusWith(text, AARCH64);
}

/** The message for a first word that is neither `AArch64` nor `C`. */
export function unsupportedArchMessage(arch: Word): string {
  return `unsupported architecture '${arch.text}': iolitmus reads AArch64 and kernel C litmus tests`;
}

function parseBody(ctx: Context, arch: Word): LitmusTest | undefined {
  const { src } = ctx;
  const text = src.text;
  const head = parseHeadAndInit(ctx, arch, true);
  if (head === undefined) return undefined;
  const { header, close, init, nodes, topology, registers } = head;

  const condStart = findConditionStart(src, close + 1);
  const threads = parseProgram(ctx, close + 1, condStart, nodes);
  if (threads === undefined) {
    ctx.report('syntax', "missing thread table: expected a header row like 'P0 | P1 ;'", condStart, condStart + 1);
    return undefined;
  }
  const scope = threadScope(threads);
  const { locations, locationFaults, condition, filter } = condStart < text.length ? parseConditionSection(ctx, condStart, text.length, scope) : { locations: [], locationFaults: [], condition: undefined, filter: undefined };
  const items = resolveInit(ctx, init.items, scope);
  const mappings = resolveMappings(ctx, init.mappings, scope, usedLocations(init.items, init.registers, locations, condition?.prop));
  const guestThreads = resolveGuestThreads(ctx, init.guestThreads, scope);
  checkNamedVmids(ctx, init.tags, new Set([...guestThreads, ...mappings.filter((m) => m.s2 !== undefined).map((m) => m.thread)]));
  const { msis, tlpAttrs } = resolveInterrupts(ctx, init.msis, init.tlps, scope);
  return { arch: 'AArch64', name: header.name, nameSpan: header.nameSpan, doc: header.doc, meta: header.meta, init: items, threads, topology, registers, mappings, guestThreads, vmids: resolveThreadTags(ctx, init.tags, 'vmid', scope),
    asids: resolveThreadTags(ctx, init.tags, 'asid', scope), locations, ...(locationFaults.length > 0 ? { locationFaults } : {}), ...(msis.length > 0 ? { msis } : {}), ...(tlpAttrs.length > 0 ? { tlpAttrs } : {}), ...(filter !== undefined ? { filter } : {}), condition };
}

/** Offset of the first line at/after `from` that starts the condition section, or text end. */
function findConditionStart(src: Source, from: number): number {
  const text = src.text;
  for (let li = src.lineIndexOf(from); li < src.lineCount; li++) {
    const le = src.lineEnd(li);
    let i = Math.max(src.lineStart(li), from);
    while (i < le && isSpace(text.charCodeAt(i))) i++;
    if (i === le) continue;
    if (text[i] === '~') return i;
    let j = i;
    while (j < le && isLowerLetter(text.charCodeAt(j))) j++;
    // A keyword followed by a word character or ':' is a label or a name, not the keyword.
    const after = text.charCodeAt(j);
    if (j > i && CONDITION_KEYWORDS.has(text.slice(i, j)) && !(isWordChar(after) || after === 58)) return i;
  }
  return text.length;
}

function isLowerLetter(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
