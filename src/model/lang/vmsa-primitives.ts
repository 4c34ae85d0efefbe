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

/**
 * The entries a TLBI reaches, both ways (herd's inv-domain): a TLBI without a page reaches every
 * effect at an entry; one by page the effects at that page's entry; one whose register named no
 * page (not `LSR #12` of an address), none.
 */
export const invDomain = (x: Execution): Relation => {
  const pairs: [number, number][] = [];
  const entries = atEntries(x);
  x.events.forEach((e, t) => {
    if (e.kind !== 'F' || e.fence.op !== 'TLBI' || x.vmsa === undefined) return;
    const page = e.fence.page;
    if (page === 'none') return;
    const entry = page === undefined ? undefined : x.vmsa.entries.get(page);
    for (let i = 0; i < x.n; i++) {
      if (!entries.has(i) || (page !== undefined && x.addrOf[i] !== entry)) continue;
      pairs.push([t, i], [i, t]);
    }
  });
  return Relation.of(x.n, pairs);
};
