/**
 * Spread files over worker threads. Each worker takes one file at a time; results come back in
 * any order and the caller re-orders them. With one job, everything runs in this thread (no
 * worker start-up cost).
 */
import type { Worker } from 'node:worker_threads';
import { runFile, type FileReport, type RunOptions } from './run-file.js';

/** Tests queued at each worker at once. */
const IN_FLIGHT = 32;

export interface Task {
  readonly file: string;
  readonly source: string;
}

export async function runAll(tasks: readonly Task[], options: RunOptions, jobs: number, onDone: (index: number, r: FileReport) => void): Promise<void> {
  if (jobs <= 1 || tasks.length <= 1) {
    for (let i = 0; i < tasks.length; i++) {
      onDone(i, runFile(tasks[i]!.file, tasks[i]!.source, options));
      // Let the progress bar and signals through between tests.
      if (i % 16 === 15) await new Promise((r) => setImmediate(r));
    }
    return;
  }
  // Beside this module: worker.cjs in the bundle, worker.js in the plain compiled tree.
  const url = new URL(import.meta.url.endsWith('.cjs') ? './worker.cjs' : './worker.js', import.meta.url);
  // This thread is one of the `jobs`: it starts at once (workers take a while to load) and keeps
  // its warmed-up code; jobs - 1 workers help.
  // Loaded only here: a single-job run (the common cold start) does not pay for it.
  const { Worker: WorkerThread } = process.getBuiltinModule('node:worker_threads');
  const workers: Worker[] = Array.from({ length: Math.min(jobs - 1, tasks.length - 1) }, () => new WorkerThread(url));
  let next = 0;
  let remaining = tasks.length;
  let failed: unknown;
  let wake: (() => void) | undefined;
  const done = (id: number, report: FileReport) => {
    onDone(id, report);
    remaining--;
    wake?.();
  };
  const feed = (w: Worker) => {
    if (next >= tasks.length) return;
    const id = next++;
    w.postMessage({ id, file: tasks[id]!.file, source: tasks[id]!.source, options });
  };
  for (const w of workers) {
    w.on('message', (m: { id: number; report: FileReport }) => {
      done(m.id, m.report);
      feed(w);
    });
    w.on('error', (e) => {
      failed = e;
      wake?.();
    });
    // Keep a few tests queued at each worker, so it never waits for a message round trip
    // between two small tests.
    for (let k = 0; k < IN_FLIGHT; k++) feed(w);
  }
  while (next < tasks.length && failed === undefined) {
    const id = next++;
    done(id, runFile(tasks[id]!.file, tasks[id]!.source, options));
    // Let the workers' results (and the progress bar) through.
    await new Promise((r) => setImmediate(r));
  }
  while (remaining > 0 && failed === undefined) await new Promise<void>((r) => (wake = r));
  if (failed !== undefined) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw failed;
  }
  await Promise.all(workers.map((w) => w.terminate()));
}
