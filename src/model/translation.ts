/**
 * Translation: mappings removed during a test, and TLB invalidation — a deliberately small
 * model of the Arm ARM's rules (D8 "TLB maintenance", B2.3's TLBI-ordered-before), enough for
 * the seed thread's reclaim scenarios (docs/model.md, "Translation").
 *
 * A TLBI naming address x (or every address) in thread T removes every other thread's mapping of
 * x. Each access of another CPU thread to x either
 * - used the old mapping: then it is ordered before everything after the DSB that completes the
 *   TLBI in T (a TLB invalidation is complete when every access that used the invalidated entries
 *   is complete, once the DSB after it completes) — at its serialisation point, i.e. its own place
 *   in ob, not at the endpoint: a posted write can still be on its way to the device; or
 * - faulted (search/path-variants.ts makes those variants): it had no effect and came after the
 *   invalidation (the TLBI is ordered before it).
 * Simplifications: the page-table store is implied by the TLBI; stage 1 and stage 2 are not told
 * apart; a faulting access is simply without effect (no fault handler runs).
 */
import type { Execution } from './execution.js';
import type { Dynamic, ModelModule, PreparedModule } from './model.js';
import { Relation, ScratchRelation } from './relation.js';
import { armStaticOf } from './arm.js';

const cache = new WeakMap<Execution, Relation>();

/** The ob edges translation adds: TLBI completion, and faults after the invalidation. */
export function translationOb(x: Execution): Relation {
  let r = cache.get(x);
  if (r) return r;
  const pairs: [number, number][] = [];
  for (let t = 0; t < x.n; t++) {
    const e = x.events[t]!;
    if (e.kind !== 'F' || e.fence.op !== 'TLBI') continue;
    const covers = (addr: number) => e.fence.addr === undefined || e.fence.addr === addr;
    // The first full DSB after the TLBI in its thread completes it.
    let dsb = -1;
    for (let k = t + 1; k < x.n && dsb < 0; k++) {
      const f = x.events[k]!;
      if (x.po.has(t, k) && f.kind === 'F' && f.fence.op === 'DSB' && f.fence.type === 'ALL' && f.fence.domain !== 'NSH') dsb = k;
    }
    const after: number[] = [];
    if (dsb >= 0) for (let k = 0; k < x.n; k++) if (x.po.has(dsb, k)) after.push(k);
    x.paths.forEach((p, ti) => {
      if (p.agent !== 'cpu' || p.thread === e.thread) return;
      p.events.forEach((a, k) => {
        const i = x.offsets[ti]! + k;
        if ((a.kind === 'R' || a.kind === 'W') && covers(a.addr)) for (const b of after) pairs.push([i, b]);
        if (a.kind === 'F' && a.fence.op === 'FAULT' && covers(a.fence.addr!)) pairs.push([t, i]);
      });
    });
  }
  r = Relation.of(x.n, pairs);
  cache.set(x, r);
  return r;
}

export const translationModule: ModelModule = {
  name: 'translation',
  axioms: [{ name: 'tlbi-order', rule: 'acyclic(ob | TLBI completion | faults after the invalidation): Arm ARM D8 TLB maintenance, completed by DSB' }],
  prepare(x: Execution): PreparedModule {
    const base = armStaticOf(x).staticOb.union(translationOb(x));
    const { ext } = x;
    const ob = new ScratchRelation(x.n);
    return {
      check(d: Dynamic): string | undefined {
        return ob.copy(base).orMasked(d.rf, ext).orMasked(d.co, ext).orMasked(d.fr, ext).hasCycle() ? 'tlbi-order' : undefined;
      },
      relations() {
        return { tlbi: translationOb(x) };
      },
    };
  },
};
