/**
 * KVM/arm64's stage-2 choice for a guest fault on a memslot backed by a host VMA, per kernel
 * era: `user_mem_abort` in `arch/arm64/kvm/mmu.c` (the fault), `kvm_arch_prepare_memory_region`
 * in the same file (memslot registration), `stage2_set_prot_attr` in
 * `arch/arm64/kvm/hyp/pgtable.c` (the descriptor).
 *
 * Checked against Linux's source where the facts file leaves details open:
 * - An exec fault on memory KVM maps non-cacheable returns -ENOEXEC from `user_mem_abort` in
 *   every era (`if (exec_fault && device) return -ENOEXEC;`, renamed `s2_force_noncacheable` in
 *   6.17), and `kvm_handle_guest_abort` turns -ENOEXEC into a prefetch abort injected into the
 *   guest. The -EINVAL of `stage2_set_prot_attr` for executable DEVICE/NORMAL_NC is a backstop
 *   this check makes unreachable from a guest fault, so 6.9–6.16 give ENOEXEC, not EINVAL.
 * - The memslot refusal of dirty logging on a VM_PFNMAP VMA ("IO region dirty page logging not
 *   allowed") exists in every era, not only from 6.17.
 */
import { kvmEra, formatKernelVersion } from './kernel-version.js';
import type { KernelVersion, KvmEra } from './kernel-version.js';
import type { VmaFlags } from './vma-flags.js';
import { formatVmaFlags } from './vma-flags.js';
import { classifyHostS1 } from './host-s1-class.js';

/** The three stage-2 memory types KVM uses (`KVM_PGTABLE_PROT_DEVICE`, `_NORMAL_NC`, neither). */
export type KvmS2Kind = 'DEVICE_nGnRE' | 'NORMAL_NC' | 'NORMAL';

/**
 * Stage-2 MemAttr encodings KVM writes (`arch/arm64/include/asm/memory.h`): `MT_S2_FWB_*` when
 * HCR_EL2.FWB is in use (MemAttr[2:0]), `MT_S2_*` otherwise (MemAttr[3:0]).
 */
export const KVM_S2_MEMATTR: Readonly<Record<KvmS2Kind, { readonly fwb: number; readonly noFwb: number }>> = Object.freeze({
  DEVICE_nGnRE: { fwb: 0x1, noFwb: 0x1 }, // MT_S2_FWB_DEVICE_nGnRE / MT_S2_DEVICE_nGnRE
  NORMAL_NC: { fwb: 0x5, noFwb: 0x5 }, //    MT_S2_FWB_NORMAL_NC / MT_S2_NORMAL_NC
  NORMAL: { fwb: 0x6, noFwb: 0xf }, //       MT_S2_FWB_NORMAL (forced WB) / MT_S2_NORMAL (outer+inner WB)
});

/** What backs the faulting address: kernel memory (`pfn_is_map_memory`) or not (device/IO). */
export type PfnKind = 'device' | 'memory';

/** A guest stage-2 fault, with everything KVM's decision depends on. */
export interface KvmFaultInput {
  readonly kernel: KernelVersion;
  /** Flags of the host VMA backing the memslot. */
  readonly vma: VmaFlags;
  readonly pfn: PfnKind;
  /** The host VMA's stage-1 attribute as a MAIR byte (0xff MT_NORMAL ... 0x04 MT_DEVICE_nGnRE). */
  readonly hostS1: number;
  /** FEAT_S2FWB in use (`ARM64_HAS_STAGE2_FWB`). */
  readonly fwb: boolean;
  /** CTR_EL0.DIC (`ARM64_HAS_CACHE_DIC`): no I-cache invalidation needed for coherence. */
  readonly dic: boolean;
  /** The fault is an instruction fetch. */
  readonly exec: boolean;
  /** Dirty logging is enabled on the memslot (KVM_MEM_LOG_DIRTY_PAGES). Default false. */
  readonly dirtyLog?: boolean;
  /**
   * Whether the memslot checks saw this VMA (default true). They run when the memslot is
   * registered or its flags change; false models a VMA mapped over the range afterwards, which
   * only the fault path then judges.
   */
  readonly memslotChecked?: boolean;
}

/** The stage-2 mapping KVM installs. */
export interface KvmS2Mapping {
  readonly kind: KvmS2Kind;
  /** MemAttr field value, in the FWB or non-FWB encoding as `fwb` says. */
  readonly memattr: number;
  readonly fwb: boolean;
  /** KVM always writes Inner Shareable stage-2 descriptors. */
  readonly shareability: 'ISH';
  /** Stage-2 execute permission (XN clear): on an exec fault, or eagerly with DIC for cacheable memory. */
  readonly executable: boolean;
}

/** Where an error comes from: memslot registration (the ioctl fails) or the fault itself. */
export type KvmPhase = 'memslot' | 'fault';

/** KVM's decision: a mapping, or an error, each with a one-line reason and the steps taken. */
export type KvmDecision =
  | { readonly result: 'mapped'; readonly phase: 'fault'; readonly s2: KvmS2Mapping; readonly reason: string; readonly steps: readonly string[] }
  | { readonly result: 'EFAULT' | 'ENOEXEC' | 'EINVAL'; readonly phase: KvmPhase; readonly reason: string; readonly steps: readonly string[] };

/** The MemAttr value KVM writes for `kind`. */
export function kvmS2MemAttr(kind: KvmS2Kind, fwb: boolean): number {
  return fwb ? KVM_S2_MEMATTR[kind].fwb : KVM_S2_MEMATTR[kind].noFwb;
}

const ERA_TEXT: Readonly<Record<KvmEra, string>> = {
  'device-only': '≤ 6.8: device pfns are always Device-nGnRE at stage 2',
  'allow-any-uncached': '6.9–6.16: device pfns are Normal-NC with VM_ALLOW_ANY_UNCACHED, else Device-nGnRE',
  'cacheable-pfnmap': '≥ 6.17: device pfns follow the host VMA cacheability (cacheable PFNMAP needs FWB and DIC)',
};

const KIND_TEXT: Readonly<Record<KvmS2Kind, string>> = {
  DEVICE_nGnRE: 'Device-nGnRE',
  NORMAL_NC: 'Normal-NC',
  NORMAL: 'Normal-WB',
};

/**
 * KVM's stage-2 decision for a guest fault. Pure; throws `RangeError` for a host stage-1 byte
 * that is not a MAIR byte or decodes as UNPREDICTABLE.
 */
export function kvmStage2Decision(input: KvmFaultInput): KvmDecision {
  const { kernel, vma, pfn, fwb, dic, exec } = input;
  const era = kvmEra(kernel);
  const host = classifyHostS1(input.hostS1);
  const steps: string[] = [];
  const fail = (result: 'EFAULT' | 'ENOEXEC' | 'EINVAL', phase: KvmPhase, reason: string): KvmDecision => {
    steps.push(`${phase === 'memslot' ? 'kvm_arch_prepare_memory_region' : 'user_mem_abort'} returns -${result}`);
    return { result, phase, reason, steps };
  };

  steps.push(`Linux ${formatKernelVersion(kernel)}, era ${ERA_TEXT[era]}`);
  steps.push(`VMA ${formatVmaFlags(vma)}; host stage 1 ${host.text}; pfn is ${pfn === 'device' ? 'not kernel memory (!pfn_is_map_memory)' : 'kernel memory'}`);

  // VM_ALLOW_ANY_UNCACHED was added by the 6.9 series; an older kernel has no such flag.
  let allowAnyUncached = vma.has('VM_ALLOW_ANY_UNCACHED');
  if (allowAnyUncached && era === 'device-only') {
    steps.push('VM_ALLOW_ANY_UNCACHED does not exist before Linux 6.9: ignored');
    allowAnyUncached = false;
  }
  const pfnmap = vma.has('VM_PFNMAP');
  const pfnOrMixed = pfnmap || vma.has('VM_MIXEDMAP');

  // Memslot registration (kvm_arch_prepare_memory_region) walks the VMAs of the region.
  if (input.memslotChecked !== false) {
    if (pfnmap && input.dirtyLog === true) {
      steps.push('memslot: VM_PFNMAP VMA with KVM_MEM_LOG_DIRTY_PAGES ("IO region dirty page logging not allowed", every era)');
      return fail('EINVAL', 'memslot', 'memslot registration refuses dirty logging on a VM_PFNMAP VMA; the guest never runs with this slot');
    }
    if (era === 'cacheable-pfnmap' && pfnmap && host.cacheable && !(fwb && dic)) {
      steps.push('memslot: cacheable VM_PFNMAP VMA, but cacheable PFNMAP needs both FWB and DIC (kvm_supports_cacheable_pfnmap)');
      return fail('EINVAL', 'memslot', 'memslot registration refuses a cacheable VM_PFNMAP VMA on a system without both FWB and DIC');
    }
  } else {
    steps.push('memslot checks skipped: the VMA appeared after the memslot was registered');
  }

  // The fault: decide whether stage 2 must be non-cacheable.
  let forceNonCacheable: boolean;
  if (era === 'cacheable-pfnmap') {
    if (pfnOrMixed && pfn === 'device') {
      if (host.cacheable) {
        // CMOs work on kernel VAs, which a PFNMAP pfn need not have: FWB (no CMO on map) and
        // DIC (no I-cache maintenance) are both required.
        if (!(fwb && dic)) {
          steps.push('fault: VM_PFNMAP|VM_MIXEDMAP device pfn with a cacheable VMA, but FWB and DIC are not both present');
          return fail('EFAULT', 'fault', 'a cacheable PFNMAP/MIXEDMAP mapping of a device pfn needs FWB and DIC; the fault fails with -EFAULT (KVM_RUN returns it to the VMM)');
        }
        steps.push('fault: cacheable VMA on a device pfn, FWB and DIC present: stage 2 follows the host and stays cacheable');
        forceNonCacheable = false;
      } else {
        steps.push('fault: VM_PFNMAP|VM_MIXEDMAP device pfn with an uncached VMA: s2_force_noncacheable');
        forceNonCacheable = true;
      }
    } else {
      if (pfn === 'device') {
        // A pfn outside the kernel's memory map reaches a VMA only through PFNMAP/MIXEDMAP, so
        // this combination is theoretical; 6.17's test requires one of those flags.
        steps.push('fault: device pfn without VM_PFNMAP|VM_MIXEDMAP: 6.17 does not force non-cacheable (not reachable in practice)');
      } else {
        steps.push('fault: kernel memory: mapped as Normal whatever the host stage-1 attribute');
      }
      forceNonCacheable = false;
    }
  } else {
    // ≤ 6.16: kvm_is_device_pfn() is !pfn_is_map_memory(); VMA flags and host attribute play no part.
    forceNonCacheable = pfn === 'device';
    steps.push(forceNonCacheable
      ? 'fault: kvm_is_device_pfn: device = true (VMA flags and host attribute are not consulted)'
      : 'fault: kernel memory: mapped as Normal whatever the host stage-1 attribute');
    if (forceNonCacheable && host.cacheable) {
      steps.push('note: the host maps this pfn cacheable while stage 2 is non-cacheable (mismatched attributes; refused only from 6.17 unless FWB+DIC)');
    }
  }

  // Executing from memory KVM maps non-cacheable is refused in every era.
  if (exec && forceNonCacheable) {
    steps.push('fault: exec fault on non-cacheable (device) memory');
    return fail('ENOEXEC', 'fault', 'instruction fetch from device memory: user_mem_abort returns -ENOEXEC and KVM injects a prefetch abort into the guest');
  }

  let kind: KvmS2Kind;
  if (forceNonCacheable) {
    kind = allowAnyUncached ? 'NORMAL_NC' : 'DEVICE_nGnRE';
    steps.push(allowAnyUncached
      ? 'VM_ALLOW_ANY_UNCACHED: KVM_PGTABLE_PROT_NORMAL_NC (the guest stage-1 type takes effect)'
      : 'KVM_PGTABLE_PROT_DEVICE: Device-nGnRE');
  } else {
    kind = 'NORMAL';
  }
  const memattr = kvmS2MemAttr(kind, fwb);
  // prot X on an exec fault; cacheable mappings are also made executable up front when DIC
  // makes I-cache maintenance unnecessary.
  const executable = exec || (!forceNonCacheable && dic);
  steps.push(`stage 2: ${KIND_TEXT[kind]}, MemAttr ${fwb ? 'MT_S2_FWB' : 'MT_S2'} 0x${memattr.toString(16)}, Inner Shareable, ${executable ? 'executable' : 'XN'}`);
  const why =
    kind === 'NORMAL' ? (pfn === 'memory' ? 'kernel memory is mapped Normal-WB at stage 2' : 'cacheable PFNMAP (Linux ≥ 6.17, FWB and DIC present): Normal-WB at stage 2')
    : kind === 'NORMAL_NC' ? 'device pfn in a VMA with VM_ALLOW_ANY_UNCACHED: Normal-NC at stage 2, so the guest chooses'
    : era === 'device-only' ? 'device pfn: Device-nGnRE at stage 2 (Linux ≤ 6.8 always does this)'
    : 'device pfn without VM_ALLOW_ANY_UNCACHED: Device-nGnRE at stage 2';
  return {
    result: 'mapped',
    phase: 'fault',
    s2: { kind, memattr, fwb, shareability: 'ISH', executable },
    reason: why,
    steps,
  };
}
