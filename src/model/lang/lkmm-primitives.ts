/**
 * The primitives of the Linux kernel memory model (models/lkmm.model): the annotation sets kernel
 * C events carry (events/semantics-lkmm.ts), the accesses of atomic RMWs, and the RCU read-side
 * critical sections as they nest in program order.
 */
import type { Event } from '../../events/event.js';
import type { Execution } from '../../execution/execution.js';
import { EventSet, Relation } from '../../execution/relation.js';

/** The annotation sets, with what makes each (docs/models.md). */
export const LKMM_TAGS: readonly (readonly [string, string])[] = [
  ['ONCE', 'READ_ONCE, WRITE_ONCE, rcu_dereference, atomic_read/set, relaxed RMWs'],
  ['ACQUIRE', 'smp_load_acquire, atomic_read_acquire, _acquire RMWs'],
  ['RELEASE', 'smp_store_release, rcu_assign_pointer, atomic_set_release, _release RMWs'],
  ['MB', 'smp_mb (a fence) and the accesses of fully ordered RMWs'],
  ['NORETURN', 'the accesses of RMWs that return nothing (atomic_inc, atomic_add, ...)'],
  ['Rmb', 'smp_rmb'], ['Wmb', 'smp_wmb'], ['Barrier', 'barrier'],
  ['Before-atomic', 'smp_mb__before_atomic'], ['After-atomic', 'smp_mb__after_atomic'],
  ['After-spinlock', 'smp_mb__after_spinlock'], ['After-unlock-lock', 'smp_mb__after_unlock_lock'],
  ['After-srcu-read-unlock', 'smp_mb__after_srcu_read_unlock'],
  ['Rcu-lock', 'rcu_read_lock'], ['Rcu-unlock', 'rcu_read_unlock'], ['Sync-rcu', 'synchronize_rcu'],
  ['Srcu-lock', "srcu_read_lock's read of the srcu_struct"], ['Srcu-unlock', "srcu_read_unlock's write of the srcu_struct"],
  ['Sync-srcu', 'synchronize_srcu (a fence at the srcu_struct)'],
  ['LKR', "spin_lock's read of the lock (it found it free)"], ['LKW', "spin_lock's write of the lock"],
  ['UL', 'spin_unlock'], ['LF', 'a spin_trylock that failed (it read the lock held)'],
  ['RL', 'spin_is_locked reading the lock held'], ['RU', 'spin_is_locked reading the lock free'],
];

function tagged(x: Execution, tag: string): EventSet {
  return EventSet.where(x.n, (i) => {
    const e = x.events[i]!;
    return (e.tags?.includes(tag) ?? false) || (e.kind === 'F' && e.fence.lkmm === tag);
  });
}

/** The set of events annotated `tag`. */
export const tagSet = (tag: string) => (x: Execution): EventSet => tagged(x, tag);

const isLockEvent = (e: Event) => e.tags?.includes('LKR') === true || e.tags?.includes('LKW') === true;

/** Accesses of atomic read-modify-writes, failed ones included (not the lock's pair). */
export function rmwAccesses(x: Execution): EventSet {
  return EventSet.where(x.n, (i) => {
    const e = x.events[i]!;
    return (e.kind === 'R' || e.kind === 'W') && e.exclusive && e.tags !== undefined && !isLockEvent(e);
  });
}

/** Each rcu_read_unlock with the rcu_read_lock it closes: the nearest unclosed one before it in the thread. */
export function rcuRscs(x: Execution): Relation {
  const pairs: [number, number][] = [];
  const open = new Map<number, number[]>();
  for (let i = 0; i < x.n; i++) {
    const e = x.events[i]!;
    if (e.kind !== 'F' || e.fence.op !== 'LKMM') continue;
    const t = x.threadOf[i]!;
    const stack = open.get(t) ?? [];
    open.set(t, stack);
    if (e.fence.lkmm === 'Rcu-lock') stack.push(i);
    else if (e.fence.lkmm === 'Rcu-unlock' && stack.length > 0) pairs.push([stack.pop()!, i]);
  }
  return Relation.of(x.n, pairs);
}
