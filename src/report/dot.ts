/**
 * A witness execution as a Graphviz dot graph: one cluster per thread, events as nodes
 * (`a: W x=1`), and the relations that explain the outcome: po (black), rf (red), co (blue),
 * fr (orange), and the model's ordered-before edges that are not program order (green, dashed).
 */
import type { Program } from '../events/program.js';
import { evaluate } from '../events/sym.js';
import type { Relation } from '../execution/relation.js';
import type { CandidateExecution } from '../search/enumerate.js';
import { sourceLine } from './timeline.js';

function eventLabel(c: CandidateExecution, program: Program, i: number): string {
  const e = c.x.events[i]!;
  const letter = String.fromCharCode(97 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '');
  if (e.kind === 'F' || e.kind === 'E') return `${letter}: ${e.text}`;
  const loc = program.locations.formatAddress(e.addr);
  if (e.kind === 'R') return `${letter}: R${e.order === 'plain' ? '' : e.order}${e.exclusive ? 'X' : ''} ${loc}=${program.locations.formatValue(c.values[i]!)}`;
  const v = evaluate(e.value, c.varValue);
  const tag = e.thread < 0 ? 'Winit' : `W${e.order === 'L' ? 'L' : ''}${e.exclusive ? 'X' : ''}`;
  return `${letter}: ${tag} ${loc}=${v === undefined ? '?' : program.locations.formatValue(v)}`;
}

const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

/** What the graph shows, as its title: the test, its condition and verdict. */
export interface DotTitle {
  readonly condition: string | undefined;
  readonly observation: string;
  /** For a Never: the check that rules this execution out, and its cycle (drawn in bold red). */
  readonly ruledOutBy?: string;
  readonly cycle?: readonly number[] | undefined;
  /** The test's text (a C test's nodes show their C statements). */
  readonly source?: string;
}

/** The legend: what each colour of edge means. */
const LEGEND = [
  ['po', 'black', 'program order'],
  ['rf', 'red', 'reads-from'],
  ['co', 'blue', 'coherence'],
  ['fr', 'orange', 'from-reads'],
  ['dob/aob/bob', 'darkgreen', 'ordered-before (dependency, atomic, barrier)'],
  ['arr', 'purple', 'arrival order at an endpoint'],
] as const;

/** The dot text of one witness. */
export function witnessDot(program: Program, c: CandidateExecution, title?: DotTitle): string {
  const { x } = c;
  // Title lines: the test, its condition, its verdict (short lines: renderers' fonts run wider).
  const verdict = title?.ruledOutBy ? `${title.observation}: this execution would satisfy it, and ${title.ruledOutBy} rules it out` : title ? `${title.observation}: this execution satisfies the condition` : undefined;
  const heading = [program.test.name, title?.condition, verdict].filter((l) => l !== undefined).map(esc).join('\\n');
  const out: string[] = [
    `digraph "${esc(program.test.name)}" {`,
    '  rankdir=TB; fontname="Helvetica"; node [shape=box, fontname="Courier"]; edge [fontname="Courier", fontsize=10];',
    `  labelloc=t; label="${heading}";`,
  ];
  // The legend: one node holding a table, one row per kind of edge.
  const rows = LEGEND.map(([name, colour, meaning]) => `<TR><TD ALIGN="LEFT"><FONT COLOR="${colour}">${name}</FONT>&nbsp;&nbsp;&nbsp;</TD><TD ALIGN="LEFT">${meaning}&nbsp;&nbsp;&nbsp;</TD></TR>`).join('');
  out.push(`  legend [shape=none, fontname="Helvetica", fontsize=10, label=<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2">${rows}</TABLE>>];`);
  const inits = [...x.IW];
  if (inits.length) {
    out.push('  subgraph cluster_init { label="init"; style=dotted;');
    for (const i of inits) out.push(`    e${i} [label="${esc(eventLabel(c, program, i))}"];`);
    out.push('  }');
  }
  x.paths.forEach((p, t) => {
    const name = program.test.threads.find((t) => t.id === p.thread)?.name ?? `P${p.thread}`;
    out.push(`  subgraph cluster_${p.thread} { label="${esc(name)}";`);
    for (let k = 0; k < p.events.length; k++) {
      const i = x.offsets[t]! + k;
      const e = p.events[k]!;
      // A barrier's label is its text already; an access shows its instruction under it.
      // A kernel C test shows its C statement, not the instruction it lowers to.
      const shown = (program.test.arch === 'C' && e.span ? sourceLine(title?.source, e.span.line) : undefined) ?? e.text;
      const label = e.kind === 'F' || e.kind === 'E' ? esc(eventLabel(c, program, i)) : `${esc(eventLabel(c, program, i))}\\n${esc(shown)}`;
      out.push(`    e${i} [label="${label}"];`);
    }
    out.push('  }');
  });
  const edges = (r: Relation, label: string, attrs: string, skip?: Relation) => {
    for (const [a, b] of r.pairs()) if (!skip?.has(a, b)) out.push(`  e${a} -> e${b} [label="${label}", ${attrs}];`);
  };
  // Immediate program order only, to keep the picture readable.
  edges(x.po.minus(x.po.seq(x.po)), 'po', 'color=black');
  edges(c.dynamic.rf, 'rf', 'color=red, fontcolor=red');
  edges(c.dynamic.co.minus(c.dynamic.co.seq(c.dynamic.co)), 'co', 'color=blue, fontcolor=blue');
  edges(c.dynamic.fr.minus(c.dynamic.fr.seq(c.dynamic.co)), 'fr', 'color=orange, fontcolor=orange');
  const rels = c.relations();
  for (const name of ['dob', 'aob', 'bob']) {
    const r = rels[name];
    if (r) edges(r.minus(r.seq(r)), name, 'color=darkgreen, fontcolor=darkgreen, style=dashed');
  }
  // Endpoint effects (arrivals, resets) and each endpoint's arrival order, slot by slot.
  const placedOutside = [...Array(x.n).keys()].filter((i) => x.threadOf[i] === -2 || (x.arrivalOf[i]! >= 0));
  for (const i of placedOutside) {
    if (c.dynamic.slotOf[i]! < 0) continue;
    const fate = c.dynamic.discarded[i] ? ' (discarded)' : '';
    out.push(`  e${i} [label="${esc(eventLabel(c, program, i) + fate)}", style=rounded];`);
    // A store is issued by its thread and takes effect when it arrives.
    if (x.arrivalOf[i]! >= 0) out.push(`  e${x.arrivalOf[i]} -> e${i} [label="arrives", style=dotted];`);
  }
  for (const t of c.timelines) {
    for (let k = 0; k + 1 < t.slots.length; k++) out.push(`  e${t.slots[k]![0]} -> e${t.slots[k + 1]![0]} [label="arr ${esc(t.endpoint)}", color=purple, fontcolor=purple];`);
    for (const slot of t.slots) for (let j = 1; j < slot.length; j++) if (x.arrivalOf[slot[j]!]! >= 0 && x.arrivalOf[slot[0]!]! >= 0) out.push(`  e${slot[0]} -> e${slot[j]} [label="gathered", dir=none, color=purple, style=bold];`);
  }
  const cycle = title?.cycle;
  if (cycle) cycle.forEach((a, k) => out.push(`  e${a} -> e${cycle[(k + 1) % cycle.length]} [label="${esc(title!.ruledOutBy ?? 'cycle')}", color=red, fontcolor=red, penwidth=3];`));
  out.push('}');
  return out.join('\n') + '\n';
}
