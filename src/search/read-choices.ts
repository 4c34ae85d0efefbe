/**
 * The reads-from choices of an execution: for each read access, which writes its events may read.
 *
 * An ordinary read is one event: it may read from any write of its address that is not po-after
 * it (a read from a po-later write breaks internal visibility at once: coRW1). Under VMSA that
 * holds of explicit accesses only: a translation table read may read a hardware update that a
 * later instruction makes, and an explicit read may too (herd's coRW1-Exp).
 *
 * A mixed-size read (bytes.ts) is several byte events, and herd chooses for them together
 * (mem.ml, "Mixed-size write-to-load matching"): the overlapping write accesses are taken in order
 * of size, smallest first, and each is either skipped or supplies every byte of the read it
 * overlaps that no earlier one supplied; every byte must be supplied. A write therefore supplies
 * all the bytes it has in common with the read, unless a smaller one supplied some first. When two
 * writes of one size overlap the read in different but intersecting byte ranges, herd's choices
 * depend on an order between them it does not define: such a test is rejected.
 */
import type { Execution } from '../execution/execution.js';
import { ValueError } from '../events/value.js';

/** One choice: the read events of one access, and the options (for each, the write each event reads). */
export interface ReadChoice {
  readonly reads: readonly number[];
  readonly options: readonly (readonly number[])[];
}

export function readChoices(x: Execution): ReadChoice[] {
  const plain: ReadChoice[] = [];
  const byAccess = new Map<number, number[]>();
  for (const r of x.memoryReads) {
    const b = x.events[r]!.kind === 'R' ? (x.events[r] as { byte?: { access: number } }).byte : undefined;
    if (b === undefined) {
      const implicit = (i: number) => (x.events[i] as { implicit?: true }).implicit === true;
      // Not a write po-after the read, nor one its own instruction makes after it (herd orders the
      // steps of an instruction: a CASP failing and writing back cannot read its own write-back).
      const later = (w: number) => x.po.has(r, w) || (w > r && x.threadOf[w] === x.threadOf[r] && x.instanceOf[w] === x.instanceOf[r] && x.instanceOf[r]! >= 0);
      const ws = (x.writesByAddr.get(x.addrOf[r]!) ?? []).filter((w) => !later(w) || implicit(r) || implicit(w));
      plain.push({ reads: [r], options: ws.map((w) => [w]) });
    } else {
      let list = byAccess.get(b.access);
      if (!list) byAccess.set(b.access, (list = []));
      list.push(r);
    }
  }
  if (byAccess.size === 0) return plain;
  const writes = writeAccesses(x);
  return [...plain, ...[...byAccess.values()].map((reads) => mixedChoice(x, reads, writes))];
}

/** A write access at byte level: its byte events by address, and its size. */
interface WriteAccess {
  readonly bytes: ReadonlyMap<number, number>;
  readonly size: number;
}

function writeAccesses(x: Execution): WriteAccess[] {
  const groups = new Map<number, Map<number, number>>();
  for (const ws of x.writesByAddr.values())
    for (const w of ws) {
      const b = (x.events[w] as { byte?: { access: number } }).byte;
      if (b === undefined) continue;
      let g = groups.get(b.access);
      if (!g) groups.set(b.access, (g = new Map()));
      g.set(x.addrOf[w]!, w);
    }
  // Smallest first; the order among writes of one size does not matter unless ambiguous (below).
  return [...groups.values()].map((bytes) => ({ bytes, size: bytes.size })).sort((a, b) => a.size - b.size);
}

function mixedChoice(x: Execution, reads: number[], writes: readonly WriteAccess[]): ReadChoice {
  const sorted = reads.slice().sort((a, b) => x.addrOf[a]! - x.addrOf[b]!);
  const addrs = sorted.map((r) => x.addrOf[r]!);
  // Writes that overlap the read and are not wholly po-after it.
  const cands = writes.filter((w) => addrs.some((a) => w.bytes.has(a)) && ![...w.bytes.values()].every((e) => sorted.every((r) => x.po.has(r, e))));
  checkUnambiguous(cands, addrs);
  const options = cover(addrs, cands).map((chosen) => addrs.map((a) => chosen.get(a)!));
  if (options.length === 0) throw new ValueError(`a ${sorted.length}-byte read finds no write for each of its bytes`);
  return { reads: sorted, options };
}

/** Every way to supply each of `addrs` from the candidates in order (herd's all_ws/next_all_ws). */
function cover(addrs: readonly number[], cands: readonly WriteAccess[]): Map<number, number>[] {
  if (addrs.length === 0) return [new Map()];
  if (cands.length === 0) return [];
  const [first, ...rest] = cands as [WriteAccess, ...WriteAccess[]];
  const supplied = addrs.filter((a) => first.bytes.has(a));
  const skip = cover(addrs, rest);
  if (supplied.length === 0) return skip;
  const remaining = addrs.filter((a) => !first.bytes.has(a));
  const take = cover(remaining, rest).map((m) => {
    for (const a of supplied) m.set(a, first.bytes.get(a)!);
    return m;
  });
  return [...take, ...skip];
}

/**
 * Two writes of one size whose overlaps with the read differ but intersect: herd's choice is not
 * defined. Writes with the same overlap never conflict, so only distinct overlaps are compared
 * (a read that many equal writes overlap costs one comparison, not one per pair).
 */
function checkUnambiguous(cands: readonly WriteAccess[], addrs: readonly number[]): void {
  const overlaps = new Map<number, Map<string, readonly number[]>>();
  for (const c of cands) {
    const o = addrs.filter((v) => c.bytes.has(v));
    let bySize = overlaps.get(c.size);
    if (!bySize) overlaps.set(c.size, (bySize = new Map()));
    bySize.set(o.join(), o);
  }
  for (const bySize of overlaps.values()) {
    const distinct = [...bySize.values()];
    for (let i = 0; i < distinct.length; i++)
      for (let j = i + 1; j < distinct.length; j++) {
        if (distinct[i]!.some((v) => distinct[j]!.includes(v))) {
          throw new ValueError('mixed-size accesses: a read overlaps two writes of one size in different bytes (herd has no defined choice there)');
        }
      }
  }
}
