/**
 * herd's rmw (mem.ml, make_atomic_load_store): an atomic read and an atomic write of one location
 * (herd's X annotation: load/store-exclusives and the accesses of LSE atomics), the read before the
 * write, with no atomic access of any location in between — a load-exclusive and the successful
 * store-exclusive after it, or the read and write of an LSE atomic (the pairs within one
 * instruction are herd's amo). Within an instruction, reads come before writes, and what the
 * instruction orders (iico_order) comes first.
 *
 * Under VMSA, herd pairs implicit accesses among themselves (a translation table read and the
 * hardware update after it: not an amo) and explicit ones among themselves; a spurious update's
 * read and write, of no thread, pair with each other only.
 */
import type { Event, PositionPairs } from './event.js';

export function atomicPairs(events: readonly Event[], instances: readonly number[], iicoOrder: PositionPairs): { rmw: [number, number][]; amo: [number, number][] } {
  const atomics: number[] = [];
  const rmw: [number, number][] = [];
  const amo: [number, number][] = [];
  events.forEach((e, i) => {
    if ((e.kind !== 'R' && e.kind !== 'W') || !e.exclusive) return;
    if (e.spurious) {
      if (e.kind === 'W') rmw.push([i - 1, i]); // made right after its read (PathState.spuriousUpdate)
    } else atomics.push(i);
  });
  const implicit = (i: number) => (events[i] as { implicit?: true }).implicit === true;
  const ordered = new Set(iicoOrder.map(([a, b]) => `${a},${b}`));
  const before = (a: number, b: number): boolean => {
    const ia = instances[a]!;
    const ib = instances[b]!;
    if (ia !== ib) return ia < ib;
    return (events[a]!.kind === 'R' && events[b]!.kind === 'W') || ordered.has(`${a},${b}`);
  };
  for (const r of atomics) {
    const er = events[r]!;
    if (er.kind !== 'R') continue;
    for (const w of atomics) {
      const ew = events[w]!;
      if (ew.kind !== 'W' || ew.addr !== er.addr || implicit(w) !== implicit(r) || !before(r, w)) continue;
      if (atomics.some((e) => implicit(e) === implicit(r) && before(r, e) && before(e, w))) continue;
      rmw.push([r, w]);
      if (instances[r] === instances[w] && !implicit(r)) amo.push([r, w]);
    }
  }
  return { rmw, amo };
}
