/**
 * The Armv8-A memory model for Normal memory: Arm ARM (DDI 0487) B2.3, "Definition of the Armv8
 * memory model" — the axiomatic definition in the architecture's own terms.
 *
 * Restrictions, as in herd7's aarch64 model: all observers are in one Inner Shareable domain, so
 * the ISH, OSH and SY options of DMB and DSB are equivalent; DMB and DSB order Normal memory
 * accesses alike (what only DSB adds — completion — matters for devices and TLB maintenance, in
 * later modules). NSH options are local to one PE and order nothing between observers.
 *
 * The relations whose definitions do not mention rf or co are computed once per static execution;
 * the checks then only add the observed-by edges of each (partial) rf/co choice.
 */
import type { FenceKind } from '../events/event.js';
import type { Execution } from './execution.js';
import type { Dynamic, ModelModule, PreparedModule } from './model.js';
import { Relation, ScratchRelation } from './relation.js';

const sharedDomain = (f: FenceKind) => (f.op === 'DMB' || f.op === 'DSB') && f.domain !== 'NSH';
/** DMB/DSB SY, ISH, OSH: full barriers. */
const isFull = (f: FenceKind) => sharedDomain(f) && f.type === 'ALL';
/** DMB/DSB LD, ISHLD, OSHLD. */
const isLd = (f: FenceKind) => sharedDomain(f) && f.type === 'LD';
/** DMB/DSB ST, ISHST, OSHST. */
const isSt = (f: FenceKind) => sharedDomain(f) && f.type === 'ST';

/** The relations of B2.3 that depend only on the static execution. */
export interface ArmStatic {
  /** Local read successor: W -> the next po-later read of the same location with no write between. */
  readonly lrs: Relation;
  /** Local write successor: access -> po-later write of the same location. */
  readonly lws: Relation;
  /** Dependency-ordered-before. */
  readonly dob: Relation;
  /** Atomic-ordered-before. */
  readonly aob: Relation;
  /** Barrier-ordered-before. */
  readonly bob: Relation;
  /** dob | aob | bob. */
  readonly staticOb: Relation;
}

const staticCache = new WeakMap<Execution, ArmStatic>();

/** armStatic, computed once per execution (the device module builds on the same relations). */
export function armStaticOf(x: Execution): ArmStatic {
  let s = staticCache.get(x);
  if (!s) staticCache.set(x, (s = armStatic(x)));
  return s;
}

export function armStatic(x: Execution): ArmStatic {
  const { n, po, poLoc, addr, data, ctrl, rmw, R, W, A, Q, L } = x;
  const id = Relation.identity;
  const dmbFull = x.fences(isFull);
  const dmbLd = x.fences(isLd);
  const dmbSt = x.fences(isSt);
  const isb = x.fences((f) => f.op === 'ISB');

  // lrs = [W]; (po-loc \ (po-loc; [W]; po-loc)); [R]
  const lrs = poLoc.minus(poLoc.seq(id(W)).seq(poLoc)).restrict(W, R);
  // lws = po-loc; [W]
  const lws = poLoc.rangeIn(W);

  // B2.3.7 Dependency-ordered-before.
  const dob = Relation.empty(n).union(
    addr, // an Address dependency ...
    data, // ... or a Data dependency from E1 to E2
    ctrl.rangeIn(W), // a Control dependency to a Write
    ctrl.union(addr.seq(po)).rangeIn(isb).seq(po).rangeIn(R), // ctrl or addr;po to an ISB, then a po-later Read
    addr.seq(po).rangeIn(W), // an Address dependency to an access po-before a Write
    ctrl.union(data).seq(lws), // ctrl or data to a Write whose local write successor is E2
    addr.union(data).seq(lrs), // addr or data to a Write whose local read successor is E2
  );

  // B2.3.8 Atomic-ordered-before.
  const aob = rmw.union(
    // the Write of an exclusive pair, then a Local read successor with Acquire or AcquirePC semantics
    lrs.domainIn(rmw.range()).rangeIn(A.union(Q)),
  );

  // B2.3.9 Barrier-ordered-before.
  const dmbFullSeq = po.rangeIn(dmbFull).seq(po);
  const bob = Relation.empty(n).union(
    dmbFullSeq, // po; [dmb.full]; po
    po.restrict(L, A), // [L]; po; [A]: a Release then an Acquire
    po.rangeIn(dmbLd).seq(po).domainIn(R), // [R]; po; [dmb.ld]; po
    po.domainIn(A.union(Q)), // [A | Q]; po
    po.rangeIn(dmbSt).seq(po).restrict(W, W), // [W]; po; [dmb.st]; po; [W]
    po.rangeIn(L), // po; [L]
    po.rangeIn(L).seq(lws), // po; [L]; then a local write successor of the Release
  );
  const staticOb = dob.union(aob, bob);
  return { lrs, lws, dob, aob, bob, staticOb };
}

/** obs = rfe | coe | fre (B2.3.6 Observed-by). */
export function observedBy(x: Execution, d: Dynamic): Relation {
  return d.rf.union(d.co, d.fr).intersect(x.ext);
}

export const armModule: ModelModule = {
  name: 'arm',
  axioms: [
    { name: 'internal', rule: 'Arm ARM B2.3.11 Internal visibility: acyclic(po-loc | ca | rf), ca = fr | co' },
    { name: 'external', rule: 'Arm ARM B2.3.11 External visibility: irreflexive(ob), ob = (obs | dob | aob | bob)+' },
    { name: 'atomic', rule: 'Arm ARM B2.3.11 Atomicity: empty(rmw & (fre; coe))' },
  ],
  prepare(x: Execution): PreparedModule {
    // (Normal-memory rules take no platform assumptions.)
    const s = armStaticOf(x);
    const { poLoc, ext } = x;
    const rmwPairs = x.rmw.pairs();
    const scratch = new ScratchRelation(x.n);
    return {
      check(d: Dynamic): string | undefined {
        // internal: acyclic(po-loc | fr | co | rf)
        if (scratch.copy(poLoc).or(d.fr).or(d.co).or(d.rf).hasCycle()) return 'internal';
        // external: acyclic(dob | aob | bob | rfe | coe | fre)
        if (scratch.copy(s.staticOb).orMasked(d.rf, ext).orMasked(d.co, ext).orMasked(d.fr, ext).hasCycle()) return 'external';
        // atomic: no write of another thread between the two halves of an exclusive pair
        for (const [r, w] of rmwPairs)
          for (let v = 0; v < x.n; v++) if (d.fr.has(r, v) && ext.has(r, v) && d.co.has(v, w) && ext.has(v, w)) return 'atomic';
        return undefined;
      },
      relations(d: Dynamic) {
        const obs = observedBy(x, d);
        return { obs, dob: s.dob, aob: s.aob, bob: s.bob, ob: s.staticOb.union(obs).closure() };
      },
    };
  },
};
