/**
 * The values of a candidate execution, from its reads-from: each read access gets the value of the
 * write(s) it reads — its size's low bytes of one write, or, for a mixed-size read, each byte from
 * the write that supplies it (little-endian) — and the values computed from those reads follow.
 * A value that depends on itself (out of thin air) has no solution; an operation herd gives no
 * meaning (masking an address, reading part of one) is an error only when the execution is
 * otherwise possible, i.e. when every condition the paths assumed holds.
 */
import type { Event, ReadEvent, WriteEvent } from '../events/event.js';
import { evaluate, variablesOf } from '../events/sym.js';
import { isSymbolic, ValueError, zeroExtend, type Val } from '../events/value.js';
import type { Execution } from '../execution/execution.js';
import { ABORTED } from './arrival.js';


export interface Solved {
  /** The value of each read event (undefined for other events). */
  readonly values: (Val | undefined)[];
  /** The value of a read access, by its variable id. */
  readonly varValue: (id: number) => Val | undefined;
}

/** Groups the read events by their access's variable id. */
export function readAccesses(events: readonly Event[]): Map<number, number[]> {
  const out = new Map<number, number[]>();
  events.forEach((e, i) => {
    if (e.kind !== 'R') return;
    let list = out.get(e.id);
    if (!list) out.set(e.id, (list = []));
    list.push(i);
  });
  for (const list of out.values()) list.sort((a, b) => (events[a] as ReadEvent).addr - (events[b] as ReadEvent).addr);
  return out;
}

/** A value depends on itself through reads-from and the program's data flow, and no known value contradicts the paths. */
export const THIN_AIR = 'thin-air';

/**
 * Solve the values of `x` under `rf`: undefined when a path's condition fails, THIN_AIR when a
 * read's value cannot be found because it depends on itself (out of thin air); throws ValueError
 * when a meaningless operation is the only obstacle.
 */
export function solveValues(x: Execution, rf: readonly number[], accesses: ReadonlyMap<number, readonly number[]>): Solved | typeof THIN_AIR | undefined {
  const { events } = x;
  const values: (Val | undefined)[] = new Array<Val | undefined>(x.n).fill(undefined);
  const varValues = new Map<number, Val | undefined>();
  const state = new Map<number, 1 | 2>();
  let failure: ValueError | undefined;
  const attempt = <T>(f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof ValueError)) throw e;
      failure ??= e;
      return undefined;
    }
  };
  const writeValue = (w: WriteEvent): Val | undefined => attempt(() => evaluate(w.value, varValue));
  const varValue = (id: number): Val | undefined => {
    const st = state.get(id);
    if (st === 2) return varValues.get(id);
    if (st === 1) return undefined; // a value cycle (thin air), or a failed operation
    state.set(id, 1);
    const reads = accesses.get(id);
    const v = reads === undefined || reads.length === 0 ? undefined : accessValue(reads);
    varValues.set(id, v);
    if (v !== undefined) state.set(id, 2);
    return v;
  };
  const accessValue = (reads: readonly number[]): Val | undefined => {
    const first = events[reads[0]!] as ReadEvent;
    if (rf[reads[0]!] === -1) return undefined;
    if (first.byte === undefined) {
      const r = reads[0]!;
      const v = rf[r] === ABORTED ? (1n << BigInt(8 * first.size)) - 1n : writeValue(events[rf[r]!] as WriteEvent);
      if (v === undefined) return undefined;
      values[r] = attempt(() => zeroExtend(v, 8 * first.size));
      return values[r];
    }
    return bytesValue(reads);
  };
  /** A mixed-size read: byte k of its value is the byte its event k reads from its write. */
  const bytesValue = (reads: readonly number[]): Val | undefined => {
    const ws = reads.map((r) => events[rf[r]!] as WriteEvent);
    const w0 = ws[0]!;
    // Read whole, as written: the value itself (an address may be read back this way).
    if (ws.every((w, k) => w.byte?.access === w0.byte?.access && w.byte?.k === k) && w0.byte?.size === reads.length) {
      const v = writeValue(w0);
      // Each byte event shows its byte (an address has no bytes to show).
      reads.forEach((r, k) => (values[r] = v === undefined || isSymbolic(v) ? undefined : byteOf(v, k)));
      return v;
    }
    let total = 0n;
    for (let k = 0; k < reads.length; k++) {
      const w = ws[k]!;
      const v = writeValue(w);
      if (v === undefined) return undefined;
      const b = attempt(() => byteOf(v, w.byte?.k ?? 0));
      if (b === undefined) return undefined;
      values[reads[k]!] = b;
      total |= b << BigInt(8 * k);
    }
    return total;
  };
  let cycle = false;
  for (const id of accesses.keys()) {
    const before = failure;
    if (rf[accesses.get(id)![0]!] !== -1 && varValue(id) === undefined && failure === before) cycle = true;
  }
  let undecided = false;
  let undecidable = false;
  for (const p of x.paths)
    for (const c of p.constraints) {
      const v = attempt(() => evaluate(c.cond, varValue));
      if (v === undefined) {
        undecided = true;
        // herd solves an equation on an unknown value (`v == 9` makes v 9); a value out of thin
        // air under any other condition (`v != e`, an order) is one herd cannot decide, and drops.
        if (!(c.holds && c.cond.k === 'cc' && c.cond.code === 'EQ' && c.cond.f === 'sub')) undecidable = true;
      } else if ((v === 1n) !== c.holds) return undefined;
    }
  if (failure !== undefined) throw failure;
  if (cycle && !undecidable) return THIN_AIR;
  if (undecided) return undefined;
  return { values, varValue: (id) => varValues.get(id) };
}

function byteOf(v: Val, k: number): Val {
  if (isSymbolic(v)) throw new ValueError('part of an address cannot be read');
  return (v >> BigInt(8 * k)) & 0xffn;
}

/** The path conditions of an execution by the variables they read (for checks as reads-from grows). */
export function constraintsByVariable(x: Execution): Map<number, { cond: import('../events/sym.js').Sym; holds: boolean }[]> {
  const out = new Map<number, { cond: import('../events/sym.js').Sym; holds: boolean }[]>();
  for (const p of x.paths)
    for (const c of p.constraints)
      for (const id of new Set(variablesOf(c.cond))) {
        let list = out.get(id);
        if (!list) out.set(id, (list = []));
        list.push(c);
      }
  return out;
}

/**
 * Whether the reads-from chosen so far already contradicts a path condition on variable `id`
 * (one whose variables all have their values): such a partial execution has no completion.
 * Anything not known yet, or not plainly computable, is left to solveValues.
 */
export function contradictsConditions(x: Execution, rf: readonly number[], accesses: ReadonlyMap<number, readonly number[]>, conds: readonly { cond: import('../events/sym.js').Sym; holds: boolean }[]): boolean {
  const memo = new Map<number, Val | undefined>();
  const varValue = (id: number): Val | undefined => {
    if (memo.has(id)) return memo.get(id);
    memo.set(id, undefined); // a value cycle stays unknown
    const reads = accesses.get(id);
    const r = reads?.length === 1 ? reads[0]! : undefined;
    const e = r === undefined ? undefined : (x.events[r] as ReadEvent);
    let v: Val | undefined;
    if (e !== undefined && e.byte === undefined && rf[r!]! >= 0) {
      const w = evaluate((x.events[rf[r!]!] as WriteEvent).value, varValue);
      v = w === undefined ? undefined : zeroExtend(w, 8 * e.size);
    }
    memo.set(id, v);
    return v;
  };
  try {
    return conds.some((c) => {
      const v = evaluate(c.cond, varValue);
      return v !== undefined && (v === 1n) !== c.holds;
    });
  } catch (e) {
    if (e instanceof ValueError) return false;
    throw e;
  }
}
