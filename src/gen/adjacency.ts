/**
 * Which edge may follow which in an enumerated cycle. Beyond matching directions, diy7 leaves
 * out sequences that only repeat a shorter cycle's relation (po;po is po, fr;co is fr) or that it
 * does not consider interesting; these rules reproduce what its output shows:
 * - two external edges in a row only as Fre;Rfe or Coe;Rfe (a thread that is one write);
 * - atomic updates go with anything;
 * - never two internal communications in a row, and an internal and an external one in any
 *   combination but co;co;
 * - barriers only next to external edges (or atomic updates);
 * - same-location program order (Pos) next to internal communication only when it is Rfi;
 * - program order and dependencies follow each other only as po;dep or dep;po, both changing
 *   location (po;po is po, dep;dep is not generated).
 * `-one` does not apply these rules: it builds any cycle whose directions and locations work.
 */
import { mergeAnnots, validFor } from './annotations.js';
import type { Edge } from './edges.js';

/** Whether `b` may directly follow `a` in an enumerated cycle. */
export function canFollow(a: Edge, b: Edge): boolean {
  if (a.tgt !== b.src) return false;
  const shared = mergeAnnots(a.a2, b.a1);
  if (shared === undefined || !validFor(shared, b.src)) return false;
  return classesCombine(a, b);
}

/**
 * The edge classes that matter here: external and internal communication, atomic updates,
 * barriers, and program order or dependencies that keep (`s`) or change (`d`) the location.
 */
type Role = 'ext' | 'int' | 'rmw' | 'fence' | 'pos' | 'pod' | 'deps' | 'depd';

function role(e: Edge): Role {
  switch (e.kind.cls) {
    case 'external': return 'ext';
    case 'internal': return 'int';
    case 'rmw': return 'rmw';
    case 'fence': return 'fence';
    case 'po': return e.sameLoc ? 'pos' : 'pod';
    case 'dep': return e.sameLoc ? 'deps' : 'depd';
  }
}

function classesCombine(a: Edge, b: Edge): boolean {
  const ra = role(a), rb = role(b);
  // An atomic update is one access as far as its neighbours go: anything may touch it.
  if (ra === 'rmw' || rb === 'rmw') return true;
  if (ra === 'ext' && rb === 'ext') return a.kind.com !== 'Rf' && b.kind.com === 'Rf';
  if (ra === 'fence' || rb === 'fence') return ra === 'ext' || rb === 'ext';
  if (ra === 'int' && rb === 'int') return false;
  // An internal and an external communication: anything but co;co, which is just co.
  if (ra === 'int' || rb === 'int') {
    const other = ra === 'int' ? rb : ra, com = (ra === 'int' ? a : b).kind.com;
    if (other === 'ext') return a.kind.com !== 'Co' || b.kind.com !== 'Co';
    // po-loc;fr and co;po-loc say no more than fr or co: same-location order goes with rf only.
    if (other === 'pos') return com === 'Rf';
    return !(ra === 'deps' && com === 'Co');
  }
  if (ra === 'ext' || rb === 'ext') return true;
  // Program order and dependencies: a po then a dependency (or back), both changing location.
  return (ra === 'pod' && rb === 'depd') || (ra === 'depd' && rb === 'pod');
}
