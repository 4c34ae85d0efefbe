/**
 * The verdict matrix over the device catalogue: the columns the rules give
 * (written here from those tables), and the rows it builds for each assumption dimension.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { matrixRows, type MatrixRow } from '../src/pipeline/index.js';
import { formatMatrixSummary, verdictSplit } from '../src/report/matrix-summary.js';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../catalogue/thread');
const rows = (name: string): MatrixRow[] => matrixRows(name, readFileSync(join(dir, `${name}.litmus`), 'utf8'));
const verdict = (rs: MatrixRow[], fabric: string, kvm: string | null = null) =>
  rs.find((r) => r.assumptions.fabric === fabric && (kvm === null || r.assumptions.kvm === kvm) && r.assumptions.extra === null)?.verdict;

test('vfio-pci-reclaim-wc: forbidden on PCIe, allowed on the architecture-only bus (guest Normal-NC, KVM 6.9)', () => {
  const rs = rows('vfio-pci-reclaim-wc');
  assert.equal(verdict(rs, 'pcie', '6.9'), 'forbidden');
  assert.equal(verdict(rs, 'architecture', '6.9'), 'allowed');
  // With KVM 6.8 the guest's store is Device-nGnRE: rule 2 orders it on any bus.
  assert.equal(verdict(rows('vfio-pci-reclaim-wc-kvm68'), 'architecture', '6.8'), 'forbidden');
  // Each row names its assumptions and gives a reason.
  for (const r of rs) assert.ok(r.reason.length > 0);
});

test('platform resets: own register with stage-2 Device forbidden, with Normal-NC allowed; controller allowed, with read-back forbidden', () => {
  assert.equal(verdict(rows('platform-reset-s2device'), 'platform', '6.9'), 'forbidden');
  assert.equal(verdict(rows('platform-reset-s2nc'), 'platform'), 'allowed');
  assert.equal(verdict(rows('platform-reset-controller'), 'platform', '6.9'), 'allowed');
  assert.equal(verdict(rows('platform-reset-controller-readback'), 'platform', '6.9'), 'forbidden');
});

test('mlx5 firmware command: forbidden on PCIe after the zap, allowed without it', () => {
  assert.equal(verdict(rows('mlx5-rpc-after-zap'), 'pcie'), 'forbidden');
  assert.equal(verdict(rows('mlx5-rpc-no-zap'), 'pcie'), 'allowed');
});

test('the matrix shows the translation regimes of a scenario with TLB invalidations or guests, and none for one without', () => {
  assert.equal(rows('mlx5-rpc-after-zap')[0]!.regime, 'P0 host (EL2&0 under VHE); P1 user process, ASID 5, in host (EL2&0 under VHE)');
  assert.equal(rows('platform-reset-s2device')[0]!.regime, 'P0 host (EL2&0 under VHE); P1 guest (EL1&0), VMID of its own');
  assert.equal(rows('doorbell-writel')[0]!.regime, undefined);
});

test('dimensions: the KVM version the file names (not varied), FWB rows for stage-2 mappings; extra rows for named switches', () => {
  const wc = rows('wc-gather-kvm68');
  assert.deepEqual([...new Set(wc.map((r) => r.assumptions.kvm))], ['6.8']);
  assert.deepEqual([...new Set(wc.map((r) => r.assumptions.fwb))].sort(), [false, true]);
  assert.equal(verdict(wc, 'pcie', '6.8'), 'forbidden');
  assert.equal(verdict(rows('wc-gather-kvm69'), 'pcie', '6.9'), 'allowed');
  const door = rows('doorbell-writel');
  assert.ok(door.every((r) => r.assumptions.kvm === null && r.assumptions.fwb === null));
  const ro = matrixRows('ro-root-port', readFileSync(join(dir, 'ro-root-port.litmus'), 'utf8'), [{ assume: 'relaxed-ordering=on', verdict: 'allowed' }]);
  const roOn = ro.find((r) => r.assumptions.extra === 'relaxed-ordering=on');
  assert.equal(roOn?.verdict, 'allowed');
  assert.equal(roOn?.expected, 'allowed');
});

test('the reason of a Never row is the check that rules out an execution with the outcome, with its cycle or pair', () => {
  // writel: its DMB OSHST orders the descriptor store before the doorbell (bob); the doorbell
  // arrives, the device reads it, then reads the old descriptor (fr back to the CPU's store).
  const door = rows('doorbell-writel').find((r) => r.assumptions.fabric === 'pcie')!;
  assert.equal(door.reason, 'ruled out by endpoint-order: P0 STR W0,[X1] -bob-> P0 STR W0,[X2] -arrival-> P0 STR W0,[X2] arrives -rf-> nic LDR W0,[X1] -device-order-> nic LDR W2,[X3] -fr-> P0 STR W0,[X1]');
  // B2.4.1 rule 1: two Device-nGnRE stores to one peripheral arrive in program order.
  const ro = rows('ro-root-port').find((r) => r.assumptions.fabric === 'pcie' && r.assumptions.extra === null)!;
  assert.equal(ro.reason, 'ruled out by peripheral-order, which forbids the pair P0 STR W0,[X1] → P0 STR W0,[X2]');
  // Device memory is never read speculatively: no candidate has the cleared value at all.
  assert.equal(rows('speculative-read-kvm68')[0]!.reason, 'no candidate execution has these values');
});

test('a scenario that does not parse gives an error row, not an exception', () => {
  const rs = matrixRows('broken', 'AArch64 broken\n{\n}\n P0 ;\n FOO ;\nexists (x=1)\n');
  assert.equal(rs.length, 1);
  assert.equal(rs[0]!.verdict, 'error');
  assert.match(rs[0]!.reason, /^5:2: /);
});

test('a scenario without expectations from outside is judged by its own Result: comment', () => {
  const mp = readFileSync(join(dir, '../aarch64/MP.litmus'), 'utf8');
  const stated = (verdict: string) => mp.replace(/^(AArch64 MP\n)/, `$1(* Result: ${verdict} *)\n`);
  // MP with no barrier is allowed (herd7 agrees): a Result: Never is a mismatch, Sometimes is not.
  const [never] = matrixRows('MP', stated('Never'));
  assert.deepEqual([never!.verdict, never!.expected], ['allowed', 'forbidden']);
  const [sometimes] = matrixRows('MP', stated('Sometimes'));
  assert.deepEqual([sometimes!.verdict, sometimes!.expected], ['allowed', 'allowed']);
  // Expectations given from outside win over the comment.
  const [outside] = matrixRows('MP', stated('Never'), [{ assume: '', verdict: 'allowed' }]);
  assert.equal(outside!.expected, 'allowed');
});

/** A row of a made-up scenario: only the fields the summary reads matter. */
function row(kvm: string | null, fabric: string, observation: 'Never' | 'Sometimes', expected: 'allowed' | 'forbidden' | null = null): MatrixRow {
  const verdict = observation === 'Never' ? 'forbidden' : 'allowed';
  return { scenario: 's', model: 'aarch64+devices', assumptions: { fabric, kvm, fwb: null, extra: null }, verdict, observation, reason: '', expected, question: 'Does it?' };
}

test('the summary splits a scenario\'s verdict only along the assumptions that change it', () => {
  assert.equal(verdictSplit([row('6.8', 'pcie', 'Never'), row('6.9', 'pcie', 'Never')]), 'Never');
  assert.equal(verdictSplit([row('6.8', 'pcie', 'Never'), row('6.9', 'pcie', 'Sometimes'), row('6.8', 'architecture', 'Never'), row('6.9', 'architecture', 'Sometimes')]), 'KVM 6.8: Never · 6.9: Sometimes');
  assert.equal(verdictSplit([row(null, 'pcie', 'Never'), row(null, 'architecture', 'Sometimes')]), 'fabric pcie: Never · architecture: Sometimes');
  // Only one combination differs: the rule and its exception.
  assert.equal(verdictSplit([row('6.8', 'pcie', 'Never'), row('6.9', 'pcie', 'Never'), row('6.8', 'architecture', 'Never'), row('6.9', 'architecture', 'Sometimes')]), 'Never, except KVM 6.9, fabric architecture: Sometimes');
  const text = formatMatrixSummary([row('6.8', 'pcie', 'Never', 'allowed'), row('6.9', 'pcie', 'Sometimes')]);
  assert.match(text, /^1 scenarios, 2 runs: 1 runs checked against expected verdicts, 1 mismatches, 0 errors, 0 partial\./);
  assert.match(text, /^s {2}KVM 6\.8: Never · 6\.9: Sometimes {2}MISMATCH: expected allowed \(6\.8 pcie\)$/m);
  assert.match(text, /^ {3}Does it\?$/m);
});
