/**
 * What the kernel C operations do to a path under the Linux kernel memory model: the events of
 * each, with their annotation sets (`tags`), as the kernel's tools/memory-model (Linux 6.17-rc3:
 * linux-kernel.def, with the "lkmmv2" semantics of its linux-kernel.cfg) has herd7 build them:
 *
 * - a fence of one annotation (smp_mb: `MB`, rcu_read_lock: `Rcu-lock`, ...);
 * - a read-modify-write: an atomic read and an atomic write, both carrying the operation's
 *   annotation (`MB` fully ordered, `ACQUIRE`, `RELEASE`, `ONCE` relaxed, `NORETURN` for the
 *   ones that return nothing, atomic_inc and friends); the model gives each its meaning;
 * - cmpxchg: success as above; failure is one atomic read with the annotation, which the model
 *   discounts (a failed RMW orders nothing: explanation.txt);
 * - spin_lock: a lock read `LKR` that finds the lock free (0) and the lock write `LKW` (1), an
 *   atomic pair; spin_unlock: a write `UL` of 0; spin_trylock: the lock, or a read `LF` that
 *   finds it held; spin_is_locked: a read `RL` that finds it held, or `RU` that finds it free
 *   (lock.cat).
 *   Values stand for herd's lock events: a lock read can read only from the initial state or an
 *   unlock, so coherence puts every lock's critical sections one after the other (lock.cat's
 *   co for locks, with its rf of lock reads);
 * - SRCU: srcu_read_lock reads the srcu_struct (`Srcu-lock`) and returns an index unique to it,
 *   srcu_read_unlock writes the index it is given (`Srcu-unlock`), synchronize_srcu is a fence
 *   (`Sync-srcu`) at the srcu_struct: the critical sections pair by the data flowing from lock
 *   to unlock (srcu-rscs in the model).
 */
import type { LkmmInstr, LkmmOrder, Reg } from '../syntax/ast.js';
import { binary, condition, constant, variable, type Sym } from './sym.js';
import type { PathState } from './path-state.js';
import { alternative, sized, width, type MemoryContext } from './semantics-memory.js';
import { NONE, only, type Src, type Taint } from './taint.js';

type Rmw = Extract<LkmmInstr, { kind: 'lkmmRmw' }>;
type Cmpxchg = Extract<LkmmInstr, { kind: 'lkmmCmpxchg' }>;
type Lock = Extract<LkmmInstr, { kind: 'lkmmLock' }>;
type Srcu = Extract<LkmmInstr, { kind: 'lkmmSrcu' }>;

function fence(s: PathState, ctx: MemoryContext, tag: string): void {
  s.fence(ctx.origin, { op: 'LKMM', domain: undefined, type: undefined, lkmm: tag });
}

/** The location number a pointer register holds, or undefined after reporting why not. */
function target(s: PathState, r: Reg, ctx: MemoryContext): { addr: number; ea: Src } | undefined {
  const ea = s.read(r);
  const n = ctx.resolve(s, ea);
  if (typeof n === 'string') {
    // '' : the path was already split over the addresses the pointer may hold (address-range.ts).
    if (n !== '') ctx.fail(n);
    return undefined;
  }
  return { addr: n, ea };
}

/** The annotation both accesses of an RMW of this ordering carry. */
const RMW_TAG: Readonly<Record<LkmmOrder, string>> = { mb: 'MB', acquire: 'ACQUIRE', release: 'RELEASE', relaxed: 'ONCE', noreturn: 'NORETURN' };

/**
 * herd's kernel C orders the read of an RMW (and of a lock) before its write in program order:
 * the write is a later step of the operation, so po-loc keeps the read from reading it.
 */
function nextStep(s: PathState): void {
  s.instr++;
}

const sizedValue = (v: Sym, size: number): Sym => sized({ v, t: NONE, p: NONE }, size);

export function lkmmStep(s: PathState, ins: LkmmInstr, ctx: MemoryContext): boolean {
  switch (ins.kind) {
    case 'lkmmScope':
      if (ins.op === 'enter') s.ctrlSaved.push([s.ctrlT, s.ctrlP]);
      else [s.ctrlT, s.ctrlP] = s.ctrlSaved.pop() ?? [NONE, NONE];
      return true;
    case 'lkmmFence':
      fence(s, ctx, ins.tag);
      return true;
    case 'lkmmRmw':
      return rmw(s, ins, ctx);
    case 'lkmmCmpxchg':
      return cmpxchg(s, ins, ctx);
    case 'lkmmAddUnless':
      return addUnless(s, ins, ctx);
    case 'lkmmLock':
      return lock(s, ins, ctx);
    case 'lkmmSrcu':
      return srcu(s, ins, ctx);
  }
}

function rmw(s: PathState, ins: Rmw, ctx: MemoryContext): boolean {
  const at = target(s, ins.addr, ctx);
  if (!at) return false;
  const tags = [RMW_TAG[ins.order]];
  const d = s.read(ins.value);
  const r = s.memRead(ctx.origin, at.addr, ins.size, at.ea, { order: 'plain', exclusive: true, tags, ...(ins.order === 'noreturn' ? { noRet: true } : {}) }, ctx.classify, ctx.varId);
  const old = variable(ctx.varId(r.pos));
  nextStep(s);
  const stored = ins.op === undefined ? sizedValue(d.v, ins.size) : sizedValue(binary(ins.op, old, sizedValue(d.v, ins.size), width(ins.size)), ins.size);
  // An arithmetic RMW's write is data-dependent on its read (herd: iico data from the read); an
  // xchg's is not. The two are separate steps here (nextStep), so the edge is an ordinary one.
  const data = ins.op === undefined ? d : { t: d.t | r.t, p: d.p | r.p };
  s.memWrite(ctx.origin, at.addr, ins.size, at.ea, stored, data, { t: NONE, p: NONE }, NONE, { order: 'plain', exclusive: true, tags }, ctx.classify);
  if (ins.rd !== undefined) {
    const result = ins.result === 'old' ? old : stored;
    // atomic_dec_and_test, atomic_add_negative: the comparison of the new value, as a value.
    const value = ins.test === undefined ? result : condition(ins.test === 'zero' ? 'EQ' : 'LT', 'sub', result, constant(0n), width(ins.size));
    const t = ins.result === 'old' ? r.t : r.t | d.t;
    const p = ins.result === 'old' ? r.p : r.p | d.p;
    s.write(ins.rd, { v: value, t, p });
  }
  return true;
}

function cmpxchg(s: PathState, ins: Cmpxchg, ctx: MemoryContext): boolean {
  const at = target(s, ins.addr, ctx);
  if (!at) return false;
  const expected = s.read(ins.expected);
  const swapIn = s.read(ins.swapIn);
  const equal = (pos: number) => condition('EQ', 'sub', variable(ctx.varId(pos)), sizedValue(expected.v, ins.size), width(ins.size));
  const tags = [RMW_TAG[ins.order]];
  // Failure: one atomic read of another value, no write.
  alternative(s, ctx, (f) => {
    const fr = f.memRead(ctx.origin, at.addr, ins.size, at.ea, { order: 'plain', exclusive: true, tags }, ctx.classify, ctx.varId);
    f.assume(equal(fr.pos), false);
    cmpxchgResult(f, ins, fr, equal(fr.pos), ctx);
  });
  // Success.
  const r = s.memRead(ctx.origin, at.addr, ins.size, at.ea, { order: 'plain', exclusive: true, tags }, ctx.classify, ctx.varId);
  s.assume(equal(r.pos), true);
  nextStep(s);
  s.memWrite(ctx.origin, at.addr, ins.size, at.ea, sizedValue(swapIn.v, ins.size), swapIn, { t: NONE, p: NONE }, NONE, { order: 'plain', exclusive: true, tags }, ctx.classify, only(r.pos));
  cmpxchgResult(s, ins, r, equal(r.pos), ctx);
  return true;
}

/**
 * What cmpxchg returns: the value read. try_cmpxchg returns whether the read found the expected
 * value (a value computed from the read, as the kernel's fallback `r == o` is) and stores the
 * read value in the expected value's local (equal to it on success).
 */
function cmpxchgResult(s: PathState, ins: Cmpxchg, r: { pos: number; t: Taint; p: Taint }, equal: Sym, ctx: MemoryContext): void {
  const read = { v: variable(ctx.varId(r.pos)), t: r.t, p: r.p };
  if (ins.tryOld === undefined) return s.write(ins.rd, read);
  const expected = s.read(ins.expected);
  s.write(ins.rd, { v: equal, t: r.t | expected.t, p: r.p | expected.p });
  s.write(ins.tryOld, read);
}

/** atomic_add_unless: an MB read that finds `limit` (no write, answer 0), or an MB read and write adding `value` (answer 1). */
function addUnless(s: PathState, ins: Extract<LkmmInstr, { kind: 'lkmmAddUnless' }>, ctx: MemoryContext): boolean {
  const at = target(s, ins.addr, ctx);
  if (!at) return false;
  const d = s.read(ins.value);
  const limit = s.read(ins.limit);
  const found = (pos: number) => condition('EQ', 'sub', variable(ctx.varId(pos)), sizedValue(limit.v, ins.size), width(ins.size));
  alternative(s, ctx, (f) => {
    const fr = f.memRead(ctx.origin, at.addr, ins.size, at.ea, { order: 'plain', exclusive: true, tags: ['MB'] }, ctx.classify, ctx.varId);
    f.assume(found(fr.pos), true);
    answer(f, ins.rd, 0n, only(fr.pos) | limit.t);
  });
  const r = s.memRead(ctx.origin, at.addr, ins.size, at.ea, { order: 'plain', exclusive: true, tags: ['MB'] }, ctx.classify, ctx.varId);
  s.assume(found(r.pos), false);
  nextStep(s);
  const sum = sizedValue(binary('add', variable(ctx.varId(r.pos)), sizedValue(d.v, ins.size), width(ins.size)), ins.size);
  s.memWrite(ctx.origin, at.addr, ins.size, at.ea, sum, { t: d.t | r.t, p: d.p | r.p }, { t: NONE, p: NONE }, NONE, { order: 'plain', exclusive: true, tags: ['MB'] }, ctx.classify);
  answer(s, ins.rd, 1n, only(r.pos) | limit.t);
  return true;
}

/** Under the LKMM every location is one 64-bit word (lower-thread.ts). */
const LOCK_SIZE = 8;
const isValue = (pos: number, ctx: MemoryContext, v: bigint) => condition('EQ', 'sub', variable(ctx.varId(pos)), constant(v), 32);

/**
 * An answer (trylock's, is_locked's, add_unless's) that is a constant, yet depends on the event
 * it comes after, as in herd's kernel C (`e >>! v`: what follows depends on e): an `if` on it is
 * a control dependency from that event.
 */
function answer(s: PathState, rd: Reg | undefined, v: bigint, after: Taint): void {
  if (rd !== undefined) s.write(rd, { v: constant(v), t: after, p: NONE });
}

/** The lock read and lock write of a lock taken. */
function take(s: PathState, addr: number, ea: Src, ctx: MemoryContext): void {
  const r = s.memRead(ctx.origin, addr, LOCK_SIZE, ea, { order: 'plain', exclusive: true, tags: ['LKR'] }, ctx.classify, ctx.varId);
  s.assume(isValue(r.pos, ctx, 0n), true);
  nextStep(s);
  s.heldLocks = new Set([...s.heldLocks, addr]);
  s.memWrite(ctx.origin, addr, LOCK_SIZE, ea, constant(1n), { t: NONE, p: NONE }, { t: NONE, p: NONE }, NONE, { order: 'plain', exclusive: true, tags: ['LKW'] }, ctx.classify, only(r.pos));
}

/**
 * The value an unlock writes: 0 (free) when it closes this thread's critical section, else
 * UNMATCHED. lock.cat leaves such an unlock out of the lock's coherence order, so no lock read
 * reads it, while spin_is_locked may (it finds the lock not held): a value that is neither 0
 * nor 1 does both.
 */
const UNMATCHED = 2n;

/** A read of the lock that finds it held (1) or free (0), with its tag; rd gets `v`. */
function probe(s: PathState, addr: number, ea: Src, ctx: MemoryContext, tag: string, held: boolean, rd: Reg | undefined, v: bigint): void {
  const r = s.memRead(ctx.origin, addr, LOCK_SIZE, ea, { order: 'plain', exclusive: false, tags: [tag] }, ctx.classify, ctx.varId);
  s.assume(isValue(r.pos, ctx, 1n), held);
  answer(s, rd, v, only(r.pos));
}

function lock(s: PathState, ins: Lock, ctx: MemoryContext): boolean {
  const at = target(s, ins.addr, ctx);
  if (!at) return false;
  const { addr, ea } = at;
  switch (ins.op) {
    case 'lock':
      take(s, addr, ea, ctx);
      return true;
    case 'unlock': {
      const closes = s.heldLocks.has(addr);
      if (closes) s.heldLocks = new Set([...s.heldLocks].filter((a) => a !== addr));
      s.memWrite(ctx.origin, addr, LOCK_SIZE, ea, constant(closes ? 0n : UNMATCHED), { t: NONE, p: NONE }, { t: NONE, p: NONE }, NONE, { order: 'plain', exclusive: false, tags: ['UL'] }, ctx.classify);
      return true;
    }
    case 'trylock': {
      alternative(s, ctx, (f) => probe(f, addr, ea, ctx, 'LF', true, ins.rd, 0n));
      // Its answer depends on nothing: herd's would start at the lock write, and a dependency starts at a read.
      take(s, addr, ea, ctx);
      answer(s, ins.rd, 1n, NONE);
      return true;
    }
    case 'islocked': {
      alternative(s, ctx, (f) => probe(f, addr, ea, ctx, 'RU', false, ins.rd, 0n));
      probe(s, addr, ea, ctx, 'RL', true, ins.rd, 1n);
      return true;
    }
  }
}

function srcu(s: PathState, ins: Srcu, ctx: MemoryContext): boolean {
  const at = target(s, ins.addr, ctx);
  if (!at) return false;
  const { addr, ea } = at;
  switch (ins.op) {
    case 'sync':
      s.fence(ctx.origin, { op: 'LKMM', domain: undefined, type: undefined, lkmm: 'Sync-srcu', addr });
      return true;
    case 'lock': {
      const r = s.memRead(ctx.origin, addr, LOCK_SIZE, ea, { order: 'plain', exclusive: false, tags: ['Srcu-lock'] }, ctx.classify, ctx.varId);
      if (ins.rd !== undefined) s.write(ins.rd, { v: variable(ctx.varId(r.pos)), t: r.t, p: r.p });
      return true;
    }
    case 'unlock': {
      const d = s.read(ins.value!);
      s.memWrite(ctx.origin, addr, LOCK_SIZE, ea, sizedValue(d.v, LOCK_SIZE), d, { t: NONE, p: NONE }, NONE, { order: 'plain', exclusive: false, tags: ['Srcu-unlock'] }, ctx.classify);
      return true;
    }
  }
}

