/**
 * herd7's `Hash=` line: the test's own `Hash=` meta line if it has one, else the digest herd
 * computes (lib/testHash.ml, herd 7.58), for AArch64 tests.
 *
 * How herd computes it, in short: four MD5 digests, of the metadata, the init state, the code and
 * the observed locations, are concatenated as raw bytes and hashed once more; the hex of that is
 * the Hash. The metadata part only counts the memory-type keys (and is empty without them). The
 * init part prints each item (`loc=value`, `type loc=value`, `type *loc=value`, `type x[n]`),
 * values as written, sorted by location, joined by "; ". The code part prints each thread's
 * instructions with herd's hash printer (herd-hash-instr.ts), labels renamed L00, L01... in
 * sorted order, in columns like a litmus file: cells ` %-w ` joined by '|', lines ending ";\n".
 * The observed part is the set of locations named by `locations [...]` and by the condition,
 * sorted, joined by "; ".
 *
 * Where iolitmus cannot be sure to print what herd prints (device extensions, page-table values,
 * instruction forms herd does not read or prints otherwise), there is no Hash: a missing line is
 * better than a wrong one.
 */
import type { InitItem, LitmusTest, Prop, StateRef, Thread, Value } from '../syntax/ast.js';
import type { Span } from '../syntax/diagnostics.js';
import { herdHashInstruction } from './herd-hash-instr.js';
import { md5, md5String, toHex } from './md5.js';

/** The value herd prints on the test's `Hash=` line, or undefined for no line. */
export function herdHash(test: LitmusTest, source: string): string | undefined {
  const own = Object.keys(test.meta).find((key) => key.toLowerCase() === 'hash');
  // herd prints the line only for a key spelt `Hash`; any spelling stops it computing one.
  if (own !== undefined) return own === 'Hash' ? test.meta[own] : undefined;
  if (test.arch !== 'AArch64') return undefined;
  if (test.topology.length > 0 || test.registers.length > 0 || test.mappings.length > 0) return undefined;
  const init = initText(test.init, source);
  const code = codeText(test.threads);
  const observed = observedText(test, source);
  if (init === undefined || code === undefined || observed === undefined) return undefined;
  const parts = [infoDigest(test.meta), md5String(init), md5String(code), md5String(observed)];
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return toHex(md5(all));
}


const DIGESTED_KEYS = ['memorytype', 'mt', 'cachetype'];

/** The metadata digest: `key=value` of the memory-type keys (lower-case keys, reverse sorted order). */
function infoDigest(meta: Readonly<Record<string, string>>): Uint8Array {
  const keys = Object.keys(meta).filter((key) => DIGESTED_KEYS.includes(key.toLowerCase()));
  if (keys.length === 0) return new Uint8Array(0);
  keys.sort(byteCompare).reverse();
  return md5String(keys.map((key) => `${key.toLowerCase()}=${meta[key]}`).join(''));
}

/** OCaml's String.compare on ASCII text. */
function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Locations (herd's location_compare and its "old" printing)

interface Loc {
  /** 0 registers, 1 globals (herd orders registers first). */
  readonly rank: 0 | 1;
  readonly thread: number;
  readonly name: string;
  /** An array cell `x[i]` of the condition (herd's Deref, after every plain location). */
  readonly index: number | undefined;
}

/**
 * herd keeps a register of the init section or the condition as written (`0:x1` stays `x1`), so
 * its spelling is read back from the source; `N:name` or `PN:name` in the text of `span`.
 */
function writtenReg(source: string, span: Span): string | undefined {
  const m = /(?:^|[^\w])P?\d+\s*:\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(spanText(source, span));
  return m?.[1];
}

function locOf(ref: StateRef, source: string): Loc | undefined {
  if (ref.kind === 'loc') return { rank: 1, thread: 0, name: ref.loc, index: ref.index };
  const name = writtenReg(source, ref.span);
  return name === undefined ? undefined : { rank: 0, thread: ref.thread, name, index: undefined };
}

function locCompare(a: Loc, b: Loc): number {
  if ((a.index === undefined) !== (b.index === undefined)) return a.index === undefined ? -1 : 1;
  return a.rank - b.rank || a.thread - b.thread || byteCompare(a.name, b.name) || (a.index ?? 0) - (b.index ?? 0);
}

function locText(l: Loc): string {
  const base = l.rank === 0 ? `${l.thread}:${l.name}` : l.name;
  return l.index === undefined ? base : `${base}[${l.index}]`;
}

/** Sorted, without duplicates. */
function sortedSet(locs: Loc[]): Loc[] {
  locs.sort(locCompare);
  return locs.filter((l, i) => i === 0 || locCompare(l, locs[i - 1]!) !== 0);
}

// ---------------------------------------------------------------------------------------------
// Init

/** The text of `span` in `source` (1-based lines and columns, end exclusive). */
function spanText(source: string, span: Span): string {
  const lines = source.split('\n');
  if (span.line === span.endLine) return (lines[span.line - 1] ?? '').slice(span.col - 1, span.endCol - 1);
  const first = (lines[span.line - 1] ?? '').slice(span.col - 1);
  const middle = lines.slice(span.line, span.endLine - 1);
  const last = (lines[span.endLine - 1] ?? '').slice(0, span.endCol - 1);
  return [first, ...middle, last].join('\n');
}

/** A value as herd's "old" printer shows it; integers as written in the item. */
function valueText(v: Value, itemText: string): string | undefined {
  switch (v.kind) {
    case 'int': {
      const eq = itemText.indexOf('=');
      if (eq < 0) return v.value === 0n ? '0' : undefined;
      const written = itemText.slice(eq + 1).trim();
      return /^(-?\d+|0[xX][0-9a-fA-F]+)$/.test(written) ? written : undefined;
    }
    case 'addr':
      // `NOP` is an instruction value to herd (printed with an `ins_t` type): not done here.
      // VMSA names (PTE(x)) print in herd's hash in a form not checked here: no line.
      return v.offset || v.loc === 'NOP' || v.loc === 'nop' || v.loc.startsWith('PTE(') || v.loc.startsWith('S2PTE(') ? undefined : v.loc;
    case 'label':
      return `${v.thread}:${v.label}`;
    case 'array':
    case 'pte':
    case 'pa':
      return undefined;
  }
}

/** One init item as herd prints it for the hash, with its location for sorting. */
function initItem(item: InitItem, source: string): { loc: Loc; text: string } | undefined {
  const loc = item.kind === 'reg' ? locOf({ kind: 'reg', thread: item.thread, reg: item.reg, span: item.span }, source) : locOf({ kind: 'loc', loc: item.loc, span: item.span }, source);
  if (loc === undefined) return undefined;
  const where = locText(loc);
  const type = item.type;
  if (item.kind === 'loc' && item.count !== undefined) return type !== undefined && /^\w+$/.test(type) ? { loc, text: `${type} ${where}[${item.count}]` } : undefined;
  const value = valueText(item.value, spanText(source, item.span));
  if (value === undefined) return undefined;
  if (type === undefined) return { loc, text: `${where}=${value}` };
  const pointer = /^(\w+)\*$/.exec(type);
  if (pointer) return { loc, text: `${pointer[1]} *${where}=${value}` };
  return /^(_Atomic )?\w+$/.test(type) ? { loc, text: `${type} ${where}=${value}` } : undefined;
}

/** The init part: items sorted by location (the first of equal locations kept), "; "-joined. */
function initText(init: readonly InitItem[], source: string): string | undefined {
  const items: { loc: Loc; text: string }[] = [];
  for (const item of init) {
    const printed = initItem(item, source);
    if (printed === undefined) return undefined;
    items.push(printed);
  }
  // A stable sort, like OCaml's List.sort on lists.
  items.sort((a, b) => locCompare(a.loc, b.loc));
  const kept = items.filter((it, i) => i === 0 || locCompare(it.loc, items[i - 1]!.loc) !== 0);
  return kept.map((it) => it.text).join('; ');
}

// ---------------------------------------------------------------------------------------------
// Code

/** Every label a program defines or names, renamed L00, L01... in sorted order. */
function labelNames(threads: readonly Thread[]): Map<string, string> {
  const names = new Set<string>();
  for (const t of threads)
    for (const i of t.code) {
      if (i.kind === 'label') names.add(i.name);
      else if ((i.kind === 'branch' || i.kind === 'adr') && 'label' in i.target) names.add(i.target.label);
    }
  const sorted = [...names].sort(byteCompare);
  return new Map(sorted.map((l, n) => [l, `L${String(n).padStart(2, '0')}`]));
}

/** Each thread's lines as herd's hash printer shows them. */
function threadLines(t: Thread, rename: (l: string) => string): string[] | undefined {
  const out: string[] = [];
  for (const i of t.code) {
    if (i.kind === 'label') {
      out.push(`${rename(i.name)}:`);
      continue;
    }
    if (i.asm === undefined) return undefined;
    const line = herdHashInstruction(i.asm, rename);
    if (line === undefined) return undefined;
    out.push(line);
  }
  return out;
}

/** The code part: the columns padded to their widest cell, like herd's Misc.string_of_prog. */
function codeText(threads: readonly Thread[]): string | undefined {
  if (threads.some((t, i) => t.agent !== 'cpu' || t.id !== i)) return undefined;
  const names = labelNames(threads);
  const rename = (l: string): string => names.get(l) ?? l;
  const columns: string[][] = [];
  for (const t of threads) {
    const lines = threadLines(t, rename);
    if (lines === undefined) return undefined;
    columns.push(lines);
  }
  const widths = columns.map((c) => c.reduce((w, s) => Math.max(w, s.length), 0));
  const height = columns.reduce((h, c) => Math.max(h, c.length), 0);
  let text = '';
  for (let row = 0; row < height; row++) text += columns.map((c, i) => ` ${(c[row] ?? '').padEnd(widths[i]!)} `).join('|') + ';\n';
  return text;
}

// ---------------------------------------------------------------------------------------------
// Observed locations

/** The locations a condition reads; undefined when it uses iolitmus-only atoms. */
function propLocs(p: Prop, source: string, out: Loc[]): boolean {
  switch (p.kind) {
    case 'true':
    case 'false':
      return true;
    case 'not':
      return propLocs(p.arg, source, out);
    case 'and':
    case 'or':
    case 'implies':
      return propLocs(p.args[0], source, out) && propLocs(p.args[1], source, out);
    case 'eq':
    case 'ne': {
      const l = locOf(p.lhs, source);
      if (l !== undefined) out.push(l);
      return l !== undefined;
    }
    case 'fault':
      if (p.loc !== undefined) out.push({ rank: 1, thread: 0, name: p.loc, index: undefined });
      return true;
    default:
      return false;
  }
}

/** The observed part: `locations [...]` and the condition's locations, as a sorted set. */
function observedText(test: LitmusTest, source: string): string | undefined {
  const locs: Loc[] = [];
  for (const ref of test.locations) {
    const l = locOf(ref, source);
    if (l === undefined) return undefined;
    locs.push(l);
  }
  if (test.condition && !propLocs(test.condition.prop, source, locs)) return undefined;
  return sortedSet(locs).map(locText).join('; ');
}
