/**
 * End-to-end tests of `iolitmus check`: spawns the built CLI (bin/iolitmus.js) on the catalogue
 * and on files written here, and checks the herd-layout text, the --json schema of docs/cli.md,
 * the error reporting (file:line:col, exit 1, the other files still run), usage errors (exit 2,
 * one line), the limits (--max-executions, --timeout), --dot, --explain and --assume.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file runs as dist/test/cli-check.test.js; the launcher and the catalogue are at the root.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/iolitmus.js');
const AARCH64 = join(ROOT, 'catalogue/aarch64');
const THREAD = join(ROOT, 'catalogue/thread');
const MP = join(AARCH64, 'MP.litmus');

const TMP = mkdtempSync(join(tmpdir(), 'iolitmus-cli-check-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

function check(...args: string[]): Run {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, 'check', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: performance.now() - t0 };
}

interface JsonDoc {
  readonly results: readonly Record<string, unknown>[];
  readonly errors: readonly Record<string, unknown>[];
}

function checkJson(...args: string[]): JsonDoc {
  const r = check('--json', ...args);
  // 0: complete; 3: some result partial; 4: a stated Result: contradicted (all print the whole document).
  assert.ok(r.status === 0 || r.status === 3 || r.status === 4, r.stderr);
  return JSON.parse(r.stdout) as JsonDoc;
}

function result(doc: JsonDoc, name: string): Record<string, unknown> {
  const found = doc.results.find((x) => x.name === name);
  assert.ok(found, `no result named ${name} in ${doc.results.map((x) => x.name).join(', ')}`);
  return found;
}

/** The `Test NAME ...` blocks of herd-layout text, keyed by name. */
function blocks(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const b of text.split(/^(?=Test )/m)) {
    const m = /^Test (\S+) /.exec(b);
    if (m) out.set(m[1]!, b);
  }
  return out;
}

function write(name: string, content: string | Uint8Array): string {
  const path = join(TMP, name);
  writeFileSync(path, content);
  return path;
}

const NO_STACK = /^\s+at /m;

// ---------------------------------------------------------------------------------------------
// A directory of tests

test('a directory runs every .litmus file below it: one Test block per file, in file order, exit 0', () => {
  const r = check(AARCH64);
  assert.equal(r.status, 0, r.stderr);
  // collectFiles sorts the names of a directory (JavaScript string order).
  const names = readdirSync(AARCH64).filter((f) => f.endsWith('.litmus')).sort().map((f) => f.slice(0, -'.litmus'.length));
  assert.ok(names.length > 30);
  const tests = [...r.stdout.matchAll(/^Test (\S+) (Allowed|Forbidden|Required)$/gm)].map((m) => m[1]);
  assert.deepEqual(tests, names);
  // Each block is complete: an Observation and a Time line per test.
  assert.equal([...r.stdout.matchAll(/^Observation \S+ (Never|Sometimes|Always) \d+ \d+$/gm)].length, names.length);
  assert.equal([...r.stdout.matchAll(/^Time \S+ \d+\.\d\d$/gm)].length, names.length);
  assert.doesNotMatch(r.stderr, NO_STACK);
});

test('-j 2 prints exactly what -j 1 prints, apart from the Time lines', () => {
  const one = check('-j', '1', AARCH64);
  const two = check('-j', '2', AARCH64);
  assert.equal(one.status, 0, one.stderr);
  assert.equal(two.status, 0, two.stderr);
  const dropTime = (s: string) => s.split('\n').filter((l) => !l.startsWith('Time ')).join('\n');
  assert.equal(dropTime(two.stdout), dropTime(one.stdout));
  assert.equal(two.stderr, one.stderr);
});

test('output larger than a pipe holds arrives whole: --json over the corpus parses, one result per file', () => {
  const corpus = join(ROOT, 'corpus/generated/po');
  const files = readdirSync(corpus).filter((f) => f.endsWith('.litmus'));
  const r = spawnSync(process.execPath, [BIN, 'check', '--json', corpus], { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28 });
  assert.ok(r.stdout.length > 1 << 17, `only ${r.stdout.length} bytes`);
  const doc = JSON.parse(r.stdout) as JsonDoc;
  assert.equal(doc.results.length, files.length);
});

test('MP in the text layout: the four states, Ok, Positive 1 Negative 3, Sometimes', () => {
  const r = check(MP);
  assert.equal(r.status, 0, r.stderr);
  const b = blocks(r.stdout).get('MP')!;
  // Arm allows every outcome of MP with no barrier or dependency (B2.3: nothing orders the two
  // stores, nor the two loads), so all four pairs of values appear.
  assert.match(b, /^Test MP Allowed\nStates 4\n1:X1=0; 1:X2=0;\n1:X1=0; 1:X2=1;\n1:X1=1; 1:X2=0;\n1:X1=1; 1:X2=1;\nOk\nWitnesses\nPositive: 1 Negative: 3\n/);
  assert.match(b, /^Condition exists \(1:X1=1 \/\\ 1:X2=0\)$/m);
  assert.match(b, /^Observation MP Sometimes 1 3$/m);
  assert.doesNotMatch(b, /^Partial /m);
});

// ---------------------------------------------------------------------------------------------
// --json

const RESULT_KEYS = ['assumptions', 'complete', 'condition', 'executions', 'expected', 'file', 'matches', 'model', 'name', 'negative', 'observation', 'ok', 'partial', 'positive', 'ruledOut', 'states', 'timeMs', 'warnings'];

test('--json: the schema of docs/cli.md; MP\'s states are the four herd states as objects', () => {
  const doc = checkJson(MP, join(THREAD, 'doorbell-no-barrier.litmus'));
  assert.deepEqual(Object.keys(doc).sort(), ['errors', 'results']);
  assert.deepEqual(doc.errors, []);
  assert.equal(doc.results.length, 2);
  for (const x of doc.results) {
    assert.deepEqual(Object.keys(x).sort(), RESULT_KEYS);
    assert.equal(typeof x.name, 'string');
    assert.equal(typeof x.file, 'string');
    assert.ok(Array.isArray(x.states));
    assert.equal(typeof x.ok, 'boolean');
    assert.ok(Number.isInteger(x.positive) && Number.isInteger(x.negative) && Number.isInteger(x.executions));
    assert.equal(typeof x.condition, 'string');
    assert.ok(['Never', 'Sometimes', 'Always'].includes(x.observation as string));
    assert.equal(x.partial, null);
    assert.ok(Array.isArray(x.warnings));
    assert.equal(typeof x.timeMs, 'number');
    assert.ok((x.timeMs as number) >= 0);
  }
  const mp = result(doc, 'MP');
  assert.equal(mp.file, MP);
  const key = (s: Record<string, unknown>) => JSON.stringify(s);
  assert.deepEqual(
    (mp.states as Record<string, unknown>[]).map(key).sort(),
    [
      { '1:X1': 0, '1:X2': 0 },
      { '1:X1': 0, '1:X2': 1 },
      { '1:X1': 1, '1:X2': 0 },
      { '1:X1': 1, '1:X2': 1 },
    ].map(key).sort(),
  );
  assert.equal(mp.ok, true);
  assert.equal(mp.positive, 1);
  assert.equal(mp.negative, 3);
  // One consistent execution per final state: each load reads either the initial or the new value.
  assert.equal(mp.executions, 4);
  assert.equal(mp.condition, 'exists (1:X1=1 /\\ 1:X2=0)');
  assert.equal(mp.observation, 'Sometimes');
  assert.deepEqual(mp.warnings, []);
  // A plain AArch64 test depends on no platform assumption.
  assert.equal(mp.assumptions, null);
});

test('--json: a device test carries its assumptions as an object of setting -> value', () => {
  const doc = checkJson(join(THREAD, 'doorbell-no-barrier.litmus'));
  const d = result(doc, 'doorbell-no-barrier');
  assert.equal(typeof d.assumptions, 'object');
  assert.notEqual(d.assumptions, null);
  const a = d.assumptions as Record<string, unknown>;
  // The settings of docs/model.md, with their defaults.
  assert.equal(a['relaxed-ordering'], 'off');
  assert.equal(a['fabric'], 'declared');
  for (const v of Object.values(a)) assert.equal(typeof v, 'string');
  // No ob edge between a Normal store and a later Device store (B2.3): the stale read is allowed.
  assert.equal(d.observation, 'Sometimes');
  // The device's registers appear in the states under the device's name.
  const states = d.states as Record<string, unknown>[];
  assert.ok(states.length > 0);
  for (const s of states) assert.deepEqual(Object.keys(s).sort(), ['nic:X0', 'nic:X2']);
});

// ---------------------------------------------------------------------------------------------
// Bad input

const SYNTAX_ERROR = [
  'AArch64 BadSyntax',
  '{',
  '0:X1=x;',
  '}',
  ' P0          ;',
  ' MOV W0,#1   ;',
  ' STR W0,[X1  ;', // the ';' at column 14 comes where ']' must
  'exists (x=1)',
  '',
].join('\n');

const UNSUPPORTED = ['AArch64 HasCAS', '{', '0:X1=x;', '}', ' P0              ;', ' MOV W0,#1       ;', ' SVC #0          ;', 'exists (x=1)', ''].join('\n');

/** Deterministic noise (a linear congruential generator), so a failure can be reproduced. */
function noise(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

const BAD: readonly { readonly what: string; readonly name: string; readonly content: string | Uint8Array; readonly at: RegExp; readonly code: string | undefined }[] = [
  { what: 'a syntax error', name: 'syntax.litmus', content: SYNTAX_ERROR, at: /:7:14: .*'\]'/, code: 'syntax' },
  { what: 'an unsupported instruction (SVC)', name: 'cas.litmus', content: UNSUPPORTED, at: /:7:2: .*SVC/, code: 'unsupported' },
  { what: 'an empty file', name: 'empty.litmus', content: '', at: /:1:1: \S/, code: undefined },
  { what: 'random bytes', name: 'noise.litmus', content: noise(700, 12345), at: /:\d+:\d+: \S/, code: undefined },
];

for (const bad of BAD) {
  test(`${bad.what}: FILE:LINE:COL on stderr, exit 1, no stack trace, the good files still run`, () => {
    const file = write(bad.name, bad.content);
    const r = check(MP, file, join(AARCH64, 'SB.litmus'));
    assert.equal(r.status, 1, r.stderr);
    assert.doesNotMatch(r.stderr, NO_STACK);
    assert.doesNotMatch(r.stderr, /internal error/);
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.ok(lines.length >= 1);
    for (const l of lines) assert.ok(l.startsWith(`${file}:`), `not about ${file}: ${l}`);
    assert.match(lines[0]!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}${bad.at.source}`));
    const b = blocks(r.stdout);
    assert.deepEqual([...b.keys()], ['MP', 'SB']);
    assert.match(b.get('MP')!, /^Observation MP Sometimes 1 3$/m);
    // SB without barriers: both loads may read 0 (store buffering, allowed on Arm).
    assert.match(b.get('SB')!, /^Observation SB Sometimes /m);
  });
}

test('--json with bad files (and -j 2): errors[] has file, line, col, code, message; results has the good ones', () => {
  const files = BAD.map((b) => write(b.name, b.content));
  const r = check('--json', '-j', '2', files[0]!, MP, files[1]!, files[2]!, files[3]!);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, NO_STACK);
  const doc = JSON.parse(r.stdout) as JsonDoc;
  assert.deepEqual(doc.results.map((x) => x.name), ['MP']);
  for (const f of files) assert.ok(doc.errors.some((e) => e.file === f), `no error for ${f}`);
  for (const e of doc.errors) {
    assert.deepEqual(Object.keys(e).sort(), ['code', 'col', 'file', 'line', 'message']);
    assert.ok(Number.isInteger(e.line) && (e.line as number) >= 1);
    assert.ok(Number.isInteger(e.col) && (e.col as number) >= 1);
    assert.ok(['syntax', 'unsupported', 'semantic'].includes(e.code as string), `code ${String(e.code)}`);
    assert.equal(typeof e.message, 'string');
  }
  const first = (f: string) => doc.errors.find((e) => e.file === f)!;
  assert.deepEqual([first(files[0]!).line, first(files[0]!).col, first(files[0]!).code], [7, 14, 'syntax']);
  assert.deepEqual([first(files[1]!).line, first(files[1]!).col, first(files[1]!).code], [7, 2, 'unsupported']);
  assert.deepEqual([first(files[2]!).line, first(files[2]!).col], [1, 1]);
});

test('a UTF-8 byte-order mark before the first line is not part of the test', () => {
  const file = write('bom.litmus', '\uFEFF' + readFileSync(MP, 'utf8'));
  const r = check(file);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Observation MP Sometimes 1 3$/m);
});

// ---------------------------------------------------------------------------------------------
// Usage errors

for (const [what, args, needle] of [
  ['missing path', [], 'paths'],
  ['--jobs 0', ['--jobs', '0', MP], '--jobs'],
  ['--timeout abc', ['--timeout', 'abc', MP], '--timeout'],
  ['--assume nonsense=1', ['--assume', 'nonsense=1', MP], 'nonsense'],
  ['--max-executions -1', ['--max-executions', '-1', MP], '--max-executions'],
  ['a path that does not exist', [join(TMP, 'no-such-file.litmus')], 'no-such-file.litmus'],
  ['--dot onto an existing file', ['--dot', MP, MP], '--dot'],
] as const) {
  test(`usage error, ${what}: exit 2, one line on stderr, nothing on stdout`, () => {
    const r = check(...args);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0]!.includes(needle), r.stderr);
    assert.doesNotMatch(r.stderr, NO_STACK);
  });
}

// ---------------------------------------------------------------------------------------------
// Limits

test('--max-executions 1: MP stops after one candidate and says so, in text and JSON, with exit status 3', () => {
  const r = check('--max-executions', '1', MP);
  assert.equal(r.status, 3, r.stderr);
  assert.match(r.stdout, /^Partial MP max-executions: stopped after \d+ consistent and \d+ ruled-out candidate executions; .*$/m);
  const [, p, n] = /^Positive: (\d+) Negative: (\d+)$/m.exec(r.stdout)!;
  assert.ok(Number(p) + Number(n) <= 1);
  // What one candidate cannot settle is not printed as settled.
  assert.doesNotMatch(r.stdout, /^Observation MP (Never|Always)/m);
  const x = result(checkJson('--max-executions', '1', MP), 'MP');
  assert.equal(x.partial, 'max-executions');
  assert.equal(x.complete, false);
  assert.ok((x.executions as number) + (x.ruledOut as number) <= 1);
  // A bound the test does not reach leaves it complete.
  const whole = result(checkJson('--max-executions', '1000', MP), 'MP');
  assert.equal(whole.partial, null);
  assert.equal(whole.complete, true);
  assert.equal(whole.executions, 4);
});

/**
 * A test far too large to finish: `threads` threads, each storing to and loading from three
 * shared locations `pairs` times, no barriers. Every load may read any of the other threads'
 * stores, so the candidate executions grow exponentially (4 x 3 already runs for over a minute).
 */
function bigTest(threads: number, pairs: number): string {
  const locs = ['x', 'y', 'z'];
  const init = Array.from({ length: threads }, (_, t) => locs.map((l, i) => `${t}:X${10 + i}=${l};`).join(' ')).join(' ');
  const cols = Array.from({ length: threads }, (_, t) =>
    Array.from({ length: pairs }, (_, k) => [`MOV W0,#${t * pairs + k + 1}`, `STR W0,[X${10 + ((k + t) % 3)}]`, `LDR W${k + 1},[X${10 + ((k + t + 1) % 3)}]`]).flat(),
  );
  const rows = cols[0]!.map((_, r) => cols.map((c) => c[r]).join(' | ') + ' ;');
  return [`AArch64 Big${threads}x${pairs}`, '{', init, '}', cols.map((_, t) => `P${t}`).join(' | ') + ' ;', ...rows, 'exists (0:X1=0 /\\ 1:X1=0)', ''].join('\n');
}

test('--timeout 0.2 stops a test that would run for minutes: partial "timeout", quick exit; a small test beside it is complete', () => {
  const file = write('big.litmus', bigTest(4, 6));
  const r = check('--json', '--timeout', '0.2', file, MP);
  assert.equal(r.status, 3, r.stderr);
  assert.ok(r.ms < 5000, `took ${r.ms} ms`);
  const doc = JSON.parse(r.stdout) as JsonDoc;
  const big = result(doc, 'Big4x6');
  assert.equal(big.partial, 'timeout');
  assert.ok((big.timeMs as number) < 5000);
  assert.equal(result(doc, 'MP').partial, null);
  const t = check('--timeout', '0.2', file);
  assert.equal(t.status, 3, t.stderr);
  assert.match(t.stdout, /^Partial Big4x6 timeout: /m);
  assert.ok(t.ms < 5000, `took ${t.ms} ms`);
});

// ---------------------------------------------------------------------------------------------
// --dot, --explain, --assume

test('--dot DIR (with -j 2): NAME.dot per test with a witness, a digraph with rf edges', () => {
  const dir = join(TMP, 'dots', 'nested');
  const r = check('--dot', dir, '-j', '2', MP, join(AARCH64, 'SB.litmus'), join(THREAD, 'doorbell-no-barrier.litmus'));
  assert.equal(r.status, 0, r.stderr);
  const files = readdirSync(dir).sort();
  assert.deepEqual(files, ['MP.dot', 'SB.dot', 'doorbell-no-barrier.dot']);
  for (const f of files) {
    const dot = readFileSync(join(dir, f), 'utf8');
    assert.match(dot, /^digraph/);
    assert.match(dot, /\brf\b/);
    assert.match(dot.trimEnd(), /\}$/);
  }
});

test('--dot graphs: a title with the condition and verdict, a legend, a column per thread in declared order, barriers labelled once; same-name tests get two files', () => {
  const dir = join(TMP, 'dots-structure');
  const mpBarrier = write('MP+dmb.litmus', readFileSync(MP, 'utf8').replace('STR W0,[X5] | LDR W2,[X5] ;', 'STR W0,[X5] | LDR W2,[X5] ;\n DMB SY      |             ;').replace(/^ STR W0,\[X6\] \|/m, ' STR W0,[X6] |'));
  const r = check('--dot', dir, MP, MP, join(AARCH64, 'IRIW.litmus'), mpBarrier);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['IRIW.dot', 'MP-2.dot', 'MP-3.dot', 'MP.dot']);
  const iriw = readFileSync(join(dir, 'IRIW.dot'), 'utf8');
  assert.ok(iriw.includes('label="IRIW\\nexists (1:X1=1 /\\\\ 1:X2=0 /\\\\ 3:X1=1 /\\\\ 3:X2=0)\\nSometimes: this execution satisfies the condition"'), iriw.slice(0, 400));
  assert.match(iriw, /legend \[pos="-?\d+,-?\d+!", shape=none.*reads-from.*coherence.*from-reads/);
  // Thread columns left to right as declared (dot's own placement drew IRIW as P1, P0, P2, P3).
  const columnX = (t: string) => Number(new RegExp(`pos="(-?\\d+),-?\\d+!", label=<<B>${t}</B>>`).exec(iriw)?.[1]);
  const xs = ['P0', 'P1', 'P2', 'P3'].map(columnX);
  assert.ok(xs.every((v, k) => Number.isFinite(v) && (k === 0 || v > xs[k - 1]!)), `${xs}`);
  // Each thread's events go down its column in program order.
  const eventPos = (label: string) => new RegExp(`pos="(-?\\d+),(-?\\d+)!", label="${label}`).exec(iriw)?.slice(1).map(Number);
  const [d, e] = [eventPos('d: R x=1'), eventPos('e: R y=0')];
  assert.ok(d && e && d[0] === xs[1] && e[0] === xs[1] && e[1]! < d[1]!, iriw);
  // A barrier node says DMB SY once, not its label and its text both.
  const barrier = readFileSync(join(dir, 'MP-3.dot'), 'utf8');
  assert.ok(barrier.includes('DMB SY'), barrier);
  assert.doesNotMatch(barrier, /DMB SY\\nDMB SY/);
});

test('--svg DIR: the witness graphs rendered to SVG in-process, with the device column and its arrivals', () => {
  const dir = join(TMP, 'svgs');
  const r = check('--svg', dir, MP, join(THREAD, 'doorbell-no-barrier.litmus'));
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(readdirSync(dir).sort(), ['MP.svg', 'doorbell-no-barrier.svg']);
  const svg = readFileSync(join(dir, 'doorbell-no-barrier.svg'), 'utf8');
  assert.match(svg, /<svg\b/);
  assert.match(svg, />nic</);
  assert.match(svg, />arrives</);
});

test('--explain on doorbell-no-barrier: a Witness section with the nic endpoint and the arrival of STR W0,[X2]', () => {
  const r = check('--explain', join(THREAD, 'doorbell-no-barrier.litmus'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Observation doorbell-no-barrier Sometimes /m);
  // Every mapping the test uses is listed, the undeclared descriptor memory with its type too.
  assert.match(r.stdout, /^ {2}P0:db: stage 1 ioremap \(no stage 2\): Device-nGnRE$/m);
  assert.match(r.stdout, /^ {2}P0:desc: no mapping declared, memory: Normal-WB$/m);
  const i = r.stdout.search(/^Witness\b/m);
  assert.ok(i >= 0, r.stdout);
  const witness = r.stdout.slice(i);
  assert.match(witness, /^\s+nic\b/m);
  assert.ok(witness.includes('STR W0,[X2]'), witness);
  // The doorbell arrives before the device reads the descriptor (it is what made it read).
  assert.ok(witness.indexOf('STR W0,[X2]') < witness.indexOf('LDR W2,[X3]'), witness);
});

test('--explain on doorbell-writel: no execution satisfies the condition, cut by endpoint-order', () => {
  const r = check('--explain', join(THREAD, 'doorbell-writel.litmus'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Observation doorbell-writel Never 0 /m);
  assert.match(r.stdout, /No execution satisfies the condition/);
  // The check that ruled the candidates out, as the model file states it, and where.
  assert.match(r.stdout, /^ {2}endpoint-order \(\d+ candidates?\): acyclic device-ob-edges as endpoint-order \(aarch64\+devices, line \d+\)$/m);
  assert.doesNotMatch(r.stdout, /^Witness\b/m);
  // Why: an execution with the outcome, and its cycle edge by edge. writel's DMB OSHST orders the
  // descriptor store before the doorbell store (bob); the doorbell arrives, the device reads it,
  // then reads the old descriptor, which is from-read before the CPU's descriptor store.
  const why = r.stdout.slice(r.stdout.indexOf('An execution with this outcome is ruled out by endpoint-order'));
  assert.ok(why.length > 0, r.stdout);
  assert.match(why, /^ {4}P0: STR W0,\[X1\], line 17\n {6}--bob-->\n {4}P0: STR W0,\[X2\], line 19$/m);
  assert.match(why, /^ {4}P0: STR W0,\[X2\], line 19\n {6}--arrival-->\n/m);
  assert.match(why, /--rf-->\n {4}nic: LDR W0,\[X1\], line 16\n {6}--device-order-->\n/);
  assert.match(why, /nic: LDR W2,\[X3\], line 18\n {6}--fr-->\n {4}P0: STR W0,\[X1\], line 17\s*$/);
});

test('--dot on a Never draws the execution the check rules out, its cycle in bold red', () => {
  const dir = join(TMP, 'dots-never');
  const r = check('--dot', dir, join(THREAD, 'doorbell-writel.litmus'));
  assert.equal(r.status, 0, r.stderr);
  const dot = readFileSync(join(dir, 'doorbell-writel.dot'), 'utf8');
  assert.ok(dot.includes('Never: this execution would satisfy the condition;\\nendpoint-order rules it out (the cycle in bold red)'), dot.slice(0, 300));
  // The five edges of the cycle: bob, arrives, rf (with the arrival order), po (likewise), fr.
  const bold = dot.match(/^ {2}e\d+ -> e\d+ \[label=<.*>, color=red, penwidth=3\];$/gm) ?? [];
  assert.equal(bold.length, 5, dot);
  for (const name of ['bob', 'arrives', 'rf', 'po', 'fr']) assert.ok(bold.some((l) => l.includes(`>${name}</FONT>`)), `${name}: ${bold.join('\n')}`);
});

test('--assume relaxed-ordering=on: ro-root-port goes from Never to Sometimes', () => {
  const file = join(THREAD, 'ro-root-port.litmus');
  const before = check(file);
  assert.equal(before.status, 0, before.stderr);
  // PCIe 2.4.1: posted writes on one path stay in order unless Relaxed Ordering lets one pass.
  assert.match(before.stdout, /^Observation ro-root-port Never 0 \d+$/m);
  assert.match(before.stdout, /^Assumptions ro-root-port .*\brelaxed-ordering=off\b/m);
  const on = checkJson('--assume', 'relaxed-ordering=on', file);
  const x = result(on, 'ro-root-port');
  assert.equal(x.observation, 'Sometimes');
  assert.equal((x.assumptions as Record<string, string>)['relaxed-ordering'], 'on');
});

test('--assume may be given several times (each applies) and takes the fabric names the matrix prints', () => {
  const file = join(THREAD, 'ro-root-port.litmus');
  // Relaxed Ordering given first is not lost to a later --assume.
  const both = result(checkJson('--assume', 'relaxed-ordering=on', '--assume', 'id-ordering=on', file), 'ro-root-port');
  const settings = both.assumptions as Record<string, string>;
  assert.deepEqual([settings['relaxed-ordering'], settings['id-ordering'], both.observation], ['on', 'on', 'Sometimes']);
  // The matrix prints fabric=pcie (or platform) for the declared fabric: accepted as such.
  for (const name of ['pcie', 'platform']) {
    const r = result(checkJson('--assume', `fabric=${name}`, file), 'ro-root-port');
    assert.equal((r.assumptions as Record<string, string>).fabric, 'declared');
  }
  const bad = check('--assume', 'fabric=ethernet', file);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--assume: assumption fabric takes declared\|architecture, not 'ethernet'/);
});

// ---------------------------------------------------------------------------------------------
// Output to a reader that stops early

test('a reader that closes the pipe early (| head -1): quiet exit, no EPIPE stack trace', async () => {
  const child = spawn(process.execPath, [BIN, 'check', AARCH64, THREAD, AARCH64, THREAD], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (s: string) => (stderr += s));
  child.stdout.once('data', () => child.stdout.destroy());
  const status = await new Promise<number | null>((res) => child.on('close', (code) => res(code)));
  assert.doesNotMatch(stderr, /EPIPE/);
  assert.doesNotMatch(stderr, NO_STACK);
  assert.equal(status, 0, stderr);
});

test('`check -` reads one test from standard input; errors name <stdin>', () => {
  const good = spawnSync(process.execPath, [BIN, 'check', '-'], { encoding: 'utf8', input: readFileSync(MP, 'utf8') });
  assert.equal(good.status, 0, good.stderr);
  assert.match(good.stdout, /^Observation MP Sometimes 1 3$/m);
  const bad = spawnSync(process.execPath, [BIN, 'check', '-'], { encoding: 'utf8', input: 'AArch64 X\n{}\n P0 ;\n FOO ;\nexists (x=1)\n' });
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr.trim(), "<stdin>:4:2: unsupported instruction 'FOO'");
});

test('--version prints the package version', () => {
  const r = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.equal(r.stdout.trim(), pkg.version);
});

// ---------------------------------------------------------------------------------------------
// A test's own expected result: the kernel's `Result:` comment

test('a Result: comment states the expected verdict: a contradiction is a located line and exit 4, agreement exit 0', () => {
  const mp = readFileSync(MP, 'utf8');
  // MP without barriers is Sometimes under the Arm model (herd7 agrees: catalogue/aarch64/MP.expected).
  const stated = (verdict: string) => mp.replace(/^(AArch64 MP\n)/, `$1(*\n * Result: ${verdict}\n *)\n`);
  const wrong = write('mp-never.litmus', stated('Never'));
  const r = check(wrong);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stdout, /^Observation MP Sometimes /m);
  assert.equal(r.stderr.trim(), `${wrong}:3:4: Result: Never is stated, but the observation is Sometimes`);
  const doc = checkJson(wrong);
  assert.deepEqual([result(doc, 'MP').expected, result(doc, 'MP').matches], ['Never', false]);
  const right = write('mp-sometimes.litmus', stated('Sometimes'));
  const ok = check(right);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(ok.stderr, '');
  assert.deepEqual([result(checkJson(right), 'MP').expected, result(checkJson(right), 'MP').matches], ['Sometimes', true]);
  // Outside a comment the words mean nothing to us (here: a syntax error, as without them).
  assert.equal(result(checkJson(MP), 'MP').expected, null);
  // A partial result cannot be judged: exit 3, matches null.
  const partial = checkJson('--max-executions', '1', right);
  assert.deepEqual([result(partial, 'MP').expected, result(partial, 'MP').matches], ['Sometimes', null]);
  assert.equal(check('--max-executions', '1', wrong).status, 3);
});

test('a kernel C test\'s Result: line is read from its comment block', () => {
  const stated = (w: string, r: string) => [
    'C MP+wmb+rmb-stated',
    '',
    '(*',
    ' * Result: Always',
    ' *)',
    '',
    '{}',
    '',
    `P0(int *x, int *y) { WRITE_ONCE(*x, 1); ${w}(); WRITE_ONCE(*y, 1); }`,
    `P1(int *x, int *y) { int r0; int r1; r0 = READ_ONCE(*y); ${r}(); r1 = READ_ONCE(*x); }`,
    '',
    'exists (1:r0=1 /\\ 1:r1=0)',
    '',
  ].join('\n');
  // With Linux's I/O barriers (wmb, rmb: DSB ST, DSB LD) the test is about arm64 hardware, and
  // its Result: is judged: Never, not the Always the comment claims.
  const io = write('mp-c-stated.litmus', stated('wmb', 'rmb'));
  const r = check(io);
  assert.equal(r.status, 4, r.stderr);
  assert.match(r.stderr, /mp-c-stated\.litmus:4:4: Result: Always is stated, but the observation is Never/);
  // With smp_wmb/smp_rmb it is an LKMM test, answered by the LKMM (explanation.txt: smp_wmb and
  // smp_rmb forbid MP's outcome) and judged: Never again, against the stated Always.
  const lkmm = write('mp-c-lkmm.litmus', stated('smp_wmb', 'smp_rmb'));
  const judged = check(lkmm);
  assert.equal(judged.status, 4, judged.stderr);
  assert.match(judged.stdout, /^Model MP\+wmb\+rmb-stated lkmm$/m);
  assert.match(judged.stderr, /mp-c-lkmm\.litmus:4:4: Result: Always is stated, but the observation is Never/);
  // The arm64 answer, asked for, is not judged against the LKMM's Result: a warning says so.
  const arm64 = check('--model', 'aarch64', lkmm);
  assert.equal(arm64.status, 0, arm64.stderr);
  assert.match(arm64.stderr, /mp-c-lkmm\.litmus:4:4: warning: Result: Always is the Linux kernel memory model's verdict; this answer is arm64's \(--model\), so it is not judged against it/);
  assert.match(arm64.stdout, /^Observation MP\+wmb\+rmb-stated Never 0 \d+$/m);
});

test('a kernel C test\'s Never is explained in its own statements, with the instruction each lowers to', () => {
  const r = check('--explain', '--dot', join(TMP, 'dots-c'), join(THREAD, 'mlx5-rpc-after-zap.litmus'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ {4}P0: mlx5_cmd_exec\(cmd, db\); \[STR W9,\[X1\]\], line 21$/m);
  assert.match(r.stdout, /^ {4}nic: r0 = readl\(db\); \[LDR W3,\[X0\]\], line 33$/m);
  // The graph's nodes carry the C statements too.
  assert.match(readFileSync(join(TMP, 'dots-c', 'mlx5-rpc-after-zap.dot'), 'utf8'), /\\nr0 = readl\(db\);"/);
});

test('an irreflexive check is explained through the event that closes it: coWW is po one way, co the other', () => {
  const r = check('--explain', join(AARCH64, 'CoWW+forall.litmus'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /ruled out by coWW: irreflexive \[W\]; po-loc; \[W\]; co as coWW/);
  assert.match(r.stdout, /^ {4}P0: STR W0,\[X5\], line 10\n {6}--po-->\n {4}P0: STR W1,\[X5\], line 11\n {6}--co-->\n {4}P0: STR W0,\[X5\], line 10$/m);
});

test('a Never no candidate could have (its values cannot arise) is said to be so, with no example', () => {
  const f = write('mp-42.litmus', readFileSync(MP, 'utf8').replace('exists (1:X1=1 /\\ 1:X2=0)', 'exists (1:X1=42)'));
  const r = check('--explain', f);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^No candidate execution has this outcome at all: its values cannot arise, whatever the model\.$/m);
  assert.doesNotMatch(r.stdout, /is ruled out by/);
});

test('--explain answers in the radix the test writes its values in; herd\'s state lines stay decimal, as herd prints them', () => {
  const text = readFileSync(join(THREAD, 'doorbell-no-barrier.litmus'), 'utf8').replace('MOV W0,#1', 'MOV W0,#0x11').replace('nic:X0=1', 'nic:X0=0x11');
  const r = check('--explain', write('hex-doorbell.litmus', text));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^nic:X0=17; nic:X2=0;$/m);
  assert.match(r.stdout, /^ {3}1\. P0: STR W0,\[X2\] \[Device-nGnRE\] -- write db=0x11$/m);
  assert.match(r.stdout, /reads desc=0x0 from init$/m);
  // A BAR offset in hex (`nic.bar0:0x800`) is an address: the catalogue test stays decimal.
  const plain = check('--explain', join(THREAD, 'doorbell-no-barrier.litmus'));
  assert.match(plain.stdout, /-- write db=1$/m);
});

test('--explain shows the request that carried a gathered transaction: one TLP, its BAR bytes and DWs', () => {
  const r = check('--explain', join(THREAD, 'wc-gather-fill.litmus'));
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^ {6}\+ P0: STR W0,\[X3\] \[Normal-NC\] -- write wc2=/m);
  assert.match(r.stdout, /^ {6}= one Memory Write TLP: nic\.bar2 0x0\.\.0xb, 3 DW$/m);
  const json = JSON.parse(check('--json', '--explain', join(THREAD, 'wc-gather-fill.litmus')).stdout) as { results: { timeline: { carried: unknown[] }[] }[] };
  assert.deepEqual(json.results[0]!.timeline[0]!.carried, ['one Memory Write TLP: nic.bar2 0x0..0xb, 3 DW']);
});

test('--kvm and --fwb put the test\'s stage-2 mappings under another kernel or FWB setting; bad values are usage errors', () => {
  const wc = join(THREAD, 'wc-gather-kvm68.litmus');
  // KVM 6.8 maps a vfio-pci BAR Device-nGnRE at stage 2 (no gathering); 6.9 lets the guest's
  // Normal-NC through (docs/kvm.md), so the stores may be gathered.
  assert.match(check('--kvm', '6.8', wc).stdout, /^Observation wc-gather-kvm68 Never /m);
  assert.match(check('--kvm', '6.9', wc).stdout, /^Observation wc-gather-kvm68 Sometimes /m);
  const bad = check('--kvm', 'six', wc);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^iolitmus: --kvm: /);
  assert.equal(check('--fwb', 'maybe', wc).status, 2);
});

