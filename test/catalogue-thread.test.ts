/**
 * The device scenarios (catalogue/thread): each file's verdict under each assumption set
 * in expected.json, which carries the expected verdicts (derived from the rules, not from
 * this tool's output).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/pipeline/index.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../catalogue/thread');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Record<string, { assume: string; verdict: 'allowed' | 'forbidden' }[] | string>;

for (const [name, cases] of Object.entries(expected)) {
  if (typeof cases === 'string') continue;
  for (const c of cases) {
    test(`${name}${c.assume ? ` [${c.assume}]` : ''} is ${c.verdict}`, () => {
      const out = checkText(readFileSync(join(dir, `${name}.litmus`), 'utf8'), { assume: c.assume || undefined });
      assert.ok(out.ok, out.ok ? '' : out.diagnostics.map((d) => `${d.span.line}:${d.span.col}: ${d.message}`).join('\n'));
      if (!out.ok) return;
      assert.equal(out.result.partial, undefined);
      assert.equal(out.result.observation === 'Never' ? 'forbidden' : 'allowed', c.verdict);
    });
  }
}
