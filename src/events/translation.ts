/**
 * VMSA translation of an explicit access, as herd7 runs it under `-variant vmsa` with software
 * management of the access flag and dirty state (no TTHM) and fatal faults:
 *
 * - the access to virtual address x+k first reads x's translation table entry PTE(x) (an implicit
 *   read, address-dependent like the access: Arm ARM D8.2, the translation table walk);
 * - the descriptor read decides (Arm ARM D8.15 and D8.4-D8.5): invalid -> Translation fault;
 *   else AF clear -> Access flag fault; else a write to a read-only entry (db 0) -> Permission
 *   fault; else the access goes on at the output address oa + k;
 * - a fault is an exception entry: it takes the place of the access, and with fatal faults the
 *   thread stops there, its destination register unwritten.
 *
 * Which outcome a path takes depends on the value the entry read returns, chosen later by the
 * search: each outcome is a path of its own, with conditions on that value. Only outcomes some
 * value of the entry allows are made (the values the entry can hold: its initial descriptor and
 * the descriptors stored to it, or every descriptor when a stored value is computed).
 */
import type { MmuFault } from './event.js';
import type { Classify, Origin, PathState, TranslationOutcome } from './path-state.js';
import { condition, constant, unary, type Sym } from './sym.js';
import type { Src } from './taint.js';
import { descriptorOf, physicalValue, type Val } from './value.js';

/** What translation knows of a test's memory under VMSA. */
export interface VmsaSpace {
  /** The entry translating virtual address `addr`; undefined for an entry itself (not translated). */
  entryOf(addr: number): number | undefined;
  /** The byte offset of `addr` in its location (kept by translation). */
  offsetOf(addr: number): number;
  /** The values entry `pte` may hold, or 'any' when some stored value is computed. */
  possible(pte: number): readonly Val[] | 'any';
  /** Every location's (physical) address that an output address may name. */
  readonly outputs: readonly number[];
}

export type Direction = 'R' | 'W';

/** What a translation needs from the instruction being executed. */
export interface TranslateContext {
  readonly space: VmsaSpace;
  readonly origin: Origin;
  readonly classify: Classify;
  readonly varId: (pos: number) => number;
  readonly spawn: (s: PathState) => void;
  /** End a path here (a fault stops the thread), as an error when `stray` is given. */
  readonly end: (s: PathState, stray?: string) => void;
  /** The instruction is a release (STLR): its fault is too. */
  readonly release: boolean;
  /** Pre-indexed base writeback: it happens even when the access faults. */
  readonly preWriteback: (() => void) | undefined;
}

/**
 * Translate the access at `vaddr` (address value `ea`): the physical address the access goes on
 * at, or undefined when this path ends here (a fault) or was forked into one path per outcome.
 */
export function translate(s: PathState, vaddr: number, ea: Src, dir: Direction, ctx: TranslateContext): number | undefined {
  const entry = ctx.space.entryOf(vaddr);
  if (entry === undefined) return vaddr;
  if (s.translation === undefined) {
    const outcomes = possibleOutcomes(ctx.space.possible(entry), dir, ctx.space.outputs);
    if (outcomes.length > 1) {
      for (const o of outcomes) {
        const f = s.fork();
        f.translation = o; // the fork runs the instruction again, with this outcome
        ctx.spawn(f);
      }
      return undefined;
    }
    s.translation = outcomes[0]!;
  }
  const outcome = s.translation;
  s.translation = undefined;
  const read = s.ttdRead(ctx.origin, entry, ea, ctx.classify, ctx.varId);
  const v: Sym = { k: 'var', id: ctx.varId(read.pos) };
  for (const [part, value, holds] of conditionsOf(outcome, dir)) s.assume(condition('EQ', 'sub', unary('desc', v, 64, [part]), constant(value), 64), holds);
  const offset = ctx.space.offsetOf(vaddr);
  switch (outcome.kind) {
    case 'ok':
      s.tribFrom = read.pos;
      return outcome.oa + offset;
    case 'stray':
      ctx.end(s, `'${ctx.origin.text}' uses a descriptor with no output address (herd's PA())`);
      return undefined;
    case 'fault': {
      ctx.preWriteback?.();
      const pa = outcome.oa === undefined ? {} : { pa: outcome.oa + offset };
      const fault = s.fence(ctx.origin, { op: 'FAULT', domain: undefined, type: undefined, addr: vaddr, mmu: outcome.mmu, ...pa, ...(ctx.release ? { release: true as const } : {}) });
      s.rel.trib.push([read.pos, fault]);
      ctx.end(s);
      return undefined;
    }
  }
}

/** Descriptor parts (value.ts descriptorPart): fields by index, 5 the output address. */
const VALID = 0;
const AF = 1;
const DB = 2;
const OA = 5;

/** The conditions on the entry's value under which a translation has this outcome: (part, value, holds). */
function conditionsOf(o: TranslationOutcome, dir: Direction): [number, Val, boolean][] {
  const oa = (a: number | undefined): [number, Val, boolean] => [OA, a === undefined ? 0n : physicalValue(a), true];
  if (o.kind === 'fault') {
    if (o.mmu === 'Translation') return [[VALID, 0n, true]];
    if (o.mmu === 'AccessFlag') return [[VALID, 1n, true], [AF, 0n, true], oa(o.oa)];
    return [[VALID, 1n, true], [AF, 1n, true], [DB, 0n, true], oa(o.oa)];
  }
  const allowed: [number, Val, boolean][] = [[VALID, 1n, true], [AF, 1n, true], ...(dir === 'W' ? [[DB, 1n, true] as [number, Val, boolean]] : [])];
  return [...allowed, oa(o.kind === 'ok' ? o.oa : undefined)];
}

/** The outcome a descriptor gives an access (undefined oa: the descriptor has none). */
function outcomeOf(valid: boolean, af: boolean, db: boolean, oa: number | undefined, dir: Direction): TranslationOutcome {
  const mmu: MmuFault | undefined = !valid ? 'Translation' : !af ? 'AccessFlag' : dir === 'W' && !db ? 'Permission' : undefined;
  if (mmu === 'Translation') return { kind: 'fault', mmu, oa: undefined };
  if (mmu !== undefined) return { kind: 'fault', mmu, oa };
  return oa === undefined ? { kind: 'stray' } : { kind: 'ok', oa };
}

/** The distinct outcomes the entry's possible values allow (every one when any value is possible). */
function possibleOutcomes(values: readonly Val[] | 'any', dir: Direction, outputs: readonly number[]): TranslationOutcome[] {
  const out = new Map<string, TranslationOutcome>();
  const add = (o: TranslationOutcome) => out.set(JSON.stringify(o), o);
  if (values === 'any') {
    const bools = [false, true];
    for (const oa of [undefined, ...outputs]) for (const valid of bools) for (const af of bools) for (const db of bools) add(outcomeOf(valid, af, db, oa, dir));
  } else {
    for (const v of values) {
      const d = descriptorOf(v);
      // An entry holding what is no descriptor: herd rejects such a test; so does the search.
      if (d === undefined) add({ kind: 'stray' });
      else add(outcomeOf(d.valid, d.af, d.db, d.oa, dir));
    }
  }
  return [...out.values()];
}
