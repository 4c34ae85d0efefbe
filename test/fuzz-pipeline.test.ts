/**
 * Seeded fuzzing of the whole pipeline (docs/cli.md, "Robustness"): inputs made from the
 * catalogue's AArch64, device and kernel C tests by every mutator of test/mutate.ts are checked
 * in-process and through the CLI. Nothing may throw, no diagnostic may be internal or point
 * outside the text, and the CLI must give the same JSON with one thread and with two.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/pipeline/index.js';
import { fuzzInputs, mutators, outsideText, type Fuzzed } from './mutate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/iolitmus.js');
const TMP = mkdtempSync(join(tmpdir(), 'iolitmus-fuzz-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** Every device and kernel C test, and every fourth plain AArch64 one. */
function seedTexts(): string[] {
  const dir = (d: string) => readdirSync(join(ROOT, 'catalogue', d)).filter((f) => f.endsWith('.litmus')).sort().map((f) => readFileSync(join(ROOT, 'catalogue', d, f), 'utf8'));
  return [...dir('thread'), ...dir('aarch64').filter((_, i) => i % 4 === 0), ...dir('aarch64-instructions').filter((_, i) => i % 4 === 0)];
}

const SEEDS = seedTexts();
/** Bounds that end every input quickly and the same way on every thread (no timeout reached). */
const MAX_EXECUTIONS = 300;

function describe(f: Fuzzed): string {
  return `input ${f.index} (${f.mutator} on seed ${f.seed}): ${JSON.stringify(f.text.length > 300 ? `${f.text.slice(0, 300)}...` : f.text)}`;
}

test('fuzzed inputs of both front ends: nothing throws, nothing internal, every diagnostic inside the text', () => {
  assert.ok(SEEDS.some((t) => t.startsWith('C ')) && SEEDS.some((t) => t.startsWith('AArch64')));
  const tally = new Map<string, { ok: number; errors: number }>();
  for (const f of fuzzInputs(SEEDS, 800, 9)) {
    let out: ReturnType<typeof checkText>;
    assert.doesNotThrow(() => (out = checkText(f.text, { maxExecutions: MAX_EXECUTIONS, timeoutMs: 2000 })), describe(f));
    for (const d of out!.diagnostics) {
      assert.notEqual(d.code, 'internal', `${describe(f)}\n${d.message}`);
      assert.equal(outsideText(d.span, f.text), undefined, `${describe(f)}\n${d.span.line}:${d.span.col}: ${d.message}`);
      assert.ok(d.message.length > 0);
    }
    const t = tally.get(f.mutator.split('+')[0]!) ?? { ok: 0, errors: 0 };
    if (out!.ok) t.ok++;
    else t.errors++;
    tally.set(f.mutator.split('+')[0]!, t);
  }
  // Every mutator ran, and the run reached both the search and the error paths.
  assert.deepEqual([...tally.keys()].sort(), [...mutators(SEEDS).keys()].sort());
  const total = [...tally.values()].reduce((a, t) => ({ ok: a.ok + t.ok, errors: a.errors + t.errors }), { ok: 0, errors: 0 });
  assert.ok(total.ok > 100 && total.errors > 300, JSON.stringify(Object.fromEntries(tally)));
});

/** `check --json` of the files with `jobs` threads: exit status and the document without times. */
function checkJson(files: readonly string[], jobs: number): { status: number | null; json: string } {
  const r = spawnSync(process.execPath, [BIN, 'check', '--json', '--no-progress', '-j', String(jobs), '--max-executions', String(MAX_EXECUTIONS), '--timeout', '600', ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    timeout: 300_000,
  });
  assert.equal(r.stderr.match(/internal error|at .*\.js:\d+/)?.[0], undefined, r.stderr.slice(0, 2000));
  return { status: r.status, json: JSON.stringify(JSON.parse(r.stdout), (k, v: unknown) => (k === 'timeMs' ? undefined : v)) };
}

test('the CLI answers fuzzed files identically with -j1 and -j2 (JSON and exit status)', () => {
  const files: string[] = [];
  for (const f of fuzzInputs(SEEDS, 64, 21)) {
    const path = join(TMP, `f${String(f.index).padStart(3, '0')}.litmus`);
    writeFileSync(path, f.text);
    files.push(path);
  }
  const one = checkJson(files, 1);
  const two = checkJson(files, 2);
  assert.ok(one.status === 1 || one.status === 3, `exit status ${one.status}`);
  assert.equal(two.status, one.status);
  assert.equal(two.json, one.json);
});
