/**
 * Golden tests: every catalogue/aarch64/NAME.litmus against NAME.expected, herd7's output for it
 * (the trusted peer; see catalogue/aarch64/README.md for version and command). Everything but the
 * `Time` and `Hash` lines must agree: the states, Ok/No, the execution counts, the condition and
 * the Observation line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/search/index.js';
import { formatHerdResult, herdFlags } from '../src/report/herd-text.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../catalogue/aarch64');
const comparable = (text: string) => text.split('\n').filter((l) => l !== '' && !/^(Time|Hash)/.test(l));

for (const file of readdirSync(dir).filter((f) => f.endsWith('.litmus')).sort()) {
  test(`catalogue/aarch64/${file} matches herd7`, () => {
    const source = readFileSync(join(dir, file), 'utf8');
    const expected = readFileSync(join(dir, file.replace(/\.litmus$/, '.expected')), 'utf8');
    const out = checkText(source);
    assert.ok(out.ok, `does not run: ${out.ok ? '' : out.diagnostics.map((d) => d.message).join('; ')}`);
    if (!out.ok) return;
    assert.deepEqual(comparable(formatHerdResult(out.result, 0, herdFlags(out.program))), comparable(expected));
  });
}
