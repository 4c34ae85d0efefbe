/**
 * herd's `fault(P1:L1,x)`: the access labelled L1 faulted on its mapping of x. An atom whose
 * access never touches x (on any path) can never hold: that is a mistake in the test, reported
 * where it is written rather than answered Never.
 */
import type { Prop } from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import { forEachAtom } from '../syntax/prop.js';
import type { ThreadPath } from './event.js';
import type { LocationTable } from './locations.js';
import { pteOf } from '../syntax/shared/vmsa-syntax.js';
import { labelledPosition } from './labelled-access.js';

function faultAtoms(p: Prop | undefined): Extract<Prop, { kind: 'fault' }>[] {
  const out: Extract<Prop, { kind: 'fault' }>[] = [];
  if (p) forEachAtom(p, (a) => a.kind === 'fault' && out.push(a));
  return out;
}

export function faultAtomDiagnostics(prop: Prop | undefined, threads: readonly (readonly ThreadPath[])[], locations: LocationTable, vmsa: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const atom of faultAtoms(prop)) {
    // Without VMSA, iolitmus's faults are translation faults of a removed mapping; herd's
    // access-flag and permission faults need its VMSA descriptors.
    if (!vmsa && atom.faultType !== undefined && atom.faultType !== 'MMU:Translation') {
      out.push(error('unsupported', `unsupported: fault type '${atom.faultType}' (only MMU:Translation: iolitmus's faults are those of a removed mapping)`, atom.span));
      continue;
    }
    if (atom.loc === undefined) continue;
    const paths = threads.flat().filter((p) => p.thread === atom.access.thread);
    const touched = paths.flatMap((p) => {
      const k = labelledPosition(p, atom.access.label);
      const e = k === undefined ? undefined : p.events[k];
      if (!e || (e.kind !== 'R' && e.kind !== 'W')) return [];
      const name = locations.locate(e.addr)?.name ?? locations.formatAddress(e.addr);
      // A translated access starts with the read of its entry: the access is to the entry's location.
      return [e.kind === 'R' && e.implicit ? (pteOf(name) ?? name) : name];
    });
    if (touched.length > 0 && !touched.includes(atom.loc)) {
      out.push(error('semantic', `fault(...): the access labelled ${atom.access.label} accesses ${[...new Set(touched)].join(', ')}, never '${atom.loc}'`, atom.span));
    }
  }
  return out;
}
