/**
 * What each TLBI removes, by translation regime (Arm ARM DDI 0487, D8.14 "TLB maintenance" and
 * each operation's C5.5 page), decided both ways on one question: the host takes a BAR back from
 * a guest that writes it through a stage-2 mapping, invalidates, waits with DSB ISH, and resets
 * the device with an FLR. Can the guest's write arrive after the reset (bar=1 at the end)? When the
 * invalidation removes every entry the guest may use, its write either faulted or is ordered
 * before the FLR write, which PCIe keeps in order behind it: Never. Otherwise: Sometimes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../src/pipeline/index.js';
import { translationLines } from '../src/report/translation-text.js';

function scenario(name: string, host: readonly string[], guest: readonly string[] = ['MOV W0,#1', 'STR W0,[X1]']): string {
  const rows = Math.max(host.length, guest.length);
  const code = [...Array(rows).keys()].map((k) => ` ${(host[k] ?? '').padEnd(20)} | ${(guest[k] ?? '').padEnd(18)} ;`);
  return [
    `AArch64 ${name}`,
    '{',
    'nic: pcie(rp0);',
    'bar = nic.bar2:0x0;',
    'devctl = nic.cfg:0x48 (flr);',
    'P0:devctl attrs:(pci_remap_cfgspace);',
    'P1:bar attrs:(ioremap_wc) s2:(kvm-6.9, vfio-pci, fwb);',
    '0:X1=devctl; 0:X2=bar; 1:X1=bar;',
    '}',
    ` ${'P0'.padEnd(20)} | ${'P1'.padEnd(18)} ;`,
    ...code,
    'exists (bar=1)',
  ].join('\n');
}

const FLR = ['MOV W0,#1', 'STR W0,[X1]'];
const observation = (text: string) => {
  const out = checkText(text);
  assert.ok(out.ok, JSON.stringify(out.diagnostics));
  return out.result.observation;
};
const refusal = (text: string) => {
  const out = checkText(text);
  assert.equal(out.ok, false);
  return out.diagnostics.find((d) => d.severity === 'error')!;
};

test("KVM's stage-2 unmap (IPAS2E1IS, DSB, VMALLE1IS, DSB): every entry of the guest's goes: Never", () => {
  // The stage-2 entry by IPA, then, in the guest's VMID context, stage 1 and the combined entries.
  assert.equal(observation(scenario('kvm-unmap', ['DSB ISHST', 'TLBI IPAS2E1IS,X2', 'DSB ISH', 'TLBI VMALLE1IS', 'DSB ISH', ...FLR])), 'Never');
});

test('VMALLS12E1IS after the stage-2 unmap: stage 1 and stage 2 of the VMID at once: Never; without IS, only the issuing PE: Sometimes; alone it changes no mapping: Sometimes', () => {
  const unmap = ['DSB ISHST', 'TLBI IPAS2E1IS,X2', 'DSB ISH'];
  assert.equal(observation(scenario('s12', [...unmap, 'TLBI VMALLS12E1IS', 'DSB ISH', ...FLR])), 'Never');
  // D8.14: an operation without the IS qualifier acts on the TLBs of the PE that executes it.
  assert.equal(observation(scenario('s12-local', [...unmap, 'TLBI VMALLS12E1', 'DSB ISH', ...FLR])), 'Sometimes');
  // A TLBI changes no translation table: with no page named as unmapped, the guest's mapping stays
  // valid and a fresh walk after the invalidation finds it again.
  assert.equal(observation(scenario('s12-alone', ['DSB ISHST', 'TLBI VMALLS12E1IS', 'DSB ISH', ...FLR])), 'Sometimes');
});

test("the host's own invalidations (VAE1IS, VMALLE1IS with TGE set) leave the guest's entries: Sometimes", () => {
  // Under VHE (HCR_EL2.{E2H,TGE} = {1,1}) the EL1 forms act on EL2&0, not on a guest's EL1&0.
  assert.equal(observation(scenario('host-vae1', ['DSB ISHST', 'TLBI VAE1IS,X2', 'DSB ISH', ...FLR])), 'Sometimes');
  assert.equal(observation(scenario('host-vmalle1', ['DSB ISHST', 'TLBI VMALLE1IS', 'DSB ISH', ...FLR])), 'Sometimes');
});

test('IPAS2E1IS alone may leave a combined stage 1+2 entry the guest goes on using: Sometimes', () => {
  // D8.14: a stage-2 invalidation by IPA need not remove entries that combine both stages; KVM
  // follows it with VMALLE1IS for that reason (first test above).
  assert.equal(observation(scenario('ipas2-only', ['DSB ISHST', 'TLBI IPAS2E1IS,X2', 'DSB ISH', ...FLR])), 'Sometimes');
  // The guest's store may also find the stage-2 entry gone and fault: the outcome is reachable.
  const faulted = scenario('ipas2-fault', ['DSB ISHST', 'TLBI IPAS2E1IS,X2', 'DSB ISH', ...FLR], ['MOV W0,#1', 'L1: STR W0,[X1]']).replace('exists (bar=1)', 'exists (fault(P1:L1))');
  assert.equal(observation(faulted), 'Sometimes');
});

/**
 * Message passing through an invalidation: the issuer invalidates x, completes it with DSB ISH,
 * then stores y=1; the other thread reads y=1 and then (address dependency) stores x. If the
 * invalidation removed every entry the store may use, the store either faulted or is ordered
 * before the DSB's successors, the y store among them: x=1 with y=1 read is a cycle, Never.
 * Otherwise the store may use a surviving entry: Sometimes.
 */
function mpThroughTlbi(name: string, declarations: readonly string[], invalidate: readonly string[]): string {
  const p0 = [...invalidate, 'DSB ISH', 'MOV W0,#1', 'STR W0,[X2]'];
  const p1 = ['LDR W0,[X2]', 'EOR W4,W0,W0', 'MOV W3,#1', 'STR W3,[X1,W4,SXTW]'];
  const rows = [...Array(Math.max(p0.length, p1.length)).keys()].map((k) => ` ${(p0[k] ?? '').padEnd(18)} | ${(p1[k] ?? '').padEnd(19)} ;`);
  return [`AArch64 ${name}`, '{', ...declarations, '0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y;', '}', ` ${'P0'.padEnd(18)} | ${'P1'.padEnd(19)} ;`, ...rows, 'exists (1:X0=1 /\\ x=1)'].join('\n');
}

test('guest to guest: an EL1 invalidation reaches a guest of the same VMID, not one of another (each guest its own VM by default)', () => {
  const guests = ['P0: s2:(kvm-6.9, vfio-pci, fwb);', 'P1: s2:(kvm-6.9, vfio-pci, fwb);'];
  const vae1 = ['TLBI VAE1IS,X1'];
  // D8.14: EL1&0 entries are tagged with the VMID; a broadcast invalidation from a guest removes
  // those of its own VMID, on every PE.
  assert.equal(observation(mpThroughTlbi('same-vm', [...guests, 'P0: vmid:1;', 'P1: vmid:1;'], vae1)), 'Never');
  assert.equal(observation(mpThroughTlbi('other-vm', [...guests, 'P0: vmid:1;', 'P1: vmid:2;'], vae1)), 'Sometimes');
  assert.equal(observation(mpThroughTlbi('default-vms', guests, vae1)), 'Sometimes');
});

test("host to guest: KVM's sequence reaches the guest whose VMID the host names; with several guests it must be named", () => {
  const kvm = ['DSB ISHST', 'TLBI IPAS2E1IS,X1', 'DSB ISH', 'TLBI VMALLE1IS'];
  const guests = ['P1: s2:(kvm-6.9, vfio-pci, fwb);', 'P2: s2:(kvm-6.9, vfio-pci, fwb);', '2:X1=x;'];
  const withP2 = (text: string) => text.replace(/^ P0( +)\| P1( +);$/m, ' P0$1| P1$2| P2 ;').replace(/^( [^P\n].*\|.*) ;$/gm, '$1 | ;');
  // One guest: the host names its VMID (KVM loads it in VTTBR_EL2 for the invalidation).
  assert.equal(observation(mpThroughTlbi('one-guest', ['P1: s2:(kvm-6.9, vfio-pci, fwb);'], kvm)), 'Never');
  // Two guests: the host says whose; the other guest's entries stay.
  assert.equal(observation(withP2(mpThroughTlbi('named', [...guests, 'P0: vmid:1;', 'P1: vmid:1;', 'P2: vmid:2;'], kvm))), 'Never');
  assert.equal(observation(withP2(mpThroughTlbi('named-other', [...guests, 'P0: vmid:2;', 'P1: vmid:1;', 'P2: vmid:2;'], kvm))), 'Sometimes');
  const d = refusal(withP2(mpThroughTlbi('unnamed', guests, kvm)));
  assert.equal(d.code, 'unsupported');
  assert.match(d.message, /which guest's VMID P0 invalidates is not said/);
});

test('a VMID is declared once per thread, for a thread the test has, as a number that fits VTTBR_EL2', () => {
  const text = (decl: string) => mpThroughTlbi('bad-vmid', ['P1: s2:(kvm-6.9, vfio-pci, fwb);', decl], ['TLBI VMALLS12E1IS']);
  assert.match(refusal(text('P7: vmid:1;')).message, /thread 7 in 'P7: vmid:\.\.\.' does not exist/);
  assert.match(refusal(text('P1: vmid:70000;')).message, /a VMID is a number from 0 to 65535/);
  assert.match(refusal(text('P1: vmid:1;\nP1: vmid:2;')).message, /P1 already has a VMID/);
});

test('a guest cannot issue a stage-2 invalidation (UNDEFINED at EL1)', () => {
  const d = refusal(scenario('guest-ipas2', FLR, ['MOV W0,#1', 'TLBI IPAS2E1IS,X1', 'STR W0,[X1]']));
  assert.equal(d.code, 'semantic');
  assert.match(d.message, /not available at EL1, and P1 is a guest/);
});

test('between host threads the by-VA broadcast form orders the other thread; the local form does not', () => {
  const mp = (op: string) => [
    `AArch64 host-${op}`,
    '{',
    '0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y;',
    '}',
    ' P0             | P1                  ;',
    ` TLBI ${op.padEnd(6)},X1 | LDR W0,[X2]         ;`,
    ' DSB ISH        | EOR W4,W0,W0        ;',
    ' MOV W0,#1      | MOV W3,#1           ;',
    ' STR W0,[X2]    | STR W3,[X1,W4,SXTW] ;',
    'exists (1:X0=1 /\\ x=1)',
  ].join('\n');
  // P1 stores x after reading y=1 (an address dependency orders them). A store that used the old
  // mapping of x is before everything after the DSB that completes the TLBI, P0's store of y
  // included; one that found it removed faulted and stored nothing. So x=1 with y=1 read is a
  // cycle: Never. A local TLBI removes nothing of P1's: Sometimes.
  assert.equal(observation(mp('VAE1IS')), 'Never');
  assert.equal(observation(mp('VAE1')), 'Sometimes');
});

test("a 'P1: s2:(...)' line makes P1 a guest, gives its declared mappings their stage 2, and wants its registers' mappings declared", () => {
  const declared = (line: string) => scenario('guest-line', ['DSB ISHST', 'TLBI VAE1IS,X2', 'DSB ISH', ...FLR]).replace('P1:bar attrs:(ioremap_wc) s2:(kvm-6.9, vfio-pci, fwb);', line);
  // The host's own VAE1IS leaves the guest's entries (as above), however P1 is declared a guest.
  assert.equal(observation(declared('P1:bar attrs:(ioremap_wc);\nP1: s2:(kvm-6.9, vfio-pci, fwb);')), 'Sometimes');
  // A register the guest accesses with no mapping declared would get a stage-1 type only.
  const unmapped = refusal(declared('P1: s2:(kvm-6.9, vfio-pci, fwb);'));
  assert.equal(unmapped.code, 'semantic');
  assert.match(unmapped.message, /P1 accesses the device register 'bar' with no mapping declared/);
  const d = refusal(declared('P1:bar attrs:(ioremap_wc);\nP1: s2:(kvm-6.9, vfio-pci, fwb);\nP9: s2:(kvm-6.9, vfio-pci, fwb);'));
  assert.equal(d.code, 'semantic');
  assert.match(d.message, /thread 9 in 'P9: s2:\(\.\.\.\)' does not exist/);
});

test('ASIDs: by-VA invalidation removes the named ASID\'s entries and global ones; ASIDE1IS only non-global ones of its ASID; VAAE1IS every ASID', () => {
  // Xt[63:48] holds the ASID (C5.5); the test adds it to the address: ADD X9,X1,X8.
  const asid = (n: number) => `0:X8=0x${(BigInt(n) << 48n).toString(16)};`;
  const byVa = (op: string) => ['ADD X9,X1,X8', `TLBI ${op},X9`];
  const user = 'P1: asid:5;';
  assert.equal(observation(mpThroughTlbi('same-asid', [user, asid(5)], byVa('VAE1IS'))), 'Never');
  assert.equal(observation(mpThroughTlbi('other-asid', [user, asid(6)], byVa('VAE1IS'))), 'Sometimes');
  assert.equal(observation(mpThroughTlbi('all-asids', [user, asid(6)], byVa('VAAE1IS'))), 'Never');
  // A thread without an ASID uses global (kernel) translations: any ASID's by-VA form removes them.
  assert.equal(observation(mpThroughTlbi('global', [asid(6)], byVa('VAE1IS'))), 'Never');
  // ASIDE1IS removes the non-global entries of its ASID, and no global entry. The page is unmapped
  // first with a local TLBI naming ASID 5 (the process's VA, or, where no process has ASID 5, the
  // kernel's), which reaches no other PE.
  const byAsid = ['ADD X9,X1,X7', 'TLBI VAE1,X9', 'DSB ISH', 'MOV X10,X7', 'TLBI ASIDE1IS,X10'];
  const asidOperand = (n: number) => `0:X7=0x${(BigInt(n) << 48n).toString(16)};`;
  assert.equal(observation(mpThroughTlbi('aside1-user', [user, asidOperand(5)], byAsid)), 'Never');
  assert.equal(observation(mpThroughTlbi('aside1-other', [user, asidOperand(5)], byAsid).replace('P1: asid:5;', 'P1: asid:6;')), 'Sometimes');
  assert.equal(observation(mpThroughTlbi('aside1-global', [asidOperand(5)], byAsid)), 'Sometimes');
});

test('--explain says each thread\'s regime and what each TLBI removes of the others\' entries', () => {
  const out = checkText(scenario('kvm-unmap', ['DSB ISHST', 'TLBI IPAS2E1IS,X2', 'DSB ISH', 'TLBI VMALLE1IS', 'DSB ISH', ...FLR]));
  assert.ok(out.ok);
  const lines = translationLines(out.program);
  assert.deepEqual(lines.slice(1, 3), ['  P0: host (EL2&0 under VHE)', '  P1: guest (EL1&0), VMID of its own']);
  assert.ok(lines.some((l) => /^ {2}P0: TLBI IPAS2E1IS,X2, line 12 -> P1's bar: its mapping changes here, but an entry may survive/.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^ {2}P0: TLBI VMALLE1IS, line 14 -> P1's bar: every entry it may use goes/.test(l)), lines.join('\n'));
});

test('a TLBI changes no mapping: after an "all" invalidation and its DSB another thread still reads what the issuer writes next (message passing: Sometimes)', () => {
  // The entries go, but a fresh walk finds the same translation: the read is neither ordered nor
  // faulting. Before, the "all" forms were taken to unmap every location: a wrong Never.
  const mp = (op: string, decls: readonly string[] = []) => [
    `AArch64 all-${op}`, '{', ...decls, '0:X2=y; 1:X2=y;', '}',
    ' P0          | P1          ;', ` TLBI ${op} | LDR W0,[X2] ;`, ' DSB ISH     |             ;', ' MOV W0,#1   |             ;', ' STR W0,[X2] |             ;',
    'exists (1:X0=1)',
  ].join('\n');
  assert.equal(observation(mp('VMALLE1IS')), 'Sometimes');
  assert.equal(observation(mp('ALLE2IS')), 'Sometimes');
  assert.equal(observation(mp('VMALLS12E1IS', ['P1: s2:(kvm-6.9, vfio-pci, fwb);'])), 'Sometimes');
});

test('a by-VA TLBI names a page: any address in the location, and every access to it', () => {
  // The issuer names x through x+4; the other thread stores to x+4. Both are x's page.
  const text = (offsetTlbi: number, offsetStore: number) => [
    'AArch64 page', '{', 'uint64_t x; uint64_t y;', '0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y;', '}',
    ' P0                | P1                  ;',
    ` ADD X9,X1,#${offsetTlbi} | LDR W0,[X2]         ;`,
    ' TLBI VAE1IS,X9    | EOR W4,W0,W0        ;',
    ' DSB ISH           | MOV W3,#1           ;',
    ` MOV W0,#1         | ADD X5,X1,#${offsetStore}        ;`,
    ' STR W0,[X2]       | STR W3,[X5,W4,SXTW] ;',
    `exists (1:X0=1 /\\ x=${offsetStore === 0 ? 1 : 0x100000000})`,
  ].join('\n');
  assert.equal(observation(text(0, 4)), 'Never');
  assert.equal(observation(text(4, 0)), 'Never');
  assert.equal(observation(text(4, 4)), 'Never');
});

test("KVM's guest context: the host's EL1 forms after a completed stage-2 invalidation act on the guest (TGE clear), until an ISB", () => {
  // The context begins with a stage-2 invalidation of another page (z), completed by a DSB.
  const ctx = (extra: readonly string[]) => ['TLBI IPAS2E1IS,X5', 'DSB ISH', ...extra, 'TLBI VAE1IS,X1'];
  // Guest target: the VAE1IS unmaps its stage 1 of x and removes those entries: Never. Host target: Sometimes.
  assert.equal(observation(mpThroughTlbi('ctx-guest', ['P1: s2:(kvm-6.9, vfio-pci, fwb);', '0:X5=z;'], ctx([]))), 'Never');
  assert.equal(observation(mpThroughTlbi('ctx-host', ['0:X5=z;'], ctx([]))), 'Sometimes');
  // After the ISB the host is back in EL2&0: its VAE1IS reaches the host thread, not the guest.
  assert.equal(observation(mpThroughTlbi('after-isb-host', ['0:X5=z;'], ctx(['ISB']))), 'Never');
});

test("KVM's guest flags: FB makes a guest's local TLBI broadcast, BSU=IS makes its NSH barriers Inner Shareable", () => {
  const vcpus = ['P0: s2:(kvm-6.9, vfio-pci, fwb);', 'P1: s2:(kvm-6.9, vfio-pci, fwb);', 'P0: vmid:1;', 'P1: vmid:1;'];
  assert.equal(observation(mpThroughTlbi('guest-local', vcpus, ['TLBI VAE1,X1'])), 'Never');
  // DSB NSH after the TLBI: upgraded to ISH, it completes the invalidation on every PE.
  const nsh = mpThroughTlbi('guest-nsh', vcpus, ['TLBI VAE1IS,X1']).replace(' DSB ISH ', ' DSB NSH ');
  assert.match(nsh, /DSB NSH/);
  assert.equal(observation(nsh), 'Never');
  // Without the guest flags (host threads), NSH orders nothing between PEs: Sometimes.
  assert.equal(observation(mpThroughTlbi('host-nsh', [], ['TLBI VAE1IS,X1']).replace(' DSB ISH ', ' DSB NSH ')), 'Sometimes');
});

test('a host naming a VMID no guest has, and a user process issuing a TLBI, are errors', () => {
  const named = refusal(mpThroughTlbi('no-such-vm', ['P1: s2:(kvm-6.9, vfio-pci, fwb);', 'P0: vmid:1;'], ['TLBI VMALLS12E1IS']));
  assert.equal(named.code, 'semantic');
  assert.match(named.message, /P0 names VMID 1 for its invalidations of a guest, but no guest has VMID 1/);
  const el0 = refusal(mpThroughTlbi('el0', ['P0: asid:3;'], ['TLBI VAE1IS,X1']));
  assert.equal(el0.code, 'semantic');
  assert.match(el0.message, /not available at EL0, and P0 is a user process/);
});

test("a process's VA of a location is not the kernel's: a flush of a process's mapping leaves a kernel thread's, and an all-ASID flush where both access it must say whose", () => {
  const three = (op: string, asidOf: number) => [
    'AArch64 spaces', '{', 'P2: asid:5;', `0:X8=0x${(BigInt(asidOf) << 48n).toString(16)};`, '0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y; 2:X1=x;', '}',
    ' P0             | P1                  | P2          ;',
    ' ADD X9,X1,X8   | LDR W0,[X2]         | LDR W5,[X1] ;',
    ` TLBI ${op.padEnd(6)},X9 | EOR W4,W0,W0        |             ;`,
    ' DSB ISH        | MOV W3,#1           |             ;',
    ' MOV W0,#1      | STR W3,[X1,W4,SXTW] |             ;',
    ' STR W0,[X2]    |                     |             ;',
    'exists (1:X0=1 /\\ x=1)',
  ].join('\n');
  // P1 is a kernel thread (global entries, at the kernel's VA of x); P2 a process with ASID 5.
  // A flush naming ASID 5 names the process's VA: P1's kernel mapping stays: Sometimes.
  assert.equal(observation(three('VAE1IS', 5)), 'Sometimes');
  // A flush naming ASID 0 (no process's) names the kernel's VA: it removes P1's global entry: Never.
  assert.equal(observation(three('VAE1IS', 0)), 'Never');
  // Every ASID at once: a process's VA or the kernel's? Both P1 and P2 access x: refused.
  const d = refusal(three('VAAE1IS', 0));
  assert.equal(d.code, 'unsupported');
  assert.match(d.message, /whether it names a process's VA or the kernel's is not said/);
});

/** A litmus test from its declarations, init and columns of instructions (P0, P1, ...). */
function table(name: string, init: readonly string[], columns: readonly (readonly string[])[], condition: string): string {
  const rows = Math.max(...columns.map((c) => c.length));
  const width = columns.map((c, i) => Math.max(`P${i}`.length, ...c.map((x) => x.length)));
  const line = (cells: readonly string[]) => ` ${cells.map((c, i) => c.padEnd(width[i]!)).join(' | ')} ;`;
  return [`AArch64 ${name}`, '{', ...init, '}', line(columns.map((_, i) => `P${i}`)), ...[...Array(rows).keys()].map((r) => line(columns.map((c) => c[r] ?? ''))), `exists (${condition})`].join('\n');
}
const READER = ['LDR W0,[X2]', 'EOR W4,W0,W0', 'MOV W3,#1', 'STR W3,[X1,W4,SXTW]'];
const THEN_Y = ['DSB ISH', 'MOV W0,#1', 'STR W0,[X2]'];
const MP_CONDITION = '1:X0=1 /\\ x=1';

test('what a TLBI unmapped is tracked per space: process vs kernel, VMID, stage 2 by IPA (local forms too), EL2 vs EL1&0', () => {
  const regs3 = '0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y; 2:X1=x; 0:X5=z;';
  const regs = '0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y; 0:X5=z;';
  // A flush of process P2's mapping (ASID 5) leaves kernel thread P1's; a VMALLE1IS after it
  // changes nothing of P1's either.
  assert.equal(observation(table('process-then-all', ['P2: asid:5;', '0:X8=0x5000000000000;', regs3], [['ADD X9,X1,X8', 'TLBI VAE1IS,X9', 'TLBI VMALLE1IS', ...THEN_Y], READER, ['LDR W5,[X1]']], MP_CONDITION)), 'Sometimes');
  // VMID 1's stage 2 changed; ALLE1IS then removes every VMID's entries, but P1 (VMID 2) kept its mapping.
  const vms = ['P1: s2:(kvm-6.9, vfio-pci, fwb);', 'P2: s2:(kvm-6.9, vfio-pci, fwb);', 'P0: vmid:1;', 'P1: vmid:2;', 'P2: vmid:1;', regs3];
  assert.equal(observation(table('other-vmid', vms, [['TLBI IPAS2E1IS,X1', 'DSB ISH', 'TLBI ALLE1IS', ...THEN_Y], READER, ['LDR W5,[X1]']], MP_CONDITION)), 'Sometimes');
  // A local stage-2 invalidation by IPA unmaps the guest's stage 2, not the host's EL2&0 ...
  assert.equal(observation(table('ipa-local-host', [regs], [['TLBI IPAS2E1,X1', 'DSB ISH', 'TLBI ALLE2IS', ...THEN_Y], READER], MP_CONDITION)), 'Sometimes');
  // ... and VMALLS12E1IS then removes every entry of the guest's VMID.
  const guest = ['P1: s2:(kvm-6.9, vfio-pci, fwb);', regs];
  assert.equal(observation(table('ipa-local-guest', guest, [['TLBI IPAS2E1,X1', 'DSB ISH', 'TLBI VMALLS12E1IS', ...THEN_Y], READER], MP_CONDITION)), 'Never');
  // VAE2IS acts on EL2&0 even in KVM's guest context: the guest's x never changed.
  assert.equal(observation(table('el2-in-context', guest, [['TLBI IPAS2E1IS,X5', 'DSB ISH', 'TLBI VAE2IS,X1', 'TLBI VMALLS12E1IS', ...THEN_Y], READER], MP_CONDITION)), 'Sometimes');
  // In KVM's context a local VAE1 unmaps the guest's stage 1 of x, and VMALLE1IS removes it on every PE.
  assert.equal(observation(table('stage1-in-context', guest, [['TLBI IPAS2E1IS,X5', 'DSB ISH', 'TLBI VAE1,X1', 'TLBI VMALLE1IS', ...THEN_Y], READER], MP_CONDITION)), 'Never');
  // A guest's ASID is its own VM's: an ASID 5 no guest process has names the guest kernel's VA,
  // whatever host process has ASID 5.
  const vcpus = ['P0: s2:(kvm-6.9, vfio-pci, fwb);', 'P1: s2:(kvm-6.9, vfio-pci, fwb);', 'P0: vmid:1;', 'P1: vmid:1;', 'P2: asid:5;', '0:X8=0x5000000000000;', regs3];
  assert.equal(observation(table('guest-asid', vcpus, [['ADD X9,X1,X8', 'TLBI VAE1IS,X9', ...THEN_Y], READER, ['LDR W5,[X1]']], MP_CONDITION)), 'Never');
});

test("the issuer's own accesses, where it unmapped its own space: after the DSB and an ISB they fault; a process's unmapping leaves the kernel's", () => {
  const own = (sync: readonly string[], decls: readonly string[] = []) => table('own', [...decls, '0:X1=x; 1:X1=x;'], [['TLBI VAE1IS,X1', ...sync, 'MOV W0,#1', 'L1: STR W0,[X1]'], ['LDR W5,[X1]']], 'x=1');
  assert.equal(observation(own(['DSB ISH', 'ISB'])), 'Never');
  assert.equal(observation(own(['DSB ISH'])), 'Sometimes');
  // The TLBI names process P1's VA (ASID 5): P0's kernel mapping stays, its store always lands.
  const processVa = own(['DSB ISH', 'ISB'], ['P1: asid:5;', '0:X8=0x5000000000000;']).replace(' TLBI VAE1IS,X1', ' ADD X9,X1,X8   |             ;\n TLBI VAE1IS,X9');
  assert.equal(observation(processVa), 'Always');
});

test('an invalidation before the unmapping removes nothing for good: entries are cached again until the change', () => {
  const guest = ['P1: s2:(kvm-6.9, vfio-pci, fwb);', '0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y;'];
  // VMALLS12E1IS first, then the stage-2 unmap: a combined entry cached in between survives IPAS2E1IS.
  assert.equal(observation(table('s12-before', guest, [['TLBI VMALLS12E1IS', 'DSB ISH', 'TLBI IPAS2E1IS,X1', ...THEN_Y], READER], MP_CONDITION)), 'Sometimes');
  assert.equal(observation(table('alle1-before', guest, [['TLBI ALLE1IS', 'DSB ISH', 'TLBI IPAS2E1IS,X1', ...THEN_Y], READER], MP_CONDITION)), 'Sometimes');
  // An earlier flush never turns the device scenario's Sometimes into Never.
  assert.equal(observation(scenario('dev-s12-before', ['TLBI VMALLS12E1IS', 'DSB ISH', 'DSB ISHST', 'TLBI IPAS2E1IS,X2', 'DSB ISH', ...FLR])), 'Sometimes');
});

test("the issuer's own access after a local TLBI completed by DSB NSH and an ISB faults (local_flush_tlb_all's sequence)", () => {
  const local = table('own-local-nsh', ['0:X1=x; 1:X1=x;'], [['TLBI VAE1,X1', 'DSB NSH', 'ISB', 'MOV W0,#1', 'L1: STR W0,[X1]'], ['LDR W5,[X1]']], 'x=1');
  assert.equal(observation(local), 'Never');
  // A broadcast TLBI needs a DSB of the shared domain: NSH leaves it incomplete.
  assert.equal(observation(local.replace('TLBI VAE1,X1', 'TLBI VAE1IS,X1')), 'Sometimes');
});

test('a fault is a precise exception: what the thread does after it comes after the faulting walk', () => {
  // P1's store to x faults (P0 unmapped x), then P1 stores z; P0 read z=1 before its DSB and TLBI.
  // The walk that faulted read the unmapped entry, after the TLBI, so P1's z store is after it: a cycle.
  const init = ['0:X1=x; 0:X3=z; 1:X1=x; 1:X3=z;'];
  const p1 = (barrier: string) => ['MOV W0,#1', 'L1: STR W0,[X1]', barrier, 'MOV W6,#1', 'STR W6,[X3]'];
  const p0 = ['LDR W5,[X3]', 'DSB ISH', 'TLBI VAE1IS,X1', 'DSB ISH'];
  assert.equal(observation(table('fault-lb', init, [p0, p1('DMB SY')], '0:X5=1 /\\ fault(P1:L1)')), 'Never');
  assert.equal(observation(table('fault-lb-nobarrier', init, [p0, p1('NOP')], '0:X5=1 /\\ fault(P1:L1)')), 'Never');
  // Without the fault (the store used its old entry) nothing orders it: Sometimes.
  assert.equal(observation(table('no-fault-lb', init, [p0, p1('NOP')], '0:X5=1 /\\ ~fault(P1:L1)')), 'Sometimes');
});

test('an all-ASID flush counts the issuer among those that access the location', () => {
  const own = table('vaae-own', ['P1: asid:5;', '0:X1=x; 1:X1=x;'], [['TLBI VAAE1IS,X1', 'DSB ISH', 'ISB', 'MOV W0,#1', 'L1: STR W0,[X1]'], ['LDR W5,[X1]']], 'x=1');
  assert.match(refusal(own).message, /whether it names a process's VA or the kernel's is not said/);
});

test('a fault follows the TLBI that unmapped the page, not a later one of it', () => {
  // P0 unmaps x, then reads y, then invalidates x again. P1's walk faults after the first TLBI and
  // P1 stores y=1, which P0 reads before the second: allowed.
  const twice = table('twice', ['0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y;'], [['TLBI VAE1IS,X1', 'DSB ISH', 'LDR W7,[X2]', 'DSB ISH', 'TLBI VAE1IS,X1', 'DSB ISH'], ['L1: LDR W5,[X1]', 'MOV W6,#1', 'STR W6,[X2]']], 'fault(P1:L1) /\\ 0:X7=1');
  assert.equal(observation(twice), 'Sometimes');
  // A faulting load whose value the condition reads: what it leaves in the register is not modelled.
  assert.match(refusal(twice.replace('0:X7=1', '0:X7=1 /\\ 1:X5=0')).message, /condition reads the register it would have written/);
  // Several threads unmapping the same page: which one a fault follows is not modelled.
  const both = table('two-unmappers', ['0:X1=x; 1:X1=x; 2:X1=x;'], [['TLBI VAE1IS,X1', 'DSB ISH'], ['TLBI VAE1IS,X1', 'DSB ISH'], ['MOV W0,#1', 'L1: STR W0,[X1]']], 'fault(P2:L1)');
  assert.match(refusal(both).message, /changed by TLBIs of several threads \(P0, P1\)/);
});

test('the page-table store a TLBI stands for sits at it: barriers order earlier accesses before it as before a store', () => {
  // P0 stores y=1, a barrier, then unmaps x; P1's load of x faults, then it reads y (after the fault).
  const text = (barrier: string) => table('barrier-before', ['0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y;'], [['MOV W0,#1', 'STR W0,[X2]', barrier, 'TLBI VAE1IS,X1', 'DSB ISH'], ['L1: STR W5,[X1]', 'LDR W6,[X2]']], 'fault(P1:L1) /\\ 1:X6=0');
  assert.equal(observation(text('DMB ISHST')), 'Never');
  assert.equal(observation(text('DSB ISH')), 'Never');
  // A load barrier does not order a store before a later store.
  assert.equal(observation(text('DSB ISHLD')), 'Sometimes');
});

test('a fault with two possible causes is refused: the thread unmapping its own page too, or stage 1 and stage 2 at two TLBIs', () => {
  const regs = ['0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y;'];
  const self = table('self-plus', regs, [['MOV W3,#1', 'STR W3,[X2]', 'DMB ST', 'TLBI VAE1IS,X1', 'DSB ISH'], ['TLBI VAE1IS,X1', 'DSB ISH', 'ISB', 'L1: STR W9,[X1]', 'LDR W0,[X2]']], '1:X0=0');
  assert.match(refusal(self).message, /changed by TLBIs of several threads \(P0, P1\)/);
  const stages = table('stage1-and-2', ['P1: s2:(kvm-6.9, vfio-pci, fwb);', ...regs], [['TLBI IPAS2E1IS,X1', 'DSB ISH', 'MOV W3,#1', 'STR W3,[X2]', 'DMB ST', 'TLBI VAE1IS,X1', 'DSB ISH', 'ISB'], ['L1: STR W9,[X1]', 'LDR W0,[X2]']], 'fault(P1:L1) /\\ 1:X0=0');
  assert.match(refusal(stages).message, /stage 1 and stage 2 of the location are unmapped at two TLBIs/);
});

test('an exclusive that may fault is refused: a faulting LDXR never sets the monitor', () => {
  const ldxr = table('ldxr', ['x=5; 0:X1=x; 1:X1=x; 1:X3=7;'], [['TLBI VAE1IS,X1', 'DSB ISH'], ['L1: LDXR W4,[X1]', 'STXR W6,W3,[X1]']], 'fault(P1:L1) /\\ x=7');
  assert.match(refusal(ldxr).message, /exclusive or atomic access 'LDXR W4,\[X1\]' \(line \d+\) of P1 may fault/);
});

test('an acquire before the TLBI orders the implicit page-table store after it, as it orders any later access', () => {
  const acq = table('acq', ['0:X1=x; 0:X2=y; 1:X1=x; 1:X2=y;'], [['LDAR W0,[X2]', 'TLBI VAE1IS,X1', 'DSB ISH'], ['L1: STR W9,[X1]', 'MOV W3,#1', 'STR W3,[X2]']], '0:X0=1 /\\ fault(P1:L1)');
  assert.equal(observation(acq), 'Never');
  assert.equal(observation(acq.replace('LDAR W0,[X2]', 'LDR W0,[X2] ')), 'Sometimes');
});

test("fault(P1:L1,y) where L1 never accesses y is an error where it is written, not a silent Never", () => {
  const text = table('fault-loc', ['0:X1=x; 1:X1=x;'], [['TLBI VAE1IS,X1', 'DSB ISH'], ['MOV W0,#1', 'L1: STR W0,[X1]']], 'fault(P1:L1,y)');
  const d = refusal(text);
  assert.equal(d.code, 'semantic');
  assert.match(d.message, /the access labelled L1 accesses x, never 'y'/);
  assert.equal(observation(text.replace('fault(P1:L1,y)', 'fault(P1:L1,x)')), 'Sometimes');
});
