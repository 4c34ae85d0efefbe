#!/usr/bin/env node
/**
 * Regenerates the differential corpus, corpus/generated/: every configuration below is one
 * `iolitmus gen` enumeration, written to corpus/generated/CONFIG/. With HERD7 set to a herd7
 * binary, each test also runs in herd7 and its verdict (Observation, Positive/Negative, the set of
 * final states) is recorded in corpus/generated/herd7.txt, the facts test/corpus.test.ts checks
 * iolitmus against.
 *
 *   npm run build && HERD7=/path/to/herd7 node scripts/gen-corpus.mjs
 *
 * Without HERD7 the tests are regenerated and herd7.txt is left as it is (the test then fails if
 * the tests changed). Generation is deterministic: the same generator gives the same files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const out = join(root, 'corpus', 'generated');

/** Each enumeration: a name (its folder) and `iolitmus gen` arguments. Sizes 4-6, 2-4 threads. */
const CONFIGS = [
  ['po', ['-size', '6', '-nprocs', '3', '-relax', 'PodWR PodRW PodRR PodWW', '-safe', 'Rfe Fre Coe DMB.SYd** DpAddrdR DpAddrdW DpDatadW DpCtrldW DpCtrlIsbdR']],
  ['fences', ['-size', '6', '-nprocs', '4', '-relax', 'DMB.STdWW DMB.LDdRR DMB.LDdRW DSB.STdWR DSB.SYdWR ISBdRR', '-safe', 'Rfe Fre Coe PodWW PodRR PodRW PodWR', '-mix', 'true']],
  ['internal', ['-size', '5', '-nprocs', '3', '-relax', 'Rfi Fri Coi PosRR PosWW PosRW PosWR', '-safe', 'Rfe Fre Coe Pod** DMB.SYd** DpAddrdR DpDatadW', '-mix', 'true']],
  ['acq-rel', ['-size', '6', '-nprocs', '3', '-relax', 'PodWRPA PodWWPL PodRRAP PodRWAP PodRRQP RfeLA RfePA FreAP', '-safe', 'Rfe Fre Coe DMB.SYd** PodWW PodRR']],
  ['atomics', ['-size', '5', '-nprocs', '3', '-relax', 'LxSx Amo.Swp Amo.Cas Amo.LdAdd Amo.StAdd Amo.LdClr Amo.LdEor Amo.LdSet', '-safe', 'Rfe Fre Coe PodWW PodRR PodRW PodWR DMB.SYd** DpAddrdR DpDatadW']],
  ['atomics-ordered', ['-size', '5', '-nprocs', '3', '-relax', 'Amo.SwpAL Amo.LdAddAP Amo.CasPL LxSxAL Amo.StAddPL', '-safe', 'Rfe Fre Coe PodWW PodRR PodRW PodWR DMB.SYd**']],
  ['deps4', ['-size', '6', '-nprocs', '4', '-relax', 'DpAddrdR DpAddrdW DpDatadW DpCtrldR DpCtrldW DpCtrlIsbdR', '-safe', 'Rfe Fre Coe DMB.SYd**']],
  ['small', ['-size', '4', '-nprocs', '2', '-relax', 'Pod** Pos** Rfi Fri Coi DMB.SYd** DpAddrdR DpDatadW', '-safe', 'Rfe Fre Coe', '-mix', 'true']],
  ['two-threads', ['-size', '6', '-nprocs', '2', '-relax', 'Rfi Fri Coi DpAddrdR DpDatadW DpCtrldW', '-safe', 'Rfe Fre Coe PodWW PodRR PodWR PodRW DMB.SYd** DMB.STdWW DMB.LDdR*', '-mix', 'true']],
];

rmSync(out, { recursive: true, force: true });
for (const [name, args] of CONFIGS) {
  const dir = join(out, name);
  mkdirSync(dir, { recursive: true });
  execFileSync(process.execPath, [join(root, 'bin/iolitmus.js'), 'gen', ...args, '-o', dir], { stdio: 'inherit' });
}
const tests = CONFIGS.flatMap(([name]) => readdirSync(join(out, name)).filter((f) => f.endsWith('.litmus')).sort().map((f) => `${name}/${f}`));
console.log(`corpus: ${tests.length} tests in ${CONFIGS.length} enumerations`);

const herd = process.env.HERD7;
if (!herd) {
  console.log('HERD7 is not set: herd7.txt is not re-recorded');
  process.exit(0);
}
const { parseHerdResult, verdictLine } = await import(join(root, 'dist/src/report/herd-parse.js'));
const version = execFileSync(herd, ['-version'], { encoding: 'utf8' }).trim();
const lines = [
  `# herd7's verdict for each test of corpus/generated: Observation, Positive, Negative, final states.`,
  `# herd7 ${version}, stock aarch64.cat, default options; written by scripts/gen-corpus.mjs.`,
];
let missing = 0;
for (const test of tests) {
  const r = spawnSync(herd, [join(out, test)], { encoding: 'utf8', timeout: 600_000, maxBuffer: 1 << 26 });
  const v = r.error ? undefined : parseHerdResult(r.stdout);
  if (!v) {
    missing++;
    console.error(`herd7 gave no result for ${test}: ${(r.error?.message ?? r.stderr).split('\n')[0]}`);
    continue;
  }
  lines.push(verdictLine({ ...v, name: test.replace(/\.litmus$/, '') }));
}
writeFileSync(join(out, 'herd7.txt'), `${lines.join('\n')}\n`);
console.log(`herd7.txt: ${lines.length - 2} verdicts${missing ? `, ${missing} tests without one` : ''}`);
if (missing) process.exitCode = 1;
