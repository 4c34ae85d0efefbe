/** The verdict matrix as a table: scenario × assumptions -> verdict, with a one-line reason. */
import type { MatrixRow } from '../pipeline/matrix.js';
import { rowMatches } from './matrix-summary.js';

/** ok, MISMATCH, or — for a partial search, which answers nothing — not judged. */
function expectedCell(r: MatrixRow): string {
  const m = rowMatches(r);
  if (r.expected === null) return '';
  return m === null ? `not judged (${r.expected})` : m ? 'ok' : `MISMATCH (${r.expected})`;
}

export function formatMatrix(rows: readonly MatrixRow[]): string {
  const head = ['scenario', 'model', 'fabric', 'kvm', 'fwb', 'other', 'verdict', 'expected', 'reason'];
  const cells = rows.map((r) => [
    r.scenario,
    r.model,
    r.assumptions.fabric,
    r.assumptions.kvm ?? '-',
    r.assumptions.fwb === null ? '-' : r.assumptions.fwb ? 'on' : 'off',
    r.assumptions.extra ?? '-',
    r.verdict,
    expectedCell(r),
    r.reason,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.slice(0).map((c) => (i === head.length - 1 ? 0 : c[i]!.length))));
  const line = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ').trimEnd();
  const mismatches = rows.filter((r) => rowMatches(r) === false).length;
  const checked = rows.filter((r) => rowMatches(r) !== null).length;
  const unjudged = rows.filter((r) => r.expected !== null && rowMatches(r) === null).length;
  const summary = `${rows.length} runs; ${checked} checked against an expected verdict, ${mismatches} mismatches${unjudged ? `, ${unjudged} with an expected verdict but no answer (partial search)` : ''}`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line), '', summary].join('\n') + '\n';
}
