/**
 * Linux kernel versions, as far as iolitmus cares: a comparable value, and the three eras of
 * KVM/arm64's stage-2 policy for memory that is not kernel memory (`arch/arm64/kvm/mmu.c`,
 * `user_mem_abort`).
 */

/** A parsed `MAJOR.MINOR[.PATCH][-rcN]` version. Release candidates count as their release. */
export interface KernelVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/**
 * The behaviour eras of KVM's stage-2 choice for device (non kernel-memory) pfns:
 * - `device-only` (≤ 6.8): always Device-nGnRE;
 * - `allow-any-uncached` (6.9–6.16): Normal-NC when the VMA has VM_ALLOW_ANY_UNCACHED;
 * - `cacheable-pfnmap` (≥ 6.17): a cacheable host VMA may give Normal WB (needs FWB and DIC).
 */
export type KvmEra = 'device-only' | 'allow-any-uncached' | 'cacheable-pfnmap';

// Optional leading `v`, MAJOR.MINOR, optional .PATCH, optional -rcN (a feature merged for a
// release is already present in its first release candidate).
const VERSION_RE = /^v?(\d{1,3})\.(\d{1,3})(?:\.(\d{1,4}))?(?:-rc\d{1,2})?$/;

/** Parses `6.8`, `v6.12.3`, `5.15`, `6.9-rc1`. Throws `RangeError` on anything else. */
export function parseKernelVersion(text: string): KernelVersion {
  const m = VERSION_RE.exec(text.trim());
  if (!m) {
    throw new RangeError(`bad kernel version '${text}' (expected MAJOR.MINOR[.PATCH], e.g. 6.9 or v6.12.3)`);
  }
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? 0 : Number(m[3]);
  // Linux's major numbers start at 1 (1.0 in 1994); 0.x never shipped KVM.
  if (major < 1) throw new RangeError(`bad kernel version '${text}' (major version must be at least 1)`);
  return Object.freeze({ major, minor, patch });
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareKernelVersions(a: KernelVersion, b: KernelVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** `6.9`, or `6.12.3` when the patch level is not 0. */
export function formatKernelVersion(v: KernelVersion): string {
  return v.patch === 0 ? `${v.major}.${v.minor}` : `${v.major}.${v.minor}.${v.patch}`;
}

/** True when `v` is at least `major.minor`. */
export function kernelAtLeast(v: KernelVersion, major: number, minor: number): boolean {
  return compareKernelVersions(v, { major, minor, patch: 0 }) >= 0;
}

/**
 * The era of KVM's stage-2 policy for `v`. 6.9 merged the series "KVM: arm64: Allow the VM to
 * select DEVICE_* and NORMAL_NC for IO memory"; 6.17 merged cacheable PFNMAP support
 * (KVM_CAP_ARM_CACHEABLE_PFNMAP_SUPPORTED).
 */
export function kvmEra(v: KernelVersion): KvmEra {
  if (kernelAtLeast(v, 6, 17)) return 'cacheable-pfnmap';
  if (kernelAtLeast(v, 6, 9)) return 'allow-any-uncached';
  return 'device-only';
}
