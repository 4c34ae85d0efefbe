/**
 * A ruled-out execution's reason as edges a reader knows: the cycle an acyclic check found (or,
 * for an irreflexive check, its pair closed through a third event), each edge named by the
 * relation that holds it. `check --explain`, the graphs and the matrix's reasons all say it so.
 */
import type { Relation } from '../execution/relation.js';
import { arrival } from '../model/lang/endpoint-primitives.js';
import type { CandidateExecution } from './enumerate.js';
import type { RuledOutExample } from './outcomes.js';

/**
 * The relations a reader knows, most telling first: an edge is named by the first that holds it
 * (a barrier's order is `bob`, though `po` holds it too).
 */
const EDGE_NAMES = ['rf', 'co', 'fr', 'bob', 'dob', 'aob', 'pob', 'dsb-ob', 'ifb-ob', 'arrival', 'device-order', 'dsb-completion', 'reset-by', 'tlbi-ob', 'completions-after-dma', 'arr', 'haz-ob'];

/** The relations an edge may be named by: the known ones in EDGE_NAMES order, then all by size. */
export interface EdgeNames {
  readonly known: readonly (readonly [string, Relation])[];
  readonly bySize: readonly (readonly [string, Relation])[];
}

/** The candidate's relations, gathered once for naming its edges. */
export function edgeNames(c: CandidateExecution): EdgeNames {
  const all: Record<string, Relation> = { rf: c.dynamic.rf, co: c.dynamic.co, fr: c.dynamic.fr, arr: c.dynamic.arr, po: c.x.po, arrival: arrival(c.x), ...c.relations() };
  const known = EDGE_NAMES.flatMap((name) => (all[name] ? [[name, all[name]] as const] : []));
  const bySize = Object.entries(all).map(([name, r]) => [name, r, r.pairs().length] as const).sort((x, y) => x[2] - y[2]).map(([name, r]) => [name, r] as const);
  return { known, bySize };
}

/** The name of a relation holding a -> b: a known one, else the smallest, else '?'. */
export function edgeName(names: EdgeNames, a: number, b: number): string {
  return (names.known.find(([, r]) => r.has(a, b)) ?? names.bySize.find(([, r]) => r.has(a, b)))?.[0] ?? '?';
}

/** The events of the example's cycle and the name of each edge (edge k runs from k to k+1). */
export interface NamedCycle {
  readonly events: readonly number[];
  readonly edges: readonly string[];
}

export function ruledOutCycle(example: RuledOutExample): NamedCycle | undefined {
  const { candidate: c, relation } = example;
  let cycle = relation?.findCycle();
  if (!cycle) return undefined;
  const names = edgeNames(c);
  // An irreflexive check's pair (a, a) is a composition: show it through an event b that
  // program order or relations a reader knows put after a and before it again.
  if (cycle.length === 1) {
    const a = cycle[0]!;
    const known = (u: number, v: number) => c.x.po.has(u, v) || names.known.some(([, r]) => r.has(u, v));
    const b = [...Array(c.x.n).keys()].find((v) => v !== a && known(a, v) && known(v, a));
    if (b === undefined) return undefined;
    cycle = [a, b];
  }
  const events = cycle;
  return { events, edges: events.map((a, k) => edgeName(names, a, events[(k + 1) % events.length]!)) };
}
