/**
 * The differential corpus: thousands of tests made by `iolitmus gen` (corpus/generated), each
 * checked against herd7's recorded result for it (corpus/generated/herd7.txt: outcome set,
 * Observation and Positive/Negative counts, as herd7 printed them; corpus/README.md says how they
 * were made). Every test must be supported and agree exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/pipeline/index.js';
import { formatHerdResult } from '../src/report/herd-text.js';
import { parseHerdResult, parseVerdictLines } from '../src/report/herd-parse.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../corpus/generated');

/** The corpus's tests, by path below `dir` without `.litmus` (`fences/MP+dmb.st+addr`). */
function corpusTests(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string, prefix: string): void => {
    for (const f of readdirSync(d, { withFileTypes: true })) {
      if (f.isDirectory()) walk(join(d, f.name), `${prefix}${f.name}/`);
      else if (f.name.endsWith('.litmus')) out.set(prefix + f.name.replace(/\.litmus$/, ''), readFileSync(join(d, f.name), 'utf8'));
    }
  };
  walk(dir, '');
  return out;
}

test('the generated corpus agrees with herd7 on every test', { skip: !existsSync(join(dir, 'herd7.txt')) && 'corpus not generated' }, () => {
  const facts = parseVerdictLines(readFileSync(join(dir, 'herd7.txt'), 'utf8'));
  const tests = corpusTests();
  assert.ok(tests.size >= 2000, `the corpus has ${tests.size} tests, at least 2000 expected`);
  assert.equal(facts.size, tests.size, 'every test has herd7 facts and every fact a test');
  const wrong: string[] = [];
  for (const [name, text] of tests) {
    const want = facts.get(name);
    const out = checkText(text);
    if (!want || !out.ok) {
      wrong.push(`${name}: ${want ? out.ok ? '' : out.diagnostics.map((d) => d.message).join('; ') : 'no herd7 facts'}`);
      continue;
    }
    const got = parseHerdResult(formatHerdResult(out.result, 0));
    if (!got || got.observation !== want.observation || got.positive !== want.positive || got.negative !== want.negative || got.states.join(' | ') !== want.states.join(' | ')) {
      wrong.push(`${name}: herd7 ${want.observation} ${want.positive} ${want.negative} [${want.states.join(' | ')}], iolitmus ${got?.observation} ${got?.positive} ${got?.negative} [${got?.states.join(' | ')}]`);
    }
  }
  assert.deepEqual(wrong, []);
});
