// KVM's stage-2 choice per kernel era (Linux arch/arm64/kvm/mmu.c, user_mem_abort),
// and the guest's effective type through it. Expected values are written from the facts file
// and from Linux's arch/arm64/kvm/mmu.c as cited in src/platform/kvm-stage2.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  combine,
  compareKernelVersions,
  kvmEra,
  kvmStage2Decision,
  parseKernelVersion,
  parseVmaFlags,
  classifyHostS1,
} from '../src/platform/index.js';
import type { KvmDecision, KvmFaultInput, KvmS2Mapping, MemoryType } from '../src/platform/index.js';

// vfio-pci's BAR mmap flags before and from 6.9, and its pgprot_noncached host byte.
const VFIO_PCI_OLD = 'VM_IO,VM_PFNMAP,VM_DONTEXPAND,VM_DONTDUMP';
const VFIO_PCI_NEW = `${VFIO_PCI_OLD},VM_ALLOW_ANY_UNCACHED`;
const NGNRNE = 0x00;
const NGNRE = 0x04;
const NC = 0x44;
const WB = 0xff;

function fault(kernel: string, vma: string, over: Partial<Omit<KvmFaultInput, 'kernel' | 'vma'>> = {}): KvmDecision {
  return kvmStage2Decision({
    kernel: parseKernelVersion(kernel),
    vma: parseVmaFlags(vma),
    pfn: 'device',
    hostS1: NGNRNE,
    fwb: false,
    dic: false,
    exec: false,
    ...over,
  });
}

function mapped(d: KvmDecision): KvmS2Mapping {
  assert.equal(d.result, 'mapped', `expected a mapping, got ${d.result}: ${d.reason}`);
  if (d.result !== 'mapped') throw new Error('unreachable');
  return d.s2;
}

/** Effective type of `guest` through a mapped decision (attrs' combine). */
function guestType(d: KvmDecision, guest: number): MemoryType | null {
  const s2 = mapped(d);
  return combine(guest, s2.memattr, s2.fwb).effective;
}

const DEV_NGNRE: MemoryType = { type: 'Device', device: 'nGnRE' };
const DEV_NGNRNE: MemoryType = { type: 'Device', device: 'nGnRnE' };
const NORMAL_NC: MemoryType = { type: 'Normal', inner: 'NC', outer: 'NC' };
const NORMAL_WB: MemoryType = { type: 'Normal', inner: 'WB', outer: 'WB' };

// ---- kernel versions -------------------------------------------------------------------------

test('kernel versions parse and compare; eras split at 6.9 and 6.17', () => {
  assert.deepEqual(parseKernelVersion('v6.12.3'), { major: 6, minor: 12, patch: 3 });
  assert.deepEqual(parseKernelVersion('5.15'), { major: 5, minor: 15, patch: 0 });
  assert.deepEqual(parseKernelVersion('6.9-rc1'), { major: 6, minor: 9, patch: 0 });
  // 6.17 is newer than 6.9: numeric, not lexical.
  assert.ok(compareKernelVersions(parseKernelVersion('6.17'), parseKernelVersion('6.9')) > 0);
  assert.ok(compareKernelVersions(parseKernelVersion('6.8.12'), parseKernelVersion('6.9')) < 0);
  assert.equal(kvmEra(parseKernelVersion('5.15')), 'device-only');
  assert.equal(kvmEra(parseKernelVersion('6.8.12')), 'device-only');
  assert.equal(kvmEra(parseKernelVersion('6.9')), 'allow-any-uncached');
  assert.equal(kvmEra(parseKernelVersion('6.16.5')), 'allow-any-uncached');
  assert.equal(kvmEra(parseKernelVersion('6.17')), 'cacheable-pfnmap');
  assert.equal(kvmEra(parseKernelVersion('7.0')), 'cacheable-pfnmap');
});

test('garbage kernel versions are RangeErrors naming the text', () => {
  for (const bad of ['', '6', 'six.nine', '6.9.x', 'v', '6..9', '0.9', '6.9.1.2']) {
    assert.throws(() => parseKernelVersion(bad), (e: unknown) => e instanceof RangeError && e.message.includes(`'${bad}'`), bad);
  }
});

test('VMA flags: no-op flags accepted, unknown and contradictory ones refused', () => {
  const f = parseVmaFlags('io, pfnmap VM_DONTDUMP|vm_dontexpand');
  assert.deepEqual([...f].sort(), ['VM_DONTDUMP', 'VM_DONTEXPAND', 'VM_IO', 'VM_PFNMAP']);
  assert.equal(parseVmaFlags('').size, 0);
  assert.throws(() => parseVmaFlags('VM_IO,VM_BOGUS'), /VM_BOGUS/);
  assert.throws(() => parseVmaFlags('VM_PFNMAP,VM_MIXEDMAP'), RangeError);
});

test('host stage-1 classes follow kvm_vma_is_cacheable', () => {
  assert.equal(classifyHostS1(WB).cacheable, true);
  assert.equal(classifyHostS1(0xf0).cacheable, true); // MT_NORMAL_TAGGED
  assert.equal(classifyHostS1(NC).cacheable, false);
  assert.equal(classifyHostS1(NGNRNE).cacheable, false);
  assert.equal(classifyHostS1(NGNRE).cacheable, false);
  // Non-Linux bytes, by meaning: Device-GRE uncached, WT cacheable, iWB/oNC cacheable.
  assert.equal(classifyHostS1(0x0c).index, null);
  assert.equal(classifyHostS1(0x0c).cacheable, false);
  assert.equal(classifyHostS1(0xbb).cacheable, true);
  assert.equal(classifyHostS1(0x4f).cacheable, true);
  assert.throws(() => classifyHostS1(0x02), RangeError); // UNPREDICTABLE
  assert.throws(() => classifyHostS1(256), RangeError);
});

// ---- ≤ 6.8 ------------------------------------------------------------------------------------

test('6.8: vfio-pci device pfn is Device-nGnRE (MemAttr 1); guest ioremap_wc is effectively Device-nGnRE', () => {
  const d = fault('6.8', VFIO_PCI_OLD);
  assert.deepEqual(mapped(d), { kind: 'DEVICE_nGnRE', memattr: 1, fwb: false, shareability: 'ISH', executable: false });
  assert.deepEqual(guestType(d, NC), DEV_NGNRE);
  assert.deepEqual(guestType(d, WB), DEV_NGNRE);
  // A stricter guest Device type survives (nE over E).
  assert.deepEqual(guestType(d, NGNRNE), DEV_NGNRNE);
});

test('6.8: flags and host attribute do not matter for a device pfn; VM_ALLOW_ANY_UNCACHED is ignored', () => {
  for (const vma of ['', VFIO_PCI_NEW, 'VM_MIXEDMAP']) {
    for (const hostS1 of [NGNRNE, NC, WB]) {
      assert.equal(mapped(fault('6.8', vma, { hostS1 })).kind, 'DEVICE_nGnRE', `${vma} ${hostS1}`);
    }
  }
  const d = fault('5.15', VFIO_PCI_NEW, { fwb: true });
  assert.equal(mapped(d).memattr, 1);
  assert.ok(d.steps.some((s) => /does not exist before Linux 6\.9/.test(s)));
});

test('6.8: memory pfn is Normal WB (FWB 6, non-FWB 0xf)', () => {
  assert.deepEqual(mapped(fault('6.8', '', { pfn: 'memory', hostS1: WB })), { kind: 'NORMAL', memattr: 0xf, fwb: false, shareability: 'ISH', executable: false });
  assert.equal(mapped(fault('6.8', '', { pfn: 'memory', hostS1: WB, fwb: true })).memattr, 6);
});

test('6.8: exec fault on a device pfn is ENOEXEC (prefetch abort injected)', () => {
  const d = fault('6.8', VFIO_PCI_OLD, { exec: true });
  assert.equal(d.result, 'ENOEXEC');
  assert.equal(d.phase, 'fault');
  assert.match(d.reason, /prefetch abort/);
  // Exec on kernel memory is fine and executable.
  const m = fault('6.8', '', { pfn: 'memory', hostS1: WB, exec: true });
  assert.equal(mapped(m).executable, true);
});

// ---- 6.9 – 6.16 -------------------------------------------------------------------------------

test('6.9 with VM_ALLOW_ANY_UNCACHED: Normal-NC (MemAttr 5); the guest chooses', () => {
  const d = fault('6.9', VFIO_PCI_NEW);
  assert.deepEqual(mapped(d), { kind: 'NORMAL_NC', memattr: 5, fwb: false, shareability: 'ISH', executable: false });
  assert.deepEqual(guestType(d, NC), NORMAL_NC); // ioremap_wc
  assert.deepEqual(guestType(d, NGNRE), DEV_NGNRE); // ioremap
  assert.deepEqual(guestType(d, NGNRNE), DEV_NGNRNE); // ioremap_np
  assert.deepEqual(guestType(d, WB), NORMAL_NC); // guest WB becomes NC
  // The same with FWB: MT_S2_FWB_NORMAL_NC is also 5, and the guest still chooses.
  const f = fault('6.12', VFIO_PCI_NEW, { fwb: true });
  assert.equal(mapped(f).memattr, 5);
  assert.equal(mapped(f).fwb, true);
  assert.deepEqual(guestType(f, NC), NORMAL_NC);
  assert.deepEqual(guestType(f, NGNRE), DEV_NGNRE);
  assert.deepEqual(guestType(f, WB), NORMAL_NC);
});

test('6.9 without the flag (vfio-platform, sysfs resource): Device-nGnRE', () => {
  const d = fault('6.9', VFIO_PCI_OLD);
  assert.equal(mapped(d).kind, 'DEVICE_nGnRE');
  assert.equal(mapped(d).memattr, 1);
  assert.deepEqual(guestType(d, NC), DEV_NGNRE);
  // Host cacheability does not matter before 6.17.
  assert.equal(mapped(fault('6.16', 'VM_PFNMAP', { hostS1: WB, fwb: true, dic: true })).kind, 'DEVICE_nGnRE');
});

test('6.9: exec fault on device or Normal-NC memory is refused with ENOEXEC before stage2_set_prot_attr', () => {
  for (const vma of [VFIO_PCI_OLD, VFIO_PCI_NEW]) {
    const d = fault('6.9', vma, { exec: true });
    assert.equal(d.result, 'ENOEXEC', vma);
  }
});

test('6.9: memory pfn stays Normal even with the flag', () => {
  const d = fault('6.9', VFIO_PCI_NEW, { pfn: 'memory' });
  assert.equal(mapped(d).kind, 'NORMAL');
  assert.equal(mapped(d).memattr, 0xf);
});

// ---- ≥ 6.17 -----------------------------------------------------------------------------------

test('6.17: uncached PFNMAP behaves as 6.9 (Normal-NC with the flag, Device-nGnRE without)', () => {
  assert.equal(mapped(fault('6.17', VFIO_PCI_NEW)).kind, 'NORMAL_NC');
  assert.equal(mapped(fault('6.17', VFIO_PCI_OLD)).kind, 'DEVICE_nGnRE');
  assert.equal(mapped(fault('6.17', 'VM_IO,VM_PFNMAP', { hostS1: NC })).kind, 'DEVICE_nGnRE');
  assert.equal(mapped(fault('6.17', 'VM_MIXEDMAP,VM_ALLOW_ANY_UNCACHED', { hostS1: NGNRE })).kind, 'NORMAL_NC');
});

test('6.17: cacheable PFNMAP without FWB and DIC is EFAULT at the fault', () => {
  for (const [fwb, dic] of [[false, false], [true, false], [false, true]] as const) {
    // VM_MIXEDMAP: the memslot check (VM_PFNMAP only) does not apply, the fault path refuses.
    const d = fault('6.17', 'VM_MIXEDMAP', { hostS1: WB, fwb, dic });
    assert.equal(d.result, 'EFAULT', `fwb=${fwb} dic=${dic}`);
    assert.equal(d.phase, 'fault');
    // VM_PFNMAP whose VMA appeared after the memslot checks: the same.
    const late = fault('6.17', 'VM_IO,VM_PFNMAP', { hostS1: WB, fwb, dic, memslotChecked: false });
    assert.equal(late.result, 'EFAULT');
  }
});

test('6.17: a cacheable VM_PFNMAP VMA without FWB and DIC is refused at memslot registration (EINVAL)', () => {
  const d = fault('6.17', 'VM_IO,VM_PFNMAP', { hostS1: WB, fwb: true, dic: false });
  assert.equal(d.result, 'EINVAL');
  assert.equal(d.phase, 'memslot');
  // Before 6.17 there was no such check: the same VMA maps as Device-nGnRE.
  assert.equal(mapped(fault('6.16', 'VM_IO,VM_PFNMAP', { hostS1: WB })).kind, 'DEVICE_nGnRE');
});

test('6.17: cacheable PFNMAP with FWB and DIC is Normal WB (FWB encoding 6), executable', () => {
  const d = fault('6.17', 'VM_IO,VM_PFNMAP', { hostS1: WB, fwb: true, dic: true });
  assert.deepEqual(mapped(d), { kind: 'NORMAL', memattr: 6, fwb: true, shareability: 'ISH', executable: true });
  assert.deepEqual(guestType(d, WB), NORMAL_WB);
  // FWB 0b110 forces Write-Back even over a guest Device mapping.
  assert.deepEqual(guestType(d, NGNRE), NORMAL_WB);
  // An exec fault there is allowed: not forced non-cacheable.
  assert.equal(fault('6.17', 'VM_IO,VM_PFNMAP', { hostS1: WB, fwb: true, dic: true, exec: true }).result, 'mapped');
});

test('6.17: exec fault on force-noncacheable memory is ENOEXEC', () => {
  const d = fault('6.17', VFIO_PCI_NEW, { exec: true, fwb: true, dic: true });
  assert.equal(d.result, 'ENOEXEC');
});

test('6.17: memory pfn is Normal whatever the flags and host attribute', () => {
  assert.equal(mapped(fault('6.17', VFIO_PCI_NEW, { pfn: 'memory', hostS1: NGNRNE })).kind, 'NORMAL');
  assert.equal(mapped(fault('6.17', '', { pfn: 'memory', hostS1: WB, fwb: true })).memattr, 6);
});

// ---- dirty logging (every era) ----------------------------------------------------------------

test('dirty logging on a VM_PFNMAP memslot is EINVAL at registration, in every era', () => {
  for (const k of ['5.15', '6.8', '6.9', '6.17']) {
    const d = fault(k, VFIO_PCI_NEW, { dirtyLog: true });
    assert.equal(d.result, 'EINVAL', k);
    assert.equal(d.phase, 'memslot', k);
  }
  // Not a PFNMAP VMA: dirty logging is fine.
  assert.equal(fault('6.9', '', { pfn: 'memory', hostS1: WB, dirtyLog: true }).result, 'mapped');
});

// ---- encodings --------------------------------------------------------------------------------

test('FWB and non-FWB encodings of the three stage-2 kinds', () => {
  // Device-nGnRE: 1 both ways. Normal-NC: 5 both ways. Normal: 6 with FWB, 0xf without.
  assert.equal(mapped(fault('6.9', VFIO_PCI_OLD, { fwb: true })).memattr, 1);
  assert.equal(mapped(fault('6.9', VFIO_PCI_OLD, { fwb: false })).memattr, 1);
  assert.equal(mapped(fault('6.9', VFIO_PCI_NEW, { fwb: true })).memattr, 5);
  assert.equal(mapped(fault('6.9', VFIO_PCI_NEW, { fwb: false })).memattr, 5);
  assert.equal(mapped(fault('6.9', '', { pfn: 'memory', fwb: true })).memattr, 6);
  assert.equal(mapped(fault('6.9', '', { pfn: 'memory', fwb: false })).memattr, 0xf);
});

test('every decision carries a reason and steps', () => {
  const d = fault('6.9', VFIO_PCI_NEW);
  assert.ok(d.reason.length > 0);
  assert.ok(d.steps.length >= 3);
  assert.ok(d.steps.some((s) => s.includes('VM_ALLOW_ANY_UNCACHED')));
});
