/**
 * The verdict matrix at a glance: the totals first, then one entry per scenario — its verdict,
 * split only along the assumptions that change it ("KVM 6.8: Never · 6.9: Sometimes"), whether
 * it is what the scenario's expectations say, and the question the scenario asks.
 */
import type { MatrixRow } from '../pipeline/matrix.js';

/** The dimensions a split may follow, in the order they are tried, with how a value reads. */
const DIMENSIONS: readonly { readonly name: string; readonly value: (r: MatrixRow) => string | null }[] = [
  { name: 'model', value: (r) => r.model },
  { name: 'KVM', value: (r) => r.assumptions.kvm },
  { name: 'fabric', value: (r) => r.assumptions.fabric },
  { name: 'FWB', value: (r) => (r.assumptions.fwb === null ? null : r.assumptions.fwb ? 'on' : 'off') },
  { name: 'with', value: (r) => r.assumptions.extra ?? 'defaults' },
];

/** What a row says, in the words of herd's Observation where there is one. */
function said(r: MatrixRow): string {
  if (r.verdict === 'error') return `error (${r.reason})`;
  if (r.verdict === 'partial') return `unknown (${r.reason})`;
  return r.observation ?? r.verdict;
}

/**
 * The verdicts of one scenario's rows: one word when they agree; else split along the first
 * dimension (or pair of dimensions) whose values decide the verdict; else every row.
 */
export function verdictSplit(rows: readonly MatrixRow[]): string {
  const words = new Set(rows.map(said));
  if (words.size === 1) return [...words][0]!;
  const decides = (dims: readonly (typeof DIMENSIONS)[number][]) => {
    const byKey = new Map<string, string>();
    for (const r of rows) {
      // One dimension: its values (the label names it once); two: each value with its name.
      const key = dims.length === 1 ? (dims[0]!.value(r) ?? '-') : dims.map((d) => `${d.name} ${d.value(r) ?? '-'}`).join(', ');
      const prev = byKey.get(key);
      if (prev !== undefined && prev !== said(r)) return undefined;
      byKey.set(key, said(r));
    }
    return byKey;
  };
  const candidates = [...DIMENSIONS.map((d) => [d]), ...DIMENSIONS.flatMap((a, i) => DIMENSIONS.slice(i + 1).map((b) => [a, b]))];
  for (const dims of candidates) {
    if (dims.some((d) => rows.every((r) => d.value(r) === null))) continue;
    const split = decides(dims);
    if (!split) continue;
    const label = dims.length === 1 ? `${dims[0]!.name} ` : '';
    const entries = [...split];
    // All but one setting agree: say the rule and its exception.
    const odd = entries.filter(([, v]) => entries.filter(([, w]) => w === v).length === 1);
    if (entries.length > 2 && odd.length === 1) {
      const usual = entries.find(([, v]) => v !== odd[0]![1])![1];
      return `${usual}, except ${label}${odd[0]![0]}: ${odd[0]![1]}`;
    }
    return `${label}${entries.map(([k, v]) => `${k}: ${v}`).join(' · ')}`;
  }
  return rows.map((r) => `${DIMENSIONS.map((d) => d.value(r)).filter((v) => v !== null).join(' ')}: ${said(r)}`).join(' · ');
}

/** Whether a row is as expected (true), not (false), or has no expectation / cannot be judged (null). */
export function rowMatches(r: MatrixRow): boolean | null {
  // A run that gave no answer (a partial search, an error) is not judged: errors are counted apart.
  if (r.expected === null || r.verdict === 'partial' || r.verdict === 'error') return null;
  return r.expected === r.verdict;
}

export function formatMatrixSummary(rows: readonly MatrixRow[]): string {
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const checked = rows.filter((r) => rowMatches(r) !== null);
  const wrong = rows.filter((r) => rowMatches(r) === false);
  const errors = rows.filter((r) => r.verdict === 'error').length;
  const partial = rows.filter((r) => r.verdict === 'partial').length;
  const out = [
    `${scenarios.length} scenarios, ${rows.length} runs: ${checked.length} runs checked against expected verdicts, ${wrong.length} mismatches, ${errors} errors, ${partial} partial.`,
    'Never: no execution reaches the condition; Sometimes: some do. `--table` shows every run with its reason.',
    '',
  ];
  const width = Math.max(...scenarios.map((s) => s.length));
  for (const s of scenarios) {
    const mine = rows.filter((r) => r.scenario === s);
    const bad = mine.filter((r) => rowMatches(r) === false);
    // The model is named only where the scenario has rows of two (a kernel C test: lkmm, aarch64).
    const models = new Set(mine.map((r) => r.model)).size;
    const settings = (r: MatrixRow) => DIMENSIONS.filter((d) => d.name !== 'model' || models > 1).map((d) => d.value(r)).filter((v) => v !== null && v !== 'defaults').join(' ');
    const mark = bad.length ? `  MISMATCH: expected ${bad.map((r) => `${r.expected} (${settings(r)})`).join(', ')}` : mine.some((r) => rowMatches(r) === true) ? '  (as expected)' : '';
    out.push(`${s.padEnd(width)}  ${verdictSplit(mine)}${mark}`);
    const question = mine[0]?.question;
    if (question) out.push(`${' '.repeat(width)}  ${question}`);
    const regime = mine.find((r) => r.regime)?.regime;
    if (regime) out.push(`${' '.repeat(width)}  Regimes: ${regime}`);
    // For a Never of the test as written, the rule that forbids it (the row the expectation judges).
    const asWritten = mine.find((r) => r.expected !== null) ?? mine[0];
    if (asWritten?.verdict === 'forbidden') out.push(`${' '.repeat(width)}  Why: ${asWritten.reason}`);
  }
  return out.join('\n') + '\n';
}
