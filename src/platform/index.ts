/**
 * platform: the system of a guest with an assigned device, as executable knowledge — memory-attribute combination
 * (attrs), KVM's stage-2 policy per kernel version, the host mappings vfio and sysfs give, and
 * Linux's arm64 I/O accessors lowered to instruction steps.
 */
export * from './memory-type.js';
export * from './attrs/index.js';

export type { KernelVersion, KvmEra } from './kernel-version.js';
export { parseKernelVersion, compareKernelVersions, formatKernelVersion, kernelAtLeast, kvmEra } from './kernel-version.js';

export type { KvmVmaFlag, NoOpVmaFlag, VmaFlag, VmaFlags } from './vma-flags.js';
export { VMA_FLAGS, isVmaFlag, parseVmaFlags, vmaFlags, formatVmaFlags } from './vma-flags.js';

export type { LinuxMairIndex, HostS1Class } from './host-s1-class.js';
export { LINUX_MAIR, classifyHostS1 } from './host-s1-class.js';

export type { KvmS2Kind, PfnKind, KvmFaultInput, KvmS2Mapping, KvmPhase, KvmDecision } from './kvm-stage2.js';
export { KVM_S2_MEMATTR, kvmS2MemAttr, kvmStage2Decision } from './kvm-stage2.js';

export type { HostMappingSource, HostMapping } from './vfio.js';
export { HOST_MAPPING_SOURCES, isHostMappingSource, hostMapping } from './vfio.js';

export type { IoAccessSize, IoBarrierDomain, IoBarrierType, IoStep, IoAccessor } from './linux-io.js';
export {
  IO_ACCESSORS,
  COUNTED_IO_ACCESSORS,
  ioAccessor,
  iowriteCopy,
  memcpyToio,
  ioAccessorSteps,
  formatIoSteps,
} from './linux-io.js';
export { SEED_CASES, answerSeedCase, type SeedCase, type SeedAnswer } from './seed-cases.js';
