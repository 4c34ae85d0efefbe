/**
 * The sets and relations the event structure gives a model file (docs/models.md, "Primitives"):
 * one table, so a model can only name what the execution builder provides. Static primitives
 * are computed once per candidate execution; dynamic ones (rf, co, fr) change with the search's
 * choices and grow as it proceeds, which is what makes a check on them monotone.
 */
import type { FenceKind } from '../../events/event.js';
import type { Execution } from '../execution.js';
import type { Dynamic } from '../model.js';
import { EventSet, Relation } from '../relation.js';

export type Type = 'set' | 'rel';

interface Primitive {
  readonly type: Type;
  readonly doc: string;
}

export interface StaticPrimitive extends Primitive {
  readonly of: (x: Execution) => EventSet | Relation;
}
export interface DynamicPrimitive extends Primitive {
  readonly of: (d: Dynamic) => Relation;
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
  ['ISB', set('instruction synchronization barriers', (x) => x.fences((f) => f.op === 'ISB'))],
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
]);

export const DYNAMIC_PRIMITIVES: ReadonlyMap<string, DynamicPrimitive> = new Map<string, DynamicPrimitive>([
  ['rf', { type: 'rel', doc: 'reads-from: write -> read of its value', of: (d) => d.rf }],
  ['co', { type: 'rel', doc: 'coherence order: write -> later write to the same location', of: (d) => d.co }],
  ['fr', { type: 'rel', doc: 'from-reads: rf^-1; co', of: (d) => d.fr }],
]);
