/**
 * How KVM/arm64 (Linux ≥ 6.17, `kvm_vma_is_cacheable` in `arch/arm64/kvm/mmu.c`) classifies the
 * host's stage-1 attribute of a VMA: it reads the AttrIndx of `vma->vm_page_prot` and calls the
 * VMA cacheable unless the index is MT_NORMAL_NC, MT_DEVICE_nGnRnE or MT_DEVICE_nGnRE.
 *
 * iolitmus describes the host attribute by its MAIR byte, so this module maps a byte back to
 * Linux's MAIR index (`arch/arm64/include/asm/memory.h`: 0 MT_NORMAL 0xff, 1 MT_NORMAL_TAGGED
 * 0xff or 0xf0 with MTE, 2 MT_NORMAL_NC 0x44, 3 MT_DEVICE_nGnRnE 0x00, 4 MT_DEVICE_nGnRE 0x04).
 */
import { decodeStage1 } from './attrs/index.js';
import { formatMemoryType } from './memory-type.js';

/** Linux arm64's MAIR indices (the `MT_*` AttrIndx values of `asm/memory.h`). */
export type LinuxMairIndex = 'MT_NORMAL' | 'MT_NORMAL_TAGGED' | 'MT_NORMAL_NC' | 'MT_DEVICE_nGnRnE' | 'MT_DEVICE_nGnRE';

/** The MAIR byte Linux programs for each index (MT_NORMAL_TAGGED shown with MTE enabled). */
export const LINUX_MAIR: Readonly<Record<LinuxMairIndex, number>> = Object.freeze({
  MT_NORMAL: 0xff,
  MT_NORMAL_TAGGED: 0xf0,
  MT_NORMAL_NC: 0x44,
  MT_DEVICE_nGnRnE: 0x00,
  MT_DEVICE_nGnRE: 0x04,
});

/** KVM's view of a host stage-1 attribute. */
export interface HostS1Class {
  /** The MAIR byte classified. */
  readonly attr: number;
  /** The Linux index this byte belongs to, or `null` for a byte Linux never programs. */
  readonly index: LinuxMairIndex | null;
  /** `is_vma_cacheable`'s answer. */
  readonly cacheable: boolean;
  /** e.g. `0x04 = MT_DEVICE_nGnRE (not cacheable)`. */
  readonly text: string;
}

// The three indices kvm_vma_is_cacheable() treats as uncached.
const UNCACHED_INDICES: ReadonlySet<LinuxMairIndex> = new Set(['MT_NORMAL_NC', 'MT_DEVICE_nGnRnE', 'MT_DEVICE_nGnRE']);

function hex2(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}

/**
 * Classifies a host stage-1 MAIR byte as `is_vma_cacheable` would. Linux's own bytes map to
 * their index (0xff is MT_NORMAL; MT_NORMAL_TAGGED has the same byte without MTE, and the same
 * answer). A byte Linux never programs cannot be selected by a Linux VMA at all; iolitmus
 * classifies it by its meaning, keeping Linux's exclusion-list spirit: any Device type (nGRE,
 * GRE) is uncached like the Device indices, Normal with both levels Non-cacheable is uncached
 * like MT_NORMAL_NC, and every other Normal byte (some level WT or WB) is cacheable.
 * Throws `RangeError` for a byte that is not 0..255 or whose decode is UNPREDICTABLE.
 */
export function classifyHostS1(attr: number): HostS1Class {
  if (!Number.isInteger(attr) || attr < 0 || attr > 0xff) {
    throw new RangeError(`host stage-1 attribute ${String(attr)} is not a MAIR byte (0..255)`);
  }
  const index = (Object.keys(LINUX_MAIR) as LinuxMairIndex[]).find((k) => LINUX_MAIR[k] === attr) ?? null;
  if (index !== null) {
    const cacheable = !UNCACHED_INDICES.has(index);
    return { attr, index, cacheable, text: `${hex2(attr)} = ${index} (${cacheable ? 'cacheable' : 'not cacheable'})` };
  }
  const d = decodeStage1(attr);
  if (!d.ok) throw new RangeError(`host stage-1 attribute ${hex2(attr)} has no memory type: ${d.reason}`);
  const t = d.type;
  const cacheable = t.type === 'Normal' && !(t.inner === 'NC' && t.outer === 'NC');
  return {
    attr,
    index: null,
    cacheable,
    text: `${hex2(attr)} = ${formatMemoryType(t)}, not a Linux MAIR index; classified by meaning as ${cacheable ? 'cacheable' : 'not cacheable'}`,
  };
}
