/**
 * Arrival orders: for each endpoint, the sequence of transactions that reach it and of the
 * device's own actions — built slot by slot, so that the registers' values at each point are
 * known as soon as the slot is placed.
 *
 * A slot holds one item (an arrival, a CPU read, a speculative read, a device action, a reset,
 * the end of an FLR) or several gathered CPU stores (one transaction; the model's checks decide
 * which gatherings are allowed: Arm ARM B2.10.2 in models/aarch64+devices.model).
 * Walking the slots in order fixes each register read's source and each register's coherence
 * order (the initial value, then writes as they arrive; a reset writes every register's reset
 * value; a read of a read-to-clear register is followed by a write of 0), marks what an FLR
 * window discards, and yields the arrival-order relation handed to the model.
 */
import type { ArrivalItem, Execution } from '../execution/execution.js';
import { ScratchRelation } from '../execution/relation.js';
import { inOneBlock, oneTransaction } from '../platform/pcie-tlp.js';
import { registerSpace } from '../events/topology.js';

/** One endpoint's arrival order in a complete execution: slots of events (a slot = one transaction). */
export interface EndpointTimeline {
  readonly endpoint: string;
  readonly slots: readonly (readonly number[])[];
}

/** rf value of a read the endpoint dropped (it completes with all ones). */
export const ABORTED = -2;

export class ArrivalSearch {
  /** Arrival order between placed events of the same endpoint. */
  readonly arr: ScratchRelation;
  readonly slotOf: number[];
  readonly discarded: boolean[];
  private readonly endpoints: readonly string[];
  /** The first slot number of each endpoint (slots are numbered across endpoints). */
  private readonly firstSlot: readonly number[];
  private readonly slots = new Map<string, number[][]>();
  /** Items an item must follow at its endpoint (its `after`, and the device's program order). */
  private readonly preds = new Map<string, number[][]>();

  constructor(
    private readonly x: Execution,
    private readonly rf: number[],
    private readonly chains: Map<number, number[]>,
    /** The device-in-order assumption: a device's actions enter the order in program order. */
    deviceInOrder = true,
    /** The wc-block assumption: the size of the naturally aligned block one transaction's stores share. */
    private readonly wcBlock = 64,
  ) {
    this.arr = new ScratchRelation(x.n);
    this.slotOf = new Array<number>(x.n).fill(-1);
    this.discarded = new Array<boolean>(x.n).fill(false);
    this.endpoints = [...x.items.keys()].sort();
    // Slot numbers are unique over all endpoints: each endpoint's start after the previous one's items.
    let next = 0;
    this.firstSlot = this.endpoints.map((e) => {
      const first = next;
      next += x.items.get(e)!.length;
      return first;
    });
    for (const e of this.endpoints) {
      const items = x.items.get(e)!;
      this.slots.set(e, []);
      let lastDevice = -1;
      this.preds.set(
        e,
        items.map((it, k) => {
          const p: number[] = [];
          if (it.after >= 0) p.push(it.after);
          // A device acts in program order: its actions enter the order one after the other.
          if (it.kind === 'device' && deviceInOrder) {
            if (lastDevice >= 0) p.push(lastDevice);
            lastDevice = k;
          }
          return p;
        }),
      );
    }
  }

  /**
   * Enumerate arrival orders of every endpoint. `check` prunes (false: inconsistent), `next`
   * continues the search below a complete choice (false: stop), `stopped` polls for limits.
   */
  run(check: () => boolean, next: () => boolean, stopped: () => boolean): void {
    this.endpointLevel(0, check, next, stopped);
  }

  private endpointLevel(ei: number, check: () => boolean, next: () => boolean, stopped: () => boolean): boolean {
    if (ei === this.endpoints.length) return next();
    const ep = this.endpoints[ei]!;
    const items = this.x.items.get(ep)!;
    const preds = this.preds.get(ep)!;
    const slots = this.slots.get(ep)!;
    const placed = new Array<boolean>(items.length).fill(false);

    const step = (): boolean => {
      if (stopped()) return false;
      if (items.every((it, k) => placed[k] || it.optional) && this.lastSlotCarried(items, slots) && this.complete(ep)) {
        if (!this.endpointLevel(ei + 1, check, next, stopped)) return false;
      }
      for (let k = 0; k < items.length; k++) {
        if (placed[k] || !preds[k]!.every((p) => placed[p])) continue;
        placed[k] = true;
        // A new transaction (closing the last one, which must then be one a TLP carries)...
        const closable = this.lastSlotCarried(items, slots);
        slots.push([k]);
        this.derive(ep, ei);
        const goOn = !closable || !check() || step();
        slots.pop();
        // ... or gathered into the last one.
        const last = slots[slots.length - 1];
        let goOn2 = true;
        if (goOn && last && this.gatherable(items, last, k)) {
          last.push(k);
          this.derive(ep, ei);
          goOn2 = !check() || step();
          last.pop();
        }
        placed[k] = false;
        this.derive(ep, ei);
        if (!goOn || !goOn2) return false;
      }
      return true;
    };
    return step();
  }

  /**
   * Can item k join the transaction `slot`? Only the arrivals of one CPU's stores (a transaction
   * leaves one requester); whether their memory types and barriers allow it is the model's to
   * say. A transaction's items are taken in increasing index order, so each is enumerated once.
   */
  private gatherable(items: readonly ArrivalItem[], slot: readonly number[], k: number): boolean {
    const it = items[k]!;
    if (it.kind !== 'arrival' || slot.some((j) => j > k)) return false;
    const thread = this.x.threadOf[it.source];
    if (!slot.every((j) => items[j]!.kind === 'arrival' && this.x.threadOf[items[j]!.source] === thread)) return false;
    // One block bounds every part of a transaction; the TLP's shape is checked once it is closed
    // (a store between two others may fill its hole).
    return this.carried([...slot, k].map((j) => items[j]!.source), false);
  }

  /**
   * Can a single TLP carry the last transaction? The earlier ones were checked as they closed
   * (when the next one started), and a closed transaction never changes.
   */
  private lastSlotCarried(items: readonly ArrivalItem[], slots: readonly (readonly number[])[]): boolean {
    const last = slots[slots.length - 1];
    return last === undefined || last.length === 1 || this.carried(last.map((j) => items[j]!.source), true);
  }

  /**
   * Can one transaction carry these stores: one BAR (or one platform device's registers), one
   * write-combining block, and (when `whole`) on PCIe one Memory Write TLP (platform/pcie-tlp.ts)?
   */
  private carried(stores: readonly number[], whole: boolean): boolean {
    const { x } = this;
    const regs = stores.map((e) => x.topology.registers.get(x.events[e]!.kind === 'W' ? (x.events[e] as { addr: number }).addr : -1));
    if (regs.some((r) => r === undefined || r.space === 'cfg' || registerSpace(r) !== registerSpace(regs[0]!))) return false;
    const ranges = stores.map((e, i) => ({ offset: regs[i]!.offset, size: (x.events[e] as { size: number }).size }));
    const pcie = x.topology.endpoints.get(regs[0]!.endpoint)?.bus === 'pcie';
    return whole ? oneTransaction(ranges, this.wcBlock, pcie) : inOneBlock(ranges, this.wcBlock);
  }

  /**
   * A finished endpoint must agree with how far its device got: every action the device performed
   * comes before the first reset, and a device cut short was cut by a reset after its last action.
   */
  private complete(ep: string): boolean {
    const { x } = this;
    const items = x.items.get(ep)!;
    const slots = this.slots.get(ep)!;
    let firstReset = Infinity;
    slots.forEach((slot, k) => {
      if (slot.some((i) => items[i]!.resets && !this.discarded[items[i]!.events[0]!])) firstReset = Math.min(firstReset, k);
    });
    const devicePath = x.paths.find((p) => p.agent === 'device' && p.endpoint === ep);
    let lastDevice = -1;
    slots.forEach((slot, k) => {
      if (slot.some((i) => items[i]!.kind === 'device')) lastDevice = k;
    });
    if (lastDevice >= firstReset) return false;
    if (devicePath?.cut && firstReset === Infinity) return false;
    return true;
  }

  /** Recompute everything the placed slots of endpoint `ep` decide. */
  private derive(ep: string, ei: number): void {
    const { x, rf, chains, arr, slotOf, discarded } = this;
    const items = x.items.get(ep)!;
    const slots = this.slots.get(ep)!;
    for (const it of items)
      for (const e of it.events) {
        slotOf[e] = -1;
        discarded[e] = false;
        if (isRegisterRead(x, e)) rf[e] = -1;
        for (let j = 0; j < arr.w; j++) arr.bits[e * arr.w + j] = 0;
      }
    for (const [addr, init] of x.registerInit) {
      const ev = x.events[init]!;
      if (ev.kind === 'W' && ev.target.kind === 'register' && ev.target.endpoint === ep) chains.set(addr, [init]);
    }
    let inFlr = false;
    const before: number[] = [];
    slots.forEach((slot, k) => {
      const id = this.firstSlot[ei]! + k;
      const here: number[] = [];
      for (const i of slot) {
        const it = items[i]!;
        for (const e of it.events) {
          slotOf[e] = id;
          here.push(e);
        }
        if (it.kind === 'flr-done') {
          inFlr = false;
          continue;
        }
        if (inFlr && (it.kind === 'arrival' || it.kind === 'read' || it.kind === 'speculative')) {
          // PCIe §6.6: a function in FLR may drop requests; a dropped read completes with all ones.
          for (const e of it.events) {
            discarded[e] = true;
            if (x.events[e]!.kind === 'R') rf[e] = ABORTED;
          }
          continue;
        }
        for (const e of it.events) {
          const ev = x.events[e]!;
          if (ev.kind === 'W' && ev.target.kind !== 'memory') chains.get(ev.addr)!.push(e);
          else if (ev.kind === 'R' && ev.target.kind !== 'memory') rf[e] = last(chains.get(ev.addr)!);
        }
        if (it.startsFlr) inFlr = true;
      }
      for (const b of here) for (const a of before) arr.add(a, b);
      before.push(...here);
    });
  }

  /** The arrival order of each endpoint, as slots of events. */
  timelines(): EndpointTimeline[] {
    return this.endpoints.map((ep) => {
      const items = this.x.items.get(ep)!;
      return { endpoint: ep, slots: this.slots.get(ep)!.map((slot) => slot.flatMap((i) => items[i]!.events)) };
    });
  }
}

function isRegisterRead(x: Execution, e: number): boolean {
  const ev = x.events[e]!;
  return ev.kind === 'R' && ev.target.kind !== 'memory';
}

function last(a: readonly number[]): number {
  return a[a.length - 1]!;
}
