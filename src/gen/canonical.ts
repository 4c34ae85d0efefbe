/**
 * The canonical rotation of a cycle: the one rotation diy7 prints, names and numbers threads
 * from. Found by experiment against diy7's output:
 * 1. start at a thread boundary (the first edge follows an external edge);
 * 2. orient the communication shape: a named family's own orientation (FAMILIES), otherwise the
 *    smallest sequence of thread patterns;
 * 3. among what is left, the first thread with the fewest internal edges, then the smallest
 *    sequence of edges in diy's order of edges.
 * Two cycles are the same test exactly when their canonical rotations are equal.
 */
import { compareEdges, edgeName, isExternal, type Edge } from './edges.js';
import { FAMILIES, comparePatterns, shapeKey, threadPatterns, threadShapes } from './families.js';

/** The rotation of `edges` that starts at index `start`. */
export function rotate<T>(items: readonly T[], start: number): T[] {
  return [...items.slice(start), ...items.slice(0, start)];
}

/** The rotations of a cycle that start at a thread boundary. */
export function threadRotations(edges: readonly Edge[]): Edge[][] {
  const n = edges.length;
  return edges.flatMap((_, i) => (isExternal(edges[(i + n - 1) % n]!) ? [rotate(edges, i)] : []));
}

/** The canonical rotation of a cycle (which must have external edges). */
export function canonicalRotation(edges: readonly Edge[]): Edge[] {
  let candidates = threadRotations(edges);
  if (candidates.length === 0) throw new RangeError('a cycle needs external edges');
  const named = candidates.filter((r) => FAMILIES.has(shapeKey(threadShapes(r))));
  if (named.length > 0) candidates = named;
  else {
    const patterns = candidates.map((r) => threadPatterns(threadShapes(r)));
    const best = patterns.reduce((a, b) => (comparePatterns(b, a) < 0 ? b : a));
    candidates = candidates.filter((_, i) => comparePatterns(patterns[i]!, best) === 0);
  }
  return candidates.reduce((a, b) => (compareRotations(b, a) < 0 ? b : a));
}

/** diy's tie-break: fewer internal edges in the first thread, then the edges in order. */
function compareRotations(a: readonly Edge[], b: readonly Edge[]): number {
  const d = firstThreadLength(a) - firstThreadLength(b);
  if (d !== 0) return d;
  for (let i = 0; i < a.length; i++) {
    const c = compareEdges(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** The number of internal edges before the first external one. */
function firstThreadLength(edges: readonly Edge[]): number {
  return edges.findIndex(isExternal);
}

/** The text of a cycle: its edge names separated by spaces. */
export function cycleText(edges: readonly Edge[]): string {
  return edges.map(edgeName).join(' ');
}
