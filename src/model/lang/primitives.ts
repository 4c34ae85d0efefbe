/**
 * The sets and relations the event structure gives a model file (docs/models.md, "Primitives"):
 * one table, so a model can only name what the execution builder provides. Static primitives
 * are computed once per candidate execution; dynamic ones (rf, co, fr) change with the search's
 * choices and grow as it proceeds, which is what makes a check on them monotone.
 */
import type { FenceKind } from '../../events/event.js';
import type { Execution } from '../../execution/execution.js';
import type { Dynamic } from '../model.js';
import { EventSet, Relation } from '../../execution/relation.js';
import * as ep from './endpoint-primitives.js';
import * as vp from './vmsa-primitives.js';
import { LKMM_TAGS, rcuRscs, rmwAccesses, tagSet } from './lkmm-primitives.js';

export type Type = 'set' | 'rel';

interface Primitive {
  readonly type: Type;
  readonly doc: string;
}

export interface StaticPrimitive extends Primitive {
  readonly of: (x: Execution) => EventSet | Relation;
}
export interface DynamicPrimitive extends Primitive {
  /**
   * The value in these choices. A view of the search's own state (`view`) is free to read; the
   * others are computed once per check round into `out`, storage the model owns.
   */
  readonly of: (d: Dynamic, out: EventSet | Relation) => EventSet | Relation;
  readonly view?: boolean;
}

/** Barriers that order between observers: DMB and DSB of any domain but NSH (Arm ARM B2.3.10). */
const shared = (op: 'DMB' | 'DSB', type: FenceKind['type']) => (f: FenceKind) => f.op === op && f.domain !== 'NSH' && f.type === type;

const set = (doc: string, of: (x: Execution) => EventSet): StaticPrimitive => ({ type: 'set', doc, of });
const rel = (doc: string, of: (x: Execution) => Relation): StaticPrimitive => ({ type: 'rel', doc, of });

export const STATIC_PRIMITIVES: ReadonlyMap<string, StaticPrimitive> = new Map([
  ['R', set('read effects (of memory and of device registers)', (x) => x.R)],
  ['W', set('write effects, the initial writes included', (x) => x.W)],
  ['M', set('memory effects: R | W', (x) => x.M)],
  ['F', set('fence events (barriers, TLBI, fault markers)', (x) => x.F)],
  ['IW', set('the initial writes', (x) => x.IW)],
  ['A', set('acquire reads (LDAR, LDAXR, the A forms of atomics)', (x) => x.A)],
  ['Q', set('acquire-PC reads (LDAPR)', (x) => x.Q)],
  ['L', set('release writes (STLR, STLXR, the L forms of atomics)', (x) => x.L)],
  ['X', set('effects of exclusives and atomics', (x) => x.X)],
  ['NoRet', set('reads of atomics whose result is discarded (ST<op>, LD<op> to XZR)', (x) => x.NoRet)],
  ['DMB.full', set('DMB SY, ISH or OSH (all access types)', (x) => x.fences(shared('DMB', 'ALL')))],
  ['DMB.ld', set('DMB LD of a shared domain', (x) => x.fences(shared('DMB', 'LD')))],
  ['DMB.st', set('DMB ST of a shared domain', (x) => x.fences(shared('DMB', 'ST')))],
  ['DSB.full', set('DSB SY, ISH or OSH (all access types)', (x) => x.fences(shared('DSB', 'ALL')))],
  ['DSB.ld', set('DSB LD of a shared domain', (x) => x.fences(shared('DSB', 'LD')))],
  ['DSB.st', set('DSB ST of a shared domain', (x) => x.fences(shared('DSB', 'ST')))],
  ['ISH', set('DMB and DSB of the Inner Shareable domain (ISH, ISHLD, ISHST)', (x) => x.fences((f) => (f.op === 'DMB' || f.op === 'DSB') && f.domain === 'ISH'))],
  ['DSB.local', set('DSB NSH (all access types): completes the issuing PE\'s own maintenance', (x) => x.fences((f) => f.op === 'DSB' && f.domain === 'NSH' && f.type === 'ALL'))],
  ['ISB', set('instruction synchronization barriers', (x) => x.fences((f) => f.op === 'ISB'))],
  ['DMB', set('DMB of any domain and kind (NSH included)', (x) => x.fences((f) => f.op === 'DMB'))],
  ['DSB', set('DSB of any domain and kind (NSH included)', (x) => x.fences((f) => f.op === 'DSB'))],
  ['TLBI', set('TLB invalidations', (x) => x.fences((f) => f.op === 'TLBI'))],
  ['TLBI.local', set('TLB invalidations without IS: of the issuing PE only', (x) => x.fences((f) => f.op === 'TLBI' && !(f.tlbi ?? '').endsWith('IS')))],
  ['FAULT', set('accesses that found their mapping removed (they have no effect)', (x) => x.fences((f) => f.op === 'FAULT'))],
  ['_', set('every event', (x) => EventSet.where(x.n, () => true))],
  ['MMIO', set("CPU accesses to device registers, as the program issues them (a store's effect is its arrival)", ep.mmio)],
  ['Speculative', set('speculative reads of a Normal mapping of a register', ep.speculative)],
  ['DMA', set("a device program's accesses to host memory (MSI writes included)", ep.dma)],
  ['MSI', set("a device's writes to an MSI doorbell (`irq = msi(P1)`)", ep.msi)],
  ['RO', set('device requests with Relaxed Ordering set (`nic:L1 tlp:(ro)`)', ep.relaxedRequests)],
  ['IDO', set('device requests with ID-based Ordering set (`nic:L1 tlp:(ido)`)', ep.idoRequests)],
  ['Cfg', set('CPU accesses to PCIe configuration space', ep.configSpace)],
  ['PCIe', set('events at an endpoint declared on a PCIe path', ep.onPcie)],
  ['RO-port', set('events at an endpoint whose root port sets Relaxed Ordering', (x) => ep.rootPortSets(x, 'ro'))],
  ['IDO-port', set('events at an endpoint whose root port sets ID-based Ordering', (x) => ep.rootPortSets(x, 'ido'))],
  ['Device', set('accesses of a Device memory type', (x) => ep.memoryTypes(x, (t) => t.type === 'Device'))],
  ['Device.nGnRnE', set('accesses of memory type Device-nGnRnE', (x) => ep.memoryTypes(x, (t) => t.type === 'Device' && t.device === 'nGnRnE'))],
  ['Device.nGnRE', set('accesses of memory type Device-nGnRE', (x) => ep.memoryTypes(x, (t) => t.type === 'Device' && t.device === 'nGnRE'))],
  ['Device.nGRE', set('accesses of memory type Device-nGRE', (x) => ep.memoryTypes(x, (t) => t.type === 'Device' && t.device === 'nGRE'))],
  ['Device.GRE', set('accesses of memory type Device-GRE', (x) => ep.memoryTypes(x, (t) => t.type === 'Device' && t.device === 'GRE'))],
  ['Normal', set('accesses of a Normal memory type (host memory included)', (x) => ep.memoryTypes(x, (t) => t.type === 'Normal'))],
  ['Normal.NC', set('accesses of memory type Normal Non-cacheable (inner and outer)', (x) => ep.memoryTypes(x, (t) => t.type === 'Normal' && t.inner === 'NC' && t.outer === 'NC'))],
  ['Exp', set('explicit memory effects (VMSA: all but the translation table reads and hardware updates)', vp.explicit)],
  ['Imp', set('implicit memory effects of VMSA translation: translation table reads, hardware updates of AF and DB', vp.implicit)],
  ['TTD', set('memory effects at a translation table entry PTE(x) (or S2PTE(x)), explicit or implicit', vp.atEntries)],
  ['MMU', set('MMU faults of VMSA translation (exception entries)', (x) => vp.mmuFaults(x))],
  ['Translation', set('translation faults (the descriptor was invalid)', (x) => vp.mmuFaults(x, 'Translation'))],
  ['AccessFlag', set('access flag faults (AF was clear)', (x) => vp.mmuFaults(x, 'AccessFlag'))],
  ['Permission', set('permission faults (a write to a read-only entry)', (x) => vp.mmuFaults(x, 'Permission'))],
  ['ERET', set('exception returns (ERET, from a fault handler: context synchronising)', (x) => x.fences((f) => f.op === 'ERET'))],
  ['TLBI.IS', set("TLB invalidations broadcast to the Inner Shareable domain: the IS forms, and a guest's (HCR_EL2.FB)", vp.broadcastTlbi)],
  ['S2', set("effects at stage-2 entries S2PTE(x) and a guest's stage-2 faults (VMSA tests with guests)", vp.stage2)],
  ...LKMM_TAGS.map(([tag, doc]): [string, StaticPrimitive] => [tag, set(`LKMM: events annotated ${tag} (${doc})`, tagSet(tag))]),
  ['RMW', set('LKMM: accesses of atomic read-modify-writes, failed ones included', rmwAccesses)],
  ['rcu-rscs', rel('LKMM: rcu_read_lock -> the rcu_read_unlock closing it, as they nest in program order', rcuRscs)],
  ['tr-ib', rel('translation table read -> the accesses or the fault of the instruction it translated', (x) => x.trib)],
  ['same-loc', rel('VMSA same location: one address; a translation fault and everything at its offset; an access flag or permission fault and what is at its physical address', vp.sameLocation)],
  ['same-offset', rel('memory effects and faults at the same offset in their locations', vp.sameOffset)],
  ['inv-domain', rel('TLBI <-> the effects at the translation table entries it invalidates (both ways)', vp.invDomain)],
  ['id', rel('the identity on every event', (x) => Relation.identity(EventSet.where(x.n, () => true)))],
  ['po', rel('program order (strict, within a thread)', (x) => x.po)],
  ['loc', rel('same location, between memory effects (reflexive)', (x) => x.loc)],
  ['po-loc', rel('po & loc between memory effects (a CPU write to a register counts where it arrives)', (x) => x.poLoc)],
  ['int', rel('same thread', (x) => x.int)],
  ['ext', rel('different threads (the initial writes are in none)', (x) => x.ext)],
  ['addr', rel('address dependency: read -> access whose address it computes', (x) => x.addr)],
  ['data', rel('data dependency: read -> write whose value it computes', (x) => x.data)],
  ['ctrl', rel('control dependency: read -> every event po-after a branch on its value', (x) => x.ctrl)],
  ['rmw', rel('read -> write of one exclusive pair or atomic', (x) => x.rmw)],
  ['amo', rel('read -> write of one atomic instruction (LSE)', (x) => x.amo)],
  ['iico-order', rel('accesses one instruction performs in order (LDIAPP, STILP)', (x) => x.iicoOrder)],
  ['sca', rel('effects that form one single-copy atomic access (both ways)', (x) => x.sca)],
  ['pick-addr', rel('pick address dependency (through a value a condition chose: CSEL, CAS)', (x) => x.pickAddr)],
  ['pick-data', rel('pick data dependency', (x) => x.pickData)],
  ['pick-ctrl', rel('pick control dependency', (x) => x.pickCtrl)],
  ['pick-basic', rel('pick basic dependency, to accesses', (x) => x.pickBasic)],
  ['other-id', rel("device requests and CPU register accesses whose PCIe IDs differ (a DMA request's Requester ID, a register's function as Completer ID), both ways", ep.otherId)],
  ['interrupt', rel('an MSI write -> every event of the handler thread it starts', ep.interrupt)],
  ['same-endpoint', rel('events at one endpoint (register accesses, arrivals, resets, its device program), both ways', ep.sameEndpoint)],
  ['same-space', rel('register accesses and arrivals in one register space of one endpoint (a BAR, the configuration space, a platform device\'s registers), both ways', ep.sameSpace)],
  ['same-type', rel('accesses of one memory type, both ways', ep.sameType)],
  ['arrival', rel("issue -> arrival: a CPU store to a register, to its effect at the endpoint", ep.arrival)],
  ['reset-by', rel("a reset controller's trigger (its arrival) -> the register resets it causes", ep.resetBy)],
  ['device-po', rel("a device program's actions in program order (its barriers left out)", ep.deviceProgramOrder)],
  ['tlbi-covers', rel('TLBI -> the accesses and faults of other CPU threads at an address it names whose translation it may remove', ep.tlbiCovers)],
  ['tlbi-unmaps', rel('TLBI -> the accesses and faults whose mapping changed at it (the page-table store implicit in it): a fault\'s cause', ep.tlbiUnmaps)],
  ['tlbi-completes', rel('TLBI -> those of tlbi-covers whose every TLB entry it removes (none survives to be used after it)', ep.tlbiCompletes)],
]);

export const DYNAMIC_PRIMITIVES: ReadonlyMap<string, DynamicPrimitive> = new Map<string, DynamicPrimitive>([
  ['rf', { type: 'rel', view: true, doc: 'reads-from: write -> read of its value', of: (d) => d.rf }],
  ['co', { type: 'rel', view: true, doc: 'coherence order: write -> later write to the same location', of: (d) => d.co }],
  ['fr', { type: 'rel', view: true, doc: 'from-reads: rf^-1; co', of: (d) => d.fr }],
  ['arr', { type: 'rel', view: true, doc: "arrival order: a -> b when both are placed in one endpoint's order and a's transaction comes first", of: (d) => d.arr }],
  ['gathered', { type: 'rel', doc: 'distinct events placed in one transaction (gathered stores), both ways', of: (d, out) => ep.gathered(d, out as Relation) }],
  ['Arrived', { type: 'set', doc: "events placed in their endpoint's order and not dropped by it (during an FLR)", of: (d, out) => ep.arrived(d, out as EventSet) }],
]);
