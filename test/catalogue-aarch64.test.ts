/**
 * Golden tests: every NAME.litmus of catalogue/aarch64, aarch64-instructions, aarch64-vmsa and
 * lkmm (kernel C under the Linux kernel memory model) against NAME.expected, herd7's output for
 * it (the trusted peer; each folder's README gives version and command). Everything but the `Time` and `Hash` lines (and iolitmus's own `Model` line) must
 * agree: the states, Ok/No, the execution counts, the flags, the condition and the Observation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/pipeline/index.js';
import { formatHerdResult, herdFlags } from '../src/report/herd-text.js';

const catalogue = resolve(dirname(fileURLToPath(import.meta.url)), '../../catalogue');
const comparable = (text: string) => text.split('\n').filter((l) => l !== '' && !/^(Time|Hash|Model) /.test(l) && !l.startsWith('Hash='));

for (const folder of ['aarch64', 'aarch64-instructions', 'aarch64-vmsa', 'lkmm']) {
  const dir = join(catalogue, folder);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.litmus')).sort()) golden(folder, dir, file);
}

function golden(folder: string, dir: string, file: string): void {
  test(`catalogue/${folder}/${file} matches herd7`, () => {
    const source = readFileSync(join(dir, file), 'utf8');
    const expected = readFileSync(join(dir, file.replace(/\.litmus$/, '.expected')), 'utf8');
    const out = checkText(source);
    assert.ok(out.ok, `does not run: ${out.ok ? '' : out.diagnostics.map((d) => d.message).join('; ')}`);
    if (!out.ok) return;
    assert.deepEqual(comparable(formatHerdResult(out.result, 0, herdFlags(out.program))), comparable(expected));
  });
}
