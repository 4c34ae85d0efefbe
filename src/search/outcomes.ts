/**
 * From consistent executions to herd-style results: the final states over the observed
 * registers and locations, how many executions satisfy the condition, and a witness.
 */
import { SP, ZR, type Condition, type InstrRef, type Prop, type StateRef, type Value } from '../syntax/ast.js';
import { chainOperands, forEachAtom, type PropAtom } from '../syntax/prop.js';
import { registerType, type Program } from '../events/program.js';
import { evaluate } from '../events/sym.js';
import { printedInteger, readAs, type CType } from '../events/ctype.js';
import { descriptorOf, isSymbolic, labelNumber, ValueError, wrap64, type Descriptor, type Val } from '../events/value.js';
import type { Model } from '../model/model.js';
import type { Relation } from '../execution/relation.js';
import { endpointOf } from '../execution/execution.js';
import { searchExecutions, type CandidateExecution, type SearchLimits, type SearchStats } from './enumerate.js';
import { DEFAULT_ASSUMPTIONS, type Assumptions } from '../model/assumptions.js';
import { faultStateText } from './fault-states.js';
import { faultTypeOf } from '../events/event.js';
import { pteOf } from '../syntax/shared/vmsa-syntax.js';
import { labelledPosition } from '../events/labelled-access.js';
import { requiresBbm } from './bbm-flag.js';

/**
 * One observed register or location, with the key herd prints (`1:X0`, `x`) — or a device
 * observation of the condition (`gathered(P0:L1,P0:L2)`), observed as 1 (true) or 0.
 */
export type Observable =
  /** `bare`: printed without herd's brackets (array elements `v[1]` and whole arrays `v={...}`). */
  | { readonly key: string; readonly ref: StateRef; readonly bare: boolean; readonly atom?: undefined }
  | { readonly key: string; readonly ref?: undefined; readonly atom: Extract<Prop, { kind: 'arrived' | 'before' | 'gathered' | 'fault' }> };

/** A final state: the observed values, in the order of `TestResult.observables`. */
export interface FinalState {
  /** As the register's or location's type reads them (arrays: one value per element). */
  readonly values: readonly (Val | readonly Val[])[];
  /** The values as herd prints them (`x` for the address of x). */
  readonly text: readonly string[];
  /** How many consistent executions end in this state. */
  readonly count: number;
  /** Whether the condition's proposition holds in this state. */
  readonly satisfies: boolean;
  /** Under VMSA with fault atoms: the state's faults as herd prints them (fault-states.ts). */
  readonly faults?: string;
}

export type Observation = 'Never' | 'Sometimes' | 'Always' | 'Unknown';

export interface TestResult {
  readonly name: string;
  /** The model that answered (`aarch64`, `aarch64+devices`, a model file's name). */
  readonly model: string;
  /** The model's flags raised by some consistent execution, sorted. */
  readonly flags: readonly string[];
  readonly observables: readonly Observable[];
  readonly states: readonly FinalState[];
  readonly condition: Condition | undefined;
  /**
   * herd's Positive/Negative: executions where the test's condition holds / does not. For
   * `~exists p` that is the executions where p is false; for `exists` and `forall`, where p holds.
   */
  readonly positive: number;
  readonly negative: number;
  /** Executions where the proposition itself is true / false (herd's Observation counts). */
  readonly propTrue: number;
  readonly propFalse: number;
  /**
   * herd's Ok/No: exists -> some execution satisfies; ~exists -> none; forall -> all. Undefined
   * when the search was partial and what it found does not settle it.
   */
  readonly ok: boolean | undefined;
  /**
   * herd's Observation: Never (proposition never true), Always (never false), Sometimes otherwise.
   * A partial search only knows Sometimes (both seen); otherwise it is Unknown.
   */
  readonly observation: Observation;
  /** Why the search stopped early, if it did: the sets above are then lower bounds. */
  readonly partial: 'timeout' | 'max-executions' | 'paths' | undefined;
  readonly stats: { readonly executions: number; readonly pruned: number; readonly valueMismatches: number; readonly cuts: Readonly<Record<string, number>> };
  /** An execution showing the interesting outcome (satisfying `exists`, violating `forall`). */
  readonly witness: CandidateExecution | undefined;
  readonly warnings: readonly string[];
  /** Some paths were cut by the loop-unrolling bound (herd prints `Loop Ok` / `Loop No`). */
  readonly loopCut: boolean;
  /** The platform assumptions the verdict was computed under (relevant when the test has devices). */
  readonly assumptions: Assumptions;
  /** The test has endpoints: its verdict depends on the device and fabric rules and assumptions. */
  readonly devices: boolean;
  /** Column names by thread id (`P0`, `nic`). */
  readonly threadNames: ReadonlyMap<number, string>;
}

/** An execution that would have the outcome a Never excludes, and the check that rules it out. */
export interface RuledOutExample {
  readonly candidate: CandidateExecution;
  readonly check: string;
  /** The relation the check found wanting on it (a cycle for acyclic checks). */
  readonly relation: Relation | undefined;
}

/** What the search for a ruled-out example found, and whether it was stopped by a bound first. */
export interface RuledOutSearch {
  readonly example: RuledOutExample | undefined;
  readonly partial: SearchStats['partial'];
}

/**
 * For a test whose outcome never happens: a candidate execution with that outcome (satisfying an
 * `exists`, violating a `forall`) and the check of the model that rules it out. No example: no
 * candidate has the outcome at all (the values exclude it), or, when `partial` says so, the
 * limits stopped the search first.
 */
export function ruledOutExample(program: Program, model: Model, limits: SearchLimits = {}): RuledOutSearch {
  const test = program.test;
  const prop = test.condition?.prop ?? { kind: 'true' as const };
  const wantSatisfying = test.condition?.quantifier !== 'forall';
  let found: RuledOutExample | undefined;
  const stats = searchExecutions(program, model, () => true, {
    ...limits,
    ruledOut: (c, check) => {
      const read = finalReader(program, c);
      const arrivals = arrivalView(c, (loc) => program.locations.addressOf(loc));
      if (test.filter !== undefined && !evalProp(test.filter, read, program, arrivals)) return true;
      if (evalProp(prop, read, program, arrivals) !== wantSatisfying) return true;
      found = { candidate: c, check, relation: c.violated(check) };
      return false;
    },
  });
  return { example: found, partial: found ? undefined : stats.partial };
}

/** Run the search and collect herd-style results. */
export function runProgram(program: Program, model: Model, limits: SearchLimits = {}): TestResult {
  const test = program.test;
  const all = observablesOf(program);
  // Under VMSA, herd shows the faults the condition's fault atoms match, not each atom's truth.
  const faultAtoms = program.vmsa ? [...all.flatMap((o) => (o.atom?.kind === 'fault' ? [o.atom] : [])), ...(test.locationFaults ?? [])] : [];
  const observables = faultAtoms.length > 0 ? all.filter((o) => o.atom?.kind !== 'fault') : all;
  const byKey = new Map<string, { values: (Val | readonly Val[])[]; text: string[]; count: number; satisfies: boolean; faults?: string }>();
  let positive = 0;
  let negative = 0;
  let witness: CandidateExecution | undefined;
  const prop = test.condition?.prop ?? { kind: 'true' as const };
  const wantSatisfying = test.condition?.quantifier !== 'forall';

  const flags = new Set<string>();
  const stats = searchExecutions(program, model, (c) => {
    const read = finalReader(program, c);
    const arrivals = arrivalView(c, (loc) => program.locations.addressOf(loc));
    // herd's filter: an execution it rejects is not counted, and raises no flag.
    if (test.filter !== undefined && !evalProp(test.filter, read, program, arrivals)) return;
    for (const f of c.flags) flags.add(f);
    if (requiresBbm(program, c)) flags.add('requires-BBM');
    const values = observables.map((o) => (o.atom ? (evalProp(o.atom, read, program, arrivals) ? 1n : 0n) : read(o.ref)));
    const satisfies = evalProp(prop, read, program, arrivals);
    const weight = c.x.weight;
    if (satisfies) positive += weight;
    else negative += weight;
    if (!witness && satisfies === wantSatisfying) witness = c;
    const text = observables.map((o, i) => printObserved(program, o, values[i]!));
    const faults = faultAtoms.length > 0 ? faultStateText(program, c, faultAtoms) : undefined;
    const key = `${text.join(';')}${faults ?? ''}`;
    const st = byKey.get(key);
    if (st) st.count += weight;
    else byKey.set(key, { values, text, count: weight, satisfies, ...(faults === undefined ? {} : { faults }) });
  }, limits);

  const states = [...byKey.values()].sort((a, b) => compareStates(a.text, b.text, a.values, b.values, program) || ((a.faults ?? '') < (b.faults ?? '') ? -1 : (a.faults ?? '') > (b.faults ?? '') ? 1 : 0));
  // A test without a condition is herd's `forall (true)`.
  const q = test.condition?.quantifier ?? 'forall';
  const partial = program.timedOut ? 'timeout' : program.truncated ? 'paths' : stats.partial;
  const { ok, observation } = verdict(q, positive, negative, partial !== undefined);
  return {
    name: test.name,
    model: model.name,
    flags: [...flags].sort(),
    observables,
    states,
    condition: test.condition,
    positive: q === 'notExists' ? negative : positive,
    negative: q === 'notExists' ? positive : negative,
    propTrue: positive,
    propFalse: negative,
    loopCut: program.loopCut,
    assumptions: limits.assumptions ?? DEFAULT_ASSUMPTIONS,
    devices: program.topology.endpoints.size > 0,
    threadNames: new Map(test.threads.map((t) => [t.id, t.name])),
    ok,
    observation,
    partial,
    stats: { executions: stats.executions, pruned: stats.pruned, valueMismatches: stats.valueMismatches, cuts: stats.cuts },
    witness,
    warnings: program.warnings,
  };
}

/**
 * Ok/No and the Observation from the counts (of executions where the proposition is true and
 * false). A partial search has seen only some executions: it keeps what they settle (a witness
 * for exists, a counter-example for forall, both kinds for Sometimes) and leaves the rest unknown.
 */
export function verdict(q: Condition['quantifier'], propTrue: number, propFalse: number, partial: boolean): { ok: boolean | undefined; observation: Observation } {
  if (!partial) {
    return {
      ok: q === 'exists' ? propTrue > 0 : q === 'notExists' ? propTrue === 0 : propFalse === 0,
      observation: propTrue === 0 ? 'Never' : propFalse === 0 ? 'Always' : 'Sometimes',
    };
  }
  const settled = q === 'forall' ? propFalse > 0 : propTrue > 0;
  return {
    ok: settled ? q === 'exists' : undefined,
    observation: propTrue > 0 && propFalse > 0 ? 'Sometimes' : 'Unknown',
  };
}

/**
 * herd lists states in order of their printed values (numbers numerically, names after;
 * descriptors field by field, as herd compares them: output address, AF, DB, DBM, valid, EL0).
 */
function compareStates(a: readonly string[], b: readonly string[], va?: readonly (Val | readonly Val[])[], vb?: readonly (Val | readonly Val[])[], program?: Program): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const [dx, dy] = [va?.[i], vb?.[i]].map((v) => (typeof v === 'bigint' ? descriptorOf(v) : undefined));
    if (dx !== undefined && dy !== undefined && program !== undefined) {
      const oa = (d: Descriptor) => (d.oa === undefined ? '' : program.locations.formatAddress(d.oa));
      if (oa(dx) !== oa(dy)) return oa(dx) < oa(dy) ? -1 : 1;
      for (const f of ['af', 'db', 'dbm', 'valid', 'el0'] as const) if (dx[f] !== dy[f]) return dx[f] ? 1 : -1;
    }
    const nx = /^-?\d+$/.test(x);
    const ny = /^-?\d+$/.test(y);
    if (nx && ny) return BigInt(x) < BigInt(y) ? -1 : 1;
    if (nx !== ny) return nx ? -1 : 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** The type an observable is read through: its register's or location's declared type. */
function observedType(program: Program, r: StateRef): CType {
  return r.kind === 'reg' ? registerType(program, r.thread, r.reg.index) : program.locations.typeOf(r.loc);
}

/** A value as herd prints it under its type: a location's name for an address, else an integer. */
export function printValue(program: Program, v: Val, type: CType): string {
  if (!isSymbolic(v)) return printedInteger(v, type).toString();
  // herd prints a code address as `label:"P0:L0"`, or as its number where no label is.
  const name = program.locations.formatSymbol(v)!;
  return labelNumber(v) !== undefined && !/^\d+$/.test(name) ? `label:"${name}"` : name;
}

function printObserved(program: Program, o: Observable, v: Val | readonly Val[]): string {
  if (o.atom) return String(v);
  const type = observedType(program, o.ref);
  if (typeof v === 'bigint') return printValue(program, v, type);
  return `{${v.map((e) => printValue(program, e, type)).join(',')}}`;
}

/** `P0:L1`, or `nic:L2` for a device column's label. */
export function instrRefKey(r: InstrRef, threadName?: (id: number) => string | undefined): string {
  return `${threadName?.(r.thread) ?? `P${r.thread}`}:${r.label}`;
}

/** An atom about accesses as herd-style text: `arrived(P0:L1)`, `before(P0:L1,P1:L2)`, `fault(P1:L1,x)`. */
export function accessAtomKey(p: Extract<Prop, { kind: 'arrived' | 'before' | 'gathered' | 'fault' }>, threadName?: (id: number) => string | undefined): string {
  const ref = (r: InstrRef) => instrRefKey(r, threadName);
  switch (p.kind) {
    case 'arrived':
      return `arrived(${ref(p.write)})`;
    case 'fault': {
      const where = p.access.label === '' ? (threadName?.(p.access.thread) ?? `P${p.access.thread}`) : ref(p.access);
      return `fault(${[where, ...(p.loc ? [p.loc] : []), ...(p.faultType ? [p.faultType] : [])].join(',')})`;
    }
    default:
      return `${p.kind}(${ref(p.first)},${ref(p.second)})`;
  }
}

/** `1:X0` for a CPU register, `nic:X0` for a device column's register, `x` for a location. */
export function refKey(r: StateRef, threadName?: (id: number) => string | undefined): string {
  if (r.kind === 'loc') return r.index === undefined ? r.loc : `${r.loc}[${r.index}]`;
  const name = threadName?.(r.thread);
  const reg = r.reg.index === ZR ? 'XZR' : r.reg.index === SP ? 'SP' : `X${r.reg.index}`;
  return `${name !== undefined && !/^P\d+$/.test(name) ? name : r.thread}:${r.name ?? reg}`;
}

/** The registers and locations herd shows: those of the condition, then of `locations [...]`. */
function observablesOf(program: Program): Observable[] {
  const seen = new Map<string, Observable>();
  const names = new Map(program.test.threads.map((t) => [t.id, t.name]));
  const add = (r: StateRef) => {
    const key = refKey(r, (id) => names.get(id));
    const bare = r.kind === 'loc' && (r.index !== undefined || program.locations.countOf(r.loc) !== undefined);
    if (!seen.has(key)) seen.set(key, { key, ref: r, bare });
  };
  const atoms = new Map<string, Observable>();
  const visit = (p: PropAtom): void => {
    if (p.kind === 'eq' || p.kind === 'ne') add(p.lhs);
    else if (p.kind === 'fault' || p.kind === 'arrived' || p.kind === 'before' || p.kind === 'gathered') {
      const key = accessAtomKey(p, (id) => names.get(id));
      atoms.set(key, { key, atom: p });
    }
  };
  program.test.locations.forEach(add);
  // A loop over the atoms: a condition's size never deepens the stack.
  if (program.test.condition) forEachAtom(program.test.condition.prop, visit);
  // herd lists registers (by thread, then register), then locations and whole arrays (by name),
  // then array elements; device observations come last, in the order the condition names them.
  const refs = [...seen.values()] as Extract<Observable, { ref: StateRef }>[];
  const group = (r: StateRef) => (r.kind === 'reg' ? 0 : r.index === undefined ? 1 : 2);
  refs.sort((a, b) => {
    if (group(a.ref) !== group(b.ref)) return group(a.ref) - group(b.ref);
    if (a.ref.kind === 'loc' && b.ref.kind === 'loc' && a.ref.loc === b.ref.loc) return (a.ref.index ?? 0) - (b.ref.index ?? 0);
    // herd orders a thread's registers with the zero register first.
    const order = (i: number) => (i === ZR ? -1 : i);
    if (a.ref.kind === 'reg' && b.ref.kind === 'reg') return a.ref.thread - b.ref.thread || order(a.ref.reg.index) - order(b.ref.reg.index);
    // herd lists translation table entries after the other locations.
    const entry = (o: { key: string }) => (pteOf(o.key) !== undefined ? 1 : 0);
    if (entry(a) !== entry(b)) return entry(a) - entry(b);
    return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
  });
  return [...refs, ...atoms.values()];
}

/** Reads a register's or a location's final value in a complete execution (an array: every element). */
function finalReader(program: Program, c: CandidateExecution): (r: StateRef) => Val | readonly Val[] {
  const lookup = c.varValue;
  const lastWrite = (addr: number) => {
    const chain = c.co.get(addr);
    const last = chain === undefined ? undefined : c.x.events[chain[chain.length - 1]!];
    return last?.kind === 'W' ? last : undefined;
  };
  const cell = (addr: number, size: number): Val => {
    if (!program.mixed) {
      const w = lastWrite(addr);
      return w === undefined ? program.initValues.get(addr) ?? 0n : evaluate(w.value, lookup) ?? 0n;
    }
    // Byte-granular memory: each byte from its coherence-last write (one write whole: its value).
    const ws = Array.from({ length: size }, (_, k) => lastWrite(addr + k)!);
    const w0 = ws[0]!;
    if (ws.every((w, k) => w.byte?.access === w0.byte?.access && w.byte?.k === k) && w0.byte?.size === size) return evaluate(w0.value, lookup) ?? 0n;
    return ws.reduce((acc, w, k) => {
      const v = evaluate(w.value, lookup) ?? 0n;
      if (isSymbolic(v)) throw new ValueError('part of an address is in a location');
      return acc | (((v >> BigInt(8 * (w.byte?.k ?? 0))) & 0xffn) << BigInt(8 * k));
    }, 0n);
  };
  return (r) => {
    if (r.kind === 'reg') {
      const ti = c.x.paths.findIndex((p) => p.thread === r.thread);
      const sym = ti < 0 ? undefined : c.x.paths[ti]!.regs.get(r.reg.index);
      const v = sym === undefined ? 0n : evaluate(sym, lookup) ?? 0n;
      return r.reg.wide || isSymbolic(v) ? v : BigInt.asUintN(32, v);
    }
    const count = program.locations.countOf(r.loc);
    const size = program.locations.typeOf(r.loc).bytes;
    if (r.index !== undefined) return cell(program.locations.elementAddress(r.loc, r.index), size);
    if (count !== undefined) return Array.from({ length: count }, (_, k) => cell(program.locations.elementAddress(r.loc, k), size));
    return cell(program.locations.addressOf(r.loc), size);
  };
}

/** Where an access (named by a label) arrived, in a complete execution. */
export interface ArrivalView {
  /** The arrival event of the labelled access, or undefined if the path has no such access. */
  arrivalOf(ref: InstrRef): number | undefined;
  arrived(e: number): boolean;
  slot(e: number): number;
  /** The endpoint event e is at. */
  endpoint(e: number): string | undefined;
  /** Did the labelled access fault (on location `loc`, of MMU fault type `type`, if given)? */
  faulted(ref: InstrRef, loc: string | undefined, type?: string): boolean;
}

export function arrivalView(c: CandidateExecution, locationAddr?: (loc: string) => number): ArrivalView {
  const { x } = c;
  return {
    faulted(ref, loc, type) {
      const ti = x.paths.findIndex((p) => p.thread === ref.thread);
      const path = ti < 0 ? undefined : x.paths[ti]!;
      const matches = (e: import('../events/event.js').Event) =>
        e.kind === 'F' && e.fence.op === 'FAULT' && (type === undefined || faultTypeOf(e.fence) === undefined || faultTypeOf(e.fence) === type) && (loc === undefined || locationAddr === undefined || locationAddr(loc) === e.fence.addr);
      // fault(P1,x): any instruction of the thread.
      if (ref.label === '') return path !== undefined && path.events.some(matches);
      const pos = path === undefined ? undefined : labelledPosition(path, ref.label);
      if (path === undefined || pos === undefined || pos >= path.events.length) return false;
      // The fault of the labelled instruction (under VMSA it follows the read of its entry).
      let k = pos;
      while (k + 1 < path.events.length && path.instances[k + 1] === path.instances[pos] && path.events[k]!.kind !== 'F') k++;
      const e = x.events[x.offsets[ti]! + k]!;
      if (e.kind !== 'F' || e.fence.op !== 'FAULT') return false;
      if (type !== undefined && faultTypeOf(e.fence) !== undefined && faultTypeOf(e.fence) !== type) return false;
      return loc === undefined || locationAddr === undefined || locationAddr(loc) === e.fence.addr;
    },
    arrivalOf(ref) {
      const ti = x.paths.findIndex((p) => p.thread === ref.thread);
      const pos = ti < 0 ? undefined : labelledPosition(x.paths[ti]!, ref.label);
      if (pos === undefined || pos >= x.paths[ti]!.events.length) return undefined;
      const e = x.offsets[ti]! + pos;
      const ev = x.events[e]!;
      if (ev.kind !== 'R' && ev.kind !== 'W') return undefined;
      return x.arrivalFor[e]! >= 0 ? x.arrivalFor[e]! : e;
    },
    arrived: (e) => c.dynamic.slotOf[e]! >= 0 && !c.dynamic.discarded[e],
    slot: (e) => c.dynamic.slotOf[e]!,
    endpoint: (e) => endpointOf(x, e),
  };
}

/** An unlabelled code address is, for herd, the number it prints as; other values stay. */
function codeNumber(program: Program, v: Val): Val {
  if (labelNumber(v) === undefined) return v;
  const name = program.locations.formatSymbol(v)!;
  return /^\d+$/.test(name) ? BigInt(name) : v;
}

/** Does an observed value equal a condition's value, both read through the observable's type? */
function matches(program: Program, r: StateRef, observed: Val | readonly Val[], v: Value): boolean {
  const type = observedType(program, r);
  const same = (o: Val, c: Val) => {
    [o, c] = [codeNumber(program, o), codeNumber(program, c)];
    return isSymbolic(o) || isSymbolic(c) ? o === c : readAs(o, type) === readAs(c, type);
  };
  if (typeof observed !== 'bigint') return v.kind === 'array' && v.values.length === observed.length && observed.every((o, k) => same(o, wrap64(v.values[k]!)));
  if (v.kind === 'array') return false;
  const c = program.valueOf(v, r);
  return c !== undefined && same(observed, c);
}

function evalProp(p: Prop, read: (r: StateRef) => Val | readonly Val[], program: Program, arrivals?: ArrivalView): boolean {
  switch (p.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    // A whole chain at once, left to right: recursion only where the connective changes, so
    // as deep as the condition's nesting (limits.ts), not as long as its chains.
    case 'and':
      return chainOperands(p).every((q) => evalProp(q, read, program, arrivals));
    case 'or':
      return chainOperands(p).some((q) => evalProp(q, read, program, arrivals));
    case 'implies':
      return !evalProp(p.args[0], read, program, arrivals) || evalProp(p.args[1], read, program, arrivals);
    case 'not':
      return !evalProp(p.arg, read, program, arrivals);
    case 'eq':
      return matches(program, p.lhs, read(p.lhs), p.rhs);
    case 'ne':
      return !matches(program, p.lhs, read(p.lhs), p.rhs);
    case 'arrived': {
      const a = arrivals?.arrivalOf(p.write);
      return a !== undefined && arrivals!.arrived(a);
    }
    case 'fault':
      return arrivals?.faulted(p.access, p.loc, p.faultType) ?? false;
    case 'before':
    case 'gathered': {
      const a = arrivals?.arrivalOf(p.first);
      const b = arrivals?.arrivalOf(p.second);
      if (a === undefined || b === undefined || !arrivals!.arrived(a) || !arrivals!.arrived(b)) return false;
      const sa = arrivals!.slot(a);
      const sb = arrivals!.slot(b);
      // Accesses to different endpoints are never ordered (nothing orders them) nor gathered.
      if (arrivals!.endpoint(a) !== arrivals!.endpoint(b)) return false;
      return p.kind === 'before' ? sa < sb : sa === sb;
    }
  }
}
