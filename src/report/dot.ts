/**
 * A witness execution as a Graphviz dot graph: one column per thread, events as nodes
 * (`a: W x=1`), and the relations that explain the outcome: po (black), rf (red), co (blue),
 * fr (orange), the model's ordered-before edges that are not program order (green, dashed), and
 * each endpoint's arrival order (purple). Nodes are pinned (dot-layout.ts); `layout=neato` in the
 * file makes any Graphviz route the edges around them.
 */
import type { Program } from '../events/program.js';
import { evaluate } from '../events/sym.js';
import type { Relation } from '../execution/relation.js';
import type { CandidateExecution } from '../search/enumerate.js';
import { sourceLine } from './timeline.js';
import { type Cell, type Column, layout } from './dot-layout.js';

function eventLabel(c: CandidateExecution, program: Program, i: number): string {
  const e = c.x.events[i]!;
  const letter = String.fromCharCode(97 + (i % 26)) + (i >= 26 ? String(Math.floor(i / 26)) : '');
  if (e.kind === 'F' || e.kind === 'E') return `${letter}: ${e.text}`;
  const loc = program.locations.formatAddress(e.addr);
  if (e.kind === 'R') return `${letter}: R${e.order === 'plain' ? '' : e.order}${e.exclusive ? 'X' : ''} ${loc}=${program.locations.formatValue(c.values[i]!, program.test.radix)}`;
  const v = evaluate(e.value, c.varValue);
  const tag = e.thread < 0 ? 'Winit' : `W${e.order === 'L' ? 'L' : ''}${e.exclusive ? 'X' : ''}`;
  return `${letter}: ${tag} ${loc}=${v === undefined ? '?' : program.locations.formatValue(v, program.test.radix)}`;
}

const html = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
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

/** The legend: one node holding a table, one row per kind of edge. */
const legendAttrs = `shape=none, fontname="Helvetica", fontsize=10, label=<<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="4">${LEGEND.map(([name, colour, meaning]) => `<TR><TD ALIGN="LEFT"><FONT COLOR="${colour}">${name}</FONT></TD><TD ALIGN="LEFT">${meaning}</TD></TR>`).join('')}</TABLE>>];`;
const LEGEND_WIDTH = 330;

/**
 * Each node's label lines, and the columns they go in: the threads in the order the test declares
 * them, each endpoint's effects (arrivals, resets) in the order they took effect: in the column of
 * the device program whose accesses share that order, or in a column of their own.
 */
function placement(program: Program, c: CandidateExecution, source: string | undefined) {
  const { x } = c;
  const lines = new Map<number, string[]>();
  const rowOf = new Map<number, number>();
  const columnOf = new Map<number, number>();
  const declared = (thread: number) => program.test.threads.findIndex((t) => t.id === thread);
  const paths = x.paths.map((p, t) => ({ p, t })).sort((a, b) => declared(a.p.thread) - declared(b.p.thread));
  const columns: { header: string; cells: Cell[] }[] = paths.map(({ p, t }, col) => ({
    header: program.test.threads.find((th) => th.id === p.thread)?.name ?? `P${p.thread}`,
    cells: p.events.map((e, k) => {
      const i = x.offsets[t]! + k;
      rowOf.set(i, k);
      columnOf.set(i, col);
      // A barrier's label is its text already; an access shows its instruction under it, and a
      // kernel C test its C statement, not the instruction it lowers to.
      const shown = (program.test.arch === 'C' && e.span ? sourceLine(source, e.span.line)?.replace(/\s+/g, ' ') : undefined) ?? e.text;
      const l = e.kind === 'F' || e.kind === 'E' ? [eventLabel(c, program, i)] : [eventLabel(c, program, i), shown];
      lines.set(i, l);
      return { event: i, lines: l };
    }),
  }));
  const init = [...x.IW].map((i) => {
    lines.set(i, [eventLabel(c, program, i)]);
    return { event: i, lines: lines.get(i)! };
  });
  const effect = (i: number): Cell => {
    const l = [eventLabel(c, program, i) + (c.dynamic.discarded[i] ? ' (discarded)' : '')];
    lines.set(i, l);
    const issuer = x.arrivalOf[i]!;
    return { event: i, lines: l, ...(issuer >= 0 && rowOf.has(issuer) ? { row: rowOf.get(issuer)! } : {}) };
  };
  for (const t of c.timelines) {
    const order = t.slots.flat();
    const device = paths.findIndex(({ p }) => program.test.threads.find((th) => th.id === p.thread && th.agent === 'device')?.name === t.endpoint);
    if (device < 0) {
      const cells = order.filter((i) => !lines.has(i)).map(effect);
      if (cells.length) columns.push({ header: `at ${t.endpoint}`, cells });
      continue;
    }
    // Each effect goes just above the device access that follows it in the endpoint's order.
    const cells = columns[device]!.cells;
    let pending: Cell[] = [];
    for (const i of order) {
      if (!lines.has(i)) pending.push(effect(i));
      else if (columnOf.get(i) === device && pending.length) {
        cells.splice(cells.findIndex((cell) => cell.event === i), 0, ...pending);
        pending = [];
      }
    }
    cells.push(...pending);
  }
  return { lines, columns: columns as Column[], init };
}

/** One drawn edge: what it is and its colour; `style` is Graphviz's (dashed, dotted ...). */
interface Edge {
  readonly label: string;
  readonly colour: string;
  readonly style?: string;
}

/**
 * The edges, one arrow per pair of events: relations that hold the same pair share the arrow, each
 * named in its colour, and the arrows of a ruled-out execution's cycle are drawn bold red.
 */
function edgeLines(c: CandidateExecution, nodes: ReadonlyMap<number, unknown>, title?: DotTitle): string[] {
  const { x } = c;
  const byPair = new Map<string, Edge[]>();
  const add = (a: number, b: number, e: Edge) => {
    const key = `${a},${b}`;
    byPair.set(key, [...(byPair.get(key) ?? []), e]);
  };
  const edges = (r: Relation, label: string, colour: string, style?: string) => {
    for (const [a, b] of r.pairs()) add(a, b, { label, colour, ...(style ? { style } : {}) });
  };
  // Immediate program order only, to keep the picture readable.
  edges(x.po.minus(x.po.seq(x.po)), 'po', 'black');
  edges(c.dynamic.rf, 'rf', 'red');
  edges(c.dynamic.co.minus(c.dynamic.co.seq(c.dynamic.co)), 'co', 'blue');
  edges(c.dynamic.fr.minus(c.dynamic.fr.seq(c.dynamic.co)), 'fr', 'orange');
  const rels = c.relations();
  for (const name of ['dob', 'aob', 'bob']) {
    const r = rels[name];
    if (r) edges(r.minus(r.seq(r)), name, 'darkgreen', 'dashed');
  }
  // A store is issued by its thread and takes effect when it arrives.
  for (const i of nodes.keys()) if (x.arrivalOf[i]! >= 0) add(x.arrivalOf[i]!, i, { label: 'arrives', colour: 'black', style: 'dotted' });
  for (const t of c.timelines) {
    for (let k = 0; k + 1 < t.slots.length; k++) add(t.slots[k]![0]!, t.slots[k + 1]![0]!, { label: `arr ${t.endpoint}`, colour: 'purple' });
    for (const slot of t.slots) for (let j = 1; j < slot.length; j++) if (x.arrivalOf[slot[j]!]! >= 0 && x.arrivalOf[slot[0]!]! >= 0) add(slot[0]!, slot[j]!, { label: 'gathered', colour: 'purple', style: 'bold' });
  }
  const cycle = new Set(title?.cycle?.map((a, k, all) => `${a},${all[(k + 1) % all.length]}`));
  // A cycle edge no drawn relation holds (an ordering the model derives) is named by its check.
  for (const key of cycle) if (!byPair.has(key)) byPair.set(key, [{ label: title?.ruledOutBy ?? 'cycle', colour: 'red' }]);
  const out: string[] = [];
  for (const [key, es] of byPair) {
    const [a, b] = key.split(',');
    const label = es.map((e) => `<FONT COLOR="${e.colour}">${html(e.label)}</FONT>`).join(' ');
    const first = es[0]!;
    const gathered = first.label === 'gathered' ? ', dir=none' : '';
    const look = cycle.has(key) ? 'color=red, penwidth=3' : `color=${first.colour}${first.style ? `, style=${first.style}` : ''}`;
    out.push(`  e${a} -> e${b} [label=<${label}>, ${look}${gathered}];`);
  }
  return out;
}

/** The dot text of one witness. */
export function witnessDot(program: Program, c: CandidateExecution, title?: DotTitle): string {
  const { x } = c;
  // Title lines: the test, its condition, its verdict (short lines: renderers' fonts run wider).
  const verdict = title?.ruledOutBy ? [`${title.observation}: this execution would satisfy the condition;`, `${title.ruledOutBy} rules it out (the cycle in bold red)`] : title ? [`${title.observation}: this execution satisfies the condition`] : [];
  const headingLines = [program.test.name, ...(title?.condition ? [title.condition] : []), ...verdict];
  const heading = headingLines.map(esc).join('\\n');
  const out: string[] = [
    `digraph "${esc(program.test.name)}" {`,
    // Pinned nodes (see dot-layout.ts): neato routes the edges around them.
    '  layout=neato; inputscale=72; splines=true; fontname="Helvetica"; node [shape=box, fontname="Courier"]; edge [fontname="Courier", fontsize=10];',
    `  labelloc=t; label="${heading}";`,
  ];
  const { lines, columns, init } = placement(program, c, title?.source);
  const at = layout(columns, init);
  const pos = (i: number) => {
    const p = at.nodes.get(i);
    return p ? `pos="${p.x.toFixed(0)},${p.y.toFixed(0)}!", ` : '';
  };
  out.push(`  legend [pos="${(LEGEND_WIDTH / 2).toFixed(0)},${(at.bottom - 70).toFixed(0)}!", ` + legendAttrs);
  // Pinned nodes set the picture's width: an invisible point keeps it as wide as the title.
  const titleWidth = Math.max(...headingLines.map((l) => l.length)) * 7.5;
  out.push(`  width [shape=point, style=invis, pos="${titleWidth.toFixed(0)},${(at.bottom + 20).toFixed(0)}!"];`);
  at.headers.forEach((h, k) => out.push(`  column${k} [shape=plaintext, fontname="Helvetica", fontsize=16, height=0.3, margin=0, pos="${h.x.toFixed(0)},${h.y.toFixed(0)}!", label=<<B>${html(h.text)}</B>>];`));
  for (const [i, l] of lines) {
    // An endpoint's effects (arrivals, resets) have rounded corners; a discarded one says so.
    const style = x.threadOf[i] === -2 || x.arrivalOf[i]! >= 0 ? ', style=rounded' : '';
    out.push(`  e${i} [${pos(i)}label="${l.map(esc).join('\\n')}"${style}];`);
  }
  out.push(...edgeLines(c, lines, title));
  out.push('}');
  return out.join('\n') + '\n';
}
