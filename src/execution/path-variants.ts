/**
 * The path choices of each thread, beyond its control-flow paths:
 * - a device whose endpoint can be reset may be stopped by the reset part-way through its
 *   program: it also gets every prefix of its paths (marked `cut`), and the arrival search then
 *   requires a reset after the prefix's last action;
 * - a CPU access to an address another thread invalidates (TLBI) may fault: it gets variants in
 *   which such accesses are replaced by FAULT effects (docs/model.md, "Translation").
 */
import { variablesOf } from '../events/sym.js';
import type { LitmusTest, StateRef } from '../syntax/ast.js';
import { forEachAtom } from '../syntax/prop.js';
import { mayRemove, tlbiPositions } from '../events/tlbi-reach.js';
import { mapPathRelations, type Event, type ThreadPath } from '../events/event.js';
import type { Program } from '../events/program.js';
import { PathState } from '../events/path-state.js';
import { atomicPairs } from '../events/atomic-pairs.js';
import { setAf, spuriousConditions } from '../events/translation.js';
import { varId } from '../events/thread-exec.js';
import { descriptorOf } from '../events/value.js';
import { MEMORY } from '../events/event.js';
import { DEFAULT_MEMORY_TYPE } from '../events/topology.js';
import { SPURIOUS_THREAD } from './execution.js';

/** At most this many accesses of one path are considered for faulting (2^n variants). */
const MAX_FAULTABLE = 8;

/** Endpoints some write in the test can reset (FLR, a reset register, a reset controller). */
export function resettableEndpoints(program: Program): Set<string> {
  const out = new Set<string>();
  for (const r of program.topology.registers.values()) {
    if (r.attrs.flr || r.attrs.selfReset) out.add(r.endpoint);
    if (r.attrs.resets !== undefined) out.add(r.attrs.resets);
  }
  return out;
}

/** Each thread's paths, with fault variants and the prefixes of resettable devices' paths added. */
export function threadChoices(program: Program): { threads: (readonly ThreadPath[])[]; partial: boolean } {
  const out = withFaults(program, withCuts(program));
  const spurious = initialSpuriousUpdates(program);
  return spurious === undefined ? out : { ...out, threads: [...out.threads, spurious] };
}

/**
 * Under VMSA with hardware access flag management, herd lets the hardware update the AF of any
 * entry whose initial descriptor has it clear, spuriously, at any time: one choice per subset of
 * those entries, each entry of the subset updated once (by no thread).
 */
function initialSpuriousUpdates(program: Program): ThreadPath[] | undefined {
  if (!program.vmsa?.spurious) return undefined;
  const clear = [...program.vmsa.pte].filter((e) => descriptorOf(program.initValues.get(e) ?? 0n)?.af === false).sort((a, b) => a - b);
  if (clear.length === 0) return undefined;
  const origin = { thread: SPURIOUS_THREAD, text: 'spurious AF update', span: undefined };
  const classify = () => ({ target: MEMORY, mem: DEFAULT_MEMORY_TYPE });
  const paths: ThreadPath[] = [];
  for (let mask = 0; mask < 1 << clear.length; mask++) {
    const s = new PathState(SPURIOUS_THREAD);
    clear.forEach((e, i) => mask & (1 << i) && s.spuriousUpdate(origin, e, classify, (pos) => varId(SPURIOUS_THREAD, pos), setAf, spuriousConditions));
    paths.push({
      thread: SPURIOUS_THREAD, agent: 'cpu', endpoint: undefined, labels: new Map(), events: s.events, ...s.rel,
      ...atomicPairs(s.events, s.instanceOf, []), weight: 1, instances: s.instanceOf, constraints: s.constraints, regs: new Map(),
    });
  }
  return paths;
}

function withCuts(program: Program): (readonly ThreadPath[])[] {
  const resettable = resettableEndpoints(program);
  return program.threads.map((paths) => {
    const first = paths[0];
    if (!first || first.agent !== 'device' || first.endpoint === undefined || !resettable.has(first.endpoint)) return paths;
    const out: ThreadPath[] = [...paths];
    const seen = new Set<string>();
    for (const p of paths) {
      for (let k = 0; k < p.events.length; k++) {
        const cut = prefix(p, k);
        const key = prefixKey(cut);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(cut);
      }
    }
    return out;
  });
}

/** The first k events of a path, with what refers only to them. */
function prefix(p: ThreadPath, k: number): ThreadPath {
  return {
    ...mapPathRelations(p, (_, pairs) => pairs.filter(([a, b]) => a < k && b < k)),
    events: p.events.slice(0, k),
    instances: p.instances.slice(0, k),
    constraints: p.constraints.filter((c) => c.at < k),
    labels: new Map([...p.labels].filter(([, pos]) => pos < k)),
    cut: true,
  };
}

function prefixKey(p: ThreadPath): string {
  return JSON.stringify([p.events.map((e) => e.text), p.constraints.map((c) => [c.holds, c.at])]);
}

/**
 * Whether the access at position j of `own` may find its translation removed: by a TLBI of some
 * path of another thread, or by one of its own path before it.
 */
function invalidated(program: Program, own: ThreadPath, j: number, addr: number): boolean {
  const removes = (p: ThreadPath, k: number) => mayRemove(p, k, own.thread, addr, program.topology);
  if (tlbiPositions(own).some((k) => k < j && removes(own, k))) return true;
  return program.threads.some((paths) => paths.some((p) => p.thread !== own.thread && tlbiPositions(p).some((k) => removes(p, k))));
}

/** Add, for CPU paths, the variants where accesses to invalidated addresses fault. */
/** With more faultable accesses than the bound on a path, not every variant is made: partial. */
function withFaults(program: Program, threads: (readonly ThreadPath[])[]): { threads: (readonly ThreadPath[])[]; partial: boolean } {
  // Under VMSA, faults come from the descriptors a translation reads (translation.ts), not from here.
  if (program.vmsa !== undefined || !program.threads.some((paths) => paths.some((p) => tlbiPositions(p).length > 0))) return { threads, partial: false };
  let partial = false;
  const out = threads.map((paths) =>
    paths.flatMap((p) => {
      if (p.agent !== 'cpu') return [p];
      const observed = observedRegisters(program.test, p.thread);
      const all = p.events.flatMap((e, k) => ((e.kind === 'R' || e.kind === 'W') && invalidated(program, p, k, e.addr) ? [k] : []));
      if (all.length > MAX_FAULTABLE) partial = true;
      const faultable = all.slice(0, MAX_FAULTABLE);
      const variants: ThreadPath[] = [p];
      for (let mask = 1; mask < 1 << faultable.length; mask++) {
        const set = new Set(faultable.filter((_, i) => mask & (1 << i)));
        variants.push(faulted(p, set, observed));
      }
      return variants;
    }),
  );
  return { threads: out, partial };
}

/** The path with the accesses at `positions` replaced by FAULT effects (no memory effect). */
function faulted(p: ThreadPath, positions: ReadonlySet<number>, observed: ReadonlySet<number>): ThreadPath {
  const used = usedFaultedValue(p, positions, observed);
  const events = p.events.map((e, k): Event => {
    if (!positions.has(k) || (e.kind !== 'R' && e.kind !== 'W')) return e;
    return { kind: 'F', thread: e.thread, po: e.po, text: e.text, span: e.span, fence: { op: 'FAULT', domain: undefined, type: undefined, addr: e.addr } };
  });
  // A faulting access has no effect: its edges go; a control dependency still reaches the fault.
  const kept = mapPathRelations(p, (name, pairs) =>
    pairs.filter(([a, b]) => !positions.has(a) && ((name === 'ctrl' || name === 'pickCtrl') || !positions.has(b))));
  return { ...kept, events, ...(used ? { faultValue: used } : {}) };
}

/**
 * A load that faults writes nothing: where the thread goes on using its value (a dependency, or a
 * register the condition reads), what the value would be is not modelled (the handler could retry
 * the load, or skip it leaving the register as it was). Such an execution is an error.
 */
function usedFaultedValue(p: ThreadPath, positions: ReadonlySet<number>, observed: ReadonlySet<number>): string | undefined {
  const relations = [p.addr, p.data, p.ctrl, p.pickAddr, p.pickData, p.pickCtrl, p.pickBasic];
  for (const k of positions) {
    const e = p.events[k]!;
    // A faulting exclusive never sets (or uses) the monitor (B2.9): the pair's outcome is not modelled.
    const where = e.span ? ` (line ${e.span.line})` : '';
    if ((e.kind === 'R' || e.kind === 'W') && (e.exclusive || p.rmw.some(([a, b]) => a === k || b === k))) return `unsupported: the exclusive or atomic access '${e.text}'${where} of P${p.thread} may fault: what the monitor and the pair do then is not modelled`;
    if (e.kind !== 'R') continue;
    const flows = relations.some((pairs) => pairs.some(([a]) => a === k));
    const kept = [...p.regs].some(([reg, sym]) => observed.has(reg) && variablesOf(sym).includes(e.id));
    if (flows || kept) return `unsupported: the load '${e.text}'${where} of P${p.thread} may fault, and the ${kept ? 'condition reads the register it would have written' : 'thread uses its value'}: what a faulting load leaves is not modelled`;
  }
  return undefined;
}

/** The registers of a thread that the condition or the locations list read. */
function observedRegisters(test: LitmusTest, thread: number): Set<number> {
  const out = new Set<number>();
  const visit = (r: StateRef) => {
    if (r.kind === 'reg' && r.thread === thread) out.add(r.reg.index);
  };
  test.locations.forEach(visit);
  if (test.condition) forEachAtom(test.condition.prop, (a) => (a.kind === 'eq' || a.kind === 'ne') && visit(a.lhs));
  return out;
}
