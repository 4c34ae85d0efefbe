/** Shared helpers for tests: run litmus text through the public core API. */
import assert from 'node:assert/strict';
import { checkText, type CheckOptions } from '../src/pipeline/index.js';
import type { TestResult } from '../src/search/index.js';

export function run(text: string, options: CheckOptions = {}): TestResult {
  const out = checkText(text, options);
  if (!out.ok) assert.fail(out.diagnostics.map((d) => `${d.span.line}:${d.span.col}: ${d.message}`).join('\n'));
  return out.result;
}

/** The final states as sorted strings `k=v; k=v;` (herd's state lines). */
export function stateLines(r: TestResult): string[] {
  return r.states.map((s) => r.observables.map((o, i) => `${o.key}=${s.text[i]};`).join(' ')).sort();
}

/** Build a litmus test from columns: `threads` is a list of instruction lists. */
export function litmus(name: string, init: string, threads: string[][], condition: string): string {
  const rows = Math.max(...threads.map((t) => t.length));
  const lines = [`AArch64 ${name}`, '{', init, '}', threads.map((_, i) => ` P${i}`).join(' |') + ' ;'];
  for (let r = 0; r < rows; r++) lines.push(threads.map((t) => ` ${t[r] ?? ''}`).join(' |') + ' ;');
  lines.push(condition);
  return lines.join('\n') + '\n';
}
