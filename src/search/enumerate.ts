/**
 * Exhaustive search for the consistent executions of a program, pruning as it goes.
 *
 * For each choice of one control-flow path per thread (device programs also cut short where a
 * reset may stop them), the search decides, in this order:
 * 1. each endpoint's arrival order (arrival.ts): transactions slot by slot, which fixes the
 *    registers' reads-from and coherence, what was discarded, and what was gathered;
 * 2. reads-from of host-memory reads, read by read;
 * 3. coherence of host memory, write by write, inserted into each location's order.
 * After every decision it asks the model whether the partial execution already violates an axiom;
 * all axioms are monotone, so a violated partial execution is cut with everything below it.
 * Complete executions get their values solved from rf, their path conditions checked, and are
 * handed to the visitor.
 */
import type { ThreadPath } from '../events/event.js';
import { interruptsAgree } from '../events/interrupts.js';
import { buildExecution, type Execution } from '../execution/execution.js';
import type { Dynamic, Model, PreparedModule } from '../model/model.js';
import { Relation, ScratchRelation } from '../execution/relation.js';
import { ValueError, type Val } from '../events/value.js';
import type { Program } from '../events/program.js';
import { DEFAULT_ASSUMPTIONS, type Assumptions } from '../model/assumptions.js';
import { ArrivalSearch, type EndpointTimeline } from './arrival.js';
import { readChoices } from './read-choices.js';
import { constraintsByVariable, contradictsConditions, readAccesses, solveValues, THIN_AIR, type Solved } from './solve-values.js';
import { threadChoices } from '../execution/path-variants.js';

/** Why a test whose model allows a value out of thin air is refused. */
const THIN_AIR_MESSAGE = 'unsupported: the model allows an execution in which a value comes out of thin air (it depends on itself through reads-from and the threads\' data flow, as through a plain access under the LKMM); herd7 shows such a value as a symbol, iolitmus does not model it';

export interface SearchLimits {
  /**
   * Stop after this many candidate executions examined — consistent ones, and those an axiom or
   * the values ruled out — (the result is then partial).
   */
  readonly maxExecutions?: number;
  /** Stop after this many milliseconds (the result is then partial). */
  readonly timeoutMs?: number;
  /** Clock for the timeout (the core has no Node or DOM timers of its own). */
  readonly now?: () => number;
  /** Platform assumptions (fabric ordering, RO...); defaults in model/assumptions.ts. */
  readonly assumptions?: Assumptions;
  /**
   * Cut partial executions that already violate an axiom (default). Off, every axiom is checked on
   * complete executions only: slower, and the same results — the test of pruning's soundness.
   */
  readonly prune?: boolean;
  /**
   * Also hand over complete candidates a check rules out, with the check's name (pruning is then
   * off, so every candidate is complete): what explains a Never. Return false to stop.
   */
  readonly ruledOut?: (c: CandidateExecution, check: string) => boolean;
  /** Told how many candidates have been examined so far, about every 100 ms of a long search. */
  readonly progress?: (examined: number) => void;
}

export type { EndpointTimeline } from './arrival.js';

/** A complete, consistent execution, as handed to the visitor. */
export interface CandidateExecution {
  readonly x: Execution;
  /** Flags the model raises on this execution (herd's `flag` checks). */
  readonly flags: readonly string[];
  /** rf source (write event) of each read event; -1 for non-reads and absent reads, ABORTED for discarded ones. */
  readonly rf: readonly number[];
  /** Coherence order per address, initial write first. */
  readonly co: ReadonlyMap<number, readonly number[]>;
  /** Value read by each read event (undefined for non-reads; a byte for a byte of a mixed-size read). */
  readonly values: readonly (Val | undefined)[];
  /** The value of a read access by its variable id (what registers are computed from). */
  readonly varValue: (id: number) => Val | undefined;
  readonly dynamic: Dynamic;
  /** Arrival order at each endpoint (empty without devices). */
  readonly timelines: readonly EndpointTimeline[];
  /** The model's named relations on this execution (for witness graphs), computed when asked. */
  readonly relations: () => Readonly<Record<string, Relation>>;
  /** For a candidate a check ruled out: the relation that check found wanting (its cycle, its pairs). */
  readonly violated: (check: string) => Relation | undefined;
}

export interface SearchStats {
  /** Consistent executions found. */
  executions: number;
  /** Partial executions cut by an axiom. */
  pruned: number;
  /** Complete rf choices rejected because values or path conditions disagree. */
  valueMismatches: number;
  /** Why the search stopped early, if it did. */
  partial: 'timeout' | 'max-executions' | 'paths' | undefined;
  /** How often each axiom cut a partial execution. */
  cuts: Record<string, number>;
}

/**
 * Visit every consistent execution of `program` under `model`. The visitor may return `false`
 * to stop the search.
 */
export function searchExecutions(program: Program, model: Model, visit: (c: CandidateExecution) => boolean | void, limits: SearchLimits = {}): SearchStats {
  const stats: SearchStats = { executions: 0, pruned: 0, valueMismatches: 0, partial: undefined, cuts: {} };
  const now = limits.now ?? Date.now;
  const deadline = limits.timeoutMs !== undefined ? now() + limits.timeoutMs : Infinity;
  const maxExec = limits.maxExecutions ?? Infinity;
  const assumptions = limits.assumptions ?? DEFAULT_ASSUMPTIONS;
  let stop = false;
  let reported = now();
  const tick = (): boolean => {
    // A step on a large execution can take milliseconds (it rebuilds co and fr and checks every
    // axiom), so the clock is read at every one: a read costs far less than the cheapest step.
    const t = now();
    if (limits.progress !== undefined && t - reported >= 100) {
      reported = t;
      limits.progress(stats.executions + stats.pruned + stats.valueMismatches);
    }
    if (t > deadline) {
      stats.partial = 'timeout';
      stop = true;
    }
    // The work bound counts every candidate examined, consistent or not, so that a test whose
    // candidates are all ruled out still ends.
    if (!stop && stats.executions + stats.pruned + stats.valueMismatches >= maxExec) {
      stats.partial = 'max-executions';
      stop = true;
    }
    return stop;
  };

  const addresses = collectAddresses(program);
  const choices = threadChoices(program);
  // Fault variants beyond the bound were not made: what was found is a lower bound.
  if (choices.partial) stats.partial = 'paths';
  for (const combo of product(choices.threads)) {
    if (stop || tick()) break;
    // A handler runs exactly when its MSI was written.
    if (!interruptsAgree(combo, program.topology)) continue;
    const x = buildExecution(combo, addresses, program.initValues, program.topology, program.mixed ? program.cells : undefined, program.vmsa);
    const first = model.modules.map((m) => m.prepare(x, assumptions));
    // A model's `with` statements make several candidates of one execution (herd's TLBI-after).
    const alternatives = first.reduce((n, m) => n * m.alternatives, 1);
    for (let k = 0; k < alternatives && !stop; k++) {
      let below = 1;
      const digit = (i: number) => {
        const d = Math.floor(k / below) % first[i]!.alternatives;
        below *= first[i]!.alternatives;
        return d;
      };
      const modules = k === 0 ? first : model.modules.map((m, i) => m.prepare(x, assumptions, digit(i)));
      searchModules(x, modules);
    }
  }
  return stats;

  function searchModules(x: Execution, modules: readonly PreparedModule[]): void {
    const ruledOut = limits.ruledOut && ((c: CandidateExecution, check: string) => {
      if (!limits.ruledOut!(c, check)) stop = true;
      return !stop;
    });
    searchOne(x, modules, assumptions, (c) => {
      stats.executions++;
      if (visit(c) === false) stop = true;
      if (stats.executions >= maxExec && !stop) {
        stats.partial = 'max-executions';
        stop = true;
      }
      return !stop;
    }, stats, tick, ruledOut ? false : (limits.prune ?? true), ruledOut);
  }
}

/** Every address the program initialises, names or accesses (each gets an initial write). */
function collectAddresses(program: Program): number[] {
  const set = new Set<number>();
  for (const name of program.locations.all()) set.add(program.locations.addressOf(name));
  for (const a of program.initValues.keys()) set.add(a);
  for (const paths of program.threads) for (const p of paths) for (const e of p.events) if (e.kind === 'R' || e.kind === 'W') set.add(e.addr);
  return [...set].sort((a, b) => a - b);
}

/** All combinations of one path per thread. */
function* product(threads: readonly (readonly ThreadPath[])[]): Generator<ThreadPath[]> {
  const idx = threads.map(() => 0);
  if (threads.some((t) => t.length === 0)) return;
  for (;;) {
    yield threads.map((t, i) => t[idx[i]!]!);
    let k = threads.length - 1;
    while (k >= 0 && ++idx[k]! >= threads[k]!.length) idx[k--] = 0;
    if (k < 0) return;
  }
}

const NO_FLAGS: readonly string[] = [];

function searchOne(
  x: Execution,
  modules: readonly PreparedModule[],
  assumptions: Assumptions,
  emit: (c: CandidateExecution) => boolean,
  stats: SearchStats,
  tick: () => boolean,
  prune: boolean,
  ruledOut?: (c: CandidateExecution, check: string) => boolean,
): void {
  // Only models with flag checks are asked for flags: the others cost nothing per execution here.
  const flagging = modules.filter((m) => m.flags !== undefined);
  const { n, events } = x;
  // rf choices: per read access, the writes its event(s) may read (read-choices.ts).
  const choices = readChoices(x);
  const rf: number[] = new Array<number>(n).fill(-1);
  const accesses = readAccesses(events);
  const byVariable = constraintsByVariable(x);

  // Coherence: one chain per address, the initial write first. Host-memory writes not yet placed
  // are only known to follow the initial write; register chains come from the arrival orders.
  const addrs = [...x.writesByAddr.keys()];
  const chains = new Map<number, number[]>(addrs.map((a) => [a, [x.writesByAddr.get(a)![0]!]]));
  for (const [a, init] of x.registerInit) chains.set(a, [init]);
  const toPlace: [number, number][] = [];
  for (const a of addrs) for (const w of x.writesByAddr.get(a)!.slice(1)) toPlace.push([a, w]);
  const arrivals = new ArrivalSearch(x, rf, chains, assumptions.deviceInOrder, Number(assumptions.wcBlock));

  // The dynamic relations live in buffers reused for every check (modules must not keep them);
  // complete executions handed to the visitor get frozen copies.
  const rfBuf = new ScratchRelation(n);
  const coBuf = new ScratchRelation(n);
  const frBuf = new ScratchRelation(n);
  const view: Dynamic = { rf: new Relation(n, rfBuf.bits), co: new Relation(n, coBuf.bits), fr: new Relation(n, frBuf.bits), arr: new Relation(n, arrivals.arr.bits), slotOf: arrivals.slotOf, discarded: arrivals.discarded };
  const dynamic = (): Dynamic => {
    rfBuf.clear();
    coBuf.clear();
    frBuf.clear();
    for (const chain of chains.values()) {
      for (let i = 0; i < chain.length; i++) for (let j = i + 1; j < chain.length; j++) coBuf.add(chain[i]!, chain[j]!);
    }
    for (const [a, w] of toPlace) {
      const init = chains.get(a)![0]!;
      coBuf.add(init, w); // every write follows the initial write, placed or not
    }
    // fr = rf⁻¹; co: a read is fr-before every write co-after the write it reads from.
    for (let r = 0; r < n; r++) {
      const src = rf[r]!;
      if (src < 0) continue;
      rfBuf.add(src, r);
      frBuf.copyRow(r, coBuf, src);
    }
    return view;
  };
  const frozen = (): Dynamic => {
    dynamic();
    return { rf: rfBuf.freeze(), co: coBuf.freeze(), fr: frBuf.freeze(), arr: arrivals.arr.freeze(), slotOf: arrivals.slotOf.slice(), discarded: arrivals.discarded.slice() };
  };
  /** The first axiom `d` violates, by `test` of each module; counted as a cut. */
  const violation = (test: (m: PreparedModule) => string | undefined): string | undefined => {
    for (const m of modules) {
      const failed = test(m);
      if (failed !== undefined) {
        stats.pruned++;
        stats.cuts[failed] = (stats.cuts[failed] ?? 0) + 1;
        return failed;
      }
    }
    return undefined;
  };
  // With pruning, the monotone axioms are checked after every choice and cut a partial execution;
  // without (the soundness check of pruning), every axiom is checked once, on complete executions.
  const consistent = (d: Dynamic): boolean => !prune || violation((m) => m.check(d)) === undefined;
  const completeViolation = (d: Dynamic): string | undefined => violation((m) => (prune ? m.checkComplete?.(d) : m.checkComplete?.(d) ?? m.check(d)));

  let solved: Solved | undefined;
  /** The reads-from being completed leaves a value out of thin air: only whether the model allows it matters. */
  let thinAir = false;
  const solve = (): boolean => {
    const s = solveValues(x, rf, accesses);
    thinAir = s === THIN_AIR;
    solved = s === THIN_AIR ? undefined : s;
    if (thinAir) return true;
    if (solved === undefined) return false;
    // A path that stopped at an address which is no location: this execution would use it.
    for (const p of x.paths) if (p.stray !== undefined) throw new ValueError(p.stray);
    if (x.stray !== undefined) throw new ValueError(x.stray);
    return true;
  };

  /** The complete candidate as it stands (its flags only if consistent). */
  const complete = (ruled: boolean): CandidateExecution => {
    const d = frozen();
    const co = new Map<number, readonly number[]>();
    for (const [a, c] of chains) co.set(a, c.slice());
    const flags = ruled || flagging.length === 0 ? NO_FLAGS : flagging.flatMap((m) => m.flags!(d));
    const relations = () => Object.assign({}, ...modules.map((m) => m.relations(d))) as Record<string, Relation>;
    const violated = (check: string) => modules.map((m) => m.violated?.(d, check)).find((r) => r !== undefined);
    return { x, flags, rf: rf.slice(), co, values: solved!.values.slice(), varValue: solved!.varValue, dynamic: d, timelines: arrivals.timelines(), relations, violated };
  };

  let stop = false;
  const placeCo = (k: number): void => {
    if (stop || tick()) {
      stop = true;
      return;
    }
    if (k === toPlace.length) {
      const failed = completeViolation(dynamic());
      // A value out of thin air that the model allows: herd shows it as a symbol; iolitmus has no
      // such values, and dropping the execution would answer wrongly.
      if (thinAir && failed === undefined) throw new ValueError(THIN_AIR_MESSAGE);
      if (thinAir) return;
      if (failed !== undefined && !ruledOut) return;
      // A consistent execution in which a thread uses what a faulting load left: not modelled.
      if (failed === undefined) for (const p of x.paths) if (p.faultValue !== undefined) throw new ValueError(p.faultValue);
      const candidate = complete(failed !== undefined);
      if (!(failed === undefined ? emit(candidate) : ruledOut!(candidate, failed))) stop = true;
      return;
    }
    const [a, w] = toPlace[k]!;
    const chain = chains.get(a)!;
    for (let pos = 1; pos <= chain.length && !stop; pos++) {
      chain.splice(pos, 0, w);
      if (consistent(dynamic())) placeCo(k + 1);
      chain.splice(pos, 1);
    }
  };
  const chooseRf = (i: number): void => {
    if (stop || tick()) {
      stop = true;
      return;
    }
    if (i === choices.length) {
      if (!solve()) {
        stats.valueMismatches++;
        return;
      }
      placeCo(0);
      return;
    }
    const { reads, options } = choices[i]!;
    // The path conditions on this read's value, checked as soon as it is known (a translation's
    // outcome, a branch taken): a contradicted one has no completion.
    const conds = prune ? byVariable.get((events[reads[0]!] as { id: number }).id) : undefined;
    for (const ws of options) {
      reads.forEach((r, k) => (rf[r] = ws[k]!));
      if (conds !== undefined && contradictsConditions(x, rf, accesses, conds)) stats.valueMismatches++;
      else if (consistent(dynamic())) chooseRf(i + 1);
      if (stop) break;
    }
    for (const r of reads) rf[r] = -1;
  };
  // Arrival orders first: they decide the registers; then host memory.
  if (!consistent(dynamic())) return;
  arrivals.run(
    () => consistent(dynamic()),
    () => {
      chooseRf(0);
      return !stop;
    },
    () => stop || tick(),
  );
}
