/**
 * Which TLB entries a TLBI removes, for the accesses of another CPU thread, by translation regime
 * (Arm ARM DDI 0487, D8.14 "TLB maintenance" and the C5.5 page of each operation).
 *
 * Regimes as iolitmus names them: a thread with a stage-2 mapping is a guest (EL1&0 with its
 * VMID); any other CPU thread runs in the host, EL2&0 under VHE (HCR_EL2.{E2H,TGE} = {1,1}), where
 * the EL1 forms (VAE1IS, VMALLE1IS, ...) act on the EL2&0 regime. KVM issues a guest's
 * invalidations with TGE cleared and the guest's VMID loaded (`__tlb_switch_to_guest`): iolitmus
 * recognises that context by its first instruction, a stage-2 invalidation by IPA.
 */

/**
 * What a TLBI does to another thread's translation of an address: removes every entry it may use
 * (`all`), some of them, so that the thread may keep using another (`some`), none (`none`), or
 * what the test does not say (`undeclared`: which guest's VMID a host names, among several;
 * whether an all-ASID flush names a process's VA or the kernel's).
 */
export type Reach = 'all' | 'none' | 'some' | 'undeclared';

export interface TlbiContext {
  /** The operation, upper case (VAE1IS, IPAS2E1IS, ...). */
  readonly op: string;
  readonly issuerIsGuest: boolean;
  readonly targetIsGuest: boolean;
  /** The issuer earlier invalidated some stage-2 entries by IPA and a DSB completed it: KVM's guest context. */
  readonly guestContext: boolean;
  /** ... and among them this address's. */
  readonly stage2Done: boolean;
  /**
   * For a guest target: whether the VMID the TLBI names is the target's (a guest issuer names its
   * own; a host names the one it declares, or the only guest's). Undefined: not declared.
   */
  readonly sameVmid: boolean | undefined;
  /** The ASID the TLBI names (Xt[63:48]), and the target's: undefined for global (kernel) translations. */
  readonly tlbiAsid: number;
  readonly targetAsid: number | undefined;
  /**
   * Whose VA a by-VA TLBI names: a user process's (true), the kernel's (false), or, for an all-ASID
   * form in a test where both map the location, not said (undefined). A kernel's VA of a location
   * is not a process's: a flush of the one leaves the other.
   */
  readonly namesUserVa: boolean | undefined;
}

const broadcast = (op: string) => op.endsWith('IS');
const base = (op: string) => op.replace(/IS$/, '');
const EL1_STAGE1 = new Set(['VAE1', 'VALE1', 'VAAE1', 'VAALE1', 'ASIDE1', 'VMALLE1']);
/** By VA for one ASID: they remove that ASID's entries of the address, and global ones. */
const ONE_ASID = new Set(['VAE1', 'VALE1', 'VAE2', 'VALE2']);

/**
 * Whether the ASID a TLBI names selects the target's entries (D8.14, "TLB maintenance
 * instructions": by-VA forms match global entries and those of the given ASID; ASIDE1 only the
 * non-global entries of its ASID; the "all ASIDs" and "all" forms ignore it).
 */
function asidSelects(op: string, c: TlbiContext): boolean | undefined {
  if (op === 'ASIDE1') return c.targetAsid === c.tlbiAsid;
  if (!ONE_ASID.has(op) && !ALL_ASIDS.has(op)) return true;
  // By VA: the target's VA must be the one named (a process's, or the kernel's).
  if (c.namesUserVa === undefined) return undefined;
  if (c.namesUserVa !== (c.targetAsid !== undefined)) return false;
  return !ONE_ASID.has(op) || c.targetAsid === undefined || c.targetAsid === c.tlbiAsid;
}
const ALL_ASIDS = new Set(['VAAE1', 'VAALE1']);
const STAGE2_BY_IPA = new Set(['IPAS2E1', 'IPAS2LE1']);
const EL1_ALL_STAGES = new Set(['VMALLS12E1', 'ALLE1']);
const EL2 = new Set(['VAE2', 'VALE2', 'ALLE2']);

/** EL2 and stage-2 operations are UNDEFINED at EL1 (C5.5: "accessible at EL2 and EL3"). */
export function availableToGuest(op: string): boolean {
  return EL1_STAGE1.has(base(op));
}

/** What a TLBI by one thread removes of another thread's translations of an address it names. */
export function tlbiReach(c: TlbiContext): Reach {
  // Without IS the operation acts on the issuing PE's TLBs only (D8.14, "broadcast"), but KVM
  // runs its guests with HCR_EL2.FB set, which makes a guest's EL1 invalidations broadcast.
  if (!broadcast(c.op) && !c.issuerIsGuest) return 'none';
  const op = base(c.op);
  const selects = asidSelects(op, c);
  if (selects === undefined) return 'undeclared';
  if (!selects) return 'none';
  if (c.issuerIsGuest) {
    // A guest's EL1&0 entries carry its VMID: the host's EL2&0 entries are never touched; another
    // guest's only when it shares the VMID (vCPUs of one VM: `P1: vmid:1;` on both).
    return c.targetIsGuest && c.sameVmid && EL1_STAGE1.has(op) ? 'all' : 'none';
  }
  // In KVM's guest context (TGE clear, the guest's VMID in VTTBR_EL2) the EL1 forms act on that
  // guest's EL1&0, as if the guest issued them; VMALLE1IS after a stage-2 invalidation of the
  // address removes what is left of it.
  if (c.guestContext && EL1_STAGE1.has(op)) {
    if (!c.targetIsGuest) return 'none';
    if (c.sameVmid === undefined) return 'undeclared';
    if (!c.sameVmid) return 'none';
    return op !== 'VMALLE1' || c.stage2Done ? 'all' : 'none';
  }
  if (!c.targetIsGuest) {
    // Host to host: the EL1 forms act on EL2&0 (TGE=1), as do the EL2 forms; stage-2 and EL1&0
    // forms act on a guest's regime only.
    return EL2.has(op) || EL1_STAGE1.has(op) ? 'all' : 'none';
  }
  // Host to guest. ALLE1IS: every VMID's EL1&0 entries.
  if (op === 'ALLE1') return 'all';
  // The EL1 forms outside KVM's context and the EL2 forms act on the host's EL2&0 (TGE=1).
  if (!EL1_ALL_STAGES.has(op) && !STAGE2_BY_IPA.has(op)) return 'none';
  // The rest act on the VMID in VTTBR_EL2: the target's, or another guest's.
  if (c.sameVmid === undefined) return 'undeclared';
  if (!c.sameVmid) return 'none';
  if (op === 'VMALLS12E1') return 'all';
  // By IPA, stage 2 only: the guest may keep using a combined stage 1+2 entry (D8.14: stage-2
  // invalidation need not remove entries that combine both stages), until VMALLE1IS follows.
  return 'some';
}
