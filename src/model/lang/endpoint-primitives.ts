/**
 * The primitives of the device world (docs/models.md, "Primitives"): which events reach an
 * endpoint and how (memory types, PCIe request classes, root-port options), which effects the
 * execution builder added for them (arrivals, resets), and what a TLBI covers. They are facts of
 * the event structure and the test's topology; what the architecture makes of them is written in
 * models/aarch64+devices.model.
 */
import { mayRemove, reachAt, tlbiPositions, unmapsAt } from '../../events/tlbi-reach.js';
import type { Event, ThreadPath } from '../../events/event.js';
import type { MemoryType } from '../../platform/memory-type.js';
import { endpointOf, type Execution } from '../../execution/execution.js';
import { registerSpace } from '../../events/topology.js';
import type { Dynamic } from '../model.js';
import { EventSet, Relation } from '../../execution/relation.js';

const events = (x: Execution, pred: (e: Event, i: number) => boolean) => EventSet.where(x.n, (i) => pred(x.events[i]!, i));

/** CPU accesses to a device register that the program performs (not speculative ones), as issued. */
export function mmio(x: Execution): EventSet {
  return events(x, (e) => (e.kind === 'R' || e.kind === 'W') && e.target.kind === 'mmio' && !(e.kind === 'R' && e.speculative === true));
}

/** Speculative reads of a Normal mapping of a register (the execution adds them; no program asks). */
export function speculative(x: Execution): EventSet {
  return events(x, (e) => e.kind === 'R' && e.speculative === true);
}

/** Events at an endpoint on a PCIe path (whatever the fabric assumption: the model decides). */
export function onPcie(x: Execution): EventSet {
  return EventSet.where(x.n, (i) => {
    const ep = endpointOf(x, i);
    return ep !== undefined && x.topology.endpoints.get(ep)?.bus === 'pcie';
  });
}

/** Events at an endpoint whose root port sets the given option (Relaxed or ID-based Ordering). */
export function rootPortSets(x: Execution, option: 'ro' | 'ido'): EventSet {
  return EventSet.where(x.n, (i) => {
    const ep = endpointOf(x, i);
    const port = ep === undefined ? undefined : x.topology.endpoints.get(ep)?.rootPort;
    return port !== undefined && x.topology.rootPorts.get(port)?.[option] === true;
  });
}

/** Accesses whose effective memory type satisfies `pred`. */
export function memoryTypes(x: Execution, pred: (t: MemoryType) => boolean): EventSet {
  return EventSet.where(x.n, (i) => {
    const t = memOf(x.events[i]!);
    return t !== undefined && pred(t);
  });
}

function memOf(e: Event): MemoryType | undefined {
  return e.kind === 'R' || e.kind === 'W' ? e.mem : undefined;
}

/** Accesses to configuration space (PCIe: non-posted writes). */
export function configSpace(x: Execution): EventSet {
  return events(x, (e) => (e.kind === 'R' || e.kind === 'W') && e.target.kind === 'mmio' && e.target.space === 'cfg');
}

/** A device program's accesses to host memory (DMA). */
export function dma(x: Execution): EventSet {
  return events(x, (e, i) => (e.kind === 'R' || e.kind === 'W') && e.target.kind === 'memory' && x.threadOf[i]! >= 0 && x.paths.some((p) => p.thread === x.threadOf[i] && p.agent === 'device'));
}

/** A device's writes to an MSI doorbell (`irq = msi(P1)`): posted writes to the interrupt controller. */
export function msi(x: Execution): EventSet {
  const msis = x.topology.msis;
  return events(x, (e) => e.kind === 'W' && msis?.has(e.addr) === true);
}

/** Device requests with Relaxed Ordering set (`nic:L1 tlp:(ro)`). */
export function relaxedRequests(x: Execution): EventSet {
  return events(x, (e) => (e.kind === 'R' || e.kind === 'W') && e.ro === true);
}

/** Device requests with ID-based Ordering set (`nic:L1 tlp:(ido)`). */
export function idoRequests(x: Execution): EventSet {
  return events(x, (e) => (e.kind === 'R' || e.kind === 'W') && e.ido === true);
}

/**
 * The PCIe ID of a request or completion: a device's DMA request carries its function's Requester
 * ID; a CPU access to a register gets its completion from the register's function (Completer
 * ID). Both as the function number of the endpoint, qualified by it.
 */
function pcieId(x: Execution, i: number): string | undefined {
  const e = x.events[i]!;
  if (e.kind !== 'R' && e.kind !== 'W') return undefined;
  const reg = x.topology.registers.get(e.addr);
  if (e.target.kind === 'mmio' && reg !== undefined) return `${reg.endpoint}/${reg.fn}`;
  const device = x.paths.find((p) => p.thread === x.threadOf[i] && p.agent === 'device');
  return e.target.kind === 'memory' && device !== undefined ? `${device.endpoint}/${e.fn ?? 0}` : undefined;
}

/** Requests and completions whose PCIe IDs differ (functions of one device, or different devices), both ways. */
export function otherId(x: Execution): Relation {
  const id = Array.from({ length: x.n }, (_, i) => pcieId(x, i));
  return Relation.where(x.n, (a, b) => id[a] !== undefined && id[b] !== undefined && id[a] !== id[b]);
}

/** MSI write -> every event of the handler thread it starts (the interrupt is taken after it is delivered). */
export function interrupt(x: Execution): Relation {
  const msis = x.topology.msis;
  const pairs: [number, number][] = [];
  if (msis === undefined) return Relation.of(x.n, pairs);
  x.events.forEach((e, w) => {
    if (e.kind !== 'W' || !msis.has(e.addr)) return;
    const handler = msis.get(e.addr)!;
    for (let i = 0; i < x.n; i++) if (x.threadOf[i] === handler) pairs.push([w, i]);
  });
  return Relation.of(x.n, pairs);
}

/** Events of one endpoint (register accesses, arrivals, resets, its device's actions), both ways. */
export function sameEndpoint(x: Execution): Relation {
  const ep = Array.from({ length: x.n }, (_, i) => endpointOf(x, i));
  return Relation.where(x.n, (a, b) => ep[a] !== undefined && ep[a] === ep[b]);
}

/**
 * Register accesses (and arrivals) in one register space of one endpoint, both ways: one BAR,
 * the configuration space, or a platform device's registers.
 */
export function sameSpace(x: Execution): Relation {
  const space = Array.from({ length: x.n }, (_, i) => {
    const r = x.M.has(i) ? x.topology.registers.get(x.addrOf[i]!) : undefined;
    return r === undefined ? undefined : registerSpace(r);
  });
  return Relation.where(x.n, (a, b) => space[a] !== undefined && space[a] === space[b]);
}

/** Issue -> arrival: a CPU store to a register, to its arrival at the endpoint. */
export function arrival(x: Execution): Relation {
  const pairs: [number, number][] = [];
  x.arrivalFor.forEach((a, w) => {
    if (a >= 0) pairs.push([w, a]);
  });
  return Relation.of(x.n, pairs);
}

/** A reset controller's trigger (the arrival of the write to it) -> the register resets it causes. */
export function resetBy(x: Execution): Relation {
  const pairs: [number, number][] = [];
  for (const list of x.items.values()) for (const it of list) if (it.kind === 'reset') for (const e of it.events) pairs.push([it.source, e]);
  return Relation.of(x.n, pairs);
}

/** A device program's actions (not its barriers) in the order the program states them. */
export function deviceProgramOrder(x: Execution): Relation {
  const pairs: [number, number][] = [];
  x.paths.forEach((p, t) => {
    if (p.agent !== 'device') return;
    const evs = p.events.map((_, k) => x.offsets[t]! + k).filter((i) => x.events[i]!.kind !== 'F');
    for (let i = 0; i < evs.length; i++) for (let j = i + 1; j < evs.length; j++) pairs.push([evs[i]!, evs[j]!]);
  });
  return Relation.of(x.n, pairs);
}

/** Accesses of the same memory type (Device subtype, or Normal cacheability), both ways. */
export function sameType(x: Execution): Relation {
  const key = x.events.map((e) => {
    const t = memOf(e);
    return t === undefined ? undefined : t.type === 'Device' ? t.device : `${t.inner}/${t.outer}`;
  });
  return Relation.where(x.n, (a, b) => key[a] !== undefined && key[a] === key[b]);
}

/** Whether the TLBI at position k of `issuer` concerns `target`'s access to `addr`. */
type TlbiTest = (issuer: ThreadPath, k: number, target: number, addr: number, x: Execution) => boolean;

/**
 * TLBI -> the accesses of CPU threads (the issuer's own after it, unless `othersOnly`) and the
 * faults of accesses that found the mapping removed, for which `test` holds (events/tlbi-reach.ts).
 */
function tlbiPairs(x: Execution, test: TlbiTest, othersOnly = false): Relation {
  const pairs: [number, number][] = [];
  x.paths.forEach((issuer, ii) => {
    for (const k of tlbiPositions(issuer)) {
      const t = x.offsets[ii]! + k;
      x.paths.forEach((p, ti) => {
        const own = p.thread === issuer.thread;
        if (p.agent !== 'cpu' || (own && othersOnly)) return;
        p.events.forEach((a, j) => {
          if (own && j <= k) return;
          const addr = a.kind === 'R' || a.kind === 'W' ? a.addr : a.kind === 'F' && a.fence.op === 'FAULT' ? a.fence.addr : undefined;
          if (addr !== undefined && test(issuer, k, p.thread, addr, x)) pairs.push([t, x.offsets[ti]! + j]);
        });
      });
    }
  });
  return Relation.of(x.n, pairs);
}

/** It may remove the translation: the access may fault, or keep a surviving entry. */
export const tlbiCovers = (x: Execution): Relation => tlbiPairs(x, (p, k, t, a) => mayRemove(p, k, t, a, x.topology));
/**
 * Every entry of another thread's is gone after it: an access that used an old one is complete by
 * the next DSB. The issuer's own accesses are ordered by program order and `own-translation`.
 */
export const tlbiCompletes = (x: Execution): Relation => tlbiPairs(x, (p, k, t, a) => reachAt(p, k, t, a, x.topology) === 'all', true);
/** It is where the mapping changed: a fault's cause. */
export const tlbiUnmaps = (x: Execution): Relation => tlbiPairs(x, (p, k, t, a) => unmapsAt(p, k, t, a, x.topology));

/** Distinct events placed in one slot of an endpoint's order (gathered into one transaction), into `out`. */
export function gathered(d: Dynamic, out: Relation): Relation {
  out.bits.fill(0);
  const { slotOf } = d;
  for (let a = 0; a < slotOf.length; a++) {
    const s = slotOf[a]!;
    if (s < 0) continue;
    for (let b = 0; b < slotOf.length; b++) if (b !== a && slotOf[b] === s) out.bits[a * out.w + (b >>> 5)]! |= 1 << (b & 31);
  }
  return out;
}

/** Events placed in an endpoint's order and not dropped by it (PCIe §6.6: during an FLR), into `out`. */
export function arrived(d: Dynamic, out: EventSet): EventSet {
  out.bits.fill(0);
  d.slotOf.forEach((s, i) => {
    if (s >= 0 && !d.discarded[i]) out.bits[i >>> 5]! |= 1 << (i & 31);
  });
  return out;
}
