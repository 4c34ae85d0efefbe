/**
 * The static part of a candidate execution: the events of one choice of control-flow path per
 * thread, numbered globally (initial writes first), with the relations that do not depend on
 * reads-from or coherence (program order, dependencies, same-location, event classes).
 *
 * The search adds the dynamic part (rf, co) on top; model modules read both.
 */
import type { Event, FenceKind, ThreadPath } from '../events/event.js';
import { constant } from '../events/sym.js';
import { EventSet, Relation } from './relation.js';

export interface Execution {
  readonly n: number;
  readonly events: readonly Event[];
  /** Thread of each event (-1 for initial writes). */
  readonly threadOf: readonly number[];
  /** The chosen path of each thread. */
  readonly paths: readonly ThreadPath[];
  /** Global index of each thread's first event. */
  readonly offsets: readonly number[];

  /** Event classes (herd's names: R, W, M, F, IW, and the ordering attributes A, Q, L, X). */
  readonly R: EventSet;
  readonly W: EventSet;
  readonly M: EventSet;
  readonly F: EventSet;
  readonly IW: EventSet;
  readonly A: EventSet;
  readonly Q: EventSet;
  readonly L: EventSet;
  readonly X: EventSet;

  /** Program order (strict, per thread; initial writes are in no thread's program order). */
  readonly po: Relation;
  /** Same location, between memory accesses (reflexive on accesses). */
  readonly loc: Relation;
  /** Same thread / different threads (initial writes are external to every thread). */
  readonly int: Relation;
  readonly ext: Relation;
  readonly addr: Relation;
  readonly data: Relation;
  readonly ctrl: Relation;
  readonly rmw: Relation;
  readonly poLoc: Relation;

  /** Writes grouped by address (initial write first), and the address of each access. */
  readonly writesByAddr: ReadonlyMap<number, readonly number[]>;
  readonly readsByAddr: ReadonlyMap<number, readonly number[]>;
  readonly addrOf: readonly number[];

  /** The fence events whose kind satisfies `pred`. */
  fences(pred: (f: FenceKind) => boolean): EventSet;
}

/** Build the static execution for one path per thread. */
export function buildExecution(paths: readonly ThreadPath[], addresses: readonly number[], initValues: ReadonlyMap<number, number>): Execution {
  const events: Event[] = [];
  const threadOf: number[] = [];
  // One initial write per location (Arm ARM B2.3: the initial value behaves as a write before all others).
  for (const a of addresses) {
    events.push({ kind: 'W', thread: -1, po: -1, text: 'init', span: undefined, addr: a, size: 8, order: 'plain', exclusive: false, value: constant(initValues.get(a) ?? 0) });
    threadOf.push(-1);
  }
  const offsets: number[] = [];
  for (const p of paths) {
    offsets.push(events.length);
    for (const e of p.events) {
      events.push(e);
      threadOf.push(p.thread);
    }
  }
  const n = events.length;
  const set = (pred: (e: Event) => boolean) => EventSet.where(n, (i) => pred(events[i]!));
  const R = set((e) => e.kind === 'R');
  const W = set((e) => e.kind === 'W');
  const addrOf: number[] = new Array<number>(n).fill(NaN);
  events.forEach((e, i) => {
    if (e.kind !== 'F') addrOf[i] = e.addr;
  });
  const local = (sel: (p: ThreadPath) => readonly (readonly [number, number])[]) => {
    const pairs: [number, number][] = [];
    paths.forEach((p, t) => {
      for (const [a, b] of sel(p)) pairs.push([offsets[t]! + a, offsets[t]! + b]);
    });
    return Relation.of(n, pairs);
  };
  const po = Relation.where(n, (a, b) => threadOf[a]! >= 0 && threadOf[a] === threadOf[b] && a < b);
  const loc = Relation.where(n, (a, b) => !Number.isNaN(addrOf[a]!) && addrOf[a] === addrOf[b]);
  const int = Relation.where(n, (a, b) => threadOf[a]! >= 0 && threadOf[a] === threadOf[b]);
  const writesByAddr = new Map<number, number[]>();
  const readsByAddr = new Map<number, number[]>();
  events.forEach((e, i) => {
    if (e.kind === 'F') return;
    const m = e.kind === 'W' ? writesByAddr : readsByAddr;
    let l = m.get(e.addr);
    if (!l) m.set(e.addr, (l = []));
    l.push(i);
  });
  return {
    n,
    events,
    threadOf,
    paths,
    offsets,
    R,
    W,
    M: R.union(W),
    F: set((e) => e.kind === 'F'),
    IW: set((e) => e.thread < 0),
    A: set((e) => e.kind === 'R' && e.order === 'A'),
    Q: set((e) => e.kind === 'R' && e.order === 'Q'),
    L: set((e) => e.kind === 'W' && e.order === 'L'),
    X: set((e) => e.kind !== 'F' && e.exclusive),
    po,
    loc,
    int,
    ext: Relation.where(n, (a, b) => !int.has(a, b)),
    addr: local((p) => p.addr),
    data: local((p) => p.data),
    ctrl: local((p) => p.ctrl),
    rmw: local((p) => p.rmw),
    poLoc: po.intersect(loc),
    writesByAddr,
    readsByAddr,
    addrOf,
    fences: (pred) => set((e) => e.kind === 'F' && pred(e.fence)),
  };
}
