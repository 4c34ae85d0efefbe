/**
 * `iolitmus matrix [DIR|FILE ...]`: run each scenario under each assumption set that matters and
 * print one table (or --json). Expected verdicts come from an `expected.json` beside the files
 * (catalogue/thread has one), and mismatches are flagged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { collectFiles } from '../files.js';
import { matrixRows, type Expectation, type MatrixRow } from '../../pipeline/matrix.js';
import { formatMatrix } from '../../report/matrix-text.js';
import { formatMatrixSummary, rowMatches } from '../../report/matrix-summary.js';
import { parseSeconds } from '../numbers.js';
import { writeOut, nowMs } from '../output.js';
import { exitStatus } from '../exit-status.js';

/** The shipped catalogue, next to the installed package. */
function defaultDir(): string {
  return resolve(dirname(fileURLToPath(import.meta.url)), '../../catalogue/thread');
}

function expectationsFor(file: string): Expectation[] {
  const path = join(dirname(file), 'expected.json');
  if (!existsSync(path)) return [];
  const all = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const list = all[basename(file).replace(/\.litmus$/, '')];
  return Array.isArray(list) ? (list as Expectation[]) : [];
}

export function registerMatrix(program: Command): void {
  program
    .command('matrix')
    .description('scenario x assumptions (fabric, KVM version, FWB) -> verdict, for a catalogue (default: the shipped device scenarios, catalogue/thread)')
    .argument('[paths...]', 'litmus files or directories')
    .option('--json', 'print {"rows":[...]}, each row with "matches" (true, false, or null: no expectation or partial)')
    .option('--table', 'every run as a table row, with its reason (the default is one entry per scenario)')
    .option('--timeout <seconds>', 'per run; a run that hits it is reported as partial', '30')
    .action((paths: string[], flags: { json?: boolean; table?: boolean; timeout: string }) => {
      const files = collectFiles(paths.length ? paths : [defaultDir()]);
      const timeoutMs = parseSeconds('--timeout', flags.timeout) * 1000;
      const rows: MatrixRow[] = [];
      for (const f of files) rows.push(...matrixRows(basename(f).replace(/\.litmus$/, ''), readFileSync(f, 'utf8'), expectationsFor(f), { timeoutMs, now: () => nowMs() }));
      if (flags.json) writeOut(JSON.stringify({ rows: rows.map((r) => ({ ...r, matches: rowMatches(r) })) }, null, 2) + '\n');
      else writeOut(flags.table ? formatMatrix(rows) : formatMatrixSummary(rows));
      process.exitCode = exitStatus({
        errors: rows.some((r) => r.verdict === 'error'),
        mismatches: rows.some((r) => rowMatches(r) === false),
        partial: rows.some((r) => r.verdict === 'partial'),
      });
    });
}
