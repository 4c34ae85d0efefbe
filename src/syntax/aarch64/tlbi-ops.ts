/**
 * The TLB maintenance operations `TLBI <op>{, <Xt>}` accepts (Arm ARM C5.5, "A64 System
 * instructions for TLB maintenance", one page per operation; what each invalidates is in the
 * VMSA chapter's "TLB maintenance instructions"). Only the operations a host or hypervisor uses
 * to zap a guest's or a user's mappings are listed: by VA at EL1&0 and EL2, by IPA at stage 2,
 * and the "all" forms. The Outer Shareable (`...OS`, FEAT_TLBIOS) and range (`RVA...`,
 * FEAT_TLBIRANGE) forms are not.
 * @internal
 */

/** What one TLBI operation invalidates, as far as the syntax needs to know. */
export interface TlbiOperation {
  /**
   * The register operand: 'va' (Xt holds the virtual page, and an ASID in bits [63:48]), 'ipa'
   * (Xt holds the intermediate physical page, for the stage-2 forms), 'asid' (Xt holds only an
   * ASID, in bits [63:48]), or undefined for the "all" forms, which take none.
   */
  readonly address: 'va' | 'ipa' | 'asid' | undefined;
  /** The translation regime whose entries go: EL1&0 (a guest or user) or EL2 (the host kernel). */
  readonly regime: 'EL1&0' | 'EL2';
  /** The `IS` forms broadcast to every PE of the Inner Shareable domain; the others are local. */
  readonly broadcast: boolean;
}

function op(address: TlbiOperation['address'], regime: TlbiOperation['regime'], broadcast: boolean): TlbiOperation {
  return Object.freeze({ address, regime, broadcast });
}

/** Every supported operation by its upper-case name. */
export const TLBI_OPERATIONS: ReadonlyMap<string, TlbiOperation> = new Map([
  // By VA, EL1&0: VAE1; VALE1 "last level" only; VAAE1 "all ASIDs"; VAALE1 both.
  ['VAE1IS', op('va', 'EL1&0', true)],
  ['VALE1IS', op('va', 'EL1&0', true)],
  ['VAAE1IS', op('va', 'EL1&0', true)],
  ['VAALE1IS', op('va', 'EL1&0', true)],
  ['VAE1', op('va', 'EL1&0', false)],
  ['VALE1', op('va', 'EL1&0', false)],
  ['VAAE1', op('va', 'EL1&0', false)],
  ['VAALE1', op('va', 'EL1&0', false)],
  // By ASID, EL1&0: every non-global entry of that ASID.
  ['ASIDE1IS', op('asid', 'EL1&0', true)],
  ['ASIDE1', op('asid', 'EL1&0', false)],
  // By VA, EL2 (the host's own mappings under VHE or nVHE).
  ['VAE2IS', op('va', 'EL2', true)],
  ['VALE2IS', op('va', 'EL2', true)],
  ['VAE2', op('va', 'EL2', false)],
  ['VALE2', op('va', 'EL2', false)],
  // By IPA, stage 2 of EL1&0 (what KVM issues when it unmaps a guest page).
  ['IPAS2E1IS', op('ipa', 'EL1&0', true)],
  ['IPAS2LE1IS', op('ipa', 'EL1&0', true)],
  ['IPAS2E1', op('ipa', 'EL1&0', false)],
  ['IPAS2LE1', op('ipa', 'EL1&0', false)],
  // All entries: stage 1 of the current VMID, stages 1 and 2 of it, all VMIDs, all of EL2.
  ['VMALLE1IS', op(undefined, 'EL1&0', true)],
  ['VMALLE1', op(undefined, 'EL1&0', false)],
  ['VMALLS12E1IS', op(undefined, 'EL1&0', true)],
  ['VMALLS12E1', op(undefined, 'EL1&0', false)],
  ['ALLE1IS', op(undefined, 'EL1&0', true)],
  ['ALLE1', op(undefined, 'EL1&0', false)],
  ['ALLE2IS', op(undefined, 'EL2', true)],
  ['ALLE2', op(undefined, 'EL2', false)],
]);

/** The operation named `name` (any case), or undefined when it is not supported. */
export function tlbiOperation(name: string): TlbiOperation | undefined {
  return TLBI_OPERATIONS.get(name.toUpperCase());
}
