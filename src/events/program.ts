/**
 * A test ready for the search: its locations (with types and arrays) and initial values, the
 * types of its registers, and every thread's paths.
 */
import { vmsaFormDiagnostics } from './vmsa-forms.js';
import { registerAddresser, registerFootprintDiagnostics } from './register-address.js';
import { interruptDiagnostics, withHandlerAlternatives, withTlpAttrs } from './interrupts.js';
import { faultAtomDiagnostics } from './fault-atoms.js';
import { guestRegisterDiagnostics } from './guest-mappings.js';
import { withGuestBarriers } from './guest-barriers.js';
import { locationAccessors, tlbiDiagnostics } from './tlbi-reach.js';
import type { InitItem, LitmusTest, StateRef, Thread, Value } from '../syntax/ast.js';
import { forEachAtom, type PropAtom } from '../syntax/prop.js';
import { error, type Diagnostic, type Span } from '../syntax/diagnostics.js';
import type { Event, ThreadPath } from './event.js';
import { DEFAULT_TYPE, parseCType, type CType } from './ctype.js';
import { LocationTable } from './locations.js';
import { executeThread, MAX_HELD_EVENTS, MAX_PATH_EVENTS, type Classify, type CodeSpace, type ThreadExecOptions } from './thread-exec.js';
import { DEFAULT_MEMORY_TYPE, DEFAULT_MMIO_TYPE, resolveTopology, type MappingOverrides, type Topology } from './topology.js';
import { MEMORY } from './event.js';
import { device } from '../platform/memory-type.js';
import { addressValue, labelValue, wrap64, type Val } from './value.js';
import { initAccessId, splitBytes } from './bytes.js';
import { metaValue, variantNames } from '../syntax/shared/header.js';
import { pteOf } from '../syntax/shared/vmsa-syntax.js';
import { addEntries, addSpuriousValues, addStoredValues, asksVmsa, defaultDescriptor, initialEntryValues, vmsaScopeDiagnostics, vmsaSettings, vmsaSpace, type Entries, type VmsaSettings } from './vmsa-space.js';
import { DESCRIPTOR_DEFAULTS, descriptorValue, physicalValue } from './value.js';

export interface Program {
  readonly test: LitmusTest;
  readonly locations: LocationTable;
  /** Initial value of each address (each array element) that has one; others start at 0. */
  readonly initValues: ReadonlyMap<number, Val>;
  /** Declared register types, by `thread:index` (herd's default is `int`). */
  readonly registerTypes: ReadonlyMap<string, CType>;
  /** Paths of each thread, indexed like `test.threads`. */
  readonly threads: readonly (readonly ThreadPath[])[];
  /** Warnings (e.g. loops cut by the unrolling bound). */
  readonly warnings: readonly string[];
  /** Some path was cut by the unrolling bound (herd's `Loop`): the executions it would have had are not considered. */
  readonly loopCut: boolean;
  /** Some thread had more paths (or a path more steps) than the bound: results are partial. */
  readonly truncated: boolean;
  /** Building the paths ran out of time: results are partial. */
  readonly timedOut: boolean;
  /** Endpoints, registers and the resolved mappings (empty for a plain AArch64 test). */
  readonly topology: Topology;
  /**
   * The value a condition's constant stands for (an integer, a location's or a label's address,
   * a descriptor: one compared with entry `PTE(x)` has output address PA(x) unless it says).
   */
  valueOf(v: Value, lhs?: StateRef): Val | undefined;
  /** herd's VMSA (-variant vmsa): each location's address -> its translation table entry's. */
  readonly vmsa: VmsaLayout | undefined;
  /**
   * Mixed-size semantics (herd's mixed variant): the paths are at byte level (bytes.ts), and
   * memory starts as `cells`. Chosen when the test asks (`Variant=mixed`) or when its accesses to
   * one location differ in size or offset (herd without the variant rejects such a test).
   */
  readonly mixed: boolean;
  /** Each location (array element) with its size and initial value: memory's bytes at the start. */
  readonly cells: readonly InitCell[];
}

/** Where the translation table entries of a VMSA test are. */
export interface VmsaLayout {
  /** A location's address -> the address of its entry PTE(x). */
  readonly entries: ReadonlyMap<number, number>;
  /** A location's address (as an intermediate physical address) -> its stage-2 entry S2PTE(x) (tests with guests). */
  readonly s2entries: ReadonlyMap<number, number>;
  /** The entries' addresses, of both stages. */
  readonly pte: ReadonlySet<number>;
  /** The stage-2 entries' addresses. */
  readonly s2pte: ReadonlySet<number>;
  /** The guest threads (`Guests=`), translated in two stages. */
  readonly guests: ReadonlySet<number>;
  /** Some thread's hardware manages the access flag: entries may get spurious AF updates. */
  readonly spurious: boolean;
}

function vmsaLayout(entries: Entries, settings: VmsaSettings): VmsaLayout {
  const s2pte = new Set(entries.s2.values());
  return { entries: entries.s1, s2entries: entries.s2, pte: new Set([...entries.s1.values(), ...s2pte]), s2pte, guests: settings.guests, spurious: settings.spurious };
}

/** A location (or array element) at the start: its address, size, initial value, and access id. */
export interface InitCell {
  readonly addr: number;
  readonly size: number;
  readonly value: Val;
  readonly access: number;
}

export interface BuildResult {
  readonly program: Program | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export const DEFAULT_THREAD_OPTIONS: ThreadExecOptions = { unroll: 2, maxPaths: 4096 };

/** What building asks beyond the bounds: herd variants given on the command line (`vmsa`). */
export interface BuildOptions {
  readonly variants?: readonly string[];
}

/** The type of a register, as declared (herd's default `int` otherwise). */
export function registerType(program: Program, thread: number, reg: number): CType {
  return program.registerTypes.get(`${thread}:${reg}`) ?? DEFAULT_TYPE;
}

/** Turn a parsed test into per-thread paths over numbered locations. */
export function buildProgram(test: LitmusTest, options: ThreadExecOptions = DEFAULT_THREAD_OPTIONS, overrides: MappingOverrides = {}, build: BuildOptions = {}): BuildResult {
  const locations = new LocationTable();
  const variants = build.variants ?? [];
  const vmsa = asksVmsa(test, variants);
  const settings = vmsa ? vmsaSettings(test, variants) : undefined;
  const refused = [...(vmsa ? [] : vmsaFormDiagnostics(test)), ...vmsaScopeDiagnostics(test, vmsa, variants), ...(Array.isArray(settings) ? settings : [])];
  if (refused.length > 0 || Array.isArray(settings)) return { program: undefined, diagnostics: refused };
  const diagnostics: Diagnostic[] = [];
  const code = codeSpace(test.threads, locations);
  const init = readInit(test, code, locations, diagnostics);
  internConditionLocations(test, locations);
  const vmsaGuests = settings !== undefined && !Array.isArray(settings) ? settings.guests : new Set<number>();
  const entries = vmsa ? addEntries(locations, init.values, vmsaGuests.size > 0) : undefined;
  if (vmsa && entries === undefined) return { program: undefined, diagnostics: [error('semantic', "S2PTE(x) names a stage-2 entry, but the test has no guest: name its guest threads with 'Guests=P1,...'", test.nameSpan ?? NO_SPAN)] };

  const { topology: declared, diagnostics: topoDiagnostics } = resolveTopology(test, locations, overrides);
  diagnostics.push(...topoDiagnostics);
  // A register starts at its reset value.
  for (const r of declared.registers.values()) if (!init.values.has(r.addr)) init.values.set(r.addr, BigInt(r.attrs.reset));

  const run = entries && settings ? runVmsaThreads(test, init, options, declared, locations, code, diagnostics, entries, settings) : runThreads(test, init.regs, options, declared, locations, code, diagnostics);
  const { warnings } = run;
  diagnostics.push(...interruptDiagnostics(test, run.threads, declared), ...registerFootprintDiagnostics(run.threads, declared));
  // Guests run with HCR_EL2.BSU = IS: the declared ones (s2 mappings) and a VMSA test's `Guests=`.
  const threads = withHandlerAlternatives(withTlpAttrs(test, withGuestBarriers(run.threads, new Set([...declared.guests, ...vmsaGuests]))), declared, init.regs);
  // Who accesses each location is known once the paths are built (the TLBIs' reach needs it).
  const topology = { ...declared, accessors: locationAccessors(threads) };
  const asked = asksMixed(test) || variants.some((v) => v.toLowerCase() === 'mixed');
  const mixed = asked || mixedSizeProblem(allEvents(threads), locations) !== undefined;
  if (mixed && vmsa) diagnostics.push(error('unsupported', 'unsupported: mixed-size accesses under VMSA (translation of byte-granular accesses is not modelled)', test.nameSpan ?? NO_SPAN));
  if (mixed && topology.endpoints.size > 0) diagnostics.push(error('unsupported', 'unsupported: mixed-size accesses in a test with devices', test.nameSpan ?? test.threads[0]?.span ?? NO_SPAN));
  diagnostics.push(...faultAtomDiagnostics(test.condition?.prop, threads, locations, vmsa));
  diagnostics.push(...guestRegisterDiagnostics(threads, test.guestThreads ?? [], topology, locations, test.nameSpan ?? NO_SPAN));
  // iolitmus's own TLBI scope rules (tlbi-reach.ts); under VMSA a TLBI is herd's (vmsa.model).
  if (!vmsa) diagnostics.push(...tlbiDiagnostics(threads, topology, (t) => test.threads.find((th) => th.id === t)?.name ?? `P${t}`));
  if (vmsa && topology.endpoints.size > 0) diagnostics.push(error('unsupported', 'unsupported: VMSA translation in a test with devices', test.nameSpan ?? NO_SPAN));
  if (!vmsa && topology.endpoints.size === 0 && [...allEvents(threads)].some((e) => e.kind === 'F' && e.fence.op === 'TLBI')) {
    // herd gives TLBI a meaning only with its VMSA variant, a model iolitmus does not have yet.
    warnings.push("TLBI: answered by iolitmus's translation model (docs/model.md, Translation), not herd's VMSA semantics");
  }
  if (mixed && !asked) warnings.push(mixedWarning(threads, locations));
  if (diagnostics.some((d) => d.severity === 'error')) return { program: undefined, diagnostics };
  const constant = (v: Value, lhs?: StateRef): Val | undefined => {
    if (v.kind === 'label') {
      const index = code.labelIndex(v.thread, v.label);
      return index === undefined ? undefined : labelValue(code.codeAddress(v.thread, index));
    }
    return v.kind === 'array' ? undefined : init.valueOf(v, test.condition?.span ?? NO_SPAN, lhs?.kind === 'loc' ? lhs.loc : undefined);
  };
  const paths = mixed ? threads.map((ps) => ps.map(splitBytes)) : threads;
  const program: Program = {
    test, locations, initValues: init.values, registerTypes: init.registerTypes, threads: paths, warnings,
    loopCut: run.loopCut, truncated: run.truncated || run.timedOut, timedOut: run.timedOut, topology,
    valueOf: constant, mixed, cells: initialCells(locations, init.values),
    vmsa: entries && settings ? vmsaLayout(entries, settings) : undefined,
  };
  return { program, diagnostics };
}

const NO_SPAN: Span = { line: 1, col: 1, endLine: 1, endCol: 2 };

/** The initial state as written: location types and values, register types and values. */
interface InitState {
  readonly values: Map<number, Val>;
  readonly regs: Map<number, Map<number, Val>>;
  readonly registerTypes: Map<string, CType>;
  /** `target`: the location the value is given to or compared with (a descriptor's default output address). */
  readonly valueOf: (v: Value, span: Span, target?: string) => Val | undefined;
}

/** Read the init section: types first (a value may name a location declared later), then values. */
function readInit(test: LitmusTest, code: CodeSpace, locations: LocationTable, diagnostics: Diagnostic[]): InitState {
  const typeOf = (name: string | undefined, span: Span): CType | undefined => {
    if (name === undefined) return undefined;
    const t = parseCType(name, test.arch);
    if (t === undefined) diagnostics.push(error('unsupported', `unsupported type '${name}'`, span));
    return t;
  };
  for (const item of test.init) {
    if (item.kind !== 'loc') continue;
    const t = typeOf(item.type, item.span);
    if (t !== undefined || item.count !== undefined) locations.declare(item.loc, t ?? DEFAULT_TYPE, item.count);
    else locations.intern(item.loc);
  }
  diagnostics.push(...repeatedInit(test));
  const valueOf = initValueReader(code, locations, diagnostics);
  const state: InitState = { values: new Map(), regs: new Map(), registerTypes: new Map(), valueOf };
  const threadIds = new Set(test.threads.map((t) => t.id));
  for (const item of test.init) {
    if (item.kind === 'loc') {
      initLocation(item, locations, state.values, valueOf, diagnostics);
      continue;
    }
    if (!threadIds.has(item.thread)) {
      diagnostics.push(error('semantic', `register ${item.thread}:X${item.reg.index} belongs to no thread of this test`, item.span));
      continue;
    }
    const t = typeOf(item.type, item.span);
    if (t !== undefined) state.registerTypes.set(`${item.thread}:${item.reg.index}`, t);
    const v = valueOf(item.value, item.span);
    if (v === undefined) continue;
    let regs = state.regs.get(item.thread);
    if (!regs) state.regs.set(item.thread, (regs = new Map()));
    regs.set(item.reg.index, v);
  }
  return state;
}

/** A location or register initialised twice (`int x; x=1;` too): herd refuses the test, so do we. */
function repeatedInit(test: LitmusTest): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const item of test.init) {
    const key = item.kind === 'loc' ? item.loc : `${item.thread}:X${item.reg.index}`;
    if (seen.has(key)) out.push(error('semantic', `${key} is initialised more than once`, item.span));
    seen.add(key);
  }
  return out;
}

/** The value an initial value stands for: an integer, a location's or a code label's address. */
function initValueReader(code: CodeSpace, locations: LocationTable, diagnostics: Diagnostic[]): (v: Value, span: Span, target?: string) => Val | undefined {
  return (v, span, target) => {
    switch (v.kind) {
      case 'int':
        return wrap64(v.value);
      case 'addr':
        return addressValue(locations.addressOf(v.loc));
      case 'label': {
        const index = code.labelIndex(v.thread, v.label);
        if (index === undefined) {
          diagnostics.push(error('semantic', `label '${v.label}' is not defined in P${v.thread}`, span));
          return undefined;
        }
        return labelValue(code.codeAddress(v.thread, index));
      }
      case 'array':
        diagnostics.push(error('semantic', 'an array value {...} initialises an array location', span));
        return undefined;
      case 'pte': {
        // herd fills a missing output address from the entry the descriptor is given to.
        const of = v.oa ?? (target === undefined ? undefined : pteOf(target));
        const fields = Object.fromEntries(Object.entries(DESCRIPTOR_DEFAULTS).map(([f, d]) => [f, v.fields[f as keyof typeof v.fields] === undefined ? d : v.fields[f as keyof typeof v.fields] === 1]));
        return descriptorValue({ oa: of === undefined ? undefined : locations.addressOf(of), ...(fields as typeof DESCRIPTOR_DEFAULTS) });
      }
      case 'pa':
        return physicalValue(locations.addressOf(v.loc));
    }
  };
}

interface ThreadsRun {
  readonly threads: ThreadPath[][];
  /** Events of paths a bound cut (VMSA's entry values count their stores). */
  readonly abandoned: (readonly Event[])[];
  readonly warnings: string[];
  readonly loopCut: boolean;
  readonly truncated: boolean;
  readonly timedOut: boolean;
}

/** Every thread's paths, with the bounds that cut them reported as warnings. */
function runThreads(test: LitmusTest, initRegs: ReadonlyMap<number, ReadonlyMap<number, Val>>, options: ThreadExecOptions, topology: Topology, locations: LocationTable, code: CodeSpace, diagnostics: Diagnostic[]): ThreadsRun {
  const run = { threads: [] as ThreadPath[][], abandoned: [] as (readonly Event[])[], warnings: [] as string[], loopCut: false, truncated: false, timedOut: false };
  const candidates = locations.elementAddresses();
  const held = { count: 0 };
  for (const t of test.threads) {
    const registerAt = registerAddresser(topology, t.id);
    const ex = executeThread(t, initRegs.get(t.id) ?? new Map(), { ...options, held, ...(registerAt ? { registerAt } : {}) }, classifier(t, topology, locations), code, candidates);
    if (t.agent === 'device') checkDeviceAccesses(t, ex.paths, topology, diagnostics);
    diagnostics.push(...ex.diagnostics);
    if (ex.unrollCut) {
      run.loopCut = true;
      run.warnings.push(`P${t.id}: loops were unrolled at most ${options.unroll} times; longer executions are not considered`);
    }
    if (ex.stepsCut) {
      run.truncated = true;
      run.warnings.push(`P${t.id}: a path ran longer than the bound (${(options.maxSteps ?? 100_000).toLocaleString('en')} instructions or ${MAX_PATH_EVENTS.toLocaleString('en')} events); results are partial`);
    }
    run.timedOut ||= ex.timedOut;
    if (ex.handlerFault) run.warnings.push(`P${t.id}: a fault inside its fault handler leaves no execution, as in herd7 ("legal outcomes may be missing")`);
    if (ex.truncated && !ex.timedOut) {
      run.truncated = true;
      run.warnings.push(`P${t.id}: more than ${options.maxPaths} control-flow paths, or more than ${MAX_HELD_EVENTS.toLocaleString('en')} events over the paths of all threads; results are partial`);
    }
    run.threads.push(ex.paths);
    run.abandoned.push(...ex.abandoned);
  }
  return run;
}

/**
 * The threads of a VMSA test: translation forks over the values each entry may hold, which the
 * threads' own stores to entries add to, so the threads run until those values are known (a
 * computed stored value allows every descriptor, and ends it).
 */
function runVmsaThreads(test: LitmusTest, init: InitState, options: ThreadExecOptions, topology: Topology, locations: LocationTable, code: CodeSpace, diagnostics: Diagnostic[], entries: Entries, settings: VmsaSettings): ThreadsRun {
  const values = initialEntryValues(entries, init.values);
  for (;;) {
    const sink: Diagnostic[] = [];
    const space = vmsaSpace(entries, values, settings);
    if (space.spurious) addSpuriousValues(values);
    const run = runThreads(test, init.regs, { ...options, vmsa: space }, topology, locations, code, sink);
    const grew = addStoredValues(values, [...run.threads, run.abandoned.map((events) => ({ events }))]);
    if (sink.some((d) => d.severity === 'error') || run.truncated || run.timedOut || !(grew || (space.spurious && addSpuriousValues(values)))) {
      diagnostics.push(...sink);
      return run;
    }
  }
}

/**
 * Why a test without `Variant=mixed` is answered with byte-granular memory. When only paths
 * through a pointer fork mix sizes, the forks may be no execution at all; herd's mixed memory then
 * gives the same answer as its plain memory (as it does on every single-size test).
 */
function mixedWarning(threads: readonly (readonly ThreadPath[])[], locations: LocationTable): string {
  const direct = threads.map((ps) => ps.filter((p) => p.viaPointer !== true));
  if (mixedSizeProblem(allEvents(direct), locations) !== undefined) return 'accesses of different sizes or offsets to one location: answered with byte-granular memory (herd7 -variant mixed)';
  return 'a pointer loaded from memory may reach a location of another size: answered with byte-granular memory (herd7 -variant mixed), which agrees with plain memory when no execution mixes sizes';
}

/** Whether the test asks for herd's mixed variant (the parser rejected any other variant). */
function asksMixed(test: LitmusTest): boolean {
  const line = metaValue(test.meta, 'Variant');
  return line !== undefined && variantNames(line).some((v) => v.toLowerCase() === 'mixed');
}

/** A location's initial value (or an array's elements), stored as the type holds it. */
function initLocation(item: Extract<InitItem, { kind: 'loc' }>, locations: LocationTable, out: Map<number, Val>, valueOf: (v: Value, s: Span, target?: string) => Val | undefined, diagnostics: Diagnostic[]): void {
  const type = locations.typeOf(item.loc);
  const store = (addr: number, v: Val) => out.set(addr, v >= 1n << 64n ? v : BigInt.asUintN(type.bytes * 8, v));
  if (item.value.kind === 'array') {
    const count = locations.countOf(item.loc) ?? 0;
    if (item.value.values.length > count) diagnostics.push(error('semantic', `'${item.loc}' has ${count} elements, but ${item.value.values.length} values are given`, item.span));
    item.value.values.forEach((v, k) => k < count && store(locations.elementAddress(item.loc, k), wrap64(v)));
    return;
  }
  // An entry given PA(y) maps to y with the default fields (herd).
  const v = item.value.kind === 'pa' && pteOf(item.loc) !== undefined ? defaultDescriptor(locations.addressOf(item.value.loc)) : valueOf(item.value, item.span, item.loc);
  if (v !== undefined) store(locations.addressOf(item.loc), v);
}

/** Locations named only by conditions get addresses too (stable numbering: init first). */
function internConditionLocations(test: LitmusTest, locations: LocationTable): void {
  const visitRef = (r: StateRef): void => {
    if (r.kind === 'loc') locations.intern(r.loc);
  };
  const visitAtom = (p: PropAtom): void => {
    if (p.kind !== 'eq' && p.kind !== 'ne') return;
    visitRef(p.lhs);
    if (p.rhs.kind === 'addr') locations.intern(p.rhs.loc);
  };
  test.locations.forEach(visitRef);
  // A loop over the atoms, not a recursion: a long condition never deepens the stack.
  if (test.condition) forEachAtom(test.condition.prop, visitAtom);
}

/** What each address is for a thread: host memory, an MMIO register, or a device's own register. */
function classifier(t: Thread, topology: Topology, locations: LocationTable): Classify {
  return (addr) => {
    const reg = topology.registers.get(addr);
    if (t.agent === 'device') {
      // A device's own registers are internal to it; host memory is reached by DMA.
      if (reg && reg.endpoint === t.name) return { target: { kind: 'register', endpoint: t.name }, mem: device('nGnRnE') };
      return { target: MEMORY, mem: DEFAULT_MEMORY_TYPE };
    }
    const name = locations.locate(addr)?.name ?? '';
    const mapped = topology.mappings.get(`${t.id}:${name}`);
    if (reg) return { target: { kind: 'mmio', endpoint: reg.endpoint, space: reg.space }, mem: mapped?.mem ?? DEFAULT_MMIO_TYPE };
    return { target: MEMORY, mem: mapped?.mem ?? DEFAULT_MEMORY_TYPE };
  };
}

function checkDeviceAccesses(t: Thread, paths: readonly ThreadPath[], topology: Topology, diagnostics: Diagnostic[]): void {
  for (const p of paths)
    for (const e of p.events) {
      const reg = e.kind === 'R' || e.kind === 'W' ? topology.registers.get(e.addr) : undefined;
      if (reg && reg.endpoint !== t.name) {
        diagnostics.push(error('unsupported', `unsupported: device '${t.name}' accesses '${reg.loc}' of '${reg.endpoint}' (peer-to-peer DMA is not modelled)`, e.span ?? t.span));
        return;
      }
    }
}

/**
 * herd without its mixed-size variant treats each location (each array element) as one cell that
 * every access reads or writes whole; accesses to one cell of different sizes, an access off a
 * location's start or across array elements, make a mixed-size test (herd: "Illegal mixed-size
 * test"). The message describing the first such access among `events`, or undefined.
 */
export function mixedSizeProblem(events: Iterable<Event>, locations: LocationTable): string | undefined {
  const sizes = new Map<number, number>();
  for (const e of events) {
    if (e.kind !== 'R' && e.kind !== 'W') continue;
    const l = locations.locate(e.addr);
    if (l === undefined) continue;
    const element = l.count === undefined ? l.offset === 0 : l.offset % l.type.bytes === 0 && l.offset < l.count * l.type.bytes && e.size === l.type.bytes;
    if (!element) return `'${e.text}' accesses ${e.size} bytes at ${locations.formatAddress(e.addr)}, not one ${l.count === undefined ? 'location' : 'array element'}`;
    const first = sizes.get(e.addr);
    if (first !== undefined && first !== e.size) return `'${locations.formatAddress(e.addr)}' is accessed with ${first} and ${e.size} bytes`;
    sizes.set(e.addr, e.size);
  }
  return undefined;
}

/** Memory at the start, location by location (array element by element). */
function initialCells(locations: LocationTable, initValues: ReadonlyMap<number, Val>): InitCell[] {
  return locations.all().flatMap((name, index) => {
    const type = locations.typeOf(name);
    const count = locations.countOf(name) ?? 1;
    return Array.from({ length: count }, (_, k) => {
      const addr = locations.elementAddress(name, k);
      return { addr, size: type.bytes, value: initValues.get(addr) ?? 0n, access: initAccessId(index * 4096 + k) };
    });
  });
}

function* allEvents(threads: readonly (readonly ThreadPath[])[]): Generator<Event> {
  for (const paths of threads) for (const p of paths) yield* p.events;
}

/**
 * The code of all threads as one address space of labels (herd: `P1:L0` values, BL, BR, ADR).
 * A thread's fault handler (`P0.F`) is code of its own after the threads', sharing the thread's
 * labels.
 */
function codeSpace(mainThreads: readonly Thread[], locations: LocationTable): CodeSpace {
  const handlers = mainThreads.flatMap((t) => (t.handler === undefined ? [] : [{ owner: t.id, thread: { ...t, id: -1, name: `${t.name}.F`, code: t.handler, handler: undefined } }]));
  const threads: readonly Thread[] = [...mainThreads, ...handlers.map((h, k) => ({ ...h.thread, id: mainThreads.length + k }))];
  const partners = new Map<number, number>();
  handlers.forEach((h, k) => {
    partners.set(h.owner, mainThreads.length + k);
    partners.set(mainThreads.length + k, h.owner);
  });
  const ownerOf = (thread: number) => (thread >= mainThreads.length ? partners.get(thread)! : thread);
  const numbers = new Map<string, number>();
  const targets: { thread: number; index: number }[] = [];
  const labels = threads.map((t) => {
    const m = new Map<string, number>();
    t.code.forEach((ins, i) => {
      if (ins.kind === 'label') m.set(ins.name, i);
    });
    return m;
  });
  // Positions of real instructions (labels are pseudo-instructions in the code arrays).
  const real = threads.map((t) => t.code.flatMap((ins, i) => (ins.kind === 'label' ? [] : [i])));
  return {
    threads,
    codeAddress(thread, index) {
      const key = `${thread}:${index}`;
      let k = numbers.get(key);
      if (k === undefined) {
        k = targets.length;
        targets.push({ thread, index });
        numbers.set(key, k);
        const name = [...(labels[thread] ?? [])].find(([, i]) => i === index)?.[0];
        // herd prints an unlabelled code address as a number: (thread+1)*10000 + 4 * instruction.
        const herdNumber = (thread + 1) * 10000 + 4 * (real[thread] ?? []).filter((i) => i < index).length;
        locations.nameLabel(k, name !== undefined ? `P${ownerOf(thread)}:${name}` : String(herdNumber));
      }
      return k;
    },
    codeTarget: (k) => targets[k],
    labelIndex: (thread, label) => labels[thread]?.get(label),
    relative(thread, index, bytes) {
      const list = real[thread] ?? [];
      const here = list.findIndex((i) => i >= index);
      const to = here + bytes / 4;
      if (here < 0 || to < 0 || to > list.length) return undefined;
      return to === list.length ? threads[thread]!.code.length : list[to];
    },
    order: (thread, index) => thread * 1_000_000 + index,
    allLabels() {
      return labels.flatMap((m, t) => [...m.values()].map((i) => this.codeAddress(t, i)));
    },
    partner: (thread) => partners.get(thread),
  };
}
