/**
 * `iolitmus check FILE|DIR ...`: run litmus tests, print herd-style results (or --json), write
 * witness graphs (--dot DIR), spread tests over worker threads (--jobs N), bound each test
 * (--timeout S, --max-executions N; the result is then marked partial).
 */
import { MODELLED_VARIANTS, variantNames } from '../../syntax/shared/header.js';
import type { MappingOverrides } from '../../events/topology.js';
import { parseKernelVersion } from '../../platform/kernel-version.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isatty } from 'node:tty';
import { join } from 'node:path';
import type { Command } from 'commander';
import { collectInputs, readInput, type Input } from '../files.js';
import { runAll, type Task } from '../pool.js';
import type { FileReport, RunOptions } from '../../report/file-report.js';
import { UsageError, wholeFileError } from '../errors.js';
import { parseCount, parseSeconds } from '../numbers.js';
import { parseAssumptions } from '../../model/assumptions.js';
import { writeOut, writeErr } from '../output.js';
import { exitStatus } from '../exit-status.js';
import { modelOption } from '../model-option.js';

/** Every test ends: a search still running after this long stops, and its result is partial. */
const DEFAULT_TIMEOUT_S = 60;

interface CheckFlags {
  json?: boolean;
  dot?: string;
  svg?: string;
  explain?: boolean;
  jobs: string;
  timeout: string;
  maxExecutions?: string;
  unroll: string;
  assume?: string;
  model?: string;
  variant?: string;
  kvm?: string;
  fwb?: string;
  progress: boolean;
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('run litmus tests and print every outcome the model allows (herd7 layout)')
    .argument('<paths...>', 'litmus files or directories (searched recursively for *.litmus); - reads one test from stdin')
    .option('--json', 'print one JSON document (schema in docs/cli.md)')
    .option('--dot <dir>', 'write a witness execution graph per test into DIR (NAME.dot)')
    .option('--svg <dir>', 'write each witness graph as DIR/NAME.svg (rendered in-process)')
    .option('--explain', 'show the witness: mappings, and each endpoint\'s arrival timeline')
    .option('-j, --jobs <n>', 'threads (this one and N-1 workers); at most one per file and per CPU', '1')
    .option('--timeout <seconds>', 'stop a test after this long; its result is marked partial', String(DEFAULT_TIMEOUT_S))
    .option('--max-executions <n>', 'stop a test after examining this many candidate executions (consistent or ruled out); partial')
    .option('--unroll <n>', 'times each backward branch may be taken', '2')
    .option('--assume <settings>', 'platform assumptions, e.g. "relaxed-ordering=on fabric=architecture" (docs/model.md); may be given several times', (v: string, prev?: string) => (prev === undefined ? v : `${prev} ${v}`))
    .option('--model <name|file>', `the model: a model file (docs/models.md) or a built-in's name; herd's -model/-cat are accepted`)
    .option('--variant <names>', "herd's variants for every test, as its -variant: vmsa (or kvm), fatal (or precise), mixed; comma-separated")
    .option('--kvm <version>', "the host kernel of every s2:(kvm-...) mapping, instead of the one the test names (6.8, 6.9, 6.17)")
    .option('--fwb <on|off>', 'FEAT_S2FWB for every mapping with a stage 2, instead of what the test says')
    .option('--no-progress', 'no progress bar, even on a terminal')
    .action(async (paths: string[], flags: CheckFlags) => {
      process.exitCode = await check(paths, flags);
    });
}

/** `--variant vmsa,fatal`: herd's variant names iolitmus models (header.ts). */
function parseVariants(text: string): string[] {
  const names = variantNames(text);
  const unknown = names.filter((v) => !MODELLED_VARIANTS.has(v.toLowerCase()));
  if (names.length === 0 || unknown.length > 0) throw new UsageError(`--variant: ${unknown.length > 0 ? `'${unknown[0]}' is not a variant iolitmus models` : 'no variant given'} (${[...MODELLED_VARIANTS].join(', ')})`);
  return names;
}

/** `--kvm 6.9`, `--fwb on`: the mappings' kernel and FWB, as the matrix varies them. */
function mappingOverrides(flags: CheckFlags): MappingOverrides | undefined {
  if (flags.kvm === undefined && flags.fwb === undefined) return undefined;
  if (flags.kvm !== undefined) {
    try {
      parseKernelVersion(flags.kvm);
    } catch (e) {
      throw new UsageError(`--kvm: ${(e as Error).message}`);
    }
  }
  if (flags.fwb !== undefined && flags.fwb !== 'on' && flags.fwb !== 'off') throw new UsageError(`--fwb: expected on or off, got '${flags.fwb}'`);
  return { ...(flags.kvm !== undefined ? { kvm: flags.kvm.replace(/^v/, '') } : {}), ...(flags.fwb !== undefined ? { fwb: flags.fwb === 'on' } : {}) };
}

async function check(paths: string[], flags: CheckFlags): Promise<number> {
  const jobs = parseCount('--jobs', flags.jobs, 1);
  const options: RunOptions = {
    timeoutMs: parseSeconds('--timeout', flags.timeout) * 1000,
    maxExecutions: flags.maxExecutions !== undefined ? parseCount('--max-executions', flags.maxExecutions, 1) : undefined,
    unroll: parseCount('--unroll', flags.unroll, 0),
    dot: flags.dot !== undefined || flags.svg !== undefined,
    explain: flags.explain === true,
    assume: flags.assume,
    model: flags.model !== undefined ? modelOption(flags.model) : undefined,
    variants: flags.variant !== undefined ? parseVariants(flags.variant) : undefined,
    overrides: mappingOverrides(flags),
  };
  if (flags.assume !== undefined) {
    try {
      parseAssumptions(flags.assume);
    } catch (e) {
      throw new UsageError(`--assume: ${(e as Error).message}`);
    }
  }
  const inputs = collectInputs(paths);
  if (inputs.length === 0) throw new UsageError(`no .litmus files under ${paths.join(' ')}`);
  const { reports, tasks, slot } = readInputs(inputs);
  // A --dot/--svg path that cannot be a directory (a file is in the way, no permission) is the
  // user's mistake: one line and exit 2, before any test runs.
  for (const [option, dir] of [['--dot', flags.dot], ['--svg', flags.svg]] as const) {
    if (dir === undefined) continue;
    try {
      mkdirSync(dir, { recursive: true });
    } catch (e) {
      throw new UsageError(`${option}: cannot create directory ${dir}: ${(e as Error).message}`);
    }
  }
  const graphs: { name: string; dot: string }[] = [];
  const graphNames = new Map<string, number>();

  // The progress bar is loaded only when it is shown (a terminal, not --json): start-up time matters.
  const bar = flags.progress && !flags.json && isatty(2) && inputs.length > 1 ? await progressBar() : undefined;
  bar?.start(inputs.length, inputs.length - tasks.length, { file: '' });

  // Print in input order as soon as a prefix of the results is complete.
  let printed = 0;
  let failed = 0;
  let partial = false;
  let mismatches = false;
  const flush = () => {
    while (printed < reports.length && reports[printed]) {
      const r = reports[printed++]!;
      if (r.errors.length) failed++;
      partial ||= r.partial;
      mismatches ||= r.mismatch;
      if (!flags.json) {
        for (const l of r.errorLines) writeErr(l + '\n');
        if (r.text) writeOut(r.explanation ? `${r.text}${r.explanation}\n` : r.text + '\n');
      } else {
        for (const l of r.errorLines) writeErr(l + '\n');
      }
      if (r.dot && r.name) {
        // Two tests of one name get two files (NAME, NAME-2, ...), never one overwritten.
        const base = fileName(r.name);
        const count = (graphNames.get(base) ?? 0) + 1;
        graphNames.set(base, count);
        const name = count === 1 ? base : `${base}-${count}`;
        if (flags.svg !== undefined) graphs.push({ name, dot: r.dot });
        if (flags.dot !== undefined && !save(join(flags.dot, `${name}.dot`), r.dot)) failed++;
      }
    }
  };
  await runAll(tasks, options, jobs, (k, r) => {
    reports[slot[k]!] = r;
    bar?.increment(1, { file: r.file });
    if (!bar) flush();
  });
  bar?.stop();
  flush();
  if (flags.svg !== undefined && graphs.length) {
    const { dotToSvg } = await import('../svg.js');
    for (const g of graphs) if (!save(join(flags.svg, `${g.name}.svg`), await dotToSvg(g.dot))) failed++;
  }
  if (flags.json) {
    const doc = { results: reports.flatMap((r) => (r?.json ? [r.json] : [])), errors: reports.flatMap((r) => r?.errors ?? []) };
    writeOut(JSON.stringify(doc, null, 2) + '\n');
  }
  return exitStatus({ errors: failed > 0, mismatches, partial });
}

/**
 * The inputs' texts as tasks; tasks[k] is input slot[k]. An input that cannot be read has its
 * report already, in its place (an error of that file, like one in its text), and the rest run.
 */
function readInputs(inputs: readonly Input[]): { reports: (FileReport | undefined)[]; tasks: Task[]; slot: number[] } {
  const reports: (FileReport | undefined)[] = new Array(inputs.length);
  const tasks: Task[] = [];
  const slot: number[] = [];
  inputs.forEach((input, i) => {
    const file = input.path === '-' ? '<stdin>' : input.path;
    const read = input.problem === undefined ? readInput(input.path) : { problem: input.problem };
    if ('text' in read) {
      slot.push(i);
      tasks.push({ file, source: read.text });
    } else reports[i] = wholeFileError(file, 'read', read.problem);
  });
  return { reports, tasks, slot };
}

/** A test name as a file name. */
function fileName(test: string): string {
  return test.replace(/[^\w.+-]/g, '_');
}

/** Write an output file; on failure say so on one line (the run then ends with status 1). */
function save(target: string, text: string): boolean {
  try {
    writeFileSync(target, text);
    return true;
  } catch (e) {
    writeErr(`iolitmus: cannot write ${target}: ${(e as Error).message}\n`);
    return false;
  }
}

async function progressBar() {
  const { default: cliProgress } = await import('cli-progress');
  return new cliProgress.SingleBar(
    { format: '{bar} {value}/{total} tests  {file}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
}
