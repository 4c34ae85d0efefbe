/** The verdict matrix as a table: scenario × assumptions -> verdict, with a one-line reason. */
import type { MatrixRow } from '../pipeline/matrix.js';

export function formatMatrix(rows: readonly MatrixRow[]): string {
  const head = ['scenario', 'fabric', 'kvm', 'fwb', 'other', 'verdict', 'expected', 'reason'];
  const cells = rows.map((r) => [
    r.scenario,
    r.assumptions.fabric,
    r.assumptions.kvm ?? '-',
    r.assumptions.fwb === null ? '-' : r.assumptions.fwb ? 'on' : 'off',
    r.assumptions.extra ?? '-',
    r.verdict,
    r.expected === null ? '' : r.expected === r.verdict ? 'ok' : `MISMATCH (${r.expected})`,
    r.reason,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.slice(0).map((c) => (i === head.length - 1 ? 0 : c[i]!.length))));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ').trimEnd();
  const mismatches = rows.filter((r) => r.expected !== null && r.expected !== r.verdict).length;
  const checked = rows.filter((r) => r.expected !== null).length;
  const summary = `${rows.length} runs; ${checked} with an expected verdict, ${mismatches} mismatches`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), '', summary].join('\n') + '\n';
}
