/**
 * The Linux kernel's memory-model API a kernel C test may call (tools/memory-model's
 * linux-kernel.def names them; include/linux/atomic for the atomic_t family), each described
 * once here for both lowerings: the LKMM's events (lower-lkmm-ops.ts) and arm64's instructions.
 * @internal
 */
import type { LkmmOrder } from '../ast.js';

/** How a call names its location: `*x` (READ_ONCE(*x)) or `x` (smp_load_acquire(x)). */
export type ArgForm = 'deref' | 'ptr';

export type KernelOp =
  /** A marked load: READ_ONCE, smp_load_acquire, rcu_dereference, atomic_read. */
  | { readonly kind: 'load'; readonly tag: 'ONCE' | 'ACQUIRE'; readonly form: ArgForm }
  /** A marked store; smp_store_mb adds a full fence after it. */
  | { readonly kind: 'store'; readonly tag: 'ONCE' | 'RELEASE'; readonly form: ArgForm; readonly mbAfter?: true }
  /** A fence of one annotation. */
  | { readonly kind: 'fence'; readonly tag: string }
  /**
   * An atomic RMW on its pointer argument: `op` undefined for xchg. `valueFirst`: the value comes
   * before the pointer (atomic_add(i, v)); `constant`: the value is fixed (inc: 1, dec: -1).
   */
  | { readonly kind: 'rmw'; readonly op: RmwOp | undefined; readonly order: LkmmOrder; readonly result: 'old' | 'new' | 'none'; readonly test?: 'zero' | 'negative'; readonly valueFirst: boolean; readonly constant?: number; readonly wide: boolean }
  /** cmpxchg(p, old, new); try_cmpxchg(p, &old, new) (`try`): old is a local, updated on failure. */
  | { readonly kind: 'cmpxchg'; readonly order: LkmmOrder; readonly wide: boolean; readonly try?: true }
  /** atomic_add_unless(v, a, u): fully ordered when it adds. */
  | { readonly kind: 'addUnless'; readonly wide: boolean }
  | { readonly kind: 'lock'; readonly op: 'lock' | 'unlock' | 'trylock' | 'islocked' }
  | { readonly kind: 'srcu'; readonly op: 'lock' | 'unlock' | 'sync' };

export type RmwOp = 'add' | 'sub' | 'and' | 'orr' | 'eor' | 'bic';

const FIXED: ReadonlyMap<string, KernelOp> = new Map<string, KernelOp>([
  ['READ_ONCE', { kind: 'load', tag: 'ONCE', form: 'deref' }],
  ['rcu_dereference', { kind: 'load', tag: 'ONCE', form: 'deref' }],
  ['smp_load_acquire', { kind: 'load', tag: 'ACQUIRE', form: 'ptr' }],
  ['WRITE_ONCE', { kind: 'store', tag: 'ONCE', form: 'deref' }],
  ['rcu_assign_pointer', { kind: 'store', tag: 'RELEASE', form: 'deref' }],
  ['smp_store_release', { kind: 'store', tag: 'RELEASE', form: 'ptr' }],
  ['smp_store_mb', { kind: 'store', tag: 'ONCE', form: 'deref', mbAfter: true }],
  ['smp_mb', { kind: 'fence', tag: 'MB' }],
  ['smp_rmb', { kind: 'fence', tag: 'Rmb' }],
  ['smp_wmb', { kind: 'fence', tag: 'Wmb' }],
  ['smp_mb__before_atomic', { kind: 'fence', tag: 'Before-atomic' }],
  ['smp_mb__after_atomic', { kind: 'fence', tag: 'After-atomic' }],
  ['smp_mb__after_spinlock', { kind: 'fence', tag: 'After-spinlock' }],
  ['smp_mb__after_unlock_lock', { kind: 'fence', tag: 'After-unlock-lock' }],
  ['smp_mb__after_srcu_read_unlock', { kind: 'fence', tag: 'After-srcu-read-unlock' }],
  ['barrier', { kind: 'fence', tag: 'Barrier' }],
  ['rcu_read_lock', { kind: 'fence', tag: 'Rcu-lock' }],
  ['rcu_read_unlock', { kind: 'fence', tag: 'Rcu-unlock' }],
  ['synchronize_rcu', { kind: 'fence', tag: 'Sync-rcu' }],
  ['synchronize_rcu_expedited', { kind: 'fence', tag: 'Sync-rcu' }],
  ['spin_lock', { kind: 'lock', op: 'lock' }],
  ['spin_unlock', { kind: 'lock', op: 'unlock' }],
  ['spin_trylock', { kind: 'lock', op: 'trylock' }],
  ['spin_is_locked', { kind: 'lock', op: 'islocked' }],
  ['srcu_read_lock', { kind: 'srcu', op: 'lock' }],
  ['srcu_down_read', { kind: 'srcu', op: 'lock' }],
  ['srcu_read_unlock', { kind: 'srcu', op: 'unlock' }],
  ['srcu_up_read', { kind: 'srcu', op: 'unlock' }],
  ['synchronize_srcu', { kind: 'srcu', op: 'sync' }],
  ['synchronize_srcu_expedited', { kind: 'srcu', op: 'sync' }],
]);

const ORDER_SUFFIX: ReadonlyMap<string, LkmmOrder> = new Map([['', 'mb'], ['_relaxed', 'relaxed'], ['_acquire', 'acquire'], ['_release', 'release']]);
const OPS: Readonly<Record<string, RmwOp>> = { add: 'add', sub: 'sub', inc: 'add', dec: 'sub', and: 'and', or: 'orr', xor: 'eor', andnot: 'bic' };

/** The operation `name` performs, or undefined when it is not part of the API. */
export function kernelOp(name: string): KernelOp | undefined {
  const fixed = FIXED.get(name);
  if (fixed !== undefined) return fixed;
  return atomicOp(name);
}

/** atomic_t (atomic_*) and atomic_long_t (atomic_long_*) operations, and xchg/cmpxchg on plain locations. */
function atomicOp(name: string): KernelOp | undefined {
  const m = /^(atomic_long_|atomic_|)(.*?)(_relaxed|_acquire|_release|)$/.exec(name)!;
  const family = m[1]!;
  const base = m[2]!;
  const order = ORDER_SUFFIX.get(m[3]!)!;
  const wide = family === 'atomic_long_';
  if (base === 'xchg') return { kind: 'rmw', op: undefined, order, result: 'old', valueFirst: false, wide };
  if (base === 'cmpxchg') return { kind: 'cmpxchg', order, wide };
  // include/linux/atomic/atomic-arch-fallback.h: try_cmpxchg is cmpxchg, then `r == old`, and old = r on failure.
  if (base === 'try_cmpxchg') return { kind: 'cmpxchg', order, wide, try: true };
  if (family === '') return undefined;
  if (base === 'read' || base === 'set') {
    if (order === 'relaxed' || (order === 'acquire' && base === 'set') || (order === 'release' && base === 'read')) return undefined;
    if (base === 'read') return { kind: 'load', tag: order === 'acquire' ? 'ACQUIRE' : 'ONCE', form: 'ptr' };
    return { kind: 'store', tag: order === 'release' ? 'RELEASE' : 'ONCE', form: 'ptr' };
  }
  const unit = (op: string) => (op === 'inc' || op === 'dec' ? { valueFirst: false, constant: 1 } : { valueFirst: true });
  let k = /^(add|sub|inc|dec|and|or|xor|andnot)$/.exec(base);
  if (k && order === 'mb') return { kind: 'rmw', op: OPS[k[1]!], order: 'noreturn', result: 'none', wide, ...unit(k[1]!) };
  k = /^(add|sub|inc|dec)_return$/.exec(base);
  if (k) return { kind: 'rmw', op: OPS[k[1]!], order, result: 'new', wide, ...unit(k[1]!) };
  k = /^fetch_(add|sub|inc|dec|and|or|xor|andnot)$/.exec(base);
  if (k) return { kind: 'rmw', op: OPS[k[1]!], order, result: 'old', wide, ...unit(k[1]!) };
  k = /^(sub|dec|inc)_and_test$/.exec(base);
  if (k && order === 'mb') return { kind: 'rmw', op: OPS[k[1]!], order, result: 'new', test: 'zero', wide, ...unit(k[1]!) };
  if (base === 'add_unless' && order === 'mb') return { kind: 'addUnless', wide };
  if (base === 'add_negative') return { kind: 'rmw', op: 'add', order, result: 'new', test: 'negative', wide, valueFirst: true };
  return undefined;
}

/** Every fixed name (for "did you mean"). */
export function kernelOpNames(): readonly string[] {
  return [...FIXED.keys(), 'xchg', 'cmpxchg', 'atomic_read', 'atomic_set', 'atomic_inc', 'atomic_dec', 'atomic_add', 'atomic_sub', 'atomic_add_return', 'atomic_fetch_add', 'atomic_xchg', 'atomic_cmpxchg', 'atomic_dec_and_test'];
}
