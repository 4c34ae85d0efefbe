/**
 * The user mappings of device memory that a VMM can hand to KVM: a vfio-pci BAR mmap, a
 * vfio-platform region mmap, and PCI sysfs `resourceN` / `resourceN_wc`. For each, the host
 * stage-1 attribute and the VMA flags it gives, per kernel version (Linux 6.9 added
 * VM_ALLOW_ANY_UNCACHED for vfio-pci BARs: `drivers/vfio/pci/vfio_pci_core.c`, `vfio_pci_core_mmap`).
 */
import { kernelAtLeast } from './kernel-version.js';
import type { KernelVersion } from './kernel-version.js';
import { vmaFlags } from './vma-flags.js';
import type { VmaFlag, VmaFlags } from './vma-flags.js';
import { LINUX_MAIR } from './host-s1-class.js';

/** The mapping paths iolitmus knows. */
export type HostMappingSource = 'vfio-pci' | 'vfio-platform' | 'resource' | 'resource_wc';

/** What one mapping path gives: the host stage-1 attribute and VMA flags, and where from. */
export interface HostMapping {
  readonly source: HostMappingSource;
  /** MAIR byte of the host stage-1 mapping. */
  readonly s1Attr: number;
  /** The Linux pgprot helper that chose it. */
  readonly pgprot: string;
  readonly vmaFlags: VmaFlags;
  /** Linux file and function, and what changed by version. */
  readonly origin: string;
}

/** The sources, in a stable order, for help texts and tables. */
export const HOST_MAPPING_SOURCES: readonly HostMappingSource[] = Object.freeze(['vfio-pci', 'vfio-platform', 'resource', 'resource_wc']);

// remap_pfn_range / io_remap_pfn_range (mm/memory.c) set these on every VMA they fill.
const REMAP_FLAGS: readonly VmaFlag[] = ['VM_IO', 'VM_PFNMAP', 'VM_DONTEXPAND', 'VM_DONTDUMP'];

/** True when `name` is a known mapping source. */
export function isHostMappingSource(name: string): name is HostMappingSource {
  return (HOST_MAPPING_SOURCES as readonly string[]).includes(name);
}

/**
 * The host mapping a source gives on kernel `version`. Throws `RangeError` for an unknown source.
 *
 * - vfio-pci (`drivers/vfio/pci/vfio_pci_core.c`, `vfio_pci_core_mmap`): `pgprot_noncached`
 *   (Device-nGnRnE, MT_DEVICE_nGnRnE) and VM_IO | VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP, plus
 *   VM_ALLOW_ANY_UNCACHED from Linux 6.9 (the KVM series' vfio patch). A write-combining option
 *   for vfio BAR mmaps has been proposed upstream, not merged: not modelled.
 * - vfio-platform (`drivers/vfio/platform/vfio_platform_common.c`, `vfio_platform_mmap_mmio`):
 *   `pgprot_noncached` and `remap_pfn_range`; never VM_ALLOW_ANY_UNCACHED (platform devices
 *   have no generic containment of errors or ordered reset).
 * - sysfs `resourceN` (`drivers/pci/mmap.c`, `pci_mmap_resource_range`): `pgprot_device`
 *   (Device-nGnRE, MT_DEVICE_nGnRE) and `io_remap_pfn_range`.
 * - sysfs `resourceN_wc` (prefetchable BARs only): `pgprot_writecombine` (Normal-NC,
 *   MT_NORMAL_NC) and `io_remap_pfn_range`.
 */
export function hostMapping(source: HostMappingSource, version: KernelVersion): HostMapping {
  switch (source) {
    case 'vfio-pci': {
      const allow = kernelAtLeast(version, 6, 9);
      return freeze({
        source,
        s1Attr: LINUX_MAIR.MT_DEVICE_nGnRnE,
        pgprot: 'pgprot_noncached',
        vmaFlags: vmaFlags(allow ? ['VM_ALLOW_ANY_UNCACHED', ...REMAP_FLAGS] : REMAP_FLAGS),
        origin: `drivers/vfio/pci/vfio_pci_core.c vfio_pci_core_mmap${allow ? ' (VM_ALLOW_ANY_UNCACHED since 6.9)' : ' (no VM_ALLOW_ANY_UNCACHED before 6.9)'}`,
      });
    }
    case 'vfio-platform':
      return freeze({
        source,
        s1Attr: LINUX_MAIR.MT_DEVICE_nGnRnE,
        pgprot: 'pgprot_noncached',
        vmaFlags: vmaFlags(REMAP_FLAGS),
        origin: 'drivers/vfio/platform/vfio_platform_common.c vfio_platform_mmap_mmio (never VM_ALLOW_ANY_UNCACHED)',
      });
    case 'resource':
      return freeze({
        source,
        s1Attr: LINUX_MAIR.MT_DEVICE_nGnRE,
        pgprot: 'pgprot_device',
        vmaFlags: vmaFlags(REMAP_FLAGS),
        origin: 'drivers/pci/mmap.c pci_mmap_resource_range (sysfs resourceN)',
      });
    case 'resource_wc':
      return freeze({
        source,
        s1Attr: LINUX_MAIR.MT_NORMAL_NC,
        pgprot: 'pgprot_writecombine',
        vmaFlags: vmaFlags(REMAP_FLAGS),
        origin: 'drivers/pci/mmap.c pci_mmap_resource_range, write_combine (sysfs resourceN_wc, prefetchable BARs only)',
      });
    default:
      throw new RangeError(`unknown host mapping source '${String(source)}' (known: ${HOST_MAPPING_SOURCES.join(', ')})`);
  }
}

function freeze(m: HostMapping): HostMapping {
  return Object.freeze(m);
}
