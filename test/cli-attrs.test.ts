/**
 * End-to-end tests of `iolitmus attrs`: spawns the built CLI and checks its JSON, its text and
 * its handling of bad input (exit 2, one line on stderr, no stack trace).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// This file runs as dist/test/cli-attrs.test.js; the launcher is bin/iolitmus.js at the root.
const BIN = fileURLToPath(new URL('../../bin/iolitmus.js', import.meta.url));

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, 'attrs', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(...args: string[]): Record<string, unknown> {
  const r = run(...args, '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.trimEnd().split('\n');
  assert.equal(lines.length, 1, 'one JSON object on one line');
  return JSON.parse(lines[0]!) as Record<string, unknown>;
}

test('guest ioremap_wc over stage-2 Device-nGnRE is Device-nGnRE, OSH', () => {
  const o = json('--s1', 'ioremap_wc', '--s2', 'MT_S2_DEVICE_nGnRE');
  assert.deepEqual(o.effective, { type: 'Device', device: 'nGnRE' });
  assert.equal(o.shareability, 'OSH');
  assert.equal(typeof o.rule, 'string');
  assert.ok(Array.isArray(o.notes));
  const s1 = o.s1 as Record<string, unknown>;
  assert.equal(s1.ok, true);
  assert.deepEqual(s1.type, { type: 'Normal', inner: 'NC', outer: 'NC' });
  const s2 = o.s2 as Record<string, unknown>;
  assert.equal(s2.ok, true);
  assert.equal(s2.fwb, false);
});

test('guest ioremap_wc over stage-2 Normal-NC with FWB is Normal-NC', () => {
  const o = json('--s1', '0x44', '--s2', '0x5', '--fwb');
  assert.deepEqual(o.effective, { type: 'Normal', inner: 'NC', outer: 'NC' });
  assert.equal(o.shareability, 'OSH');
  assert.deepEqual((o.s2 as Record<string, unknown>).action, { kind: 'force-nc' });
});

test('FWB 0b0dd takes the stricter axis of stage 1 (Arm pseudocode)', () => {
  const o = json('--s1', 'Device-nGnRnE', '--s2', '0b011', '--fwb');
  assert.deepEqual(o.effective, { type: 'Device', device: 'nGnRnE' });
  assert.ok((o.notes as string[]).some((n) => n.includes('QEMU')));
});

test('Normal WB over Normal WB keeps the more shareable stage', () => {
  const o = json('--s1', 'MT_NORMAL', '--s2', 'MT_S2_NORMAL', '--s1-sh', 'osh');
  assert.deepEqual(o.effective, { type: 'Normal', inner: 'WB', outer: 'WB' });
  assert.equal(o.shareability, 'OSH');
  assert.equal(json('--s1', 'MT_NORMAL', '--s2', 'MT_S2_NORMAL').shareability, 'ISH');
});

test('an UNPREDICTABLE byte gives a null type with a reason, exit 0', () => {
  const o = json('--s1', '0x02', '--s2', '0x1');
  assert.equal(o.effective, null);
  assert.equal(o.shareability, null);
  const s1 = o.s1 as Record<string, unknown>;
  assert.equal(s1.ok, false);
  assert.equal(s1.problem, 'UNPREDICTABLE');
  assert.ok((o.notes as string[]).length > 0);
});

test('feature switches: --xs and --mte2', () => {
  assert.equal(json('--s1', '0x40', '--s2', '0xf').effective, null);
  assert.deepEqual(json('--s1', '0x40', '--s2', '0xf', '--xs').effective, { type: 'Normal', inner: 'NC', outer: 'NC' });
  assert.equal(json('--s1', 'MT_NORMAL_TAGGED', '--s2', '0xf').effective, null);
  assert.deepEqual(json('--s1', 'MT_NORMAL_TAGGED', '--s2', '0xf', '--mte2').effective, { type: 'Normal', inner: 'WB', outer: 'WB' });
});

test('human output names both stages, the effective type, the rule', () => {
  const r = run('--s1', 'ioremap', '--s2', 'Normal-NC');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^stage 1: +0x04 Device-nGnRE$/m);
  assert.match(r.stdout, /^stage 2: +0b0101 \(FWB=0\) Normal-NC$/m);
  assert.match(r.stdout, /^effective: +Device-nGnRE, Outer Shareable \(OSH\)$/m);
  assert.match(r.stdout, /^rule: +\S/m);
});

test('bad input: exit 2, one line on stderr, no stack trace', () => {
  const cases: string[][] = [
    ['--s2', '0x1'], // --s1 missing
    ['--s1', '0x44'], // --s2 missing
    ['--s1', '0x100', '--s2', '0x1'],
    ['--s1', 'no_such_name', '--s2', '0x1'],
    ['--s1', '0x44', '--s2', '0x10'],
    ['--s1', '0x44', '--s2', 'MT_S2_NORMAL', '--fwb'], // the FWB=0 constant under FWB
    ['--s1', '0x44', '--s2', 'MT_S2_FWB_NORMAL'], // the FWB constant without FWB
    ['--s1', '0x44', '--s2', 'Normal-WT', '--fwb'],
    ['--s1', '0x44', '--s2', '0x5', '--s1-sh', 'XSH'],
  ];
  for (const args of cases) {
    const r = run(...args);
    const what = args.join(' ');
    assert.equal(r.status, 2, what);
    assert.equal(r.stdout, '', what);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
    assert.match(lines[0]!, /^iolitmus: /, what);
    assert.doesNotMatch(r.stderr, /\bat /, what);
  }
  assert.match(run('--s1', '0x100', '--s2', '0x1').stderr, /0x100/);
  assert.match(run('--s1', '0x44', '--s2', 'MT_S2_NORMAL', '--fwb').stderr, /MT_S2_FWB_NORMAL/);
});
