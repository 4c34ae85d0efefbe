/**
 * The test generator's public API: diy7-style AArch64 litmus tests from cycles of relaxation
 * edges (docs/gen.md). Browser-pure: no Node API below this folder.
 */
import { canonicalRotation, cycleText } from './canonical.js';
import { layoutCycle, resolveEdges } from './cycle.js';
import { parseEdgeList, type Edge } from './edges.js';
import { emitThreads } from './emit.js';
import { enumerateCycles, type EnumerateOptions } from './enumerate.js';
import { litmusText, type HeaderInfo } from './litmus.js';
import { testName } from './naming.js';

export { EDGE_KINDS, edgeName, parseEdge, parseEdgeList } from './edges.js';
export type { AmoOp, Com, Dir, Edge, EdgeClass, EdgeCode, EdgeKind } from './edges.js';
export type { Annot } from './annotations.js';
export { canonicalRotation, cycleText } from './canonical.js';
export { resolveEdges, layoutCycle } from './cycle.js';
export type { Access, Cycle } from './cycle.js';
export { enumerateCycles } from './enumerate.js';
export type { EnumerateOptions, FoundCycle } from './enumerate.js';
export { testName } from './naming.js';
export { familyName, threadShapes, FAMILIES } from './families.js';

/** A generated test: its name, its cycle (canonical rotation) and its litmus text. */
export interface GeneratedTest {
  readonly name: string;
  readonly cycle: string;
  readonly text: string;
}

/**
 * The test of one cycle, given as text (`"DMB.STdWW Rfe DpAddrdR Fre"`) or as edges. The cycle
 * is checked (a RangeError says what is wrong) and written in its canonical rotation; `name`
 * replaces the diy-style name.
 */
export function generateTest(cycle: string | readonly Edge[], options: HeaderInfo & { readonly name?: string } = {}): GeneratedTest {
  const edges = canonicalRotation(resolveEdges(typeof cycle === 'string' ? parseEdgeList(cycle) : cycle));
  const layout = layoutCycle(edges);
  const name = options.name ?? testName(edges);
  return { name, cycle: cycleText(edges), text: litmusText(name, layout, emitThreads(layout), options) };
}

/**
 * Every test the enumeration options describe, in a fixed order. Two different cycles that get
 * the same name are told apart by a number after the second one's name (NAME001, NAME002 ...).
 */
export function generateTests(options: EnumerateOptions): GeneratedTest[] {
  const counts = new Map<string, number>();
  return enumerateCycles(options).map((found) => {
    const base = testName(found.edges);
    const seen = counts.get(base) ?? 0;
    counts.set(base, seen + 1);
    const name = seen === 0 ? base : base + String(seen).padStart(3, '0');
    return generateTest(found.edges, { name, relax: found.relax, safe: found.safe });
  });
}
