/**
 * Two stages of translation under VMSA (docs/language.md, "Guests: two stages"): a guest's access
 * walks its stage-1 entry PTE(x), then the stage-2 entry S2PTE(y) of the IPA it gave. herd has no
 * stage 2, so each verdict here is reasoned from the Arm ARM (DDI 0487) before it is run, and
 * each rule is decided both ways. The tests are the files of catalogue/aarch64-vmsa-s2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/pipeline/index.js';
import { spawnSync } from 'node:child_process';

// This file runs as dist/test/vmsa-stage2.test.js; the catalogue is at the root.
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIR = join(ROOT, 'catalogue/aarch64-vmsa-s2');
const BIN = join(ROOT, 'bin/iolitmus.js');
const observed = (text: string) => {
  const out = checkText(text);
  assert.ok(out.ok, out.ok ? '' : out.diagnostics.map((d) => d.message).join('; '));
  return out.result.observation;
};
const verdict = (name: string) => {
  const out = checkText(readFileSync(join(DIR, `${name}.litmus`), 'utf8'));
  assert.ok(out.ok, `${name}: ${out.ok ? '' : out.diagnostics.map((d) => d.message).join('; ')}`);
  return out.result.observation;
};

test('D8.14: TLBI IPAS2E1IS removes stage-2-only entries but not combined ones; KVM follows it with VMALLE1IS', () => {
  // The unmap of a guest page: the stage-2 entry written invalid, then invalidated, then a flag.
  // A guest reading the flag, its access address-dependent on it, translates after the TLBIs.
  assert.equal(verdict('S2-unmap+ipas2+vmalle1'), 'Never');
  // Without the stage-1 invalidation, a combined stage 1+2 entry cached earlier may still be used.
  assert.equal(verdict('S2-unmap+ipas2'), 'Sometimes');
  // In the wrong order, a combined entry may be made between them from the stage-2-only entry.
  assert.equal(verdict('S2-unmap+vmalle1+ipas2'), 'Sometimes');
  // And with no invalidation at all, the old entry may be cached.
  assert.equal(verdict('S2-unmap+notlbi'), 'Sometimes');
});

test('D8.14: VMALLS12E1IS removes every stage-1, stage-2 and combined entry of the VMID at once', () => {
  assert.equal(verdict('S2-unmap+vmalls12'), 'Never');
});

test('a VHE host reaches a guest with EL1 forms only in KVM guest context; by VA, the page suffices', () => {
  // With HCR_EL2.{E2H,TGE} = {1,1}, TLBI VMALLE1IS acts on the host's EL2&0 regime.
  assert.equal(verdict('S2-unmap+host-vmalle1'), 'Sometimes');
  // After the IPA invalidation (KVM's guest context), a by-VA invalidation of the page is enough.
  assert.equal(verdict('S2-unmap+ipas2+vaae1'), 'Never');
  // The context starts at the full DSB completing the IPA invalidation (the rule of
  // tlbi-reach.ts kvmGuestContext, shared), even with an ISB before that DSB.
  const isbFirst = readFileSync(join(DIR, 'S2-unmap+ipas2+vmalle1.litmus'), 'utf8').replace(' TLBI IPAS2E1IS,X4 | LDR W4,[X2,W3,SXTW] ;\n DSB ISH ', ' TLBI IPAS2E1IS,X4 | LDR W4,[X2,W3,SXTW] ;\n ISB               |                     ;\n DSB ISH ');
  assert.match(isbFirst, /\n ISB {15}\|/);
  assert.equal(observed(isbFirst), 'Never');
});

test("a guest's own stage-1 invalidation removes combined entries, not the stage-2-only entry", () => {
  // After the host's IPA invalidation and the flag, the guest's DSB orders its TLBI after its
  // read: its VMALLE1IS then removes the combined entries, and the stage-2 read is fresh.
  assert.equal(verdict('S2-unmap+ipas2+guest-dsb-vmalle1'), 'Never');
  // Without that DSB, nothing orders a TLBI after an earlier read (B2.3: only a DSB, or a
  // control dependency, does), so it may act before the host's invalidation completed.
  assert.equal(verdict('S2-unmap+ipas2+guest-vmalle1'), 'Sometimes');
  // Without the host's IPA invalidation, the stage-2-only entry survives the guest's.
  assert.equal(verdict('S2-unmap+guest-dsb-vmalle1'), 'Sometimes');
});

test("a TLBI without IS reaches only its own PE's TLB; a guest's NSH barriers act as ISH (KVM sets HCR_EL2.BSU)", () => {
  const text = readFileSync(join(DIR, 'S2-unmap+ipas2+guest-dsb-vmalle1.litmus'), 'utf8');
  // The host's local IPAS2E1 leaves the guest's stage-2-only entry on the guest's PE.
  assert.equal(observed(text.replace('TLBI IPAS2E1IS,X4', 'TLBI IPAS2E1,X4')), 'Sometimes');
  // The guest's DSB NSH is upgraded to ISH: the verdict stays Never.
  const nsh = text.replace(/\| DSB ISH( +);/g, '| DSB NSH$1;');
  assert.notEqual(nsh, text);
  assert.equal(observed(nsh), 'Never');
});

test('TLBI-ordered-before needs the reader to depend on the flag (B2.3)', () => {
  assert.equal(verdict('S2-unmap+ipas2+vmalle1+po'), 'Sometimes');
});

test('a remap at stage 2: after KVM invalidations a dependent reader sees the new page only', () => {
  assert.equal(verdict('S2-remap+ipas2+vmalle1'), 'Never');
  assert.equal(verdict('S2-remap+ipas2'), 'Sometimes');
});

test('stage-2 descriptors decide faults and output addresses (D8.4, D8.15), apart from stage 1', () => {
  assert.equal(verdict('S2-perm'), 'Always');
  assert.equal(verdict('S2-af'), 'Always');
  assert.equal(verdict('S2-alias'), 'Always');
  // The host runs with its own fixed tables: the guest's invalid stage-1 entry is not the host's.
  assert.equal(verdict('S2-host'), 'Always');
});

const guestTest = (header: string, init: string, code: string) => `AArch64 T\nVariant=vmsa\n${header}{\n${init}\n}\n P0 ;\n${code}\nexists (0:X0=0)\n`;
const refusal = (text: string) => {
  const out = checkText(text);
  return out.ok ? 'answered' : `${out.diagnostics[0]!.code}: ${out.diagnostics[0]!.message}`;
};

test('what two stages do not model, and mistakes, are located errors, never answers', () => {
  // A guest cannot issue EL2 or stage-2 operations (C5.5: UNDEFINED at EL1).
  assert.match(refusal(guestTest('Guests=P0\n', '0:X1=x;', ' LSR X2,X1,#12 ;\n TLBI IPAS2E1IS,X2 ;')), /^semantic: .*UNDEFINED at EL1/);
  // Nor access the stage-2 tables.
  assert.match(refusal(guestTest('Guests=P0\n', '0:X1=S2PTE(x);', ' LDR X0,[X1] ;')), /^semantic: .*stage-2 entry from guest P0/);
  // A stage-2 entry needs a guest; Guests= needs VMSA; the guests must exist.
  assert.match(refusal(guestTest('', '0:X1=S2PTE(x);', ' LDR X0,[X1] ;')), /^semantic: S2PTE\(x\) names a stage-2 entry, but the test has no guest/);
  assert.match(refusal(guestTest('Guests=P0\n', '0:X1=x;', ' LDR W0,[X1] ;').replace('Variant=vmsa\n', '')), /^unsupported: .*'Guests=' without 'vmsa'/);
  assert.match(refusal(guestTest('Guests=P3\n', '0:X1=x;', ' LDR W0,[X1] ;')), /^semantic: Guests= names P3/);
  assert.match(refusal(guestTest('Guests=\n', '0:X1=x;', ' LDR W0,[X1] ;')), /^semantic: Guests= names no thread/);
  assert.match(refusal(guestTest('', '0:X1=x;', ' L0: ;\n LDR W0,[X1] ;').replace('exists (0:X0=0)', 'exists (fault(P0:L0,x,S2:Translation))')), /^semantic: S2:Translation is a guest's stage-2 fault, but the test has no guest/);
  // Hardware management, EL0 and non-fatal fault handling are not modelled with two stages.
  assert.match(refusal(guestTest('Guests=P0\nTTHM=HA\n', '0:X1=x;', ' LDR W0,[X1] ;')), /^unsupported: .*hardware management of the access flag/);
  assert.match(refusal(guestTest('Guests=P0\nEL0=P0\n', '0:X1=x;', ' LDR W0,[X1] ;')), /^unsupported: .*EL0 threads in a test with guests/);
  assert.match(refusal(guestTest('Guests=P0\n', '0:X1=x;', ' LDR W0,[X1] ;').replace('Variant=vmsa', 'Variant=vmsa,skip')), /^unsupported: .*fault handling 'skip'/);
  // Regimes are not declared with the mapping forms in a VMSA test.
  assert.match(refusal(guestTest('', 'P0: asid:5; 0:X1=x;', ' LDR W0,[X1] ;')), /^unsupported: .*'Pn: asid:N' in a VMSA test/);
});

test("a guest's stage-2 fault prints as S2:<type>, as herd prints a fault's type", () => {
  const out = spawnSync(process.execPath, [BIN, 'check', join(DIR, 'S2-af.litmus')], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /^0:X0=0; Fault\(P0:L0,x,S2:AccessFlag\); ~Fault\(P0:L0,x,MMU:AccessFlag\);$/m);
});
