/**
 * The mapping questions iolitmus started from, as data: for an Arm64 guest with an assigned device,
 * which stage-2 attribute does KVM install and what memory type does each guest mapping end up
 * with? `iolitmus demo` prints the answers; tests check them against the facts.
 */
import { combine } from './attrs/index.js';
import { formatMemoryType, type MemoryType } from './memory-type.js';
import { parseKernelVersion } from './kernel-version.js';
import { kvmStage2Decision, type KvmDecision } from './kvm-stage2.js';
import { hostMapping, type HostMappingSource } from './vfio.js';
import { parseStage1 } from './attrs/index.js';

export interface SeedCase {
  readonly title: string;
  readonly kernel: string;
  readonly source: HostMappingSource;
  readonly guest: string;
  readonly fwb: boolean;
  readonly dic?: boolean;
  readonly exec?: boolean;
}

export interface SeedAnswer {
  readonly c: SeedCase;
  readonly decision: KvmDecision;
  /** The guest's effective memory type, or undefined when KVM refused the mapping. */
  readonly effective: MemoryType | null | undefined;
  readonly summary: string;
}

export const SEED_CASES: readonly SeedCase[] = [
  { title: 'WC BAR in the guest, before the 6.9 series', kernel: '6.8', source: 'vfio-pci', guest: 'ioremap_wc', fwb: true },
  { title: 'WC BAR in the guest, with VM_ALLOW_ANY_UNCACHED', kernel: '6.9', source: 'vfio-pci', guest: 'ioremap_wc', fwb: true },
  { title: 'WC BAR, no FWB', kernel: '6.9', source: 'vfio-pci', guest: 'ioremap_wc', fwb: false },
  { title: 'guest ioremap over stage-2 Normal-NC stays Device', kernel: '6.9', source: 'vfio-pci', guest: 'ioremap', fwb: true },
  { title: 'guest maps a status register cacheable (6.8)', kernel: '6.8', source: 'vfio-pci', guest: 'Normal-WB', fwb: true },
  { title: 'guest maps a status register cacheable (6.9)', kernel: '6.9', source: 'vfio-pci', guest: 'Normal-WB', fwb: true },
  { title: 'vfio-platform does not set the flag', kernel: '6.9', source: 'vfio-platform', guest: 'ioremap_wc', fwb: true },
  { title: 'instruction fetch from a BAR', kernel: '6.17', source: 'vfio-pci', guest: 'Normal-WB', fwb: true, exec: true },
];

export function answerSeedCase(c: SeedCase): SeedAnswer {
  const kernel = parseKernelVersion(c.kernel);
  const host = hostMapping(c.source, kernel);
  const decision = kvmStage2Decision({ kernel, vma: host.vmaFlags, pfn: 'device', hostS1: host.s1Attr, fwb: c.fwb, dic: c.dic ?? false, exec: c.exec ?? false });
  if (decision.result !== 'mapped') return { c, decision, effective: undefined, summary: `KVM refuses: ${decision.result}` };
  const comb = combine(parseStage1(c.guest), decision.s2.memattr, c.fwb);
  const summary = comb.effective ? formatMemoryType(comb.effective) : 'UNPREDICTABLE/reserved';
  return { c, decision, effective: comb.effective, summary };
}
