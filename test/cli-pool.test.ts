/**
 * The thread pool of `check -j N` (src/cli/pool.ts): how many threads it starts, how it spreads a
 * few tests over the workers and this thread, and that a worker that dies costs only the test it
 * was checking. Workers are stood in for by fakes that answer on the next turn of the event loop,
 * except in the last tests, which use real worker threads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELD, runAll, threadCount, type Job, type StartWorker, type Task, type WorkerEvents } from '../src/cli/pool.js';
import type { FileReport, RunOptions } from '../src/report/file-report.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const MP_TEXT = readFileSync(join(ROOT, 'catalogue/aarch64/MP.litmus'), 'utf8');

const OPTIONS: RunOptions = { timeoutMs: undefined, maxExecutions: undefined, unroll: 2, dot: false, explain: false, assume: undefined };

function tasks(n: number): Task[] {
  return Array.from({ length: n }, (_, i) => ({ file: `t${i}.litmus`, source: MP_TEXT }));
}

/** A report that only a fake worker makes, to tell its results from this thread's. */
function fakeReport(file: string): FileReport {
  return { file, text: 'from a fake worker', json: undefined, errorLines: [], errors: [], dot: undefined, name: undefined, explanation: undefined, partial: false, mismatch: false };
}

interface Fakes {
  readonly start: StartWorker;
  /** Per fake worker started: the ids sent to it. */
  readonly sent: number[][];
  /** The most tests any fake held at once (sent, not yet answered). */
  maxHeld: number;
  /** Sends and completions in order: `send ID`, `done ID`. */
  readonly log: string[];
}

/** Fake workers that answer each test on the next turn, or die on the tests `dieOn` names. */
function fakes(dieOn: (job: Job) => boolean = () => false): Fakes {
  const f: Fakes = { start: undefined!, sent: [], maxHeld: 0, log: [] };
  (f as { start: StartWorker }).start = (events: WorkerEvents) => {
    const mine: number[] = [];
    f.sent.push(mine);
    let held = 0;
    let dead = false;
    return {
      send(job) {
        mine.push(job.id);
        f.log.push(`send ${job.id}`);
        f.maxHeld = Math.max(f.maxHeld, ++held);
        setImmediate(() => {
          if (dead) return;
          if (dieOn(job)) {
            dead = true;
            events.died(`boom in ${job.file}`);
            return;
          }
          held--;
          events.reply({ id: job.id, report: fakeReport(job.file) });
        });
      },
      stop: async () => {},
    };
  };
  return f;
}

async function runWith(ts: readonly Task[], jobs: number, f: Fakes, cpus = 64): Promise<(FileReport | undefined)[]> {
  const reports: (FileReport | undefined)[] = new Array(ts.length);
  await runAll(ts, OPTIONS, jobs, (i, r) => {
    assert.equal(reports[i], undefined, `test ${i} reported twice`);
    reports[i] = r;
    f.log.push(`done ${i}`);
  }, { start: f.start, cpus });
  return reports;
}

const byWorker = (r: FileReport | undefined) => r?.text === 'from a fake worker';

test('threadCount: --jobs is capped at the number of tests and of CPUs, and is at least 1', () => {
  assert.equal(threadCount(1000, 2, 8), 2);
  assert.equal(threadCount(1000, 200, 8), 8);
  assert.equal(threadCount(4, 200, 8), 4);
  assert.equal(threadCount(1, 200, 8), 1);
  assert.equal(threadCount(4, 0, 8), 1);
  assert.equal(threadCount(4, 5, 1), 1);
});

test('--jobs 1000 on 2 tests starts one worker (this thread is the other job); both tests are reported', async () => {
  const f = fakes();
  const reports = await runWith(tasks(2), 1000, f);
  assert.equal(f.sent.length, 1);
  assert.ok(reports.every((r) => r !== undefined));
});

test('the CPU count caps the workers too: --jobs 8 with 2 CPUs starts one worker', async () => {
  const f = fakes();
  await runWith(tasks(20), 8, f, 2);
  assert.equal(f.sent.length, 1);
});

test('-j 2 on 4 tests: the worker gets a test before this thread runs any, both threads run tests, a worker holds at most HELD', async () => {
  const f = fakes();
  const reports = await runWith(tasks(4), 2, f);
  assert.ok(reports.every((r) => r !== undefined));
  const worker = reports.filter(byWorker).length;
  assert.ok(worker >= 1, 'the worker ran nothing');
  assert.ok(worker <= 3, 'this thread ran nothing');
  assert.deepEqual(f.sent.flat().sort((a, b) => a - b), reports.flatMap((r, i) => (byWorker(r) ? [i] : [])));
  assert.ok(f.maxHeld <= HELD, `a worker held ${f.maxHeld} tests`);
  // This thread's results are reported right after it runs a test, before it looks at messages.
  const firstHere = f.log.findIndex((e) => e.startsWith('done ') && !byWorker(reports[Number(e.slice(5))]));
  assert.ok(f.log.indexOf('send 0') >= 0 && f.log.indexOf('send 0') < firstHere, f.log.join(', '));
});

test('-j 4 on 4 tests: each of the three workers and this thread runs exactly one', async () => {
  const f = fakes();
  const reports = await runWith(tasks(4), 4, f);
  assert.deepEqual(f.sent.map((ids) => ids.length), [1, 1, 1]);
  assert.equal(reports.filter((r) => r !== undefined && !byWorker(r)).length, 1);
});

test('a worker that dies: the test it was on is an internal error named by its file; the tests queued at it still run', async () => {
  const f = fakes((job) => job.file === 't0.litmus');
  const reports = await runWith(tasks(6), 2, f);
  assert.ok(reports.every((r) => r !== undefined));
  const r0 = reports[0]!;
  assert.equal(r0.text, undefined);
  assert.equal(r0.errors.length, 1);
  assert.deepEqual({ ...r0.errors[0]!, message: '' }, { file: 't0.litmus', line: 0, col: 0, code: 'internal', message: '' });
  assert.match(r0.errors[0]!.message, /worker thread .*stopped: boom in t0\.litmus/);
  assert.deepEqual(r0.errorLines, [`t0.litmus: ${r0.errors[0]!.message}`]);
  // Everything else ran, on this thread once the only worker was gone.
  for (const r of reports.slice(1)) assert.match(r!.text ?? '', /^Observation MP Sometimes 1 3$/m);
});

test('workers that die on their first test (say, they cannot load): the run ends, every test is reported', { timeout: 30_000 }, async () => {
  const f = fakes(() => true);
  const reports = await runWith(tasks(8), 4, f);
  assert.equal(f.sent.length, 3);
  assert.ok(reports.every((r) => r !== undefined));
  const internal = reports.filter((r) => r!.errors.some((e) => e.code === 'internal'));
  assert.equal(internal.length, 3, 'one test per dead worker');
  assert.equal(reports.filter((r) => /^Observation MP /m.test(r!.text ?? '')).length, 5);
});

test('a worker that cannot be started: this thread runs everything', async () => {
  const reports: FileReport[] = [];
  await runAll(tasks(3), OPTIONS, 3, (i, r) => (reports[i] = r), {
    cpus: 8,
    start: () => {
      throw new Error('no threads here');
    },
  });
  assert.equal(reports.length, 3);
  for (const r of reports) assert.match(r.text ?? '', /^Observation MP Sometimes 1 3$/m);
});

// ---------------------------------------------------------------------------------------------
// Real worker threads

test('real workers (-j 3, 5 tests): every test is reported once, with its result', { timeout: 60_000 }, async () => {
  const reports: FileReport[] = [];
  await runAll(tasks(5), OPTIONS, 3, (i, r) => {
    assert.equal(reports[i], undefined);
    reports[i] = r;
  }, { cpus: 3 });
  assert.equal(reports.filter(Boolean).length, 5);
  reports.forEach((r, i) => {
    assert.equal(r.file, `t${i}.litmus`);
    assert.match(r.text ?? '', /^Observation MP Sometimes 1 3$/m);
  });
});

test('a real worker that throws outside the checker\'s own guard: internal errors named by file, no hang, no crash', { timeout: 60_000 }, async () => {
  // Options without fields make runFile throw before its try; in a worker that is an uncaught
  // exception, which stops the thread.
  const broken = null as unknown as RunOptions;
  const reports: FileReport[] = [];
  await runAll(tasks(4), broken, 2, (i, r) => (reports[i] = r), { cpus: 2 });
  assert.equal(reports.filter(Boolean).length, 4);
  reports.forEach((r, i) => {
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0]!.code, 'internal');
    assert.equal(r.errors[0]!.file, `t${i}.litmus`);
    assert.equal(r.errors[0]!.line, 0);
  });
  assert.ok(reports.some((r) => /worker thread checking this test stopped/.test(r.errors[0]!.message)), 'no test was lost with a worker');
});
