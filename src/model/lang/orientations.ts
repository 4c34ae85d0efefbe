/**
 * `with NAME from orientations(P, L)`: the relations that order every pair of P one way or the
 * other, where L (an order the execution already has) decides the pairs it relates. herd's
 * VMSA model enumerates TLBI-after this way (its enumerate-ordered-pairs): each orientation is a
 * candidate execution of its own, counted in Positive/Negative, none filtered out beforehand.
 */
import { Relation } from '../../execution/relation.js';

/** P's pairs that L orders (in L's direction), and the pairs left to choose (each once). */
function split(p: Relation, l: Relation): { forced: Relation; free: [number, number][] } {
  const forced = l.intersect(p.union(p.inverse()));
  const seen = new Set<string>();
  const free: [number, number][] = [];
  for (const [a, b] of p.pairs()) {
    if (forced.has(a, b) || forced.has(b, a)) continue;
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    free.push([a, b]);
  }
  return { forced, free };
}

/** How many orientations there are: two per free pair. */
export function orientationCount(p: Relation, l: Relation): number {
  return 2 ** split(p, l).free.length;
}

/** Orientation `k`: bit i of k turns free pair i around. */
export function orientation(p: Relation, l: Relation, k: number): Relation {
  const { forced, free } = split(p, l);
  let r = forced;
  free.forEach(([a, b], i) => {
    r = Math.floor(k / 2 ** i) % 2 === 1 ? r.withPair(b, a) : r.withPair(a, b);
  });
  return r;
}
