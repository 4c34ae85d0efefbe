/**
 * The fabric between CPUs and endpoints: PCIe Base Specification §2.4.1 ("Ordering Rules
 * Summary") for PCIe paths, and nothing beyond the Arm architecture for the platform bus.
 *
 * PCIe keeps order per path, from the root complex (the serialisation point of CPU accesses) to
 * the endpoint, for the pairs its table marks "No" (the later TLP must not pass the earlier one):
 * a posted write, a read request or a non-posted write with data never passes an earlier posted
 * write (unless Relaxed Ordering lets a posted or NP-with-data request pass); a posted write may
 * pass a read (deadlock avoidance: "Yes"); other pairs have no requirement ("Y/N"). Upstream, a
 * completion never passes the device's earlier posted DMA writes (unless ID-based Ordering).
 */
import type { Event } from '../events/event.js';
import type { Endpoint, Topology } from '../events/topology.js';
import type { Assumptions } from './assumptions.js';

/** PCIe transaction classes of a CPU access to an endpoint. */
export type TlpClass = 'posted' | 'read' | 'np-data';

/** Memory writes are posted; configuration writes are non-posted with data; reads are requests. */
export function tlpClass(e: Event): TlpClass | undefined {
  if (e.kind === 'R' && e.target.kind === 'mmio') return 'read';
  if (e.kind === 'W' && e.target.kind === 'mmio') return e.target.space === 'cfg' ? 'np-data' : 'posted';
  return undefined;
}

/**
 * PCIe §2.4.1: must the `later` request stay behind the `earlier` one on the same path? (The
 * table's "No" cells; RO relaxes the posted and NP-with-data rows against posted writes.)
 */
export function cannotPass(later: TlpClass, earlier: TlpClass, relaxedOrdering: boolean): boolean {
  if (earlier !== 'posted') return false; // passing a read or an NP request: "Yes" or "Y/N"
  if (later === 'read') return true; // read requests never pass posted writes (IDO is per requester; CPU MMIO has one)
  return !relaxedOrdering; // posted / NP-with-data after posted: "No", "Y/N" with RO
}

/** Does the endpoint get PCIe ordering (declared PCIe and the fabric assumption allows it)? */
export function isPcie(ep: Endpoint | undefined, a: Assumptions): boolean {
  return ep !== undefined && ep.bus === 'pcie' && a.fabric === 'declared';
}

/** Relaxed Ordering on the endpoint's path: globally assumed or enabled on its root port. */
export function relaxedOrderingOn(ep: Endpoint, topology: Topology, a: Assumptions): boolean {
  return a.relaxedOrdering || (ep.rootPort !== undefined && topology.rootPorts.get(ep.rootPort)?.ro === true);
}

/** Upstream: completions stay behind the device's earlier posted DMA writes (no IDO on the path). */
export function completionsWaitForDma(ep: Endpoint, topology: Topology, a: Assumptions): boolean {
  return isPcie(ep, a) && !a.idOrdering && !(ep.rootPort !== undefined && topology.rootPorts.get(ep.rootPort)?.ido === true);
}

/** Does a Device-nE write to this register get its acknowledgement from the endpoint? */
export function endpointAcknowledges(ep: Endpoint, space: 'mem' | 'cfg', a: Assumptions): boolean {
  if (a.neHonoured === 'none') return false;
  if (isPcie(ep, a)) return space === 'cfg'; // memory space is posted: acknowledged on the way
  // A platform bus (or PCIe taken as architecture-only) acknowledges from the endpoint only when assumed.
  return a.neHonoured === 'all';
}
