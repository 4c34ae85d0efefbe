/**
 * Linux VMA flags (`include/linux/mm.h`, `vm_flags`) that matter when KVM maps a user mapping of
 * device memory into a guest, plus a few that the mmap paths set but KVM ignores.
 */

/** The flags KVM/arm64's stage-2 fault path reads (`arch/arm64/kvm/mmu.c`). */
export type KvmVmaFlag = 'VM_IO' | 'VM_PFNMAP' | 'VM_MIXEDMAP' | 'VM_ALLOW_ANY_UNCACHED';

/** Flags accepted as input but without effect on KVM's stage-2 choice. */
export type NoOpVmaFlag = 'VM_DONTEXPAND' | 'VM_DONTDUMP' | 'VM_SHARED' | 'VM_READ' | 'VM_WRITE' | 'VM_MAYSHARE';

/** Any VMA flag iolitmus knows. */
export type VmaFlag = KvmVmaFlag | NoOpVmaFlag;

/** A set of VMA flags (immutable). */
export type VmaFlags = ReadonlySet<VmaFlag>;

/** Every known flag with what it means here; the keys are the accepted spellings. */
export const VMA_FLAGS: Readonly<Record<VmaFlag, string>> = Object.freeze({
  VM_IO: 'memory-mapped I/O; no struct page semantics expected (set by remap_pfn_range)',
  VM_PFNMAP: 'pure pfn mapping, no struct page behind the ptes (set by remap_pfn_range)',
  VM_MIXEDMAP: 'mix of struct-page and raw pfn ptes (vm_insert_page / vmf_insert_mixed)',
  VM_ALLOW_ANY_UNCACHED:
    'Linux ≥ 6.9: the owner allows any uncached stage-2 type, so KVM may use Normal-NC (set by vfio-pci only)',
  VM_DONTEXPAND: 'cannot be grown by mremap (no effect on KVM)',
  VM_DONTDUMP: 'left out of core dumps (no effect on KVM)',
  VM_SHARED: 'shared mapping (no effect on KVM)',
  VM_MAYSHARE: 'may be shared (no effect on KVM)',
  VM_READ: 'readable (no effect on the memory type)',
  VM_WRITE: 'writable (no effect on the memory type)',
});

/** True when `name` is a flag iolitmus knows (exact, upper-case spelling). */
export function isVmaFlag(name: string): name is VmaFlag {
  return Object.prototype.hasOwnProperty.call(VMA_FLAGS, name);
}

/**
 * Parses `VM_IO,VM_PFNMAP,...` (commas and/or spaces; case-insensitive; the `VM_` prefix may be
 * left out). The empty string is the empty set. Throws `RangeError` naming an unknown flag, or
 * when VM_PFNMAP and VM_MIXEDMAP are both set (mm/memory.c refuses to create such a VMA:
 * `vm_insert_*` and `remap_pfn_range` each BUG on the other's flag).
 */
export function parseVmaFlags(text: string): VmaFlags {
  const out = new Set<VmaFlag>();
  for (const raw of text.split(/[\s,|]+/)) {
    if (raw === '') continue;
    const upper = raw.toUpperCase();
    const name = upper.startsWith('VM_') ? upper : `VM_${upper}`;
    if (!isVmaFlag(name)) {
      throw new RangeError(`unknown VMA flag '${raw}' (known: ${Object.keys(VMA_FLAGS).join(', ')})`);
    }
    out.add(name);
  }
  return vmaFlags(out);
}

/** Builds a validated, frozen flag set from a list. Throws `RangeError` like `parseVmaFlags`. */
export function vmaFlags(flags: Iterable<VmaFlag>): VmaFlags {
  const set = new Set<VmaFlag>();
  for (const f of flags) {
    if (!isVmaFlag(f)) throw new RangeError(`unknown VMA flag '${String(f)}'`);
    set.add(f);
  }
  if (set.has('VM_PFNMAP') && set.has('VM_MIXEDMAP')) {
    throw new RangeError('VMA flags VM_PFNMAP and VM_MIXEDMAP are mutually exclusive');
  }
  return set;
}

/** `VM_IO|VM_PFNMAP`, in the order of `VMA_FLAGS`; `(none)` for the empty set. */
export function formatVmaFlags(flags: VmaFlags): string {
  const names = (Object.keys(VMA_FLAGS) as VmaFlag[]).filter((f) => flags.has(f));
  return names.length === 0 ? '(none)' : names.join('|');
}
