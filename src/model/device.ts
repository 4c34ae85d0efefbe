/**
 * Devices: Device and Normal-NC memory at endpoints — Arm ARM (DDI 0487) B2.10 (memory types:
 * Gathering, Reordering, Early write acknowledgement; speculative reads of Normal memory) and
 * B2.4.1 (peripheral arrival order) — with the fabric's rules from fabric.ts.
 *
 * A CPU store to a device register is issued in its thread (where barriers and dependencies
 * order it) and takes effect when it arrives at its endpoint; each endpoint has one arrival order
 * (chosen by the search) in which arrivals, reads, and the device's own actions happen. This
 * module says which arrival orders are possible:
 *
 * - endpoint-order: acyclic(ob | issue-before-arrival | device program order | DSB completion
 *   | arrival order) — the endpoint's order is part of ordered-before, so an endpoint cannot see
 *   something before what ob puts first (e.g. a descriptor written before a doorbell);
 * - peripheral-order: B2.4.1's three rules, per endpoint: E1 then E2 arrive in that order, and are
 *   not gathered, if (1) both are Device-nGnRE or -nGnRnE and E1 is before E2 in program order,
 *   (2) both are Device-nGRE or stricter and E1 is ordered-before E2, (3) both are Device or
 *   Normal-NC and E1 is barrier-ordered-before E2;
 * - pcie-order: on a PCIe path, accesses that reach the root complex in ob order keep the PCIe
 *   ordering table's order to the endpoint (and the Arm rules only hold up to the root complex).
 *
 * Gathering (which writes may share one transaction) is decided by `canGather`, which the search
 * uses when it builds transactions.
 */
import type { Event } from '../events/event.js';
import type { Topology } from '../events/topology.js';
import { sameMemoryType, type MemoryType } from '../platform/memory-type.js';
import type { Assumptions } from './assumptions.js';
import { armStaticOf } from './arm.js';
import { translationOb } from './translation.js';
import type { Execution } from './execution.js';
import { cannotPass, completionsWaitForDma, endpointAcknowledges, isPcie, relaxedOrderingOn, tlpClass } from './fabric.js';
import type { Dynamic, ModelModule, PreparedModule } from './model.js';
import { Relation, ScratchRelation } from './relation.js';

/** nR: Device-nGnRnE and Device-nGnRE keep program order at a peripheral (rule 1). */
const isNR = (t: MemoryType) => t.type === 'Device' && (t.device === 'nGnRnE' || t.device === 'nGnRE');
/** Device-nGRE or stricter (rule 2). */
const atLeastNGRE = (t: MemoryType) => t.type === 'Device' && t.device !== 'GRE';
/** Device of any kind, or Normal Non-cacheable (rule 3). */
const deviceOrNC = (t: MemoryType) => t.type === 'Device' || (t.inner === 'NC' && t.outer === 'NC');
/** Memory types that allow gathering: Device-GRE and Normal (B2.10.2). */
const gathers = (t: MemoryType) => (t.type === 'Device' ? t.device === 'GRE' : true);

/** A pair of CPU accesses to one endpoint whose arrival order a rule may fix. */
interface RulePair {
  readonly first: number;
  readonly second: number;
  /** Arrival events (the store's arrival; a read is its own arrival). */
  readonly firstArrival: number;
  readonly secondArrival: number;
  /** Rules 1 or 3, which need no dynamic information. */
  readonly staticRule: boolean;
  /** Rule 2 applies once first ob second. */
  readonly obRule: boolean;
  /** PCIe: the fabric keeps ob order for this pair (rc-order), and lets the Arm rules through. */
  readonly pcie: boolean;
  readonly pcieKeeps: boolean;
}

function access(e: Event) {
  return e.kind === 'R' || e.kind === 'W' ? e : undefined;
}

/**
 * May the CPU stores `w1` (earlier in program order) and `w2` be gathered into one transaction?
 * Same thread and endpoint, both of a Gathering type, not separated by a DMB or DSB, and not
 * barrier-ordered (B2.10.2: accesses separated by a barrier are never gathered; rule 3 keeps
 * barrier-ordered accesses apart). DGH is a hint only and does not prevent it.
 */
export function canGather(x: Execution, w1: number, w2: number): boolean {
  const a = access(x.events[w1]!);
  const b = access(x.events[w2]!);
  if (!a || !b || a.kind !== 'W' || b.kind !== 'W') return false;
  if (a.target.kind !== 'mmio' || b.target.kind !== 'mmio' || a.target.endpoint !== b.target.endpoint) return false;
  // "Several accesses of the same type" (B2.10.2): both Gathering, and of one memory type.
  if (x.threadOf[w1] !== x.threadOf[w2] || !gathers(a.mem) || !sameMemoryType(a.mem, b.mem)) return false;
  const [lo, hi] = x.po.has(w1, w2) ? [w1, w2] : [w2, w1];
  if (armStaticOf(x).bob.has(lo, hi)) return false;
  for (let k = lo + 1; k < hi; k++) {
    const e = x.events[k]!;
    if (e.kind === 'F' && (e.fence.op === 'DMB' || e.fence.op === 'DSB')) return false;
  }
  return true;
}

/** Static ordered-before edges the device world adds (issue before arrival, device order, DSB completion). */
export function deviceStaticOb(x: Execution, topology: Topology, a: Assumptions): Relation {
  const pairs: [number, number][] = [];
  // A store is issued before it arrives.
  x.arrivalFor.forEach((arr, w) => {
    if (arr >= 0) pairs.push([w, arr]);
  });
  // A device performs its program in order (device-in-order): each action after the previous one
  // completed — except that a DMA write is posted: the device does not wait for it to become
  // visible, so it orders only the device's later DMA (posted writes stay in order upstream, and a
  // read request cannot pass them: PCIe 2.4.1), not its later register actions.
  if (a.deviceInOrder) {
    x.paths.forEach((p, t) => {
      if (p.agent !== 'device') return;
      const evs = p.events.map((_, k) => x.offsets[t]! + k).filter((i) => x.events[i]!.kind !== 'F');
      const isDmaWrite = (i: number) => {
        const e = x.events[i]!;
        return e.kind === 'W' && e.target.kind === 'memory';
      };
      const isDma = (i: number) => {
        const e = x.events[i]!;
        return (e.kind === 'R' || e.kind === 'W') && e.target.kind === 'memory';
      };
      for (let i = 0; i < evs.length; i++)
        for (let j = i + 1; j < evs.length; j++) if (!isDmaWrite(evs[i]!) || isDma(evs[j]!)) pairs.push([evs[i]!, evs[j]!]);
    });
  }
  // DSB completion: a DSB waits for an earlier store's acknowledgement; from the endpoint when the
  // store is nE and the fabric honours it, so everything after the DSB follows the arrival.
  x.arrivalFor.forEach((arr, w) => {
    if (arr < 0) return;
    const e = x.events[w]!;
    if (e.kind !== 'W' || e.target.kind !== 'mmio' || e.mem.type !== 'Device' || e.mem.device !== 'nGnRnE') return;
    const ep = topology.endpoints.get(e.target.endpoint);
    if (!ep || !endpointAcknowledges(ep, e.target.space, a)) return;
    for (let f = w + 1; f < x.n; f++) {
      const fe = x.events[f]!;
      if (!x.po.has(w, f) || fe.kind !== 'F' || fe.fence.op !== 'DSB' || fe.fence.type === 'LD' || fe.fence.domain === 'NSH') continue;
      for (let k = f + 1; k < x.n; k++) if (x.po.has(f, k)) pairs.push([arr, k]);
    }
  });
  // A reset controller's reset happens after the write that triggers it arrives.
  for (const list of x.items.values())
    for (const it of list) if (it.kind === 'reset') for (const e of it.events) pairs.push([it.source, e]);
  return Relation.of(x.n, pairs);
}

/**
 * Which arrival-order pairs are ordered-before: everything that happens at an endpoint orders
 * what happens there later, except the device's DMA, whose effects are in host memory: a DMA
 * write orders only later completions (CPU reads answered by the endpoint) on a PCIe path, where
 * a completion cannot pass the device's earlier posted writes.
 */
function arrivalObMask(x: Execution, topology: Topology, a: Assumptions): Relation {
  const isDma = (i: number) => {
    const e = x.events[i]!;
    return (e.kind === 'R' || e.kind === 'W') && e.target.kind === 'memory' && x.threadOf[i]! >= 0;
  };
  const isCpuRead = (i: number) => {
    const e = x.events[i]!;
    return e.kind === 'R' && e.target.kind === 'mmio' && !e.speculative;
  };
  const waits = new Map<string, boolean>();
  for (const [name, ep] of topology.endpoints) waits.set(name, completionsWaitForDma(ep, topology, a));
  const endpointOf = (i: number) => {
    const e = x.events[i]!;
    return e.kind === 'R' && e.target.kind === 'mmio' ? e.target.endpoint : undefined;
  };
  return Relation.where(x.n, (p, q) => {
    if (!isDma(p)) return true;
    return x.events[p]!.kind === 'W' && isCpuRead(q) && waits.get(endpointOf(q) ?? '') === true;
  });
}

function rulePairs(x: Execution, topology: Topology, a: Assumptions): RulePair[] {
  const s = armStaticOf(x);
  const cpuAccesses: number[] = [];
  x.paths.forEach((p, t) => {
    if (p.agent !== 'cpu') return;
    p.events.forEach((e, k) => {
      if ((e.kind === 'R' || e.kind === 'W') && e.target.kind === 'mmio') cpuAccesses.push(x.offsets[t]! + k);
    });
  });
  const arrivalOf = (i: number) => (x.arrivalFor[i]! >= 0 ? x.arrivalFor[i]! : i);
  const pairs: RulePair[] = [];
  for (const i of cpuAccesses) {
    for (const j of cpuAccesses) {
      if (i === j) continue;
      const ei = access(x.events[i]!)!;
      const ej = access(x.events[j]!)!;
      if (ei.target.kind !== 'mmio' || ej.target.kind !== 'mmio' || ei.target.endpoint !== ej.target.endpoint) continue;
      const ep = topology.endpoints.get(ei.target.endpoint)!;
      const rule1 = x.po.has(i, j) && isNR(ei.mem) && isNR(ej.mem);
      const rule3 = s.bob.has(i, j) && deviceOrNC(ei.mem) && deviceOrNC(ej.mem);
      const obRule = atLeastNGRE(ei.mem) && atLeastNGRE(ej.mem);
      const pcie = isPcie(ep, a);
      const pcieKeeps = pcie && cannotPass(tlpClass(ej)!, tlpClass(ei)!, relaxedOrderingOn(ep, topology, a));
      if (!rule1 && !rule3 && !obRule && !(pcie && a.rcOrder)) continue;
      pairs.push({ first: i, second: j, firstArrival: arrivalOf(i), secondArrival: arrivalOf(j), staticRule: rule1 || rule3, obRule, pcie, pcieKeeps });
    }
  }
  return pairs;
}

export function deviceModule(topology: Topology): ModelModule {
  return {
    name: 'device',
    axioms: [
      { name: 'endpoint-order', rule: 'acyclic(ob | issue-before-arrival | device order | DSB completion | TLBI completion | arrival order): an endpoint sees nothing before what ob puts first' },
      { name: 'peripheral-order', rule: 'Arm ARM B2.4.1: nR program order, nGRE-or-stricter ob, Device/Normal-NC bob: arrive in order, not gathered' },
      { name: 'pcie-order', rule: 'PCIe §2.4.1: from the root complex, a later request does not pass an earlier posted write on the path' },
    ],
    prepare(x: Execution, a: Assumptions): PreparedModule {
      const s = armStaticOf(x);
      const base = s.staticOb.union(deviceStaticOb(x, topology, a), translationOb(x));
      const mask = arrivalObMask(x, topology, a);
      const pairs = rulePairs(x, topology, a);
      const { ext } = x;
      const ob = new ScratchRelation(x.n);
      return {
        check(d: Dynamic): string | undefined {
          ob.copy(base).orMasked(d.rf, ext).orMasked(d.co, ext).orMasked(d.fr, ext).orMasked(d.arr, mask);
          if (ob.hasCycle()) return 'endpoint-order';
          for (const p of pairs) {
            const s1 = d.slotOf[p.firstArrival]!;
            const s2 = d.slotOf[p.secondArrival]!;
            if (s1 < 0 || s2 < 0 || d.discarded[p.firstArrival] || d.discarded[p.secondArrival]) continue;
            if (s1 < s2) continue;
            const ordered = ob.has(p.first, p.second);
            const arm = p.staticRule || (p.obRule && ordered);
            // On PCIe the Arm rules order arrival at the root complex; the path keeps it only where
            // the later request cannot pass the earlier one.
            if (p.pcie ? p.pcieKeeps && (arm || (a.rcOrder && ordered)) : arm) return p.pcie && !arm ? 'pcie-order' : 'peripheral-order';
          }
          return undefined;
        },
        relations(d: Dynamic) {
          const full = new ScratchRelation(x.n).copy(base).orMasked(d.rf, ext).orMasked(d.co, ext).orMasked(d.fr, ext).orMasked(d.arr, mask);
          return { 'device-ob': full.freeze(), arr: d.arr };
        },
      };
    },
  };
}
