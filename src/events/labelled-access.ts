/**
 * Where a condition's access reference lands in a path: `L1` is the access right after label L1;
 * `L1[k]` the k-th memory access (from 0) from the label on, before the next label (the parser
 * checked that the code has it): one store of a lowered accessor such as `__iowrite64_copy`.
 */
import type { ThreadPath } from './event.js';

/** The position in `path.events` of the access `label` names, or undefined if the path has none there. */
export function labelledPosition(path: ThreadPath, label: string): number | undefined {
  const m = /^(.*)\[(\d+)\]$/.exec(label);
  if (!m) return path.labels.get(label);
  const start = path.labels.get(m[1]!);
  if (start === undefined) return undefined;
  // Up to the next label the path passed, a label passed again included (as the parser counted
  // up to the next label in the code).
  const marks = path.labelMarks ?? [...path.labels.values()];
  const end = Math.min(path.events.length, ...marks.filter((p) => p > start));
  // Count explicit accesses by instruction: the events of one access share an instance.
  let k = Number(m[2]);
  let last: number | undefined;
  for (let i = start; i < end; i++) {
    const e = path.events[i]!;
    if ((e.kind !== 'R' && e.kind !== 'W') || e.implicit === true) continue;
    if (path.instances[i] === last) continue;
    last = path.instances[i];
    if (k === 0) return i;
    k--;
  }
  return undefined;
}
