/**
 * The kernel memory-model API (kernel-ops.ts) lowered two ways:
 *
 * - for the LKMM: the events herd7 builds with the kernel's linux-kernel.def (tagged loads and
 *   stores, `lkmm*` instructions: events/semantics-lkmm.ts);
 * - for arm64: the instructions Linux runs on an LSE machine (arch/arm64/include/asm/
 *   atomic_lse.h, cmpxchg.h, barrier.h): READ_ONCE LDR, smp_load_acquire LDAR, smp_store_release
 *   STLR, smp_mb DMB ISH (also smp_mb__before_atomic, __after_atomic, __after_spinlock: arm64
 *   defines them as smp_mb), a fully ordered atomic its AL form (LDADDAL, SWPAL, CASAL), _acquire
 *   the A form, _release the L form, _relaxed the plain one, a non-returning one ST<op>
 *   (LD<op> to the zero register). Locks, RCU and SRCU are kernel algorithms, not instruction
 *   sequences iolitmus models: under arm64 they are `unsupported`.
 * @internal
 */
import type { AtomicOp, Instr, LkmmOrder, Reg } from '../ast.js';
import { ZR } from '../ast.js';
import type { Span } from '../diagnostics.js';
import type { KernelOp } from './kernel-ops.js';

/** A location argument resolved: the register holding its address, and whether it is 64 bits. */
export interface Place {
  readonly reg: Reg;
  readonly wide: boolean;
}

/** What lowering a kernel operation needs from the thread being lowered. */
export interface OpHost {
  readonly span: Span;
  emit(i: Instr): void;
  temp(wide: boolean): Reg;
  constant(value: number, wide?: boolean): Reg;
}

/** The operands of one call, already lowered to registers. */
export interface OpArgs {
  readonly place: Place;
  /** The value operand (stores, RMWs: the value; cmpxchg: the expected value). */
  readonly value: Reg | undefined;
  /** cmpxchg's new value; srcu_read_unlock's index is `value`. */
  readonly second: Reg | undefined;
  readonly dest: Reg | undefined;
  /** try_cmpxchg: the local whose address the call was given (`&old`); `value` is that local. */
  readonly tryOld?: Reg;
}

const addrOf = (r: Reg) => ({ base: r, offset: undefined, index: 'offset' as const });
const sizeOf = (p: Place) => (p.wide ? 8 : 4);
const view = (r: Reg, wide: boolean): Reg => ({ index: r.index, wide });

/** Lower `op` for the LKMM. */
export function lowerForLkmm(h: OpHost, op: KernelOp, a: OpArgs): void {
  const span = h.span;
  const size = sizeOf(a.place);
  switch (op.kind) {
    case 'load':
      h.emit({ kind: 'load', rt: view(a.dest ?? h.temp(a.place.wide), a.place.wide), addr: addrOf(a.place.reg), size, signed: false, order: op.tag === 'ACQUIRE' ? 'acquire' : 'plain', exclusive: false, tags: [op.tag], span });
      return;
    case 'store':
      h.emit({ kind: 'store', rt: view(a.value!, a.place.wide), addr: addrOf(a.place.reg), size, release: op.tag === 'RELEASE', exclusive: false, status: undefined, tags: [op.tag], span });
      if (op.mbAfter) h.emit({ kind: 'lkmmFence', tag: 'MB', span });
      return;
    case 'fence':
      h.emit({ kind: 'lkmmFence', tag: op.tag, span });
      return;
    case 'rmw': {
      const value = op.constant !== undefined ? h.constant(op.constant, a.place.wide) : a.value!;
      const result = op.result === 'none' ? 'old' : op.result;
      h.emit({ kind: 'lkmmRmw', op: op.op, order: op.order, result, ...(op.test ? { test: op.test } : {}), rd: a.dest === undefined ? undefined : view(a.dest, a.place.wide), addr: a.place.reg, value: view(value, a.place.wide), size, span });
      return;
    }
    case 'cmpxchg':
      h.emit({ kind: 'lkmmCmpxchg', order: op.order, rd: view(a.dest ?? h.temp(a.place.wide), a.place.wide), addr: a.place.reg, expected: view(a.value!, a.place.wide), swapIn: view(a.second!, a.place.wide), size, span, ...(a.tryOld ? { tryOld: view(a.tryOld, a.place.wide) } : {}) });
      return;
    case 'addUnless':
      h.emit({ kind: 'lkmmAddUnless', rd: a.dest, addr: a.place.reg, value: view(a.value!, a.place.wide), limit: view(a.second!, a.place.wide), size, span });
      return;
    case 'lock':
      h.emit({ kind: 'lkmmLock', op: op.op, addr: a.place.reg, rd: a.dest, span });
      return;
    case 'srcu':
      h.emit({ kind: 'lkmmSrcu', op: op.op, addr: a.place.reg, rd: a.dest, value: a.value, span });
      return;
  }
}

const ACQ = (o: LkmmOrder) => o === 'mb' || o === 'acquire';
const REL = (o: LkmmOrder) => o === 'mb' || o === 'release';
/** LD<op> for each kernel operation; sub adds the negated value, andnot clears (LDCLR). */
const LSE_OP: Readonly<Record<string, AtomicOp>> = { add: 'add', sub: 'add', and: 'clr', orr: 'set', eor: 'eor', bic: 'clr' };

/** Why `op` has no arm64 lowering here, or undefined when it has one. */
export function arm64Refusal(op: KernelOp, name: string): string | undefined {
  if (op.kind === 'addUnless') return `unsupported: ${name} under arm64: Linux implements it as a cmpxchg loop, which is not modelled`;
  if (op.kind === 'lock') return `unsupported: ${name} under arm64: the qspinlock algorithm is not modelled (the LKMM answers lock tests: drop --model aarch64)`;
  if (op.kind === 'srcu') return `unsupported: ${name} under arm64: SRCU is a kernel algorithm, not an instruction sequence (the LKMM answers it)`;
  if (op.kind === 'fence' && /^(Rcu-|Sync-rcu)/.test(op.tag)) return `unsupported: ${name} under arm64: RCU grace periods are a kernel algorithm, not an instruction sequence (the LKMM answers RCU tests)`;
  if (op.kind === 'fence' && op.tag === 'After-srcu-read-unlock') return `unsupported: ${name} under arm64 (it belongs to SRCU)`;
  return undefined;
}

/** Lower `op` for arm64 (arm64Refusal first). */
export function lowerForArm64(h: OpHost, op: KernelOp, a: OpArgs): void {
  const span = h.span;
  const size = sizeOf(a.place);
  const dmbIsh = (): void => h.emit({ kind: 'barrier', op: 'DMB', domain: 'ISH', type: 'ALL', span });
  switch (op.kind) {
    case 'load':
      h.emit({ kind: 'load', rt: view(a.dest ?? h.temp(a.place.wide), a.place.wide), addr: addrOf(a.place.reg), size, signed: false, order: op.tag === 'ACQUIRE' ? 'acquire' : 'plain', exclusive: false, span });
      return;
    case 'store':
      h.emit({ kind: 'store', rt: view(a.value!, a.place.wide), addr: addrOf(a.place.reg), size, release: op.tag === 'RELEASE', exclusive: false, status: undefined, span });
      if (op.mbAfter) dmbIsh();
      return;
    case 'fence':
      // smp_rmb DMB ISHLD, smp_wmb DMB ISHST; barrier() and smp_mb__after_unlock_lock() emit nothing on arm64.
      if (op.tag === 'Rmb') h.emit({ kind: 'barrier', op: 'DMB', domain: 'ISH', type: 'LD', span });
      else if (op.tag === 'Wmb') h.emit({ kind: 'barrier', op: 'DMB', domain: 'ISH', type: 'ST', span });
      else if (op.tag !== 'Barrier' && op.tag !== 'After-unlock-lock') dmbIsh();
      return;
    case 'rmw':
      return arm64Rmw(h, op, a);
    case 'cmpxchg': {
      // CAS{A,L,AL} Ws, Wt, [Xn]: Ws holds the expected value and gets the old one.
      const rs = view(h.temp(a.place.wide), a.place.wide);
      h.emit({ kind: 'mov', rd: rs, src: { kind: 'reg', reg: view(a.value!, a.place.wide) }, span });
      h.emit({ kind: 'cas', rs, rt: view(a.second!, a.place.wide), addr: addrOf(a.place.reg), size, acquire: ACQ(op.order), release: REL(op.order), span });
      if (a.tryOld !== undefined) {
        // try_cmpxchg: success is `r == old` (CMP; CSET EQ), then old = r.
        const old = view(a.tryOld, a.place.wide);
        if (a.dest !== undefined) {
          h.emit({ kind: 'cmp', f: 'sub', rn: rs, op2: { kind: 'reg', reg: old }, span });
          h.emit({ kind: 'csel', op: 'inc', rd: view(a.dest, false), rn: { index: ZR, wide: false }, rm: { index: ZR, wide: false }, cond: 'NE', span });
        }
        h.emit({ kind: 'mov', rd: old, src: { kind: 'reg', reg: rs }, span });
        return;
      }
      if (a.dest !== undefined) h.emit({ kind: 'mov', rd: view(a.dest, a.place.wide), src: { kind: 'reg', reg: rs }, span });
      return;
    }
    case 'lock':
    case 'srcu':
    case 'addUnless':
      throw new RangeError(`no arm64 lowering for ${op.kind}`);
  }
}

function arm64Rmw(h: OpHost, op: Extract<KernelOp, { kind: 'rmw' }>, a: OpArgs): void {
  const span = h.span;
  const w = a.place.wide;
  const size = sizeOf(a.place);
  const value = op.constant !== undefined ? h.constant(op.constant, w) : view(a.value!, w);
  const acquire = op.order !== 'noreturn' && ACQ(op.order);
  const release = op.order !== 'noreturn' && REL(op.order);
  if (op.op === undefined) {
    const rt = view(a.dest ?? h.temp(w), w);
    h.emit({ kind: 'swp', rs: value, rt, addr: addrOf(a.place.reg), size, acquire, release, span });
    return;
  }
  // sub: add the negation; and: clear the complement; andnot: clear the value.
  let operand = value;
  if (op.op === 'sub' || op.op === 'and') {
    operand = view(h.temp(w), w);
    h.emit({ kind: 'unary', op: op.op === 'sub' ? 'neg' : 'not', rd: operand, rn: value, params: [], span });
  }
  const old = op.result === 'none' ? { index: ZR, wide: w } : view(h.temp(w), w);
  h.emit({ kind: 'ldop', op: LSE_OP[op.op]!, rs: operand, rt: old, addr: addrOf(a.place.reg), size, acquire, release, span });
  if (op.result === 'none' || a.dest === undefined) return;
  const dest = view(a.dest, w);
  let result = old;
  if (op.result === 'new') {
    // The new value, computed again from the old one (atomic_lse.h: ld<op> then the op).
    result = op.test === undefined ? dest : view(h.temp(w), w);
    h.emit({ kind: 'alu', op: op.op === 'bic' ? 'bic' : op.op === 'sub' ? 'sub' : op.op, rd: result, rn: old, op2: { kind: 'reg', reg: value }, setFlags: false, span });
  }
  if (op.test !== undefined) {
    h.emit({ kind: 'cmp', f: 'sub', rn: result, op2: { kind: 'imm', value: 0n }, span });
    h.emit({ kind: 'csel', op: 'inc', rd: dest, rn: { index: ZR, wide: w }, rm: { index: ZR, wide: w }, cond: op.test === 'zero' ? 'NE' : 'GE', span });
    return;
  }
  if (result.index !== dest.index) h.emit({ kind: 'mov', rd: dest, src: { kind: 'reg', reg: result }, span });
}
