/**
 * Mixed-size accesses, as herd's mixed variant has them: memory is bytes. An access of n bytes is
 * n byte events — one single-copy atomic group (sca) — each reading or writing one byte address;
 * reads-from, coherence and every relation of the model are between byte events, and what is
 * ordered for an access is ordered for each of its bytes.
 *
 * This turns one thread's path into its byte-level path: each access becomes its bytes (in
 * address order), every position pair is lifted to all bytes of both ends, the bytes of one
 * access are paired in `sca`, and rmw is paired again byte by byte (herd pairs atomics per
 * location, and here a location is a byte).
 */
import { atomicPairs } from './atomic-pairs.js';
import { PATH_RELATIONS, type Event, type PositionPairs, type ThreadPath } from './event.js';

export type { ByteOf } from './event.js';


/** The id of the write access at `position` of thread `thread` (reads use their variable id). */
export function writeAccessId(thread: number, position: number): number {
  return -1 - (thread * 65536 + position);
}

/** The id of the initial write of location number `index`. */
export function initAccessId(index: number): number {
  return -(1 << 30) - index;
}

/** A thread's path at byte level (see the file comment). */
export function splitBytes(p: ThreadPath): ThreadPath {
  const events: Event[] = [];
  const instances: number[] = [];
  const at: number[][] = []; // old position -> new positions
  p.events.forEach((e, i) => {
    const out: number[] = [];
    if (e.kind === 'R' || e.kind === 'W') {
      const access = e.kind === 'R' ? e.id : writeAccessId(e.thread, i);
      for (let k = 0; k < e.size; k++) {
        out.push(events.length);
        events.push({ ...e, addr: e.addr + k, size: 1, byte: { access, k, size: e.size } });
        instances.push(p.instances[i]!);
      }
    } else {
      out.push(events.length);
      events.push(e);
      instances.push(p.instances[i]!);
    }
    at.push(out);
  });
  const lift = (pairs: PositionPairs): PositionPairs => pairs.flatMap(([a, b]) => at[a]!.flatMap((x) => at[b]!.map((y) => [x, y] as const)));
  const lifted: Record<string, PositionPairs> = {};
  for (const name of PATH_RELATIONS) lifted[name] = lift(p[name]);
  const groups: [number, number][] = [];
  for (const list of at) for (const a of list) for (const b of list) if (a !== b && events[a]!.kind !== 'F') groups.push([a, b]);
  const labels = new Map([...p.labels].map(([name, pos]) => [name, pos < at.length ? at[pos]![0]! : events.length]));
  const split: ThreadPath = { ...p, ...lifted, events, instances, labels, sca: [...lifted['sca']!, ...groups] };
  // rmw pairs byte by byte: a location is a byte here.
  return { ...split, ...atomicPairs(events, instances, split.iicoOrder) };
}

