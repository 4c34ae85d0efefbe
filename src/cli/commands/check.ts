/**
 * `iolitmus check FILE|DIR ...`: run litmus tests, print herd-style results (or --json), write
 * witness graphs (--dot DIR), spread tests over worker threads (--jobs N), bound each test
 * (--timeout S, --max-executions N; the result is then marked partial).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { collectFiles } from '../files.js';
import { runAll } from '../pool.js';
import type { FileReport, RunOptions } from '../run-file.js';
import { UsageError } from '../errors.js';
import { parseCount, parseSeconds } from '../numbers.js';
import { parseAssumptions } from '../../model/assumptions.js';

interface CheckFlags {
  json?: boolean;
  dot?: string;
  explain?: boolean;
  jobs: string;
  timeout?: string;
  maxExecutions?: string;
  unroll: string;
  assume?: string;
  progress: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('run litmus tests and print every outcome the model allows (herd7 layout)')
    .argument('<paths...>', 'litmus files or directories (searched recursively for *.litmus)')
    .option('--json', 'print one JSON document (schema in docs/cli.md)')
    .option('--dot <dir>', 'write a witness execution graph per test into DIR (NAME.dot)')
    .option('--explain', 'show the witness: mappings, and each endpoint\'s arrival timeline')
    .option('-j, --jobs <n>', 'worker threads', '1')
    .option('--timeout <seconds>', 'stop a test after this long; its result is marked partial')
    .option('--max-executions <n>', 'stop a test after this many consistent executions; partial')
    .option('--unroll <n>', 'times each backward branch may be taken', '2')
    .option('--assume <settings>', 'platform assumptions, e.g. "relaxed-ordering=on fabric=architecture" (docs/model.md)')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (paths: string[], flags: CheckFlags) => {
      process.exitCode = await check(paths, flags);
    });
}

async function check(paths: string[], flags: CheckFlags): Promise<number> {
  const jobs = parseCount('--jobs', flags.jobs, 1);
  const options: RunOptions = {
    timeoutMs: flags.timeout !== undefined ? parseSeconds('--timeout', flags.timeout) * 1000 : undefined,
    maxExecutions: flags.maxExecutions !== undefined ? parseCount('--max-executions', flags.maxExecutions, 1) : undefined,
    unroll: parseCount('--unroll', flags.unroll, 0),
    dot: flags.dot !== undefined,
    explain: flags.explain === true,
    assume: flags.assume,
  };
  if (flags.assume !== undefined) {
    try {
      parseAssumptions(flags.assume);
    } catch (e) {
      throw new UsageError(`--assume: ${(e as Error).message}`);
    }
  }
  const files = collectFiles(paths);
  if (files.length === 0) throw new UsageError(`no .litmus files under ${paths.join(' ')}`);
  const tasks = files.map((file) => {
    try {
      // Editors on Windows may start a UTF-8 file with a byte-order mark; it is not part of the
      // text (the first line must read `AArch64 NAME`), and it takes no column.
      return { file, source: readFileSync(file, 'utf8').replace(/^\uFEFF/, '') };
    } catch (e) {
      throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
    }
  });
  if (flags.dot !== undefined) {
    // A --dot path that cannot be a directory (a file is in the way, no permission) is the
    // user's mistake: one line and exit 2, before any test runs.
    try {
      mkdirSync(flags.dot, { recursive: true });
    } catch (e) {
      throw new UsageError(`--dot: cannot create directory ${flags.dot}: ${(e as Error).message}`);
    }
  }

  // The progress bar is loaded only when it is shown (a terminal, not --json): start-up time matters.
  const bar = flags.progress && !flags.json && process.stderr.isTTY && files.length > 1 ? await progressBar() : undefined;
  bar?.start(files.length, 0, { file: '' });

  // Print in input order as soon as a prefix of the results is complete.
  const reports: (FileReport | undefined)[] = new Array(files.length);
  let printed = 0;
  let failed = 0;
  const flush = () => {
    while (printed < reports.length && reports[printed]) {
      const r = reports[printed++]!;
      if (r.errors.length) failed++;
      if (!flags.json) {
        for (const l of r.errorLines) process.stderr.write(l + '\n');
        if (r.text) process.stdout.write(r.explanation ? `${r.text}${r.explanation}\n` : r.text + '\n');
      } else {
        for (const l of r.errorLines) process.stderr.write(l + '\n');
      }
      if (flags.dot !== undefined && r.dot && r.name) {
        const target = join(flags.dot, `${r.name.replace(/[^\w.+-]/g, '_')}.dot`);
        try {
          writeFileSync(target, r.dot);
        } catch (e) {
          // The test's result is still printed; the run fails (status 1) like a file with an error.
          process.stderr.write(`iolitmus: cannot write ${target}: ${(e as Error).message}\n`);
          failed++;
        }
      }
    }
  };
  await runAll(tasks, options, jobs, (i, r) => {
    reports[i] = r;
    bar?.increment(1, { file: r.file });
    if (!bar) flush();
  });
  bar?.stop();
  flush();
  if (flags.json) {
    const doc = { results: reports.flatMap((r) => (r?.json ? [r.json] : [])), errors: reports.flatMap((r) => r?.errors ?? []) };
    process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
  }
  return failed > 0 ? 1 : 0;
}

async function progressBar() {
  const { default: cliProgress } = await import('cli-progress');
  return new cliProgress.SingleBar(
    { format: '{bar} {value}/{total} tests  {file}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
}
