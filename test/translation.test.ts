/**
 * TLB invalidation (docs/model.md §6) on plain memory: an access that used the old mapping is
 * ordered before everything after the DSB that completes the TLBI (Arm ARM: a TLBI is complete
 * when the accesses that used the invalidated entries are complete); otherwise it faulted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { litmus, run } from './helpers.js';

// P1 is a user process (ASID 5); the host flushes its mapping of x (ASID 5 in Xt[63:48]) and
// goes on reading x through its own kernel mapping.
const host = (completion: string[]) => ['ADD X9,X1,X8', 'TLBI VAE1IS,X9', ...completion, 'LDR W2,[X1]'];
const user = ['MOV W0,#1', 'L1: STR W0,[X1]'];
const init = 'P1: asid:5; 0:X8=0x5000000000000; 0:X1=x; 1:X1=x;';

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
  // The invalidating thread's own kernel mapping is not the process's: its accesses never fault.
  const own = run(litmus('tlbi-own', init, [['ADD X9,X1,X8', 'TLBI VAE1IS,X9', 'DSB ISH', 'ISB', 'L1: LDR W2,[X1]'], ['NOP']], 'exists (fault(P0:L1))'));
  assert.equal(own.observation, 'Never');
  // Unmapping its own (kernel) mapping, after the DSB and an ISB, its access faults.
  const ownKernel = run(litmus('tlbi-own-kernel', '0:X1=x; 1:X1=x;', [['TLBI VAE1IS,X1', 'DSB ISH', 'ISB', 'L1: LDR W2,[X1]'], ['NOP']], 'exists (fault(P0:L1))'));
  assert.equal(ownKernel.observation, 'Always');
  // A TLBI of another address leaves x's accesses alone.
  const other = run(litmus('tlbi-other', 'P1: asid:5; 0:X8=0x5000000000000; 0:X1=y; 1:X1=x;', [host(['DSB ISH']), user], 'exists (fault(P1:L1))'));
  assert.equal(other.observation, 'Never');
});
