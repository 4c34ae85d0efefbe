/**
 * The text of a generated test, laid out as diy7 lays it out: name line, the cycle as doc string,
 * `key=value` lines, the initial state (address registers), thread columns, and the final
 * condition (locations written more than once, then the registers of each thread).
 */
import { cycleText } from './canonical.js';
import type { Cycle } from './cycle.js';
import type { ThreadCode } from './emit.js';

/** Optional header lines: the relaxed and safe edges a cycle came from (enumeration only). */
export interface HeaderInfo {
  readonly relax?: readonly string[];
  readonly safe?: readonly string[];
}

const LETTERS = 'xyzabcdefghijklmnopqrstuvw';

/** diy's location names: x, y, z, then a, b, c ... */
export function locationName(loc: number): string {
  return loc < LETTERS.length ? LETTERS[loc]! : `x${loc}`;
}

/** The litmus text of a test. */
export function litmusText(name: string, cycle: Cycle, code: readonly ThreadCode[], info: HeaderInfo = {}): string {
  const text = cycleText(cycle.edges);
  const coms = cycle.edges.filter((e) => e.kind.cls === 'external').map((e) => e.kind.com!);
  const header = [`AArch64 ${name}`, `"${text}"`, `Cycle=${text}`];
  if (info.relax) header.push(`Relax=${info.relax.join(' ')}`);
  if (info.safe) header.push(`Safe=${info.safe.join(' ')}`);
  header.push('Generator=iolitmus gen', `Com=${coms.join(' ')}`, `Orig=${text}`);
  return [...header, ...initBlock(code), ...columns(code), condition(cycle, code), ''].join('\n');
}

function initBlock(code: readonly ThreadCode[]): string[] {
  const lines = code.map((t, i) => t.init.map((r) => `${i}:X${r.reg}=${locationName(r.loc)};`).join(' '));
  return ['{', ...lines, '}'];
}

/** Thread columns, each padded to its widest line, as herd prints them. */
function columns(code: readonly ThreadCode[]): string[] {
  const cells = code.map((t, i) => [`P${i}`, ...t.lines]);
  const widths = cells.map((c) => Math.max(...c.map((l) => l.length)));
  const rows = Math.max(...cells.map((c) => c.length));
  const out: string[] = [];
  for (let r = 0; r < rows; r++) {
    out.push(cells.map((c, i) => ` ${(c[r] ?? '').padEnd(widths[i]!)} `).join('|') + ';');
  }
  return out;
}

/** `exists (...)`: the final value of locations written twice or more, then each observed register. */
function condition(cycle: Cycle, code: readonly ThreadCode[]): string {
  const finals = cycle.finals
    .map((f) => ({ loc: locationName(f.loc), value: f.value }))
    .sort((a, b) => (a.loc < b.loc ? -1 : a.loc > b.loc ? 1 : 0))
    .map((f) => `[${f.loc}]=${f.value}`);
  const regs = code.flatMap((t, i) => t.observed.map((o) => `${i}:X${o.reg}=${o.value}`));
  return `exists (${[...finals, ...regs].join(' /\\ ')})`;
}
