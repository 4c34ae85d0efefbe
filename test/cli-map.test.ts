// `iolitmus map` end to end: spawns the built CLI (bin/iolitmus.js, two folders up from
// dist/test) and checks its JSON and its usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, '../../bin/iolitmus.js');

function run(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, 'map', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: readonly string[]): Record<string, unknown> {
  const r = run([...args, '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

test('6.9 vfio-pci with guest ioremap_wc: Normal-NC at stage 2 (memattr 5), effective Normal-NC', () => {
  const o = json(['--kernel', '6.9', '--vma', 'VM_IO,VM_PFNMAP,VM_ALLOW_ANY_UNCACHED', '--pfn', 'device', '--host-s1', '0x00', '--guest-s1', 'ioremap_wc', '--fwb']);
  assert.equal(o.result, 'mapped');
  assert.deepEqual({ ...(o.s2 as object) }, { kind: 'NORMAL_NC', memattr: 5, fwb: true, shareability: 'ISH', executable: false });
  assert.deepEqual(o.effective, { type: 'Normal', inner: 'NC', outer: 'NC' });
  assert.equal(typeof o.reason, 'string');
  assert.ok(Array.isArray(o.steps) && o.steps.length > 0);
  assert.ok(Array.isArray(o.notes));
});

test('--source vfio-pci on 6.8: Device-nGnRE (memattr 1), guest ioremap_wc effectively Device-nGnRE', () => {
  const o = json(['--kernel', '6.8', '--source', 'vfio-pci', '--guest-s1', 'ioremap_wc']);
  assert.equal((o.s2 as { kind: string }).kind, 'DEVICE_nGnRE');
  assert.equal((o.s2 as { memattr: number }).memattr, 1);
  assert.deepEqual(o.effective, { type: 'Device', device: 'nGnRE' });
});

test('exec on 6.17 is ENOEXEC with s2 and effective null', () => {
  const o = json(['--kernel', 'v6.17.1', '--source', 'vfio-pci', '--guest-s1', 'ioremap', '--exec']);
  assert.equal(o.result, 'ENOEXEC');
  assert.equal(o.s2, null);
  assert.equal(o.effective, null);
});

test('6.17 cacheable VM_MIXEDMAP without FWB+DIC is EFAULT', () => {
  const o = json(['--kernel', '6.17', '--vma', 'VM_MIXEDMAP', '--host-s1', 'MT_NORMAL', '--guest-s1', 'Normal-WB', '--fwb']);
  assert.equal(o.result, 'EFAULT');
});

test('human output shows the decision, steps and effective type', () => {
  const r = run(['--kernel', '6.9', '--source', 'vfio-pci', '--guest-s1', 'ioremap']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /^KVM: +mapped — stage 2 Normal-NC/m);
  assert.match(r.stdout, /^step: /m);
  assert.match(r.stdout, /^effective: +Device-nGnRE/m);
});

for (const [what, args, needle] of [
  ['unknown VMA flag', ['--kernel', '6.9', '--vma', 'VM_IO,VM_WIBBLE', '--host-s1', '0x00'], 'VM_WIBBLE'],
  ['bad kernel version', ['--kernel', 'six', '--source', 'vfio-pci'], 'six'],
  ['bad --pfn', ['--kernel', '6.9', '--source', 'vfio-pci', '--pfn', 'ram'], 'ram'],
  ['bad --source', ['--kernel', '6.9', '--source', 'vfio-foo'], 'vfio-foo'],
  ['missing host attribute', ['--kernel', '6.9', '--vma', 'VM_IO'], '--host-s1'],
] as const) {
  test(`${what}: exit 2, one stderr line, no stack trace`, () => {
    const r = run(args);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, r.stderr);
    assert.ok(lines[0]?.includes(needle), r.stderr);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}
