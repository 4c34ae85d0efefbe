/**
 * Which TLB entries a TLBI removes (Arm ARM DDI 0487, D8.14 "TLB maintenance" and the C5.5 page
 * of each operation), in terms of translation spaces.
 *
 * A space is where a thread's translations live:
 * - `h`: the host kernel's (EL2&0 under VHE, HCR_EL2.{E2H,TGE} = {1,1}: global entries);
 * - `h/a5`: a host user process with ASID 5 (non-global entries);
 * - `g1`, `g1/a5`: the kernel and a process of the guest with VMID 1 (stage-1 and combined
 *   stage 1+2 entries, tagged with the VMID);
 * - `g1/s2`: that guest's stage 2 (stage-2-only entries, by IPA).
 * A location's VA in one space is not its VA in another: a kernel's `ioremap` of a BAR is not a
 * process's `mmap` of it, so a flush of the one leaves the other.
 *
 * KVM issues a guest's invalidations with TGE clear and the guest's VMID in VTTBR_EL2
 * (`__tlb_switch_to_guest`): there the EL1 forms act on that guest, as if it issued them. A
 * guest runs with HCR_EL2.FB set (Linux's HCR_GUEST_FLAGS): its EL1 invalidations broadcast.
 */

/** What one TLBI does: the spaces whose mapping of the named location it stands for changing, and the entries it removes. */
export interface TlbiAction {
  /** By-address forms: the spaces where the named location's mapping changed (the page-table store is implicit). */
  readonly unmaps: readonly string[];
  /** Whether it removes entries of a space (at the named location, or at all of them for an "all" form). */
  removes(space: string): boolean;
  /** Without IS it acts on the issuing PE only (D8.14, "broadcast"), unless FB makes it broadcast. */
  readonly broadcast: boolean;
}

/** Who issues the TLBI, and the spaces the test's threads use (as known from the declarations). */
export interface Issuer {
  /** The host, or the VMID of the guest issuing it. */
  readonly guestVmid: number | undefined;
  /** KVM's guest context on the host: the VMID loaded in VTTBR_EL2 (undefined when not in it). */
  readonly contextVmid: number | undefined;
  /** The VMID the host's stage-2 and all-stage operations name; 'undeclared' among several guests. */
  readonly namedVmid: number | 'undeclared' | undefined;
}

/** The spaces of the location's accessors (other than the issuer), to resolve the all-ASID forms. */
export interface Accessors {
  /** Process spaces (`h/a5`, `g1/a5`) and kernel spaces (`h`, `g1`) that access the location. */
  readonly spaces: readonly string[];
  /** A built-in says the flush is of processes' mappings (vfio_zap_bars). */
  readonly userSpaces: boolean;
  /** Every process space the test declares (`h/a5`, `g1/a5`), accessing the location or not. */
  readonly processes: readonly string[];
}

const base = (op: string) => op.replace(/IS$/, '');
const EL1_STAGE1 = new Set(['VAE1', 'VALE1', 'VAAE1', 'VAALE1', 'ASIDE1', 'VMALLE1']);
const ONE_ASID = new Set(['VAE1', 'VALE1', 'VAE2', 'VALE2']);

/** EL2 and stage-2 operations are UNDEFINED at EL1 (C5.5: "accessible at EL2 and EL3"). */
export function availableToGuest(op: string): boolean {
  return EL1_STAGE1.has(base(op));
}

/** `h`, `g1`: the kernel space of a regime; processes' spaces are `<kernel>/a<ASID>`. */
export const kernelSpace = (vmid: number | undefined) => (vmid === undefined ? 'h' : `g${vmid}`);
/** `g1/s2`: a guest's stage 2. */
export const stage2SpaceOf = (vmid: number) => `g${vmid}/s2`;
/** The by-VA forms of every ASID, which may name processes' VAs or the kernel's. */
export const isAllAsidsByVa = (op: string) => /^VAAL?E1(IS)?$/.test(op);
const isProcess = (space: string) => /\/a\d+$/.test(space);
const inRegime = (space: string, kernel: string) => space === kernel || space.startsWith(`${kernel}/a`);

/**
 * The stage-1 space a by-VA form names in a regime: the process whose ASID it carries when the
 * test declares one with it (ONE_ASID forms), else the kernel; the processes that access the
 * location or the kernel (all-ASID forms; undefined when both access it).
 */
function namedSpaces(op: string, asid: number, kernel: string, accessors: Accessors): string[] | undefined {
  const mine = accessors.spaces.filter((s) => inRegime(s, kernel));
  if (ONE_ASID.has(op)) return [accessors.processes.includes(`${kernel}/a${asid}`) ? `${kernel}/a${asid}` : kernel];
  const processes = mine.filter(isProcess);
  if (accessors.userSpaces) return processes;
  if (processes.length === 0) return [kernel];
  return processes.length === mine.length ? processes : undefined;
}

/**
 * The action of a TLBI: `undefined` when the test does not say what it names (which guest's VMID
 * among several; whether an all-ASID form names processes' VAs or the kernel's).
 */
export function tlbiAction(opName: string, asid: number, issuer: Issuer, accessors: Accessors): TlbiAction | undefined {
  const op = base(opName);
  const broadcast = opName.endsWith('IS') || issuer.guestVmid !== undefined;
  // The regime the EL1 forms act on: the issuing guest's, KVM's guest context, or the host's EL2&0.
  const el1Vmid = issuer.guestVmid ?? issuer.contextVmid;
  const el1Kernel = kernelSpace(el1Vmid);
  const byVa = (kernel: string): TlbiAction | undefined => {
    const spaces = namedSpaces(op, asid, kernel, accessors);
    return spaces && { unmaps: spaces, removes: (s) => spaces.includes(s), broadcast };
  };
  if (op === 'VAE1' || op === 'VALE1' || op === 'VAAE1' || op === 'VAALE1') return byVa(el1Kernel);
  // The EL2 forms act on EL2&0 whatever TGE is.
  if (op === 'VAE2' || op === 'VALE2') return byVa('h');
  if (op === 'ASIDE1') return { unmaps: [], removes: (s) => s === `${el1Kernel}/a${asid}`, broadcast };
  // Every stage-1 and combined entry of the regime (not the stage-2-only ones of a guest).
  if (op === 'VMALLE1') return { unmaps: [], removes: (s) => inRegime(s, el1Kernel), broadcast };
  if (op === 'ALLE2') return { unmaps: [], removes: (s) => inRegime(s, 'h'), broadcast };
  // ALLE1IS: every EL1&0 entry of every VMID, stage 1 and stage 2.
  if (op === 'ALLE1') return { unmaps: [], removes: (s) => s.startsWith('g'), broadcast };
  const vmid = issuer.namedVmid;
  if (vmid === 'undeclared') return undefined;
  if (vmid === undefined) return { unmaps: [], removes: () => false, broadcast };
  // By IPA: the stage-2-only entries of the location; a combined entry may stay (D8.14).
  if (op === 'IPAS2E1' || op === 'IPAS2LE1') return { unmaps: [stage2SpaceOf(vmid)], removes: (s) => s === stage2SpaceOf(vmid), broadcast };
  // VMALLS12E1IS: every entry of the VMID, stage 1 and stage 2.
  if (op === 'VMALLS12E1') return { unmaps: [], removes: (s) => inRegime(s, kernelSpace(vmid)) || s === stage2SpaceOf(vmid), broadcast };
  return { unmaps: [], removes: () => false, broadcast };
}
