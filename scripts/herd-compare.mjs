#!/usr/bin/env node
/**
 * Compare iolitmus with herd7 on litmus files: `HERD7=/path/to/herd7 node scripts/herd-compare.mjs
 * [--herd-args "-variant mixed"] [--iolitmus-args "..."] [--herd-results DIR] [--list] DIR|FILE ...`
 *
 * `--herd-results DIR` takes herd's outputs from files DIR/*.out saved earlier (one run of herd7
 * per test, matched by test name) instead of running herd7: herd needs minutes on some trees.
 *
 * Each test runs in herd7 (its own process, 60 s limit) and in iolitmus (one `check` run over all
 * files); the two results are compared on what a verdict consists of: the set of final states,
 * Ok/No, Positive/Negative, and the Observation line. Prints one line per test that differs or
 * that iolitmus rejects, then a summary table: total, supported, agree, and the unsupported
 * reasons by count. Exit status 1 when a supported test disagrees.
 *
 * The tests stay where they are (herd's own trees are never copied into this repository).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const args = process.argv.slice(2);
let herdArgs = [];
let ioArgs = [];
let list = false;
let saved;
const paths = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--herd-args') herdArgs = args[++i].split(/\s+/).filter(Boolean);
  else if (args[i] === '--iolitmus-args') ioArgs = args[++i].split(/\s+/).filter(Boolean);
  else if (args[i] === '--list') list = true;
  else if (args[i] === '--herd-results') saved = args[++i];
  else paths.push(args[i]);
}
// The parser of herd's layout is the project's own (src/report/herd-parse.ts): build first.
const { parseHerdResult } = await import(join(root, 'dist/src/report/herd-parse.js'));
const parseBlock = (text) => parseHerdResult(text);
const herd = process.env.HERD7;
if (!herd && saved === undefined) {
  console.error('herd-compare: set HERD7 to a herd7 binary');
  process.exit(2);
}

function collect(p, out) {
  if (statSync(p).isDirectory()) {
    for (const f of readdirSync(p).sort()) collect(join(p, f), out);
  } else if (p.endsWith('.litmus')) out.push(resolve(p));
  return out;
}
const files = paths.flatMap((p) => collect(p, []));

function splitBlocks(out) {
  const blocks = new Map();
  for (const part of out.split(/\n(?=Test )/)) {
    const name = /^Test (\S+)/.exec(part.trimStart())?.[1];
    if (name !== undefined) blocks.set(name, part);
  }
  return blocks;
}

// Saved herd outputs by test name (--herd-results); a test herd did not finish has none.
const savedBlocks = new Map();
if (saved !== undefined) {
  for (const f of readdirSync(saved).filter((f) => f.endsWith('.out'))) {
    for (const [name, block] of splitBlocks(readFileSync(join(saved, f), 'utf8'))) savedBlocks.set(name, block);
  }
}

function herdResult(file) {
  if (saved !== undefined) {
    const block = savedBlocks.get(nameOf(file));
    const parsed = block && parseBlock(block);
    return parsed ?? { error: 'herd7: no saved result (it did not finish)' };
  }
  const r = spawnSync(herd, [...herdArgs, file], { encoding: 'utf8', timeout: 60_000, maxBuffer: 1 << 26 });
  if (r.error) return { error: r.error.code === 'ETIMEDOUT' ? 'herd7 timeout' : String(r.error) };
  const block = parseBlock(r.stdout);
  if (!block) return { error: `herd7: ${(r.stderr || r.stdout).trim().split('\n')[0]}` };
  return block;
}

// iolitmus: one run over every file, blocks matched back by test name; errors by file.
const io = spawnSync(process.execPath, [join(root, 'bin/iolitmus.js'), 'check', '--no-progress', ...ioArgs, ...files], { encoding: 'utf8', maxBuffer: 1 << 28 });
const ioBlocks = splitBlocks(io.stdout);
const ioErrors = new Map();
for (const line of io.stderr.split('\n')) {
  const m = /^(.*?\.litmus):(\d+):(\d+): (.*)$/.exec(line);
  if (m && !m[4].startsWith('warning:') && !ioErrors.has(m[1])) ioErrors.set(resolve(m[1]), `${m[2]}:${m[3]}: ${m[4]}`);
}

function nameOf(file) {
  const text = execFileSync('head', ['-c', '4096', file], { encoding: 'utf8' });
  const first = text.replace(/^\uFEFF/, '').split('\n').find((l) => l.trim() !== '') ?? '';
  return first.trim().split(/\s+/)[1];
}

const rows = [];
for (const file of files) {
  const name = nameOf(file);
  const h = herdResult(file);
  const err = ioErrors.get(file);
  const block = ioBlocks.get(name);
  const i = block ? parseBlock(block) : undefined;
  let status;
  let detail = '';
  if (h.error) {
    status = 'herd-error';
    detail = h.error;
  } else if (err !== undefined || !i) {
    status = /unsupported/.test(err ?? '') ? 'unsupported' : 'error';
    detail = err ?? 'no result';
  } else {
    const diffs = [];
    if (h.states.join('|') !== i.states.join('|')) diffs.push(`states herd=[${h.states.join(' | ')}] iolitmus=[${i.states.join(' | ')}]`);
    if (h.ok !== i.ok) diffs.push(`ok ${h.ok}/${i.ok}`);
    if (h.positive !== i.positive || h.negative !== i.negative) diffs.push(`positive/negative ${h.positive}/${h.negative} vs ${i.positive}/${i.negative}`);
    if (h.observation !== i.observation) diffs.push(`observation ${h.observation} vs ${i.observation}`);
    if (h.flags.join() !== i.flags.join()) diffs.push(`flags [${h.flags}] vs [${i.flags}]`);
    status = diffs.length ? 'differ' : 'agree';
    detail = diffs.join('; ');
  }
  rows.push({ file, status, detail });
  if (status !== 'agree' || list) console.log(`${status.padEnd(11)} ${file}${detail ? `  ${detail}` : ''}`);
}

const count = (s) => rows.filter((r) => r.status === s).length;
const supported = count('agree') + count('differ');
console.log(`\ntotal ${rows.length}  supported ${supported}  agree ${count('agree')}  differ ${count('differ')}  unsupported ${count('unsupported')}  error ${count('error')}  herd-error ${count('herd-error')}`);
const reasons = new Map();
for (const r of rows.filter((r) => r.status === 'unsupported' || r.status === 'error')) {
  const reason = r.detail.replace(/^\d+:\d+: /, '').replace(/'[^']*'/g, "'…'");
  reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
}
for (const [reason, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`  ${String(n).padStart(4)}  ${reason}`);
process.exitCode = count('differ') > 0 ? 1 : 0;
