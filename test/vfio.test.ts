// Host mappings of vfio-pci, vfio-platform and sysfs resource files (Linux 6.9's vfio_pci_core_mmap,
// vfio_platform_mmap_mmio, pci_mmap_resource_range), and what KVM then does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hostMapping, parseKernelVersion, kvmStage2Decision, HOST_MAPPING_SOURCES } from '../src/platform/index.js';
import type { HostMappingSource } from '../src/platform/index.js';

const v = parseKernelVersion;
const sorted = (s: ReadonlySet<string>) => [...s].sort();

test('vfio-pci: pgprot_noncached (0x00), VM_IO|VM_PFNMAP|VM_DONTEXPAND|VM_DONTDUMP, plus VM_ALLOW_ANY_UNCACHED from 6.9', () => {
  const old = hostMapping('vfio-pci', v('6.8'));
  assert.equal(old.s1Attr, 0x00);
  assert.deepEqual(sorted(old.vmaFlags), ['VM_DONTDUMP', 'VM_DONTEXPAND', 'VM_IO', 'VM_PFNMAP']);
  for (const k of ['6.9', '6.12.3', '6.17']) {
    const m = hostMapping('vfio-pci', v(k));
    assert.equal(m.s1Attr, 0x00, k);
    assert.deepEqual(sorted(m.vmaFlags), ['VM_ALLOW_ANY_UNCACHED', 'VM_DONTDUMP', 'VM_DONTEXPAND', 'VM_IO', 'VM_PFNMAP'], k);
    assert.match(m.origin, /vfio_pci_core\.c/);
  }
});

test('vfio-platform never sets VM_ALLOW_ANY_UNCACHED', () => {
  for (const k of ['6.8', '6.9', '6.17']) {
    const m = hostMapping('vfio-platform', v(k));
    assert.equal(m.s1Attr, 0x00);
    assert.ok(!m.vmaFlags.has('VM_ALLOW_ANY_UNCACHED'), k);
    assert.ok(m.vmaFlags.has('VM_PFNMAP'));
  }
});

test('sysfs resourceN is pgprot_device (0x04), resourceN_wc pgprot_writecombine (0x44)', () => {
  assert.equal(hostMapping('resource', v('6.9')).s1Attr, 0x04);
  assert.equal(hostMapping('resource', v('6.9')).pgprot, 'pgprot_device');
  assert.equal(hostMapping('resource_wc', v('6.9')).s1Attr, 0x44);
  assert.equal(hostMapping('resource_wc', v('6.9')).pgprot, 'pgprot_writecombine');
  assert.ok(!hostMapping('resource_wc', v('6.17')).vmaFlags.has('VM_ALLOW_ANY_UNCACHED'));
});

test('unknown sources are RangeErrors', () => {
  assert.throws(() => hostMapping('vfio-ccw' as HostMappingSource, v('6.9')), /vfio-ccw/);
});

test('through KVM: only vfio-pci on ≥ 6.9 gets Normal-NC at stage 2', () => {
  const expected: Record<HostMappingSource, Record<string, string>> = {
    'vfio-pci': { '6.8': 'DEVICE_nGnRE', '6.9': 'NORMAL_NC', '6.17': 'NORMAL_NC' },
    'vfio-platform': { '6.8': 'DEVICE_nGnRE', '6.9': 'DEVICE_nGnRE', '6.17': 'DEVICE_nGnRE' },
    resource: { '6.8': 'DEVICE_nGnRE', '6.9': 'DEVICE_nGnRE', '6.17': 'DEVICE_nGnRE' },
    resource_wc: { '6.8': 'DEVICE_nGnRE', '6.9': 'DEVICE_nGnRE', '6.17': 'DEVICE_nGnRE' },
  };
  for (const source of HOST_MAPPING_SOURCES) {
    for (const [k, kind] of Object.entries(expected[source])) {
      const m = hostMapping(source, v(k));
      const d = kvmStage2Decision({ kernel: v(k), vma: m.vmaFlags, pfn: 'device', hostS1: m.s1Attr, fwb: true, dic: true, exec: false });
      assert.equal(d.result, 'mapped');
      if (d.result === 'mapped') assert.equal(d.s2.kind, kind, `${source} ${k}`);
    }
  }
});
