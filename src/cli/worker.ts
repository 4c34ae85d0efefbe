/** Worker-thread entry: runs files sent by the pool (see pool.ts) and posts their reports back. */
import { parentPort } from 'node:worker_threads';
import { runFile, type RunOptions } from '../report/file-report.js';

interface Job {
  readonly id: number;
  readonly file: string;
  readonly source: string;
  readonly options: RunOptions;
}

parentPort?.on('message', (job: Job) => {
  parentPort!.postMessage({ id: job.id, report: runFile(job.file, job.source, job.options) });
});
