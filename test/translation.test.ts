/**
 * TLB invalidation (docs/model.md §6) on plain memory: an access that used the old mapping is
 * ordered before everything after the DSB that completes the TLBI (Arm ARM: a TLBI is complete
 * when the accesses that used the invalidated entries are complete); otherwise it faulted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { litmus, run } from './helpers.js';

const host = (completion: string[]) => ['TLBI VAE1IS,X1', ...completion, 'LDR W2,[X1]'];
const user = ['MOV W0,#1', 'L1: STR W0,[X1]'];
const init = '0:X1=x; 1:X1=x;';

test('a store that used the old mapping is visible after the TLBI completes (DSB), not before', () => {
  const cond = 'exists (0:X2=0 /\\ ~fault(P1:L1))';
  assert.equal(run(litmus('tlbi-dsb', init, [host(['DSB ISH']), user], cond)).observation, 'Never');
  assert.equal(run(litmus('tlbi-no-dsb', init, [host([]), user], cond)).observation, 'Sometimes');
  // A DSB ST does not complete TLB maintenance in this model (only a full DSB does).
  assert.equal(run(litmus('tlbi-dsb-st', init, [host(['DSB ST']), user], cond)).observation, 'Sometimes');
});

test('an access to an invalidated address may fault: it has no effect and comes after the TLBI', () => {
  const r = run(litmus('tlbi-fault', init, [host(['DSB ISH']), user], 'exists (fault(P1:L1) /\\ x=0)'));
  assert.equal(r.observation, 'Sometimes');
  // The invalidating thread's own accesses never fault.
  const own = run(litmus('tlbi-own', init, [['TLBI VAE1IS,X1', 'DSB ISH', 'L1: LDR W2,[X1]'], ['NOP']], 'exists (fault(P0:L1))'));
  assert.equal(own.observation, 'Never');
  // A TLBI of another address leaves x's accesses alone.
  const other = run(litmus('tlbi-other', '0:X1=y; 1:X1=x;', [host(['DSB ISH']), user], 'exists (fault(P1:L1))'));
  assert.equal(other.observation, 'Never');
});
