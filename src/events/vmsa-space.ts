/**
 * herd's VMSA memory (herd7 -variant vmsa): every location x of the test is a virtual address
 * whose data lives at physical address PA(x), and has a translation table entry PTE(x), itself a
 * location (of 8 bytes) holding a descriptor. An entry nobody initialises maps x to PA(x), valid,
 * accessed and writable. Accesses to x are translated through PTE(x) (translation.ts); accesses
 * to PTE(x) are not. Here: which tests ask for it, the entries' initial values, and the values
 * each entry may hold (what translation forks over).
 */
import type { LitmusTest, Prop } from '../syntax/ast.js';
import { forEachAtom } from '../syntax/prop.js';
import { error, type Diagnostic, type Span } from '../syntax/diagnostics.js';
import { isStage2Entry, pteLocation, pteOf } from '../syntax/shared/vmsa-syntax.js';
import { metaValue, variantNames } from '../syntax/shared/header.js';
import { parseCType } from './ctype.js';
import type { Event } from './event.js';
import { locationBase, type LocationTable } from './locations.js';
import type { FaultHandling, Management, VmsaSpace } from './translation.js';
import { DESCRIPTOR_DEFAULTS, descriptorOf, descriptorValue, ValueError, type Val } from './value.js';
import { evaluate, variablesOf } from './sym.js';

/** herd's variant names that switch its VMSA semantics on. */
const VMSA_VARIANTS = new Set(['vmsa', 'kvm']);
/** herd's fault handling by variant name: fatal (its default), skip, handled. */
const FAULT_HANDLING: ReadonlyMap<string, FaultHandling> = new Map([
  ['fatal', 'fatal'], ['precise', 'fatal'], ['skip', 'skip'], ['faulttonext', 'skip'], ['handled', 'handled'], ['imprecise', 'handled'],
]);

/** The test's fault handling (herd: the last one named wins; fatal by default). */
function faultHandling(test: LitmusTest, extra: readonly string[]): FaultHandling {
  const named = variantsOf(test, extra).flatMap((v) => FAULT_HANDLING.get(v) ?? []);
  return named[named.length - 1] ?? 'fatal';
}

/** The variants of the test's `Variant=` line and of the command line, lower-cased. */
function variantsOf(test: LitmusTest, extra: readonly string[]): string[] {
  const line = metaValue(test.meta, 'Variant');
  return [...(line === undefined ? [] : variantNames(line)), ...extra].map((v) => v.toLowerCase());
}

/** Whether the test runs under herd's VMSA semantics. */
export function asksVmsa(test: LitmusTest, extra: readonly string[]): boolean {
  return variantsOf(test, extra).some((v) => VMSA_VARIANTS.has(v));
}

/**
 * What only a VMSA test may ask (fault handlers, fault atoms in `locations`, fault handling
 * variants) in a test without VMSA; in a VMSA test, what iolitmus does not model there (`attrs`
 * entries and mappings).
 */
export function vmsaScopeDiagnostics(test: LitmusTest, vmsa: boolean, extra: readonly string[]): Diagnostic[] {
  if (vmsa) {
    // A VMSA entry's attrs would be descriptor attributes (herd's memory-type BBM rules), not iolitmus's mappings.
    if (test.mappings.length > 0) return [error('unsupported', "unsupported: 'attrs' entries and mappings in a VMSA test (descriptor memory attributes are not modelled)", test.mappings[0]!.span)];
    // Regimes come from the page tables and `Guests=` here, not from declarations.
    const tagged = (test.guestThreads?.length ?? 0) > 0 ? "'Pn: s2:(...)'" : (test.vmids?.size ?? 0) > 0 ? "'Pn: vmid:N'" : (test.asids?.size ?? 0) > 0 ? "'Pn: asid:N'" : undefined;
    return tagged === undefined ? [] : [error('unsupported', `unsupported: ${tagged} in a VMSA test (its guests are named by 'Guests=P1,...' and translate through S2PTE(x); ASIDs are not modelled)`, test.nameSpan ?? NO_SPAN)];
  }
  if (metaValue(test.meta, 'Guests') !== undefined) return [error('unsupported', "unsupported: 'Guests=' without 'vmsa' (it names the threads translated through the test's stage-2 tables)", test.nameSpan ?? NO_SPAN)];
  const handled = test.threads.find((t) => t.handler !== undefined);
  if (handled !== undefined) return [error('unsupported', `unsupported: a fault handler (${handled.name}.F) without 'vmsa' (it runs on herd's VMSA faults)`, handled.span)];
  if (test.locationFaults !== undefined) return [error('unsupported', "unsupported: fault atoms in 'locations [...]' without 'vmsa'", test.locationFaults[0]!.span)];
  const handling = variantsOf(test, extra).filter((v) => FAULT_HANDLING.has(v));
  return handling.length > 0 ? [error('unsupported', `unsupported: variant '${handling[0]}' without 'vmsa' (herd's fault handling applies to its VMSA faults)`, test.nameSpan ?? NO_SPAN)] : [];
}

const NO_SPAN: Span = { line: 1, col: 1, endLine: 1, endCol: 2 };

/**
 * What a VMSA test says of its threads, read once from its header and the command line: the
 * hardware's management of AF and DB (`TTHM=`), the fault handling, the EL0 threads (`EL0=`),
 * and whether spurious AF updates may happen (some thread's hardware manages AF).
 */
export interface VmsaSettings {
  readonly tthm: Tthm;
  readonly handling: FaultHandling;
  readonly el0: ReadonlySet<number>;
  readonly spurious: boolean;
  /** The guest threads (`Guests=P1,P2`): the vCPUs of one VM, translated in two stages. */
  readonly guests: ReadonlySet<number>;
}

/** The settings of a VMSA test, or the located errors of its `TTHM=` and `EL0=` lines. */
export function vmsaSettings(test: LitmusTest, extra: readonly string[]): VmsaSettings | Diagnostic[] {
  const at = test.nameSpan ?? NO_SPAN;
  const tthmLine = metaValue(test.meta, 'TTHM');
  const tthm = tthmLine === undefined ? SOFTWARE : parseTthm(tthmLine);
  const el0Text = metaValue(test.meta, 'EL0') ?? metaValue(test.meta, 'user');
  const el0 = el0Text === undefined ? new Set<number>() : el0Threads(el0Text);
  const guestText = metaValue(test.meta, 'Guests');
  const guests = guestText === undefined ? new Set<number>() : el0Threads(guestText);
  const out: Diagnostic[] = [];
  if (typeof tthm === 'string') out.push(error('unsupported', `unsupported: TTHM=${tthmLine}: ${tthm}`, at));
  if (typeof el0 === 'string') out.push(error('semantic', `EL0=${el0Text}: ${el0}`, at));
  if (typeof guests === 'string') out.push(error('semantic', `Guests=${guestText}: ${guests}`, at));
  if (typeof tthm === 'string' || typeof el0 === 'string' || typeof guests === 'string') return out;
  const handling = faultHandling(test, extra);
  const twoStage = stage2Diagnostics(test, guests, { hardware: test.threads.some((t) => tthm(t.id).ha), el0: el0.size > 0, handling });
  if (twoStage.length > 0) return twoStage;
  // herd makes spurious updates when any thread has HA (a thread's own HA or a global one).
  return { tthm, handling, el0, spurious: test.threads.some((t) => tthm(t.id).ha), guests };
}

/**
 * What a test with guests (two stages of translation) may not ask: iolitmus models software
 * management of both stages, at EL1, with fatal faults, for the threads of one VM. A stage-2
 * fault type in a test without guests is a mistake (so is `S2PTE(x)`: addEntries).
 */
function stage2Diagnostics(test: LitmusTest, guests: ReadonlySet<number>, asked: { hardware: boolean; el0: boolean; handling: FaultHandling }): Diagnostic[] {
  const at = test.nameSpan ?? NO_SPAN;
  if (metaValue(test.meta, 'Guests') !== undefined && guests.size === 0) return [error('semantic', 'Guests= names no thread (Guests=P1,...)', at)];
  if (guests.size === 0) {
    // A stage-2 fault type asks about a guest's stage 2, which a test without guests does not have.
    const atoms: Extract<Prop, { kind: 'fault' }>[] = [...(test.locationFaults ?? [])];
    if (test.condition) forEachAtom(test.condition.prop, (a) => a.kind === 'fault' && atoms.push(a));
    const s2 = atoms.find((a) => a.faultType?.startsWith('S2:'));
    return s2 === undefined ? [] : [error('semantic', `${s2.faultType} is a guest's stage-2 fault, but the test has no guest: name its guest threads with 'Guests=P1,...'`, s2.span)];
  }
  const missing = [...guests].find((g) => !test.threads.some((t) => t.id === g));
  if (missing !== undefined) return [error('semantic', `Guests= names P${missing}, which the test does not have`, at)];
  const refuse = (what: string) => [error('unsupported', `unsupported: ${what} in a test with guests (two-stage translation models software management at EL1 with fatal faults)`, at)];
  if (asked.hardware) return refuse('hardware management of the access flag or dirty state (TTHM)');
  if (asked.el0) return refuse('EL0 threads');
  if (asked.handling !== 'fatal') return refuse(`fault handling '${asked.handling}'`);
  const handled = test.threads.find((t) => t.handler !== undefined);
  if (handled !== undefined) return refuse(`a fault handler (${handled.name}.F)`);
  return [];
}

/**
 * herd's `TTHM=` line: which threads' hardware manages the access flag (HA) and the dirty state
 * (HD, which implies HA), for all threads or one (`P1:HA`). A message for what is not modelled.
 */
type Tthm = (thread: number) => Management;

function parseTthm(line: string): Tthm | string {
  const items = line.split(/\s+/).filter((x) => x !== '');
  const all = { ha: false, hd: false };
  const per = new Map<number, { ha: boolean; hd: boolean }>();
  for (const item of items) {
    const m = /^(?:P(\d+):)?(HA|HD|SW)$/i.exec(item);
    if (!m) return `'${item}' is not HA, HD or P<n>:HA/HD`;
    const key = m[2]!.toUpperCase();
    if (key === 'SW') return 'software management for one thread (SW) is not modelled';
    const target = m[1] === undefined ? all : per.get(Number(m[1])) ?? (per.set(Number(m[1]), { ha: false, hd: false }), per.get(Number(m[1]))!);
    target.ha = true;
    if (key === 'HD') target.hd = true;
  }
  return (t) => ({ ha: all.ha || (per.get(t)?.ha ?? false), hd: all.hd || (per.get(t)?.hd ?? false) });
}

/** The thread numbers herd's `EL0=P0,P2` (or `user=`) line names: the threads that run at EL0; or a message. */
function el0Threads(line: string): Set<number> | string {
  const out = new Set<number>();
  for (const item of line.split(/[,\s]+/).filter((x) => x !== '')) {
    const m = /^P(\d+)$/.exec(item);
    if (!m) return `'${item}' is not a thread (P0, P1, ...)`;
    out.add(Number(m[1]));
  }
  return out;
}

/** No hardware management (no TTHM line). */
const SOFTWARE: Tthm = () => ({ ha: false, hd: false });

const ENTRY_TYPE = parseCType('uint64_t', 'AArch64')!;

/** A VMSA test's entries: each location's address -> its stage-1 entry's, and (with guests) its stage-2 entry's. */
export interface Entries {
  readonly s1: ReadonlyMap<number, number>;
  readonly s2: ReadonlyMap<number, number>;
}

/**
 * Give every location its entry (a location `PTE(x)` of 8 bytes) and, in a test with guests, its
 * stage-2 entry `S2PTE(x)`; the entries nobody initialised get their default descriptor (output
 * address x's). A stage-2 entry in a test without guests is an error (undefined).
 */
export function addEntries(locations: LocationTable, initValues: Map<number, Val>, guests: boolean): Entries | undefined {
  const s1 = new Map<number, number>();
  const s2 = new Map<number, number>();
  for (const name of locations.all()) {
    const of = pteOf(name);
    if (of === undefined) continue;
    if (isStage2Entry(name) && !guests) return undefined;
    locations.declare(name, ENTRY_TYPE, undefined);
    // An entry is x's: x is a location of the test too.
    locations.intern(of);
  }
  const stages = guests ? ([[s1, 'PTE'], [s2, 'S2PTE']] as const) : ([[s1, 'PTE']] as const);
  for (const name of locations.all()) {
    if (pteOf(name) !== undefined) continue;
    for (const [map, written] of stages) {
      const pte = pteLocation(name, written);
      if (!locations.has(pte)) locations.declare(pte, ENTRY_TYPE, undefined);
      const entry = locations.addressOf(pte);
      map.set(locations.addressOf(name), entry);
      if (!initValues.has(entry)) initValues.set(entry, defaultDescriptor(locations.addressOf(name)));
    }
  }
  return { s1, s2 };
}

/** The descriptor of an entry nobody wrote: output address `oa`, the other fields herd's defaults. */
export function defaultDescriptor(oa: number): Val {
  return descriptorValue({ oa, ...DESCRIPTOR_DEFAULTS });
}

/** The values each entry may hold: its initial one, and each value stored to it ('any' for a computed one). */
export type EntryValues = Map<number, Set<Val> | 'any'>;

export function initialEntryValues(entries: Entries, initValues: ReadonlyMap<number, Val>): EntryValues {
  const out: EntryValues = new Map();
  for (const e of [...entries.s1.values(), ...entries.s2.values()]) out.set(e, new Set([initValues.get(e)!]));
  return out;
}

/**
 * Add the values the paths store to entries; true when something was added. A stored value
 * computed from one read of an entry (a hardware update, `LDCLR` on an entry, a load, ORR and
 * store back) takes each value that entry may hold; any other computed value makes the entry's
 * values unknown ('any').
 */
export function addStoredValues(values: EntryValues, threads: readonly (readonly { readonly events: readonly Event[] }[])[]): boolean {
  const readAt = new Map<number, number>();
  for (const paths of threads) for (const p of paths) for (const e of p.events) if (e.kind === 'R') readAt.set(e.id, e.addr);
  let grew = false;
  const add = (addr: number, v: Val) => {
    const known = values.get(addr);
    if (known === undefined || known === 'any' || known.has(v)) return;
    known.add(v);
    grew = true;
  };
  for (const paths of threads)
    for (const p of paths)
      for (const e of p.events) {
        if (e.kind !== 'W' || values.get(e.addr) === undefined || values.get(e.addr) === 'any') continue;
        if (e.value.k === 'const') {
          add(e.addr, e.value.v);
          continue;
        }
        const vars = [...new Set(variablesOf(e.value))];
        const from = vars.length === 1 ? values.get(readAt.get(vars[0]!) ?? -1) : undefined;
        if (from === undefined || from === 'any') {
          values.set(e.addr, 'any');
          grew = true;
          continue;
        }
        for (const v of [...from]) {
          try {
            const r = evaluate(e.value, () => v);
            if (r !== undefined) add(e.addr, r);
          } catch (err) {
            if (!(err instanceof ValueError)) throw err;
          }
        }
      }
  return grew;
}

/**
 * Under hardware AF management, any valid entry value with AF clear may be updated spuriously to
 * the same value with AF set: add those. True when something was added.
 */
export function addSpuriousValues(values: EntryValues): boolean {
  let grew = false;
  for (const known of values.values()) {
    if (known === 'any') continue;
    for (const v of [...known]) {
      const d = descriptorOf(v);
      if (d === undefined || !d.valid || d.af) continue;
      const set = descriptorValue({ ...d, af: true });
      if (!known.has(set)) {
        known.add(set);
        grew = true;
      }
    }
  }
  return grew;
}

/** The space translation works in: entries, offsets, the entries' possible values, hardware management, guests. */
export function vmsaSpace(entries: Entries, values: EntryValues, settings: VmsaSettings): VmsaSpace {
  const outputs = [...entries.s1.keys()];
  const pte = new Set([...entries.s1.values(), ...entries.s2.values()]);
  const s2pte = new Set(entries.s2.values());
  const { tthm, handling, el0, spurious, guests } = settings;
  return {
    handling,
    management: (t) => ({ ...tthm(t), el0: el0.has(t) }),
    spurious,
    isEntry: (addr) => pte.has(addr),
    isStage2Entry: (addr) => s2pte.has(addr),
    entryOf: (addr) => entries.s1.get(locationBase(addr)),
    isGuest: (thread) => guests.has(thread),
    stage2EntryOf: (addr) => entries.s2.get(locationBase(addr)),
    offsetOf: (addr) => addr - locationBase(addr),
    possible: (pte) => {
      const v = values.get(pte);
      return v === undefined || v === 'any' ? 'any' : [...v];
    },
    outputs,
  };
}
