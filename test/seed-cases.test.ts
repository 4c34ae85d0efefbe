/**
 * The mapping answers that follow from the Arm ARM's stage-1 x stage-2 combination (D8) and
 * KVM's stage-2 choice: stage 2 Device-nGnRE (<= 6.8, or vfio-platform) makes every guest mapping at least
 * nGnRE; stage 2 Normal-NC (6.9 vfio-pci) lets the guest's choice win, Normal becoming Normal-NC.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SEED_CASES, answerSeedCase, formatMemoryType } from '../src/platform/index.js';

const expected: Record<string, string> = {
  'WC BAR in the guest, before the 6.9 series': 'Device-nGnRE',
  'WC BAR in the guest, with VM_ALLOW_ANY_UNCACHED': 'Normal-NC',
  'WC BAR, no FWB': 'Normal-NC',
  'guest ioremap over stage-2 Normal-NC stays Device': 'Device-nGnRE',
  'guest maps a status register cacheable (6.8)': 'Device-nGnRE',
  'guest maps a status register cacheable (6.9)': 'Normal-NC',
  'vfio-platform does not set the flag': 'Device-nGnRE',
  'instruction fetch from a BAR': 'ENOEXEC',
};

test('every seed case gets the effective type the facts give', () => {
  assert.equal(SEED_CASES.length, Object.keys(expected).length);
  for (const c of SEED_CASES) {
    const a = answerSeedCase(c);
    const got = a.decision.result === 'mapped' ? (a.effective ? formatMemoryType(a.effective) : 'null') : a.decision.result;
    assert.equal(got, expected[c.title], c.title);
  }
});
