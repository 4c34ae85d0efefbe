/**
 * The lines before the init section: `ARCH NAME` (optionally followed by a quoted doc string),
 * then any number of quoted doc lines and `key=value` lines (herd's `Hash=`, `Cycle=`,
 * `Variant=`, ...), up to the line that starts with '{'. Other text there is skipped with a
 * warning, as herd's splitter skips it.
 * @internal
 */
import { type Context, isSpace } from './source.js';

const QUOTE = 34;
const LBRACE = 123;
const HAS_SPACE = /\s/;

/** A whitespace-delimited word and its offsets. */
export interface Word {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** The first word at or after `from` on the same line, or undefined if the rest is blank. */
function wordAt(text: string, from: number, lineEnd: number): Word | undefined {
  let i = from;
  while (i < lineEnd && isSpace(text.charCodeAt(i))) i++;
  if (i >= lineEnd) return undefined;
  const start = i;
  while (i < lineEnd && !isSpace(text.charCodeAt(i))) i++;
  return { text: text.slice(start, i), start, end: i };
}

/** The first word of the text (the architecture, in a litmus file). */
export function firstWord(text: string): Word | undefined {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  if (i >= text.length) return undefined;
  const nl = text.indexOf('\n', i);
  return wordAt(text, i, nl < 0 ? text.length : nl);
}

export interface Header {
  readonly name: string;
  /** Where the name is written. */
  readonly nameSpan: import('../diagnostics.js').Span;
  readonly doc: string | undefined;
  readonly meta: Readonly<Record<string, string>>;
  /** Offset of the '{' that opens the init section. */
  readonly initStart: number;
}

/**
 * Parse from the architecture word (already checked by the caller) to the '{'. Returns
 * undefined after a diagnostic when the structure is too broken to go on.
 */
export function parseHeader(ctx: Context, arch: Word): Header | undefined {
  const { src } = ctx;
  const text = src.text;
  const archLine = src.lineIndexOf(arch.start);
  const name = wordAt(text, arch.end, src.lineEnd(archLine));
  if (name === undefined) {
    ctx.report('syntax', `missing test name after '${arch.text}'`, arch.end, arch.end + 1);
    return undefined;
  }
  const docs: string[] = [];
  const meta: Record<string, string> = {};
  // The rest of the name line may hold a doc string.
  if (!readDoc(ctx, name.end, src.lineEnd(archLine), docs, 'the test name')) return undefined;
  const skipped: Word[] = [];
  for (let li = archLine + 1; li < src.lineCount; li++) {
    const ls = src.lineStart(li);
    const le = src.lineEnd(li);
    let i = ls;
    while (i < le && isSpace(text.charCodeAt(i))) i++;
    if (i === le) continue;
    const c = text.charCodeAt(i);
    if (c === LBRACE) {
      for (const w of skipped) ctx.warn('syntax', `'${w.text}' before the init section is ignored (a header line is "key=value" or a quoted doc)`, w.start, w.end);
      return { name: name.text, nameSpan: src.span(name.start, name.end), doc: docs.length > 0 ? docs.join('\n') : undefined, meta, initStart: i };
    }
    if (c === QUOTE) {
      if (!readDoc(ctx, i, le, docs, 'the doc string')) return undefined;
      continue;
    }
    const eq = text.indexOf('=', i);
    const key = eq >= 0 && eq < le ? text.slice(i, eq).trim() : '';
    if (key === '' || HAS_SPACE.test(key)) {
      skipped.push(wordAt(text, i, le)!);
      continue;
    }
    meta[key] = text.slice(eq + 1, le).trim();
    // herd reads header keys in any case (`variant=fatal`).
    if (key.toLowerCase() === 'variant' && !checkVariant(ctx, meta[key]!, i, le)) return undefined;
  }
  // With no init section at all, the first unexpected line is where it was due.
  const at = skipped[0];
  if (at !== undefined) ctx.report('syntax', `expected '{' to start the init section, found '${at.text}'`, at.start, at.end);
  else ctx.report('syntax', "missing init section '{ ... }'", text.length, text.length + 1);
  return undefined;
}

/**
 * herd's variants iolitmus models (lower case; herd reads them in any case): `mixed`
 * (byte-granular memory), `vmsa` (its synonym `kvm`: translation through the test's page tables)
 * and its fault handling: `fatal` (`precise`: a faulting thread stops, herd's default), `skip`
 * (`faultToNext`: it goes on with the next instruction), `handled` (`imprecise`: it runs the
 * faulting instruction again, once).
 */
export const MODELLED_VARIANTS: ReadonlySet<string> = new Set(['mixed', 'vmsa', 'kvm', 'fatal', 'precise', 'skip', 'faulttonext', 'handled', 'imprecise']);

/** A header line's value by key, in any case, as herd reads keys (`variant=`, `Variant=`). */
export function metaValue(meta: Readonly<Record<string, string>>, key: string): string | undefined {
  const k = key.toLowerCase();
  const found = Object.keys(meta).find((m) => m.toLowerCase() === k);
  return found === undefined ? undefined : meta[found];
}

/** The names a `Variant=` line lists. */
export function variantNames(line: string): string[] {
  return line.split(/[,\s]+/).filter((v) => v !== '');
}

/**
 * herd's `Variant=` line names semantics beyond plain AArch64 (vmsa, memtag, ifetch, fatal,
 * morello, ...): reported at the line, before anything else the variant may explain, never ignored.
 */
function checkVariant(ctx: Context, line: string, start: number, end: number): boolean {
  const other = variantNames(line).filter((v) => !MODELLED_VARIANTS.has(v.toLowerCase()));
  if (other.length === 0) return true;
  ctx.report('unsupported', `unsupported: herd's variant${other.length > 1 ? 's' : ''} ${other.map((v) => `'${v}'`).join(', ')} (modelled: ${[...MODELLED_VARIANTS].map((v) => `'${v}'`).join(', ')})`, start, end);
  return false;
}

/** Read `"..."` at [from, lineEnd) if present; anything else there is an error. */
function readDoc(ctx: Context, from: number, lineEnd: number, docs: string[], after: string): boolean {
  const text = ctx.src.text;
  let i = from;
  while (i < lineEnd && isSpace(text.charCodeAt(i))) i++;
  if (i === lineEnd) return true;
  if (text.charCodeAt(i) !== QUOTE) {
    const w = wordAt(text, i, lineEnd)!;
    ctx.report('syntax', `unexpected '${w.text}' after ${after}`, w.start, w.end);
    return false;
  }
  const close = text.indexOf('"', i + 1);
  if (close < 0 || close >= lineEnd) {
    ctx.report('syntax', 'unterminated doc string', i, i + 1);
    return false;
  }
  docs.push(text.slice(i + 1, close));
  return readDoc(ctx, close + 1, lineEnd, docs, 'the doc string');
}
