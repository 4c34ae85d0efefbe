/**
 * The static part of a candidate execution: the events of one choice of control-flow path per
 * thread, numbered globally (initial writes first), with the relations that do not depend on
 * reads-from, coherence or arrival order (program order, dependencies, same-location, classes).
 *
 * With devices, some effects happen at an endpoint rather than in a CPU: the search places them
 * in the endpoint's arrival order. Besides the threads' own events, the execution then has:
 * - the arrival of each CPU write to a device register (the CPU's store is where it is issued and
 *   ordered; the register changes when it arrives: Arm ARM B2.4.1 peripheral arrival);
 * - the clearing write that follows each read of a read-to-clear register;
 * - the register resets a reset trigger causes (FLR, a device's own reset register, a reset
 *   controller), and the end of each FLR window;
 * - one optional speculative read per CPU mapping of a read-to-clear register as Normal memory
 *   (B2.10: Normal memory may be read speculatively at any time the mapping exists).
 * Registers' reads-from and coherence follow from the arrival order, never chosen on their own.
 */
import type { Event, FenceKind, ReadEvent, ThreadPath, WriteEvent } from '../events/event.js';
import { MEMORY } from '../events/event.js';
import { constant } from '../events/sym.js';
import type { Topology } from '../events/topology.js';
import { DEFAULT_MEMORY_TYPE } from '../events/topology.js';
import { device } from '../platform/memory-type.js';
import { EventSet, Relation } from './relation.js';
import type { InitCell, VmsaLayout } from '../events/program.js';
import type { Val } from '../events/value.js';
import { initAccessId } from '../events/bytes.js';

/** What one arrival-order item is: events placed together in one endpoint's order. */
export type ItemKind = 'arrival' | 'read' | 'speculative' | 'device' | 'reset' | 'flr-done';

/** A unit of an endpoint's arrival order (an arriving access with its side effects, a device action...). */
export interface ArrivalItem {
  readonly kind: ItemKind;
  readonly endpoint: string;
  /** The events the item places, in order (e.g. the arrival, then the register resets it triggers). */
  readonly events: readonly number[];
  /** The CPU access this item delivers (arrival, read, speculative read), or the device event. */
  readonly source: number;
  /** May be left out (speculative reads). */
  readonly optional: boolean;
  /** The FLR this item starts (its reset writes start a discard window until the flr-done item). */
  readonly startsFlr: boolean;
  /** Causes a reset of its endpoint (its events include reset writes). */
  readonly resets: boolean;
  /** Index of an item of the same endpoint that must come first (-1 if none). */
  readonly after: number;
}

export interface Execution {
  readonly n: number;
  readonly events: readonly Event[];
  /** Thread of each event (-1 for initial writes, -2 for effects at an endpoint with no thread). */
  readonly threadOf: readonly number[];
  /** The chosen path of each thread (device paths may be cut short by a reset). */
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
  /** Reads of atomics whose result is discarded (herd's NoRet: not ordered by DMB LD). */
  readonly NoRet: EventSet;

  /** Program order (strict, per thread; initial writes and endpoint effects are in none). */
  readonly po: Relation;
  /** Same location, between memory effects (reflexive). */
  readonly loc: Relation;
  /** Same thread / different threads (initial writes are external to every thread). */
  readonly int: Relation;
  readonly ext: Relation;
  readonly addr: Relation;
  readonly data: Relation;
  readonly ctrl: Relation;
  readonly rmw: Relation;
  /** Pick dependencies (through a condition that chose a value: CSEL, CAS), and pick-basic-dep to accesses. */
  readonly pickAddr: Relation;
  readonly pickData: Relation;
  readonly pickCtrl: Relation;
  readonly pickBasic: Relation;
  /** rmw pairs of one instruction (LSE atomics). */
  readonly amo: Relation;
  /** Accesses one instruction performs in order (LDIAPP, STILP). */
  readonly iicoOrder: Relation;
  /** Accesses that form one single-copy atomic access (exclusive pairs), both ways. */
  readonly sca: Relation;
  /** A translation table read -> the accesses or the fault of the instruction it translated (VMSA). */
  readonly trib: Relation;
  /** The translation table entries of a VMSA test (herd7 -variant vmsa), undefined otherwise. */
  readonly vmsa: VmsaLayout | undefined;
  /** How many identical executions herd counts for each of this one's (the paths' weights). */
  readonly weight: number;
  /**
   * Set when this combination of paths accesses a byte of no location (mixed sizes, a pointer
   * fork that may be infeasible): the test is rejected only if such an execution has values.
   */
  readonly stray: string | undefined;
  /**
   * po-loc between memory effects: a CPU write to a device register is represented by its
   * arrival, so coherence (B2.3 internal visibility) holds where the register changes.
   */
  readonly poLoc: Relation;
  /** The instruction each event comes from (a count along its thread's path; -1 outside the threads). */
  readonly instanceOf: readonly number[];

  /** Writes to host memory grouped by address (initial write first): their co is searched. */
  readonly writesByAddr: ReadonlyMap<number, readonly number[]>;
  /** Reads of host memory: their rf is searched. */
  readonly memoryReads: readonly number[];
  /** Initial write of each register address: registers' rf/co follow from arrival orders. */
  readonly registerInit: ReadonlyMap<number, number>;
  readonly addrOf: readonly number[];

  /** For a CPU write to a device register: its arrival event (-1 otherwise), and back. */
  readonly arrivalFor: readonly number[];
  readonly arrivalOf: readonly number[];
  /** Arrival-order items of each endpoint. */
  readonly items: ReadonlyMap<string, readonly ArrivalItem[]>;
  /** Item index (within its endpoint) of each event placed by an item, -1 otherwise. */
  readonly itemOf: readonly number[];
  /** The test's endpoints, registers, root ports and mappings. */
  readonly topology: Topology;

  /** The fence events whose kind satisfies `pred`. */
  fences(pred: (f: FenceKind) => boolean): EventSet;
}

/** The endpoint an event is at: its register's, or its device program's. */
export function endpointOf(x: Execution, i: number): string | undefined {
  const e = x.events[i]!;
  if ((e.kind === 'R' || e.kind === 'W') && e.target.kind !== 'memory') return e.target.endpoint;
  if (e.kind === 'E') return e.endpoint;
  const t = x.threadOf[i]!;
  return t >= 0 ? x.paths.find((p) => p.thread === t && p.agent === 'device')?.endpoint : undefined;
}

/** Thread number used for effects that happen at an endpoint without a thread of their own. */
export const ENDPOINT_THREAD = -2;
/** Thread number of spurious hardware updates of translation table entries (VMSA). */
export const SPURIOUS_THREAD = -3;

const NO_TOPOLOGY: Topology = { endpoints: new Map(), registers: new Map(), rootPorts: new Map(), mappings: new Map(), guests: new Set(), vmids: new Map(), asids: new Map() };

/** Build the static execution for one path per thread. */
export function buildExecution(
  paths: readonly ThreadPath[],
  addresses: readonly number[],
  initValues: ReadonlyMap<number, bigint>,
  topology: Topology = NO_TOPOLOGY,
  cells?: readonly InitCell[],
  vmsa?: VmsaLayout,
): Execution {
  const events: Event[] = [];
  const threadOf: number[] = [];
  const push = (e: Event, thread: number): number => {
    events.push(e);
    threadOf.push(thread);
    return events.length - 1;
  };
  // One initial write per location (Arm ARM B2.3: the initial value behaves as a write before all
  // others); with mixed sizes, one per byte of each location.
  if (cells === undefined) {
    for (const a of addresses) {
      const reg = topology.registers.get(a);
      const target = reg ? ({ kind: 'register', endpoint: reg.endpoint } as const) : MEMORY;
      push({ kind: 'W', thread: -1, po: -1, text: 'init', span: undefined, addr: a, size: 8, order: 'plain', exclusive: false, value: constant(initValues.get(a) ?? 0n), target, mem: DEFAULT_MEMORY_TYPE }, -1);
    }
  }
  const stray = cells === undefined ? undefined : initialBytes(cells, addresses, paths, push);
  const offsets: number[] = [];
  for (const p of paths) {
    offsets.push(events.length);
    // A spurious hardware update is of no thread (herd: no program order, external to all).
    for (const e of p.events) push(e, (e.kind === 'R' || e.kind === 'W') && e.spurious ? SPURIOUS_THREAD : p.thread);
  }
  const threadEventCount = events.length;

  // Endpoint-side effects.
  const arrivalFor: number[] = [];
  const arrivalOf: number[] = [];
  const items = new Map<string, ArrivalItem[]>();
  const addItem = (item: Omit<ArrivalItem, 'after'>, after = -1): number => {
    let list = items.get(item.endpoint);
    if (!list) items.set(item.endpoint, (list = []));
    list.push({ ...item, after });
    return list.length - 1;
  };
  const resetWrites = (endpoint: string, cause: string): number[] =>
    [...topology.registers.values()]
      .filter((r) => r.endpoint === endpoint)
      .map((r) =>
        push({ kind: 'W', thread: ENDPOINT_THREAD, po: -1, text: `reset of ${endpoint} (${cause})`, span: undefined, addr: r.addr, size: 8, order: 'plain', exclusive: false, value: constant(BigInt(r.attrs.reset)), target: { kind: 'register', endpoint }, mem: device('nGnRnE') }, ENDPOINT_THREAD),
      );
  const clearWrite = (r: ReadEvent, thread: number): number =>
    push({ kind: 'W', thread, po: -1, text: `clear on read (${r.text})`, span: r.span, addr: r.addr, size: 8, order: 'plain', exclusive: false, value: constant(0n), target: r.target, mem: r.mem }, thread);

  for (let i = offsets[0] ?? threadEventCount; i < threadEventCount; i++) {
    const e = events[i]!;
    if (e.kind !== 'R' && e.kind !== 'W') continue;
    const thread = threadOf[i]!;
    const path = paths.find((p) => p.thread === thread);
    if (e.target.kind === 'memory') {
      // A device's DMA happens at the device too: it enters the device's order (after what it saw).
      if (path?.agent === 'device' && path.endpoint !== undefined) addItem({ kind: 'device', endpoint: path.endpoint, events: [i], source: i, optional: false, startsFlr: false, resets: false });
      continue;
    }
    const reg = topology.registers.get(e.addr);
    if (!reg) continue;
    if (e.kind === 'W') {
      if (e.target.kind === 'mmio') {
        // The CPU's store is issued (and ordered) in its thread; the register changes on arrival.
        const a = push({ ...e, text: `${e.text} arrives`, po: -1 }, thread);
        arrivalFor[i] = a;
        arrivalOf[a] = i;
        const evs = [a];
        const flr = reg.attrs.flr;
        if (flr || reg.attrs.selfReset) evs.push(...resetWrites(reg.endpoint, flr ? 'FLR' : 'reset register'));
        const k = addItem({ kind: 'arrival', endpoint: reg.endpoint, events: evs, source: i, optional: false, startsFlr: flr, resets: flr || reg.attrs.selfReset });
        if (flr) {
          const done = push({ kind: 'E', op: 'flr-done', endpoint: reg.endpoint, thread: ENDPOINT_THREAD, po: -1, text: `FLR of ${reg.endpoint} completes`, span: e.span }, ENDPOINT_THREAD);
          addItem({ kind: 'flr-done', endpoint: reg.endpoint, events: [done], source: done, optional: false, startsFlr: false, resets: false }, k);
        }
        if (reg.attrs.resets !== undefined) {
          // A reset controller resets another endpoint: an effect in that endpoint's order, after the trigger arrives.
          addItem({ kind: 'reset', endpoint: reg.attrs.resets, events: resetWrites(reg.attrs.resets, `reset by ${reg.loc}`), source: a, optional: false, startsFlr: false, resets: true });
        }
      } else {
        addItem({ kind: 'device', endpoint: reg.endpoint, events: [i], source: i, optional: false, startsFlr: false, resets: false });
      }
    } else {
      const evs = [i];
      if (reg.attrs.readClear) evs.push(clearWrite(e, thread));
      addItem({ kind: e.target.kind === 'mmio' ? 'read' : 'device', endpoint: reg.endpoint, events: evs, source: i, optional: false, startsFlr: false, resets: false });
    }
  }
  // Speculative reads: one per CPU thread that maps a read-to-clear register as Normal memory.
  for (const [key, m] of topology.mappings) {
    if (m.mem.type !== 'Normal') continue;
    const [threadText, loc] = splitKey(key);
    const thread = Number(threadText);
    const reg = [...topology.registers.values()].find((r) => r.loc === loc);
    if (!reg || !reg.attrs.readClear || !paths.some((p) => p.thread === thread)) continue;
    const s = push({ kind: 'R', thread, po: -1, text: `speculative read of ${loc}`, span: undefined, addr: reg.addr, size: 8, order: 'plain', exclusive: false, id: -1 - events.length, speculative: true, target: { kind: 'mmio', endpoint: reg.endpoint, space: reg.space }, mem: m.mem }, thread);
    const c = clearWrite(events[s] as ReadEvent, thread);
    addItem({ kind: 'speculative', endpoint: reg.endpoint, events: [s, c], source: s, optional: true, startsFlr: false, resets: false });
  }

  const n = events.length;
  const itemOf: number[] = new Array<number>(n).fill(-1);
  for (const list of items.values()) list.forEach((it, k) => it.events.forEach((e) => (itemOf[e] = k)));
  for (let i = 0; i < n; i++) {
    if (arrivalFor[i] === undefined) arrivalFor[i] = -1;
    if (arrivalOf[i] === undefined) arrivalOf[i] = -1;
  }

  const set = (pred: (e: Event, i: number) => boolean) => EventSet.where(n, (i) => pred(events[i]!, i));
  const R = set((e) => e.kind === 'R');
  const W = set((e) => e.kind === 'W');
  // A CPU's store to a register is not itself a memory effect: its arrival is.
  const isEffect = (i: number) => {
    const e = events[i]!;
    return (e.kind === 'R' || e.kind === 'W') && arrivalFor[i] === -1;
  };
  const addrOf: number[] = new Array<number>(n).fill(NaN);
  events.forEach((e, i) => {
    if (isEffect(i)) addrOf[i] = (e as ReadEvent | WriteEvent).addr;
  });
  const local = (sel: (p: ThreadPath) => readonly (readonly [number, number])[]) => {
    const pairs: [number, number][] = [];
    paths.forEach((p, t) => {
      for (const [a, b] of sel(p)) pairs.push([offsets[t]! + a, offsets[t]! + b]);
    });
    return Relation.of(n, pairs);
  };
  const inThread = (i: number) => i >= (offsets[0] ?? threadEventCount) && i < threadEventCount;
  // Program order is between instructions: the events of one instruction are not po-ordered (herd).
  const instance: number[] = new Array<number>(n).fill(-1);
  paths.forEach((p, t) => p.instances.forEach((k, j) => (instance[offsets[t]! + j] = k)));
  const po = Relation.where(n, (a, b) => a < b && inThread(a) && inThread(b) && threadOf[a]! >= 0 && threadOf[a] === threadOf[b] && instance[a]! < instance[b]!);
  // An LKMM fence at a location (synchronize_srcu's srcu_struct) is at that location too.
  const placeOf = addrOf.map((a, i) => {
    const e = events[i]!;
    return Number.isNaN(a) && e.kind === 'F' && e.fence.op === 'LKMM' && e.fence.addr !== undefined ? e.fence.addr : a;
  });
  const loc = Relation.where(n, (a, b) => !Number.isNaN(placeOf[a]!) && placeOf[a] === placeOf[b]);
  const int = Relation.where(n, (a, b) => threadOf[a]! >= 0 && threadOf[a] === threadOf[b]);
  // po-loc over memory effects (a register store stands for its arrival).
  const effectOf = (i: number) => (arrivalFor[i]! >= 0 ? arrivalFor[i]! : i);
  const poLocPairs: [number, number][] = [];
  for (const [a, b] of po.pairs()) {
    const ea = events[a]!;
    const eb = events[b]!;
    if ((ea.kind === 'R' || ea.kind === 'W') && (eb.kind === 'R' || eb.kind === 'W') && ea.addr === eb.addr) poLocPairs.push([effectOf(a), effectOf(b)]);
  }
  const writesByAddr = new Map<number, number[]>();
  const registerInit = new Map<number, number>();
  const memoryReads: number[] = [];
  events.forEach((e, i) => {
    if (e.kind !== 'R' && e.kind !== 'W') return;
    if (topology.registers.has(e.addr)) {
      if (threadOf[i] === -1) registerInit.set(e.addr, i);
      return;
    }
    if (e.kind === 'R') {
      memoryReads.push(i);
      return;
    }
    let l = writesByAddr.get(e.addr);
    if (!l) writesByAddr.set(e.addr, (l = []));
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
    IW: set((_, i) => threadOf[i] === -1),
    A: set((e) => e.kind === 'R' && e.order === 'A'),
    Q: set((e) => e.kind === 'R' && e.order === 'Q'),
    // A release's fault is in L too (herd: the fault carries the instruction's annotation).
    L: set((e) => (e.kind === 'W' && e.order === 'L') || (e.kind === 'F' && e.fence.release === true)),
    X: set((e) => (e.kind === 'R' || e.kind === 'W') && e.exclusive),
    NoRet: set((e) => e.kind === 'R' && e.noRet === true),
    po,
    loc,
    int,
    ext: Relation.where(n, (a, b) => !int.has(a, b)),
    addr: local((p) => p.addr),
    data: local((p) => p.data),
    ctrl: local((p) => p.ctrl),
    rmw: local((p) => p.rmw),
    pickAddr: local((p) => p.pickAddr),
    pickData: local((p) => p.pickData),
    pickCtrl: local((p) => p.pickCtrl),
    pickBasic: local((p) => p.pickBasic),
    amo: local((p) => p.amo),
    iicoOrder: local((p) => p.iicoOrder),
    sca: local((p) => p.sca),
    trib: local((p) => p.trib),
    vmsa,
    weight: paths.reduce((w, p) => w * p.weight, 1),
    stray,
    poLoc: Relation.of(n, poLocPairs),
    instanceOf: instance,
    writesByAddr,
    memoryReads,
    registerInit,
    addrOf,
    arrivalFor,
    arrivalOf,
    items,
    itemOf,
    topology,
    fences: (pred) => set((e) => e.kind === 'F' && pred(e.fence)),
  };
}

/**
 * The initial writes of mixed-size memory: each byte of each cell. A byte some path accesses
 * outside every cell gets an initial write too, so the search can go on; the returned message
 * says this combination of paths reaches beyond a location (undefined when it does not).
 */
function initialBytes(cells: readonly InitCell[], addresses: readonly number[], paths: readonly ThreadPath[], push: (e: Event, thread: number) => number): string | undefined {
  const covered = new Set<number>();
  const initWrite = (addr: number, value: Val, access: number, k: number, size: number): Event =>
    ({ kind: 'W', thread: -1, po: -1, text: 'init', span: undefined, addr, size: 1, order: 'plain', exclusive: false, value: constant(value), target: MEMORY, mem: DEFAULT_MEMORY_TYPE, byte: { access, k, size } });
  for (const c of cells)
    for (let k = 0; k < c.size; k++) {
      covered.add(c.addr + k);
      push(initWrite(c.addr + k, c.value, c.access, k, c.size), -1);
    }
  const outside = addresses.filter((a) => !covered.has(a));
  // Ids past every location's (locations use index * 4096 + element).
  outside.forEach((a, i) => push(initWrite(a, 0n, initAccessId(2 ** 40 + i), 0, 1), -1));
  if (outside.length === 0) return undefined;
  const out = new Set(outside);
  for (const p of paths)
    for (const e of p.events)
      if ((e.kind === 'R' || e.kind === 'W') && out.has(e.addr)) return `an access reaches beyond its location (byte ${e.addr})`;
  return undefined;
}

function splitKey(key: string): [string, string] {
  const k = key.indexOf(':');
  return [key.slice(0, k), key.slice(k + 1)];
}
