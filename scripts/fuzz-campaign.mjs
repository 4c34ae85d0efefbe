#!/usr/bin/env node
// A long fuzz campaign over the whole pipeline: the seeded test's mutators (test/mutate.ts) at
// large sizes, many inputs, on worker threads. It reports what docs/cli.md promises: no
// exception, no internal diagnostic, every diagnostic inside its text, how far past --timeout a
// test runs, and the peak memory of the heaviest inputs (each re-run alone through the CLI).
//
//   npm run build && node scripts/fuzz-campaign.mjs [--count N] [--seed S] [--timeout-ms T]
//                                                   [--jobs J] [--from I] [--keep DIR]
//
// Failing inputs (and the slowest) are written to --keep (default: a temporary directory).
import { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    from: { type: 'string', default: '0' },
    'timeout-ms': { type: 'string', default: '2000' },
    jobs: { type: 'string', default: String(availableParallelism()) },
    keep: { type: 'string' },
  },
});
const COUNT = Number(opts.count);
const TIMEOUT = Number(opts['timeout-ms']);
const JOBS = Math.max(1, Number(opts.jobs));
const KEEP = opts.keep ?? mkdtempSync(join(tmpdir(), 'iolitmus-fuzz-'));
mkdirSync(KEEP, { recursive: true });

function seedTexts() {
  const dir = (d) => readdirSync(join(ROOT, 'catalogue', d)).filter((f) => f.endsWith('.litmus')).sort().map((f) => readFileSync(join(ROOT, 'catalogue', d, f), 'utf8'));
  return [...dir('thread'), ...dir('aarch64'), ...dir('aarch64-instructions')];
}

// The worker: inputs i = k, k + J, k + 2J, ... of one shared generator, each checked alone.
const WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads');
Promise.all([import(w.mutate), import(w.search)]).then(([mutate, search]) => {
  for (const f of mutate.fuzzInputs(w.seeds, w.count, w.seed, mutate.LARGE)) {
    if (f.index % w.jobs !== w.k || f.index < w.from) continue;
    parentPort.postMessage({ start: f.index });
    const t0 = performance.now();
    let out, threw;
    try { out = search.checkText(f.text, { timeoutMs: w.timeout }); } catch (e) { threw = String(e && e.stack || e); }
    const ms = performance.now() - t0;
    const bad = [];
    for (const d of out ? out.diagnostics : []) {
      const { line, col } = d.span;
      if (d.code === 'internal') bad.push('internal: ' + d.message);
      else if (mutate.outsideText(d.span, f.text)) bad.push('outside the text: ' + line + ':' + col + ' ' + d.message);
    }
    if (threw) bad.push('threw: ' + threw);
    parentPort.postMessage({ index: f.index, mutator: f.mutator, ms, partial: out && out.ok ? out.result.partial ?? null : null,
      ok: !!(out && out.ok), bad, text: bad.length > 0 || ms > 200 ? f.text : undefined });
  }
  parentPort.postMessage('done');
});`;

const url = (p) => new URL(p, `file://${ROOT}/`).href;
if (!existsSync(join(ROOT, 'dist/test/mutate.js'))) {
  console.error('fuzz-campaign: run `npm run build` first');
  process.exit(2);
}
const seeds = seedTexts();
const results = [];
const started = performance.now();
let peakRss = 0;
const { fuzzInputs, LARGE } = await import(url('dist/test/mutate.js'));
/** The input of that index again (the generator is deterministic). */
function regenerate(index) {
  for (const f of fuzzInputs(seeds, index + 1, Number(opts.seed), LARGE)) if (f.index === index) return f;
}

/** Worker k's share of the inputs from `from` on; a worker that dies (out of memory) fails its input and is replaced. */
function runWorker(k, from) {
  return new Promise((done) => {
    let current;
    const w = new Worker(WORKER, { eval: true, workerData: { k, from, jobs: JOBS, seeds, count: COUNT, seed: Number(opts.seed), timeout: TIMEOUT, mutate: url('dist/test/mutate.js'), search: url('dist/src/pipeline/index.js') } });
    w.on('message', (m) => {
      if (m === 'done') return void w.terminate().then(done);
      if (m.start !== undefined) return void (current = m.start);
      results.push(m);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
      if (results.length % 5000 === 0) process.stderr.write(`${results.length} inputs, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    });
    w.on('error', (e) => {
      const f = regenerate(current);
      process.stderr.write(`input ${current} (${f.mutator}): worker died: ${e.message}\n`);
      results.push({ index: current, mutator: f.mutator, ms: 0, partial: null, ok: false, bad: [`worker died: ${e.message}`], text: f.text });
      runWorker(k, current + 1).then(done);
    });
  });
}
await Promise.all(Array.from({ length: JOBS }, (_, k) => runWorker(k, Number(opts.from))));

const failing = results.filter((r) => r.bad.length > 0);
for (const r of failing) writeFileSync(join(KEEP, `bad-${r.index}.litmus`), r.text);
const byTime = [...results].sort((a, b) => b.ms - a.ms);
const over = results.map((r) => r.ms - TIMEOUT).filter((x) => x > 0).sort((a, b) => b - a);
const timedOut = results.filter((r) => r.partial === 'timeout');
const quantile = (xs, q) => (xs.length === 0 ? 0 : xs[Math.min(xs.length - 1, Math.floor(q * xs.length))]);

// The heaviest inputs again, each alone through the CLI, for its peak RSS.
const heaviest = byTime.slice(0, 10).filter((r) => r.text !== undefined);
const rss = [];
for (const r of heaviest) {
  const file = join(KEEP, `slow-${r.index}.litmus`);
  writeFileSync(file, r.text);
  const code = `process.on('exit', () => process.stderr.write('\\nmaxRSS ' + process.resourceUsage().maxRSS + '\\n')); await import(${JSON.stringify(url('bin/iolitmus.js'))});`;
  const t0 = performance.now();
  const p = spawnSync(process.execPath, ['--input-type=module', '-e', code, join(ROOT, 'bin/iolitmus.js'), 'check', '--timeout', String(TIMEOUT / 1000), file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const alone = Math.round(performance.now() - t0);
  const kb = Number(/maxRSS (\d+)/.exec(p.stderr)?.[1] ?? NaN);
  rss.push({ index: r.index, mutator: r.mutator, ms: Math.round(r.ms), alone, mb: Math.round(kb / 1024), status: p.status });
}

const mutators = new Map();
for (const r of results) {
  const m = mutators.get(r.mutator.split('+')[0]) ?? { inputs: 0, ok: 0 };
  m.inputs++;
  if (r.ok) m.ok++;
  mutators.set(r.mutator.split('+')[0], m);
}
console.log(`inputs ${results.length} (seed ${opts.seed}, ${seeds.length} seed tests, ${JOBS} threads, ${((performance.now() - started) / 1000).toFixed(0)} s)`);
for (const [m, c] of mutators) console.log(`  ${m.padEnd(16)} ${String(c.inputs).padStart(7)} inputs, ${c.ok} checked, ${c.inputs - c.ok} rejected with diagnostics`);
console.log(`failures ${failing.length} (exceptions, internal diagnostics, diagnostics outside the text)${failing.length ? `: ${KEEP}/bad-*.litmus` : ''}`);
for (const r of failing.slice(0, 10)) console.log(`  input ${r.index} (${r.mutator}): ${r.bad[0].split('\n')[0]}`);
console.log(`timeouts ${timedOut.length} inputs stopped by the ${TIMEOUT} ms timeout`);
console.log(`past the timeout ${over.length} inputs; overshoot max ${Math.round(over[0] ?? 0)} ms, p99 of those ${Math.round(quantile(over, 0.01))} ms`);
console.log(`slowest ${byTime.slice(0, 5).map((r) => `${r.index} (${r.mutator}) ${Math.round(r.ms)} ms`).join(', ')}`);
console.log(`peak RSS of the campaign ${Math.round(peakRss / 2 ** 20)} MiB; the heaviest inputs alone (CLI, --timeout ${TIMEOUT / 1000}):`);
for (const r of rss) console.log(`  input ${r.index} (${r.mutator}): ${r.ms} ms in the campaign; alone ${r.alone} ms (process start included), ${r.mb} MiB peak RSS, exit ${r.status}`);
process.exitCode = failing.length > 0 ? 1 : 0;
