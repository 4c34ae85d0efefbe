/**
 * The Armv8-A memory model for Normal memory: Arm ARM (DDI 0487) B2.3, "Definition of the Armv8
 * memory model", in the form herd7's aarch64 model gives it (the model herd 7.58 runs by default):
 * Locally-ordered-before (lob) built from the barrier, dependency, atomic and DSB/ISB orders,
 * pick dependencies, Hazard-ordered-before, Observed-by, and the checks external (ordered-before
 * is irreflexive), the three internal coherence checks (coRW1, coWW, coWR) and atomic.
 *
 * Scope: explicit accesses to Normal memory, with no translation table walks, tag checks,
 * instruction fetches or cache maintenance (the parts of the model about those do not arise).
 * Restrictions, as in the Arm model: all observers are in one Inner Shareable domain, so the ISH,
 * OSH and SY options of DMB and DSB are equivalent; NSH options order nothing between observers.
 *
 * Every relation that does not mention rf or co is computed once per static execution (its
 * closure included: local-hw-reqs); a check only adds the observed-by and hazard edges of a
 * (partial) rf/co choice. Only accesses lie on ordered-before cycles (every lob edge starts at
 * an access), so the static relations are kept between accesses.
 */
import type { FenceKind } from '../events/event.js';
import type { Execution } from './execution.js';
import type { Dynamic, ModelModule, PreparedModule } from './model.js';
import { EventSet, Relation, ScratchRelation } from './relation.js';

const sharedDomain = (f: FenceKind) => (f.op === 'DMB' || f.op === 'DSB') && f.domain !== 'NSH';
/** dmb.full: DMB or DSB SY, ISH, OSH (a DSB orders at least what a DMB does). */
const isFull = (f: FenceKind) => sharedDomain(f) && f.type === 'ALL';
const isLd = (f: FenceKind) => sharedDomain(f) && f.type === 'LD';
const isSt = (f: FenceKind) => sharedDomain(f) && f.type === 'ST';
const isDsb = (f: FenceKind) => f.op === 'DSB';

/** The relations of the model that depend only on the static execution. */
export interface ArmStatic {
  /** Local read successor: W -> the next po-later read of the same location with no write between. */
  readonly lrs: Relation;
  /** Local write successor: access -> po-later write of the same location. */
  readonly lws: Relation;
  /** Dependency-ordered-before. */
  readonly dob: Relation;
  /** Pick-ordered-before. */
  readonly pob: Relation;
  /** Atomic-ordered-before. */
  readonly aob: Relation;
  /** Barrier-ordered-before. */
  readonly bob: Relation;
  /** DSB-ordered-before and ISB (IFB)-ordered-before, between accesses. */
  readonly dsbOb: Relation;
  readonly ifbOb: Relation;
  /** Locally-ordered-before, closed. */
  readonly lob: Relation;
  /** local-hw-reqs = (lob | pick-dep; lob; [W])+: the static part of ordered-before. */
  readonly staticOb: Relation;
}

const staticCache = new WeakMap<Execution, ArmStatic>();

/** armStatic, computed once per execution (the device module builds on the same relations). */
export function armStaticOf(x: Execution): ArmStatic {
  let s = staticCache.get(x);
  if (!s) staticCache.set(x, (s = armStatic(x)));
  return s;
}

/** [S]; po; [fences]; po; [T]. */
function across(x: Execution, from: EventSet, fences: EventSet, to: EventSet): Relation {
  return x.po.domainIn(from).rangeIn(fences).seq(x.po).rangeIn(to);
}

export function armStatic(x: Execution): ArmStatic {
  const { n, po, poLoc, addr, data, ctrl, rmw, R, W, A, Q, L, NoRet } = x;
  const M = R.union(W);
  const AQ = A.union(Q);
  const isb = x.fences((f) => f.op === 'ISB');

  // lrs = [W]; (po-loc \ (po-loc; [W]; po-loc)); [R]
  const lrs = poLoc.minus(poLoc.rangeIn(W).seq(poLoc)).restrict(W, R);
  // lwfs = [M]; po-loc; [W]
  const lws = poLoc.restrict(M, W);

  // Barrier-ordered-before.
  const released = x.amo.domainIn(A).rangeIn(L).range();
  const bob = Relation.empty(n).union(
    across(x, M, x.fences(isFull), M), // [M]; po; [dmb.full]; po; [M]
    across(x, R.minus(NoRet), x.fences(isLd), M), // [R \ NoRet]; po; [dmb.ld]; po; [M]
    across(x, W, x.fences(isSt), W), // [W]; po; [dmb.st]; po; [W]
    po.restrict(released, M), // [range([A]; amo; [L])]; po; [M]
    po.restrict(L, A), // [L]; po; [A]
    po.restrict(AQ, M), // [A | Q]; po; [M]
    x.iicoOrder.restrict(AQ, M), // [A | Q]; iico_order; [M]
    po.restrict(M, L), // [M]; po; [L]
    x.iicoOrder.restrict(M, L), // [M]; iico_order; [L]
  );

  // DSB-ordered-before: a DSB also orders what follows it, not only accesses of its kind.
  const dsbOb = Relation.empty(n).union(
    across(x, M, x.fences((f) => isDsb(f) && isFull(f)), M),
    across(x, R.minus(NoRet), x.fences((f) => isDsb(f) && isLd(f)), M),
    across(x, W, x.fences((f) => isDsb(f) && isSt(f)), M),
  );

  // IFB-ordered-before (the IFB here is ISB: exceptions are not modelled).
  const fromIsb = po.domainIn(isb).rangeIn(M); // [ISB]; po; [M]
  const ifbOb = Relation.empty(n).union(
    ctrl.union(x.pickCtrl).domainIn(R).rangeIn(isb).seq(fromIsb), // [R]; ctrl | pick-ctrl-dep; [ISB]; po
    addr.union(x.pickAddr).domainIn(R).rangeIn(M).seq(po.rangeIn(isb)).seq(fromIsb), // [R]; addr | pick-addr-dep; [M]; po; [ISB]; po
  );

  // Dependency-ordered-before.
  const dob = Relation.empty(n).union(
    addr.rangeIn(M),
    data.rangeIn(M),
    ctrl.rangeIn(W), // ctrl; [W]
    addr.rangeIn(M).seq(po).rangeIn(W), // addr; [M]; po; [W]
    addr.rangeIn(W).seq(lrs), // addr; [M]; lrs; [R]
    data.rangeIn(W).seq(lrs), // data; [M]; lrs; [R]
  );

  // Pick-ordered-before.
  const pob = Relation.empty(n).union(
    x.pickAddr.rangeIn(W),
    x.pickData.rangeIn(M),
    x.pickCtrl.rangeIn(W),
    x.pickAddr.rangeIn(M).seq(po).rangeIn(W),
  );

  // Atomic-ordered-before.
  const aob = rmw.restrict(M, M).union(rmw.restrict(M, M).seq(lrs).rangeIn(AQ));

  // lwfs; sca-class: a write after an access to one of its bytes is after it as a whole.
  const lob = Relation.empty(n).union(lws, lws.seq(x.sca), dsbOb, ifbOb, dob, pob, aob, bob).closure();
  // pick-lob = pick-dep; lob; [W]
  const pickDep = x.pickBasic.union(x.pickAddr, x.pickData, x.pickCtrl).rangeIn(M);
  const pickLob = pickDep.seq(lob).rangeIn(W);
  const staticOb = lob.union(pickLob).closure();
  return { lrs, lws, dob, pob, aob, bob, dsbOb, ifbOb, lob, staticOb };
}

/** obs = rfe | coe | fre (Observed-by). */
export function observedBy(x: Execution, d: Dynamic): Relation {
  return d.rf.union(d.co, d.fr).intersect(x.ext);
}

/** Pairs of a relation, for the checks that look at a few edges. */
function pairsOf(r: Relation): readonly (readonly [number, number])[] {
  return r.pairs();
}

export const armModule: ModelModule = {
  name: 'arm',
  axioms: [
    { name: 'external', rule: 'ordered-before is irreflexive: ob = (local-hw-reqs | haz-ob | obs)+ (Arm ARM B2.3, External visibility)' },
    { name: 'coRW1', rule: 'no read reads from a po-later write of the same location, or from its own atomic write' },
    { name: 'coWW', rule: 'two writes of one thread to a location are coherence-ordered as in program order' },
    { name: 'coWR', rule: 'a read does not read from a write coherence-before a po-earlier write of its own thread' },
    { name: 'atomic', rule: 'no write of another thread between the read and the write of an atomic (rmw & (fr; co) empty, but for same-thread writes)' },
  ],
  prepare(x: Execution): PreparedModule {
    const s = armStaticOf(x);
    const { poLoc, ext, R, W } = x;
    const readRead = pairsOf(poLoc.restrict(R, R));
    const readWrite = pairsOf(poLoc.restrict(R, W).union(x.rmw));
    const writeWrite = pairsOf(poLoc.restrict(W, W));
    const writeRead = pairsOf(poLoc.restrict(W, R));
    const rmwPairs = x.rmw.pairs();
    const scaPairs = pairsOf(x.sca);
    // An atomic may be excused by a write of its own thread between its halves (fri; coi): then
    // the check is not monotone, and waits for the complete execution.
    const excusable = rmwPairs.map(([r, w]) => {
      for (let v = 0; v < x.n; v++) if (v !== w && W.has(v) && !ext.has(r, v) && x.addrOf[v] === x.addrOf[w]) return true;
      return false;
    });
    const scratch = new ScratchRelation(x.n);
    const atomicViolated = (d: Dynamic, complete: boolean): boolean =>
      rmwPairs.some(([r, w], k) => {
        if (excusable[k] && !complete) return false;
        let between = false;
        let excused = false;
        for (let v = 0; v < x.n; v++) {
          if (!d.fr.has(r, v) || !d.co.has(v, w)) continue;
          between = true;
          if (!ext.has(r, v) && !ext.has(v, w)) excused = true;
        }
        return between && !excused;
      });
    const check = (d: Dynamic, complete: boolean): string | undefined => {
      for (const [r, w] of readWrite) if (d.rf.has(w, r)) return 'coRW1';
      for (const [w1, w2] of writeWrite) if (d.co.has(w2, w1)) return 'coWW';
      for (const [w, r] of writeRead) if (d.fr.has(r, w)) return 'coWR';
      // external: acyclic(local-hw-reqs | haz-ob | rfe | coe | fre)
      scratch.copy(s.staticOb).orMasked(d.rf, ext).orMasked(d.co, ext).orMasked(d.fr, ext);
      // obs; sca-class?: what observes one part of a single-copy atomic access observes all of it.
      for (const [a, b] of scaPairs)
        for (let v = 0; v < x.n; v++) if (ext.has(v, a) && (d.rf.has(v, a) || d.co.has(v, a) || d.fr.has(v, a))) scratch.add(v, b);
      // haz-ob = [R]; po-loc; [R]; (ca & ext); [W]: the first read is before what the second is fr-before.
      for (const [r1, r2] of readRead) scratch.orRowMasked(r1, d.fr, r2, ext);
      if (scratch.hasCycle()) return 'external';
      if (atomicViolated(d, complete)) return 'atomic';
      return undefined;
    };
    return {
      check: (d) => check(d, false),
      checkComplete: (d) => check(d, true),
      relations(d: Dynamic) {
        const obs = observedBy(x, d);
        return { obs, dob: s.dob, pob: s.pob, aob: s.aob, bob: s.bob, ob: s.staticOb.union(obs).closure() };
      },
    };
  },
};
