/**
 * Test families: the name of a cycle's communication shape (MP, SB, IRIW, Z6.3 ...). A shape is
 * the sequence of threads, each given by whether it has internal edges and by the external edge
 * that leaves it; the names are diy7's, read off its output. Shapes without a name get diy's
 * generic name: each thread's first and last access directions, joined by '+' (`W+RR+WR+WR`).
 */
import { isExternal, type Com, type Dir, type Edge } from './edges.js';

/** One thread of a cycle, as far as the family is concerned. */
export interface ThreadShape {
  /** No internal edge: the thread is one access (always a write, read by the next thread). */
  readonly single: boolean;
  /** The communication edge that leaves the thread. */
  readonly com: Com;
}

/**
 * diy7's family names, keyed by their canonical shape (`E` a one-access thread, `P` a thread with
 * internal edges, then the edge leaving it). A cycle whose shape is a rotation of a key is
 * written in the key's orientation.
 */
export const FAMILIES: ReadonlyMap<string, string> = new Map([
  ['PCo PCo', '2+2W'],
  ['PCo PFr', 'R'],
  ['PFr PFr', 'SB'],
  ['PRf PCo', 'S'],
  ['PRf PFr', 'MP'],
  ['PRf PRf', 'LB'],
  ['ERf PCo PCo', 'WRW+2W'],
  ['ERf PCo PFr', 'WRW+WR'],
  ['ERf PFr PCo', 'WRR+2W'],
  ['ERf PFr PFr', 'RWC'],
  ['ERf PRf PCo', 'WWC'],
  ['ERf PRf PFr', 'WRC'],
  ['PCo PCo PCo', '3.2W'],
  ['PCo PCo PFr', 'Z6.5'],
  ['PCo PFr PFr', 'Z6.4'],
  ['PCo PRf PCo', 'Z6.1'],
  ['PCo PRf PFr', 'Z6.3'],
  ['PFr PFr PFr', '3.SB'],
  ['PRf PCo PFr', 'Z6.0'],
  ['PRf PFr PFr', 'W+RWC'],
  ['PRf PRf PCo', 'Z6.2'],
  ['PRf PRf PFr', 'ISA2'],
  ['PRf PRf PRf', '3.LB'],
  ['ERf PCo ERf PCo', 'IRWIW'],
  ['ERf PFr ERf PCo', 'IRRWIW'],
  ['ERf PFr ERf PFr', 'IRIW'],
  ['PCo PCo PCo PCo', '4.2W'],
  ['PFr PFr PFr PFr', '4.SB'],
  ['PRf PRf PRf PRf', '4.LB'],
]);

/** The threads of a cycle that starts at a thread boundary. */
export function threadShapes(edges: readonly Edge[]): ThreadShape[] {
  const out: ThreadShape[] = [];
  let internal = 0;
  for (const e of edges) {
    if (!isExternal(e)) internal++;
    else {
      out.push({ single: internal === 0, com: e.kind.com! });
      internal = 0;
    }
  }
  return out;
}

/** The key of a shape in FAMILIES. */
export function shapeKey(shapes: readonly ThreadShape[]): string {
  return shapes.map((s) => (s.single ? 'E' : 'P') + s.com).join(' ');
}

const SOURCE: Readonly<Record<Com, Dir>> = { Rf: 'W', Fr: 'R', Co: 'W' };
const TARGET: Readonly<Record<Com, Dir>> = { Rf: 'R', Fr: 'W', Co: 'W' };

/** Each thread's first and last directions (`WR`), or `W` for a one-access thread. */
export function threadPatterns(shapes: readonly ThreadShape[]): string[] {
  return shapes.map((s, i) => {
    const first = TARGET[shapes[(i + shapes.length - 1) % shapes.length]!.com];
    return s.single ? first : first + SOURCE[s.com];
  });
}

// The order diy7 uses to orient shapes without a name (found by experiment).
const PATTERN_ORDER = ['W', 'WW', 'RR', 'RW', 'WR'];

/** Compare two orientations of a shape without a name: the smaller one is diy's. */
export function comparePatterns(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const d = PATTERN_ORDER.indexOf(a[i]!) - PATTERN_ORDER.indexOf(b[i]!);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** The family name of a shape in its canonical orientation. */
export function familyName(shapes: readonly ThreadShape[]): string {
  return FAMILIES.get(shapeKey(shapes)) ?? threadPatterns(shapes).join('+');
}
