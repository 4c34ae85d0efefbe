/**
 * Spread files over threads: this one and jobs - 1 workers. Results come back in any order and
 * the caller re-orders them. With one job, everything runs in this thread (no worker start-up
 * cost). A worker that dies costs the run only the test it was checking, reported as an internal
 * error for that file; the tests queued behind it go to the other threads.
 */
import { runFile, type FileReport, type RunOptions } from '../report/file-report.js';
import { wholeFileError } from './errors.js';

/**
 * Tests a worker holds at once: the one it runs and one queued behind it, so it does not wait for
 * a message round trip between two small tests, and yet a few tests spread over every thread.
 */
export const HELD = 2;

export interface Task {
  readonly file: string;
  readonly source: string;
}

export interface Job extends Task {
  readonly id: number;
  readonly options: RunOptions;
}

export interface Reply {
  readonly id: number;
  readonly report: FileReport;
}

/** A worker as the pool sees it (tests stand in for threads with it). */
export interface WorkerHandle {
  send(job: Job): void;
  stop(): Promise<unknown>;
}

export interface WorkerEvents {
  reply(r: Reply): void;
  /** The worker stopped by itself (an uncaught exception, an exit): `why` says how. */
  died(why: string): void;
}

export type StartWorker = (events: WorkerEvents) => WorkerHandle;

export interface PoolDeps {
  readonly start: StartWorker;
  /** CPUs to use; default os.availableParallelism(). */
  readonly cpus: number;
}

/**
 * Threads worth having, this one included: a thread per test at most, and no more than the CPUs
 * (the tests are CPU-bound; each further worker only costs memory, ~10 MB for its copy of the
 * checker).
 */
export function threadCount(jobs: number, tasks: number, cpus: number): number {
  return Math.max(1, Math.min(jobs, tasks, cpus));
}

export async function runAll(tasks: readonly Task[], options: RunOptions, jobs: number, onDone: (index: number, r: FileReport) => void, deps: Partial<PoolDeps> = {}): Promise<void> {
  // os is loaded only when more than one job is asked for: start-up time matters.
  const cpus = jobs > 1 ? deps.cpus ?? process.getBuiltinModule('node:os').availableParallelism() : 1;
  const threads = threadCount(jobs, tasks.length, cpus);
  if (threads > 1) return new Pool(tasks, options, onDone).run(threads - 1, deps.start ?? startThread);
  for (let i = 0; i < tasks.length; i++) {
    onDone(i, runHere(tasks[i]!, options));
    // Let the progress bar and signals through between tests.
    if (i % 16 === 15) await new Promise((r) => setImmediate(r));
  }
}

/** One test in this thread; a bug of ours becomes an error of the file, as in a worker. */
function runHere(task: Task, options: RunOptions): FileReport {
  try {
    return runFile(task.file, task.source, options);
  } catch (e) {
    return wholeFileError(task.file, 'internal', `internal error while checking this test: ${e instanceof Error ? e.message : String(e)}`);
  }
}

class Pool {
  private next = 0;
  /** Tests given back by a worker that died, to hand out before the others. */
  private readonly retry: number[] = [];
  private remaining: number;
  /** Each live worker's tests, in the order it runs them: the first is the one it is on. */
  private readonly held = new Map<WorkerHandle, number[]>();
  private wake = () => {};

  constructor(
    private readonly tasks: readonly Task[],
    private readonly options: RunOptions,
    private readonly onDone: (index: number, r: FileReport) => void,
  ) {
    this.remaining = tasks.length;
  }

  async run(workers: number, start: StartWorker): Promise<void> {
    for (let k = 0; k < workers; k++) this.startWorker(start);
    // Each worker gets a test before this thread takes one, so a small set spreads over all
    // threads. This thread starts at once (workers take a while to load) and keeps its
    // warmed-up code.
    this.fill(1);
    while (this.remaining > 0) {
      const id = this.take();
      if (id === undefined) {
        // The rest are at workers: wait for one to answer or die.
        await new Promise<void>((r) => (this.wake = r));
        continue;
      }
      // Queue more at the workers first: this thread answers no message while it runs a test.
      this.fill(HELD);
      this.finish(id, runHere(this.tasks[id]!, this.options));
      // Let the workers' results (and the progress bar) through.
      await new Promise((r) => setImmediate(r));
    }
    const live = [...this.held.keys()];
    this.held.clear();
    await Promise.all(live.map((w) => w.stop()));
  }

  private startWorker(start: StartWorker): void {
    let w: WorkerHandle | undefined;
    const events: WorkerEvents = {
      reply: (r) => w && this.reply(w, r),
      died: (why) => w && this.died(w, why),
    };
    try {
      w = start(events);
    } catch {
      // No worker: the other threads do its share.
      return;
    }
    this.held.set(w, []);
  }

  private take(): number | undefined {
    if (this.retry.length) return this.retry.shift();
    return this.next < this.tasks.length ? this.next++ : undefined;
  }

  /** Top every worker up to `depth` tests, one round at a time so they share what is left. */
  private fill(depth: number): void {
    for (let level = 1; level <= depth; level++) {
      for (const [w, ids] of this.held) if (ids.length < level) this.give(w, ids);
    }
  }

  private give(w: WorkerHandle, ids: number[]): void {
    const id = this.take();
    if (id === undefined) return;
    ids.push(id);
    w.send({ id, file: this.tasks[id]!.file, source: this.tasks[id]!.source, options: this.options });
  }

  private reply(w: WorkerHandle, r: Reply): void {
    const ids = this.held.get(w);
    const at = ids?.indexOf(r.id) ?? -1;
    if (at < 0) return;
    ids!.splice(at, 1);
    this.finish(r.id, r.report);
    this.fill(HELD);
    this.wake();
  }

  private died(w: WorkerHandle, why: string): void {
    const ids = this.held.get(w);
    if (!ids) return;
    this.held.delete(w);
    const [current, ...queued] = ids;
    this.retry.unshift(...queued);
    if (current !== undefined) {
      const file = this.tasks[current]!.file;
      this.finish(current, wholeFileError(file, 'internal', `internal error: the worker thread checking this test stopped: ${why}`));
    }
    this.fill(HELD);
    this.wake();
  }

  private finish(id: number, report: FileReport): void {
    this.remaining--;
    this.onDone(id, report);
  }
}

/** A worker thread running worker.ts. */
const startThread: StartWorker = (events) => {
  // Loaded only here: a single-job run (the common cold start) does not pay for it.
  const { Worker } = process.getBuiltinModule('node:worker_threads');
  // Beside this module: worker.cjs in the bundle, worker.js in the plain compiled tree.
  const w = new Worker(new URL(import.meta.url.endsWith('.cjs') ? './worker.cjs' : './worker.js', import.meta.url));
  let error: string | undefined;
  w.on('message', (m: Reply) => events.reply(m));
  w.on('error', (e) => (error = e instanceof Error ? e.message : String(e)));
  // 'exit' follows 'error', and comes also after an exit without one.
  w.on('exit', (code) => events.died(error ?? `it exited with status ${code}`));
  return { send: (job) => w.postMessage(job), stop: () => w.terminate() };
};
