/**
 * `npm run bench`: speed figures on a fixed set of tests.
 *
 * - in-process throughput over the shipped catalogue (tests/s, consistent executions/s);
 * - cold start: wall time of `iolitmus check` on one small test, and of `--help`;
 * - whole-CLI wall time on the catalogue with --jobs 1 and --jobs 2 (speed-up);
 * - peak memory (max RSS) of this process;
 * - when HERD7 names a herd7 binary: herd7's wall time on the AArch64 files and on the generated
 *   corpus (corpus/generated) in the same run, and the ratio of wall times iolitmus / herd7 (lower
 *   is better for us; the target is at most 0.13). HERD7_ARGS adds arguments (e.g. a libdir).
 * - cold start against `node -e 0` (the target: within 30 ms).
 * - in-process time on the generated corpus (to compare versions when the model's evaluation changes).
 *
 * Usage: npm run bench [-- --quick] [-- DIR ...]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/pipeline/index.js';
import { webBench } from './web.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = join(root, 'bin', 'iolitmus.js');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dirs = args.filter((a) => !a.startsWith('--'));
const sets = dirs.length ? dirs : ['catalogue/aarch64', 'catalogue/thread'].map((d) => join(root, d)).filter(exists);

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function litmusFiles(p: string): string[] {
  if (!statSync(p).isDirectory()) return [p];
  return readdirSync(p).sort().flatMap((n) => {
    const full = join(p, n);
    return statSync(full).isDirectory() ? litmusFiles(full) : n.endsWith('.litmus') ? [full] : [];
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeCommand(cmd: string, argv: string[], runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(cmd, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
    times.push(performance.now() - t);
    if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} ${argv.slice(0, 4).join(' ')}${argv.length > 4 ? ` ... (${argv.length} arguments)` : ''} failed: ${r.stderr}`);
  }
  return median(times);
}

/**
 * Median wall times of several node commands run in turns (a, b, c, a, b, c, ...), so the
 * machine's ups and downs weigh on each alike: start-up differences of a few ms are measurable.
 */
function interleaved(argvs: readonly string[][], runs: number): number[] {
  const times = argvs.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    argvs.forEach((argv, k) => {
      const t = performance.now();
      spawnSync(process.execPath, argv, { stdio: 'ignore' });
      times[k]!.push(performance.now() - t);
    });
  }
  return times.map(median);
}

const files = sets.flatMap(litmusFiles);
if (files.length === 0) {
  console.error('bench: no litmus files found');
  process.exit(2);
}
const sources = files.map((f) => readFileSync(f, 'utf8'));
const deviceFiles = files.filter((f) => f.includes(`${'catalogue'}/thread`));

// 1. In-process throughput: repeat the whole set until at least `budget` ms have passed.
const budget = quick ? 500 : 3000;
let tests = 0;
let executions = 0;
let rounds = 0;
const runnable: string[] = [];
sources.forEach((s, i) => {
  if (checkText(s).ok) runnable.push(s);
  else console.error(`bench: skipping ${files[i]} (does not run)`);
});
const t0 = performance.now();
while (performance.now() - t0 < budget || rounds === 0) {
  for (const s of runnable) {
    const out = checkText(s);
    if (out.ok) executions += out.result.stats.executions;
    tests++;
  }
  rounds++;
}
const elapsed = (performance.now() - t0) / 1000;

// 2. Slowest single tests (every seed-thread scenario must be well under a second).
const perTest = runnable.map((s, i) => {
  const t = performance.now();
  checkText(s);
  return { file: files[i]!, ms: performance.now() - t };
}).sort((a, b) => b.ms - a.ms);

// 3. Cold start and whole-CLI runs.
const small = files.find((f) => /\/MP\.litmus$/.test(f)) ?? files[0]!;
const [coldCheck, coldHelp, nodeAlone] = interleaved([[cli, 'check', small], [cli, '--help'], ['-e', '']], quick ? 5 : 25);
const repeatArgs = (n: number) => Array.from({ length: n }, () => files).flat();
const cliFiles = repeatArgs(quick ? 2 : 10);
const cliJ1 = timeCommand(process.execPath, [cli, 'check', '--no-progress', '-j', '1', ...cliFiles], quick ? 1 : 3);
const cliJ2 = timeCommand(process.execPath, [cli, 'check', '--no-progress', '-j', '2', ...cliFiles], quick ? 1 : 3);
const maxRssMb = process.resourceUsage().maxRSS / 1024;

const fmt = (x: number, d = 1) => x.toFixed(d);
console.log(`iolitmus bench — ${files.length} files (${runnable.length} runnable) from ${sets.map((s) => s.replace(root + '/', '')).join(', ')}`);
console.log(`in-process:   ${fmt(tests / elapsed, 0)} tests/s, ${fmt(executions / elapsed, 0)} executions/s (${rounds} rounds, ${fmt(elapsed, 2)} s)`);
console.log(`slowest:      ${perTest.slice(0, 3).map((p) => `${p.file.replace(root + '/', '')} ${fmt(p.ms, 1)} ms`).join(', ')}`);
if (deviceFiles.length) {
  const dev = perTest.filter((p) => deviceFiles.includes(p.file));
  console.log(`device:       ${dev.length} scenarios, slowest ${fmt(dev[0]?.ms ?? 0, 1)} ms`);
}
console.log(`cold start:   check one test ${fmt(coldCheck, 0)} ms, --help ${fmt(coldHelp, 0)} ms; node -e 0 ${fmt(nodeAlone, 0)} ms: iolitmus adds ${fmt(coldCheck - nodeAlone, 0)} ms (target at most 30)`);
console.log(`CLI:          ${cliFiles.length} tests: -j1 ${fmt(cliJ1, 0)} ms (${fmt(cliFiles.length / (cliJ1 / 1000), 0)} tests/s), -j2 ${fmt(cliJ2, 0)} ms, speed-up ${fmt(cliJ1 / cliJ2, 2)}x`);
console.log(`peak memory:  ${fmt(maxRssMb, 0)} MiB max RSS (bench process)`);

// 4. herd7, when available: the same files in the same run, one process each over all of them.
const herd = process.env['HERD7'];
if (herd) {
  const herdArgs = (process.env['HERD7_ARGS'] ?? '').split(/\s+/).filter(Boolean);
  const corpus = join(root, 'corpus', 'generated');
  const against: [string, string[]][] = [['catalogue', cliFiles.filter((f) => !deviceFiles.includes(f))]];
  if (!dirs.length && exists(corpus)) against.push(['generated corpus', litmusFiles(corpus)]);
  try {
    execFileSync(herd, ['-version'], { stdio: 'ignore' });
    for (const [what, list] of against) {
      const h = timeCommand(herd, [...herdArgs, ...list], 1);
      const us = timeCommand(process.execPath, [cli, 'check', '--no-progress', ...list], quick ? 1 : 3);
      console.log(`herd7:        ${what}, ${list.length} tests: herd7 ${fmt(h, 0)} ms, iolitmus ${fmt(us, 0)} ms; iolitmus/herd7 ${fmt(us / h, 3)} (target at most 0.13)`);
    }
  } catch (e) {
    console.log(`herd7:        could not run ${herd}: ${(e as Error).message.split('\n')[0]}`);
  }
} else {
  console.log('herd7:        not measured (set HERD7 to a herd7 binary to compare in the same run)');
}

// 4b. Kernel C under the LKMM: catalogue/lkmm, and the kernel's own tests when LKMM_DIR names a
// copy of tools/memory-model (its linux-kernel.cfg and litmus-tests/); herd7 runs from there
// with the kernel's model, one process over all the files, as checkalllitmus.sh would.
if (!dirs.length) lkmmBench();

function lkmmBench(): void {
  const lkmmDir = process.env['LKMM_DIR'];
  const sets: [string, string[]][] = [['catalogue/lkmm', litmusFiles(join(root, 'catalogue', 'lkmm'))]];
  if (lkmmDir && exists(join(lkmmDir, 'litmus-tests'))) sets.push(['kernel litmus-tests', litmusFiles(join(lkmmDir, 'litmus-tests'))]);
  for (const [what, list] of sets) {
    const slow = list.map((f) => {
      const text = readFileSync(f, 'utf8');
      const t = performance.now();
      checkText(text);
      return { f, ms: performance.now() - t };
    }).sort((a, b) => b.ms - a.ms);
    const us = timeCommand(process.execPath, [cli, 'check', '--no-progress', ...list], quick ? 1 : 3);
    let line = `lkmm:         ${what}, ${list.length} tests: iolitmus ${fmt(us, 0)} ms; slowest ${slow.slice(0, 3).map((p) => `${p.f.replace(/.*\//, '')} ${fmt(p.ms, 1)} ms`).join(', ')}`;
    if (herd && lkmmDir && exists(join(lkmmDir, 'linux-kernel.cfg'))) {
      const t = performance.now();
      spawnSync(herd, ['-conf', 'linux-kernel.cfg', ...list], { cwd: lkmmDir, stdio: 'ignore' });
      const h = performance.now() - t;
      line += `; herd7 + linux-kernel.cfg ${fmt(h, 0)} ms; iolitmus/herd7 ${fmt(us / h, 3)}`;
    }
    console.log(line);
  }
  if (!herd || !lkmmDir) console.log('lkmm:         herd7 not measured (set HERD7 and LKMM_DIR, a copy of the kernel\'s tools/memory-model)');
}

// 5. In-process time on the generated corpus (plain AArch64, models/aarch64.model): the figure to
// hold against an earlier version's when the model's evaluation changes.
{
  const corpusDir = join(root, 'corpus', 'generated');
  if (exists(corpusDir) && !dirs.length) {
    const corpusTexts = litmusFiles(corpusDir).map((f) => readFileSync(f, 'utf8'));
    const times: number[] = [];
    for (let i = 0; i < (quick ? 1 : 5); i++) {
      const t = performance.now();
      for (const s of corpusTexts) checkText(s);
      times.push(performance.now() - t);
    }
    console.log(`corpus:       ${corpusTexts.length} tests in-process, median ${fmt(median(times), 0)} ms (${fmt(corpusTexts.length / (median(times) / 1000), 0)} tests/s)`);
  }
}

// 6. The playground in a browser (bench/web.ts).
if (!dirs.length) console.log(await webBench(quick ? 2 : 5));
