/**
 * The witness's device timeline (`check --explain`): per endpoint, the transactions that arrived
 * in order, each labelled with the instruction it came from and its memory type; plus how each
 * mapping's memory type was decided, and — when no execution shows the condition — which axioms
 * ruled the candidates out.
 */
import type { Program } from '../events/program.js';
import { evaluate } from '../events/sym.js';
import type { Event } from '../events/event.js';
import { registerSpace } from '../events/topology.js';
import { formatMemoryType } from '../platform/memory-type.js';
import { byteSpan } from '../platform/pcie-tlp.js';
import type { CandidateExecution } from '../search/enumerate.js';
import type { RuledOutExample, RuledOutSearch, TestResult } from '../search/outcomes.js';
import { ruledOutCycle } from '../search/ruled-out-cycle.js';
import { translationLines } from './translation-text.js';
import type { AxiomInfo } from '../model/model.js';

export interface TimelineEvent {
  /** `P0`, a device column's name, or the endpoint (resets, FLR completion). */
  readonly agent: string;
  /** The instruction (or effect) as text. */
  readonly what: string;
  readonly kind: 'write' | 'read' | 'speculative-read' | 'dma-read' | 'dma-write' | 'reset' | 'flr-done' | 'clear';
  readonly location: string | null;
  readonly value: number | string | null;
  readonly memoryType: string | null;
  readonly discarded: boolean;
}

export interface EndpointTimelineJson {
  readonly endpoint: string;
  readonly bus: string;
  /** One entry per transaction, in arrival order; a transaction of several writes was gathered. */
  readonly transactions: readonly (readonly TimelineEvent[])[];
  /** For each transaction of several writes, the one request that carried them (`nic.bar2 0x0..0xb, 3 DW`); else null. */
  readonly carried: readonly (string | null)[];
}

/** The request that carried a gathered transaction: its space, byte range and DW count (PCIe) or bytes (platform). */
function carriedBy(program: Program, c: CandidateExecution, slot: readonly number[]): string | null {
  const stores = slot.map((i) => c.x.events[i]!).filter((e): e is Extract<Event, { kind: 'W' }> => e.kind === 'W');
  if (stores.length < 2) return null;
  const regs = stores.map((e) => program.topology.registers.get(e.addr));
  if (regs.some((r) => r === undefined)) return null;
  const { lo, hi, dws } = byteSpan(regs.map((r, k) => ({ offset: r!.offset, size: stores[k]!.size })));
  const r = regs[0]!;
  const space = registerSpace(r);
  const pcie = program.topology.endpoints.get(r.endpoint)?.bus === 'pcie';
  const hex = (n: number) => `0x${n.toString(16)}`;
  const size = pcie ? `${dws} DW` : `${hi - lo + 1} bytes`;
  return `${pcie ? 'one Memory Write TLP' : 'one bus write'}: ${space} ${hex(lo)}..${hex(hi)}, ${size}`;
}

function valueOfWrite(c: CandidateExecution, e: Extract<Event, { kind: 'W' }>): bigint | undefined {
  return evaluate(e.value, c.varValue);
}

/** The timelines of a witness execution, as data (the `--json` form). */
export function witnessTimelines(program: Program, result: TestResult, c: CandidateExecution): EndpointTimelineJson[] {
  const { x } = c;
  const agentOf = (i: number): string => {
    const t = x.threadOf[i]!;
    return t < 0 ? 'endpoint' : result.threadNames.get(t) ?? `P${t}`;
  };
  const show = (v: bigint | undefined): number | string | null => {
    if (v === undefined) return null;
    const text = program.locations.formatValue(v);
    return /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
  };
  return c.timelines.map((t) => {
    const ep = program.topology.endpoints.get(t.endpoint);
    const bus = ep ? (ep.bus === 'pcie' ? `PCIe via ${ep.path.join(' > ') || 'root complex'}` : 'platform bus') : 'unknown';
    const transactions = t.slots.map((slot) =>
      slot.flatMap((i): TimelineEvent[] => {
        const e = x.events[i]!;
        const discarded = c.dynamic.discarded[i] === true;
        if (e.kind === 'E') return [{ agent: t.endpoint, what: e.text, kind: 'flr-done', location: null, value: null, memoryType: null, discarded: false }];
        if (e.kind === 'F') return [];
        const location = program.locations.formatAddress(e.addr);
        const mt = e.target.kind === 'mmio' ? formatMemoryType(e.mem) : null;
        if (e.kind === 'R') {
          const kind = e.speculative ? 'speculative-read' : e.target.kind === 'memory' ? 'dma-read' : 'read';
          return [{ agent: agentOf(i), what: e.text, kind, location, value: show(c.values[i]), memoryType: mt, discarded }];
        }
        const isArrival = x.arrivalOf[i]! >= 0;
        const kind = x.threadOf[i] === -2 ? 'reset' : e.text.startsWith('clear on read') ? 'clear' : e.target.kind === 'memory' ? 'dma-write' : 'write';
        const what = isArrival ? x.events[x.arrivalOf[i]!]!.text : e.text;
        return [{ agent: agentOf(i), what, kind, location, value: show(valueOfWrite(c, e)), memoryType: mt, discarded }];
      }),
    );
    return { endpoint: t.endpoint, bus, transactions, carried: t.slots.map((slot) => carriedBy(program, c, slot)) };
  });
}

/**
 * The locations a CPU thread accesses with no mapping declared, and the memory type they get:
 * host memory is Normal-WB (ordinary kernel or user memory), a register Device-nGnRE (ioremap).
 */
function implicitMappings(program: Program): string[] {
  const out = new Map<string, string>();
  for (const paths of program.threads)
    for (const p of paths) {
      if (p.agent !== 'cpu') continue;
      for (const e of p.events) {
        if (e.kind !== 'R' && e.kind !== 'W') continue;
        const loc = program.locations.formatAddress(e.addr);
        const key = `${p.thread}:${loc}`;
        if (program.topology.mappings.has(key) || out.has(key)) continue;
        const what = e.target.kind === 'memory' ? 'memory' : 'a device register';
        out.set(key, `P${key}: no mapping declared, ${what}: ${formatMemoryType(e.mem)}`);
      }
    }
  return [...out.values()];
}

/** The `--explain` text for one test. */
/**
 * An event as a reader finds it in the test: its thread, its instruction and the line it is on —
 * for a kernel C test, the C statement (the instruction it lowers to in brackets).
 */
export function describeEvent(program: Program, c: CandidateExecution, i: number, source?: string): string {
  const e = c.x.events[i]!;
  const t = c.x.threadOf[i]!;
  const who = t >= 0 ? (program.test.threads.find((th) => th.id === t)?.name ?? `P${t}`) : t === -1 ? 'init' : 'endpoint';
  if (!e.span) return `${who}: ${e.text}`;
  const statement = program.test.arch === 'C' ? sourceLine(source, e.span.line) : undefined;
  return statement ? `${who}: ${statement} [${e.text}], line ${e.span.line}` : `${who}: ${e.text}, line ${e.span.line}`;
}

/** Line `n` (1-based) of the test's text, trimmed; undefined without the text. */
export function sourceLine(source: string | undefined, n: number): string | undefined {
  const line = source?.split('\n')[n - 1]?.trim();
  return line ? line : undefined;
}

/** Why the outcome never happens: a candidate that has it, the check ruling it out and its cycle or pairs. */
function formatRuledOut(program: Program, example: RuledOutExample, axioms: readonly AxiomInfo[], source?: string): string[] {
  const { candidate: c, check, relation } = example;
  const rule = axioms.find((a) => a.name === check)?.rule;
  const lines = [`An execution with this outcome is ruled out by ${check}${rule ? `: ${rule}` : ''}.`];
  if (!relation) return lines;
  const cycle = ruledOutCycle(example);
  if (cycle) {
    lines.push('  The cycle, edge by edge:');
    cycle.events.forEach((a, k) => {
      lines.push(`    ${describeEvent(program, c, a, source)}`);
      lines.push(`      --${cycle.edges[k]}-->`);
    });
    lines.push(`    ${describeEvent(program, c, cycle.events[0]!, source)}`);
    return lines;
  }
  const pairs = relation.pairs();
  lines.push(`  The pairs it forbids that this execution has${pairs.length > 4 ? ` (4 of ${pairs.length})` : ''}:`);
  for (const [a, b] of pairs.slice(0, 4)) lines.push(`    ${describeEvent(program, c, a, source)}  ->  ${describeEvent(program, c, b, source)}`);
  return lines;
}

export function formatExplanation(program: Program, result: TestResult, axioms: readonly AxiomInfo[] = [], ruledOut?: RuledOutSearch, source?: string): string {
  const lines: string[] = [];
  const maps = [...program.topology.mappings.entries()];
  const implicit = implicitMappings(program);
  if (maps.length || implicit.length) {
    lines.push('Mappings:');
    for (const [key, m] of maps) lines.push(`  P${key}: ${m.how}`);
    for (const l of implicit) lines.push(`  ${l}`);
  }
  lines.push(...translationLines(program));
  if (!result.witness) {
    const cuts = Object.entries(result.stats.cuts).sort((a, b) => b[1] - a[1]);
    lines.push(`No execution ${result.condition?.quantifier === 'forall' ? 'violates' : 'satisfies'} the condition.`);
    if (cuts.length) {
      // Each check that ruled candidates out, as the model states it and where.
      lines.push('Candidates ruled out by:');
      for (const [k, v] of cuts) {
        const rule = axioms.find((a) => a.name === k)?.rule;
        lines.push(`  ${k} (${v} candidate${v === 1 ? '' : 's'})${rule ? `: ${rule}` : ''}`);
      }
    }
    if (ruledOut?.example) lines.push(...formatRuledOut(program, ruledOut.example, axioms, source));
    // Without an example, say why: a bound stopped the search for one, or no candidate has the outcome.
    else if (ruledOut?.partial) lines.push(`No execution with this outcome was found before the search for one stopped (${ruledOut.partial}): no example to show.`);
    else if (ruledOut) lines.push('No candidate execution has this outcome at all: its values cannot arise, whatever the model.');
    return lines.join('\n') + '\n';
  }
  lines.push(result.condition?.quantifier === 'forall' ? 'Witness (an execution violating the condition):' : 'Witness (an execution satisfying the condition):');
  for (const t of witnessTimelines(program, result, result.witness)) {
    lines.push(`  ${t.endpoint} (${t.bus}):`);
    t.transactions.forEach((tx, k) => {
      tx.forEach((ev, j) => {
        const head = j === 0 ? `${String(k + 1).padStart(4)}. ` : '      + ';
        const value = typeof ev.value === 'number' && program.test.radix === 16 ? program.locations.formatValue(BigInt(ev.value), 16) : ev.value;
        const loc = ev.location !== null ? ` ${ev.location}=${value}` : '';
        const mt = ev.memoryType ? ` [${ev.memoryType}]` : '';
        const fate = ev.discarded ? '  (discarded)' : '';
        lines.push(`${head}${ev.agent}: ${ev.what}${mt} -- ${ev.kind}${loc}${fate}`);
      });
      const carried = t.carried[k];
      if (carried) lines.push(`      = ${carried}`);
    });
  }
  const memory = memoryLines(program, result, result.witness);
  if (memory.length) lines.push('  memory:', ...memory.map((l) => `  ${l}`));
  return lines.join('\n') + '\n';
}

/** The witness's reads-from and coherence order in host memory, one line per read and location. */
function memoryLines(program: Program, result: TestResult, c: CandidateExecution): string[] {
  const { x } = c;
  const who = (i: number) => {
    const e = x.events[i]!;
    if (x.threadOf[i] === -1) return 'init';
    return `${result.threadNames.get(x.threadOf[i]!) ?? `P${x.threadOf[i]}`}: ${e.text}`;
  };
  const out: string[] = [];
  for (const r of x.memoryReads) {
    const src = c.rf[r]!;
    if (src < 0) continue;
    const e = x.events[r]!;
    if (e.kind !== 'R') continue;
    out.push(`  ${who(r)} reads ${program.locations.formatAddress(e.addr)}=${program.locations.formatValue(c.values[r]!, program.test.radix)} from ${who(src)}`);
  }
  for (const [addr, chain] of c.co) {
    if (chain.length < 3 || program.topology.registers.has(addr)) continue;
    out.push(`  coherence of ${program.locations.formatAddress(addr)}: ${chain.map(who).join(' -> ')}`);
  }
  return out;
}
