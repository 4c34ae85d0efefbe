/**
 * Limits that always end a test, and results that say what they are: a partial result never
 * reads as a verdict, the exit status tells complete, partial, mismatching and failed runs apart,
 * every bound ends the work it bounds, and a bug of ours names the test and the phase.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/pipeline/index.js';
import { verdict } from '../src/search/outcomes.js';
import { modelFor } from '../src/model/index.js';
import type { Model } from '../src/model/model.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/iolitmus.js');
const TMP = mkdtempSync(join(tmpdir(), 'iolitmus-limits-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

/** Run the CLI with a heap cap: a bound that does not hold memory aborts the run (and the test). */
function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--max-old-space-size=700', BIN, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function write(name: string, text: string): string {
  const path = join(TMP, name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  return path;
}

/** `threads` threads each storing to and loading from x `triples` times: candidates without end. */
function oneLocation(threads: number, triples: number): string {
  const cols = Array.from({ length: threads }, (_, t) =>
    Array.from({ length: triples }, (_, k) => [`MOV W0,#${t * triples + k + 1}`, 'STR W0,[X9]', `LDR W${k + 1},[X9]`]).flat(),
  );
  const rows = cols[0]!.map((_, r) => cols.map((c) => c[r]).join(' | ') + ' ;');
  const init = Array.from({ length: threads }, (_, t) => `${t}:X9=x;`).join(' ');
  return [`AArch64 One${threads}x${triples}`, `{ ${init} }`, cols.map((_, t) => `P${t}`).join(' | ') + ' ;', ...rows, 'exists (0:X1=42)', ''].join('\n');
}

test('a partial result never prints Never or Always, in text or JSON; exit status 3', () => {
  const file = join(ROOT, 'catalogue/thread/vfio-pci-reclaim-wc.litmus');
  const r = run('check', '--timeout', '0.001', file);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, /^Partial vfio-pci-reclaim-wc timeout: /m);
  assert.doesNotMatch(r.stdout, /^Observation \S+ (Never|Always) /m);
  assert.doesNotMatch(r.stdout, /^(Loop )?(Ok|No)$/m);
  const j = run('check', '--json', '--timeout', '0.001', file);
  assert.equal(j.status, 3);
  const res = (JSON.parse(j.stdout) as { results: Record<string, unknown>[] }).results[0]!;
  assert.equal(res.complete, false);
  assert.ok(res.observation === 'Unknown' || res.observation === 'Sometimes');
});

test('a partial search keeps only what it settled: a witness for exists, a counter-example for forall', () => {
  assert.deepEqual(verdict('exists', 1, 0, true), { ok: true, observation: 'Unknown' });
  assert.deepEqual(verdict('exists', 0, 5, true), { ok: undefined, observation: 'Unknown' });
  assert.deepEqual(verdict('notExists', 2, 0, true), { ok: false, observation: 'Unknown' });
  assert.deepEqual(verdict('forall', 3, 1, true), { ok: false, observation: 'Sometimes' });
  assert.deepEqual(verdict('forall', 3, 0, true), { ok: undefined, observation: 'Unknown' });
  assert.deepEqual(verdict('exists', 0, 5, false), { ok: false, observation: 'Never' });
});

test('exit status: 1 for an error wins over 3 for a partial result; 0 when all is complete', () => {
  const bad = write('status/bad.litmus', 'AArch64 Bad\n{ }\n P0 ;\n FOO ;\nexists (0:X0=0)\n');
  const big = write('status/big.litmus', oneLocation(4, 8));
  assert.equal(run('check', '--timeout', '0.1', bad, big).status, 1);
  assert.equal(run('check', '--timeout', '0.1', big).status, 3);
  assert.equal(run('check', join(ROOT, 'catalogue/aarch64/MP.litmus')).status, 0);
});

test('matrix: a verdict that differs from the expected one is exit status 4', () => {
  const dir = join(TMP, 'matrix');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'SB.litmus'), 'AArch64 SB\n{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }\n P0 | P1 ;\n MOV W0,#1 | MOV W0,#1 ;\n STR W0,[X1] | STR W0,[X1] ;\n LDR W2,[X3] | LDR W2,[X3] ;\nexists (0:X2=0 /\\ 1:X2=0)\n');
  writeFileSync(join(dir, 'expected.json'), JSON.stringify({ SB: [{ assume: '', verdict: 'forbidden' }] }));
  const wrong = run('matrix', dir);
  assert.equal(wrong.status, 4);
  // The summary comes first; the scenario's entry says what was expected.
  assert.match(wrong.stdout, /^1 scenarios, 1 runs: 1 runs checked against expected verdicts, 1 mismatches/);
  assert.match(wrong.stdout, /^SB {2}Sometimes {2}MISMATCH: expected forbidden/m);
  // --table: every run with its reason; --json: each row says whether it matches.
  assert.match(run('matrix', '--table', dir).stdout, /^SB +aarch64 +platform .* allowed +MISMATCH \(forbidden\) +witness: /m);
  const json = JSON.parse(run('matrix', '--json', dir).stdout) as { rows: { matches: boolean | null }[] };
  assert.deepEqual(json.rows.map((r) => r.matches), [false]);
  writeFileSync(join(dir, 'expected.json'), JSON.stringify({ SB: [{ assume: '', verdict: 'allowed' }] }));
  assert.equal(run('matrix', dir).status, 0);
});

test('--max-executions bounds the candidates examined, so a test whose candidates are all ruled out ends', () => {
  // Nothing satisfies 0:X1=42 and most candidates are incoherent: consistent ones are rare.
  const file = write('one.litmus', oneLocation(4, 8));
  const r = run('check', '--json', '--timeout', '100', '--max-executions', '2000', file);
  assert.equal(r.status, 3, r.stderr);
  const res = (JSON.parse(r.stdout) as { results: Record<string, unknown>[] }).results[0]!;
  assert.equal(res.partial, 'max-executions');
  assert.ok((res.executions as number) + (res.ruledOut as number) <= 2000);
});

test('the bound on events held is over all threads: four spinning readers at --unroll 10000 stay within a 700 MB heap', () => {
  const spin = (t: number) => [`L${t}:`, 'LDR W1,[X6]', `CBZ W1,L${t}`, 'LDR W2,[X5]'];
  const cols = [['MOV W0,#1', 'STR W0,[X5]', 'DMB ST', 'STR W0,[X6]'], ...[1, 2, 3, 4].map(spin)];
  const rows = cols[0]!.map((_, i) => cols.map((c) => ` ${c[i]}`).join(' |') + ' ;');
  const init = cols.map((_, t) => `${t}:X5=x; ${t}:X6=y;`).join(' ');
  const text = `AArch64 MP5\n{ ${init} }\n${cols.map((_, t) => ` P${t}`).join(' |')} ;\n${rows.join('\n')}\nexists (1:X2=0)\n`;
  const r = run('check', '--unroll', '10000', '--max-executions', '100', '--timeout', '600', write('mp5.litmus', text));
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stderr, /events over the paths of all threads; results are partial/);
});

test('--unroll 10000 ends, within a 700 MB heap, as a partial result (no timeout given)', () => {
  const r = run('check', '--unroll', '10000', join(ROOT, 'catalogue/aarch64/MP+dmb.st+loop.litmus'));
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, /^Partial MP\+dmb\.st\+loop /m);
  assert.match(r.stderr, /results are partial/);
});

test('a bug of ours is an internal error that names the test and the phase, at the test name', () => {
  const text = 'AArch64 Named\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\nexists (0:X0=0)\n';
  const real = modelFor({ endpoints: new Map(), registers: new Map(), rootPorts: new Map(), mappings: new Map(), guests: new Set(), vmids: new Map(), asids: new Map() }, false);
  const broken: Model = { name: 'broken', modules: [{ ...real.modules[0]!, prepare: () => { throw new Error('boom'); } }] };
  const out = checkText(text, { model: broken });
  assert.equal(out.ok, false);
  const d = out.diagnostics[0]!;
  assert.equal(d.code, 'internal');
  assert.equal(d.message, 'internal error while searching the executions of test Named: boom');
  assert.deepEqual([d.span.line, d.span.col], [1, 9]);
});
