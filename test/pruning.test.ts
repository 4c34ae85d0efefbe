/**
 * Pruning is sound: cutting a partial execution as soon as it violates an axiom gives exactly the
 * results of checking every axiom on complete executions only (`prune: false`) — the same final
 * states, with the same execution counts, and the same Positive/Negative — on every shipped test
 * (catalogue/) and the whole generated corpus (corpus/generated).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText, type CheckOutcome } from '../src/pipeline/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function litmusFiles(d: string): string[] {
  if (!existsSync(d)) return [];
  return readdirSync(d, { withFileTypes: true }).flatMap((f) =>
    f.isDirectory() ? litmusFiles(join(d, f.name)) : f.name.endsWith('.litmus') ? [join(d, f.name)] : []);
}

/** What a result consists of: states with their counts, and the condition's counts. */
function summary(out: CheckOutcome): string {
  if (!out.ok) return `error: ${out.diagnostics.map((d) => d.message).join('; ')}`;
  const r = out.result;
  return JSON.stringify([r.states.map((s) => [s.text.join(';'), s.count]), r.positive, r.negative, r.partial]);
}

for (const [what, dir] of [['the catalogue', 'catalogue'], ['the generated corpus', 'corpus/generated']] as const) {
  test(`pruning changes no result on ${what}`, { skip: litmusFiles(join(root, dir)).length === 0 && `${dir} is empty` }, () => {
    const differ: string[] = [];
    for (const file of litmusFiles(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      if (summary(checkText(text)) !== summary(checkText(text, { prune: false }))) differ.push(file);
    }
    assert.deepEqual(differ, []);
  });
}
