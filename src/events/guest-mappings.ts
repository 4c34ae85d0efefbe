/**
 * A `Pn: s2:(...)` line gives its stage 2 to the mappings Pn declares. A device register Pn
 * accesses with no mapping declared would get Linux's stage-1 `ioremap` type alone, not combined
 * with that stage 2: an answer for a memory type the guest does not have. Such an access is an
 * error at the line until Pn declares the mapping.
 */
import { error, type Diagnostic, type Span } from '../syntax/diagnostics.js';
import type { ThreadPath } from './event.js';
import type { LocationTable } from './locations.js';
import type { Topology } from './topology.js';

export function guestRegisterDiagnostics(threads: readonly (readonly ThreadPath[])[], guestLines: readonly number[], topology: Topology, locations: LocationTable, at: Span): Diagnostic[] {
  const out = new Map<string, Diagnostic>();
  for (const paths of threads)
    for (const p of paths) {
      if (p.agent !== 'cpu' || !guestLines.includes(p.thread)) continue;
      for (const e of p.events) {
        if ((e.kind !== 'R' && e.kind !== 'W') || e.target.kind === 'memory') continue;
        const loc = locations.locate(e.addr)?.name ?? locations.formatAddress(e.addr);
        const key = `${p.thread}:${loc}`;
        if (topology.mappings.has(key) || out.has(key)) continue;
        out.set(key, error('semantic', `P${p.thread} accesses the device register '${loc}' with no mapping declared, so its stage 2 ('P${p.thread}: s2:(...)') would not apply: declare it ('P${p.thread}:${loc} attrs:(ioremap);')`, e.span ?? at));
      }
    }
  return [...out.values()];
}
