/**
 * The primitives of herd's VMSA semantics (herd7 -variant vmsa), for a model of translation
 * table walks (models/vmsa.model): which memory effects are implicit translation table reads,
 * which are at translation table entries, the MMU faults by type, tr-ib, the locations of faults,
 * and which entries a TLBI reaches. Without VMSA they are empty.
 */
import type { Event, FenceEvent, MmuFault } from '../../events/event.js';
import { locationBase } from '../../events/locations.js';
import type { Execution } from '../../execution/execution.js';
import { EventSet, Relation } from '../../execution/relation.js';
import { kvmGuestContext } from '../../events/tlbi-reach.js';
import { availableToGuest } from '../../platform/tlbi-scope.js';

const isImplicit = (e: Event) => (e.kind === 'R' || e.kind === 'W') && e.implicit === true;
const mmuOf = (e: Event): MmuFault | undefined => (e.kind === 'F' && e.fence.op === 'FAULT' ? e.fence.mmu : undefined);

/** Implicit memory effects: the translation table reads and the hardware's updates of entries. */
export const implicit = (x: Execution): EventSet => EventSet.where(x.n, (i) => isImplicit(x.events[i]!));

/** Explicit memory effects: every memory effect but the implicit ones (initial writes included). */
export const explicit = (x: Execution): EventSet => x.M.minus(implicit(x));

/** Memory effects at a translation table entry (explicit or implicit). */
export const atEntries = (x: Execution): EventSet => EventSet.where(x.n, (i) => x.M.has(i) && x.vmsa !== undefined && x.vmsa.pte.has(x.addrOf[i]!));

/** MMU faults, of one type or any. */
export const mmuFaults = (x: Execution, type?: MmuFault): EventSet => EventSet.where(x.n, (i) => {
  const m = mmuOf(x.events[i]!);
  return m !== undefined && (type === undefined || m === type);
});

/** The byte offset an event has in its location: a memory effect's, or a fault's virtual address's. */
function offsetOf(x: Execution, i: number): number | undefined {
  const e = x.events[i]!;
  if (x.M.has(i)) return x.addrOf[i]! - locationBase(x.addrOf[i]!);
  if (mmuOf(e) !== undefined) return (e as FenceEvent).fence.addr! - locationBase((e as FenceEvent).fence.addr!);
  return undefined;
}

/** Events at the same offset in their locations (herd's same-low-order-bits): memory effects and faults. */
export const sameOffset = (x: Execution): Relation => {
  const off = Array.from({ length: x.n }, (_, i) => offsetOf(x, i));
  return Relation.where(x.n, (a, b) => off[a] !== undefined && off[a] === off[b]);
};

/**
 * herd's VMSA same-location: memory effects at one address; a translation fault and every
 * memory effect or fault at its offset; and an access flag or permission fault and the effects
 * (and such faults) at the physical address its descriptor gave.
 */
export const sameLocation = (x: Execution): Relation => {
  const off = Array.from({ length: x.n }, (_, i) => offsetOf(x, i));
  const place = Array.from({ length: x.n }, (_, i) => {
    const e = x.events[i]!;
    if (x.M.has(i)) return x.addrOf[i]!;
    return e.kind === 'F' && e.fence.mmu !== undefined && e.fence.mmu !== 'Translation' ? e.fence.pa : undefined;
  });
  const translation = Array.from({ length: x.n }, (_, i) => mmuOf(x.events[i]!) === 'Translation');
  return Relation.where(x.n, (a, b) => {
    if (place[a] !== undefined && place[a] === place[b]) return true;
    return (translation[a]! || translation[b]!) && off[a] !== undefined && off[a] === off[b];
  });
};

/** Effects at stage-2 entries S2PTE(x) and a guest's stage-2 faults (tests with guests). */
export const stage2 = (x: Execution): EventSet => EventSet.where(x.n, (i) => {
  const e = x.events[i]!;
  if (x.M.has(i)) return x.vmsa?.s2pte.has(x.addrOf[i]!) === true;
  return e.kind === 'F' && e.fence.op === 'FAULT' && e.fence.stage2 === true;
});

/** TLB invalidations that reach every PE of the Inner Shareable domain: the IS forms, and a guest's (HCR_EL2.FB, as KVM runs guests). */
export const broadcastTlbi = (x: Execution): EventSet => EventSet.where(x.n, (i) => {
  const e = x.events[i]!;
  return e.kind === 'F' && e.fence.op === 'TLBI' && ((e.fence.tlbi ?? '').endsWith('IS') || x.vmsa?.guests.has(e.thread) === true);
});

/**
 * The entries a TLBI reaches, both ways (herd's inv-domain): a TLBI without a page reaches every
 * effect at an entry; one by page the effects at that page's entry; one whose register named no
 * page (not `LSR #12` of an address), none. In a test with guests, only the entries of the
 * stages it invalidates (tlbiStages).
 */
export const invDomain = (x: Execution): Relation => {
  const pairs: [number, number][] = [];
  const layout = x.vmsa;
  if (layout === undefined) return Relation.of(x.n, pairs);
  const entries = atEntries(x);
  const stages = tlbiStages(x);
  x.events.forEach((e, t) => {
    if (e.kind !== 'F' || e.fence.op !== 'TLBI') return;
    const page = e.fence.page;
    const reach = stages.get(t) ?? { s1: true, s2: false };
    if (page === 'none') return;
    for (let i = 0; i < x.n; i++) {
      if (!entries.has(i)) continue;
      const s2 = layout.s2pte.has(x.addrOf[i]!);
      if (!(s2 ? reach.s2 : reach.s1)) continue;
      if (page !== undefined && x.addrOf[i] !== (s2 ? layout.s2entries : layout.entries).get(page)) continue;
      pairs.push([t, i], [i, t]);
    }
  });
  return Relation.of(x.n, pairs);
};

/**
 * Which stages of the test's tables each TLBI invalidates, in a test with guests (Arm ARM
 * D8.14, C5.5; the regime table of platform/tlbi-scope.ts, for one VM):
 * - a guest's EL1 forms (VAE1, VAAE1, VALE1, VAALE1, VMALLE1): its stage-1 and combined entries;
 * - the host's IPAS2E1/IPAS2LE1: the VM's stage-2-only entries (a combined entry may stay);
 *   VMALLS12E1, ALLE1: both;
 * - the host's EL1 forms act on the VM only in KVM's guest context (VTTBR_EL2 loaded, TGE clear:
 *   from a full DSB completing a stage-2 invalidation by IPA to the next ISB, as in
 *   `__kvm_tlb_flush_vmid_ipa`); elsewhere on its own EL2&0 regime, as do its EL2 forms, whose
 *   fixed translations are not the test's tables.
 * Without guests (herd's tests), every TLBI invalidates stage 1 (no entry).
 */
function tlbiStages(x: Execution): Map<number, { s1: boolean; s2: boolean }> {
  const out = new Map<number, { s1: boolean; s2: boolean }>();
  const guests = x.vmsa?.guests;
  if (guests === undefined || guests.size === 0) return out;
  x.paths.forEach((p, k) => {
    const inContext = kvmGuestContext(p.events);
    p.events.forEach((e, j) => {
      if (e.kind !== 'F' || e.fence.op !== 'TLBI') return;
      const op = (e.fence.tlbi ?? '').replace(/IS$/, '');
      const byIpa = op === 'IPAS2E1' || op === 'IPAS2LE1';
      const all = op === 'VMALLS12E1' || op === 'ALLE1';
      const s1 = all || (availableToGuest(op) && (guests.has(p.thread) || inContext[j]!));
      out.set(x.offsets[k]! + j, { s1, s2: all || (byIpa && !guests.has(p.thread)) });
    });
  });
  return out;
}
