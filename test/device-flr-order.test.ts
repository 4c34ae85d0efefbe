/**
 * The FLR window drops what arrives in it, but arrival order is the fabric's: a store ordered
 * before the FLR configuration write arrives before it and is not dropped (Arm ARM B2.4.1 rule 1;
 * PCIe §2.4.1: a non-posted request does not pass a posted write). And the completion of that
 * non-posted write, which a DSB waits for, does not pass the device's earlier posted DMA writes
 * (PCIe §2.4.1 without ID-based Ordering).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../src/pipeline/index.js';

const observation = (text: string, assume = '') => {
  const out = checkText(text, { assume });
  assert.ok(out.ok, JSON.stringify(out.diagnostics));
  return out.result.observation;
};

test('a Device store program-ordered before the FLR write arrives before it: it is never dropped', () => {
  const text = [
    'AArch64 store-then-flr', '{', 'nic: pcie(rp0);', 'bar = nic.bar0:0x0;', 'devctl = nic.cfg:0x48 (flr);',
    'P0:bar attrs:(ioremap);', 'P0:devctl attrs:(pci_remap_cfgspace);', '0:X1=bar; 0:X2=devctl;', '}',
    ' P0              ;', ' MOV W0,#1       ;', ' L1: STR W0,[X1] ;', ' L2: STR W0,[X2] ;',
    'exists (~arrived(P0:L1))',
  ].join('\n');
  assert.equal(observation(text), 'Never');
  // After the FLR write instead, the store may land in the window and be dropped (PCIe §6.6.2).
  assert.equal(observation(text.replace(' L1: STR W0,[X1] ;\n L2: STR W0,[X2] ;', ' L2: STR W0,[X2] ;\n L1: STR W0,[X1] ;')), 'Sometimes');
});

test("a configuration write's completion may pass the device's earlier DMA write; a read's completion may not", () => {
  const text = [
    'AArch64 dma-then-cfg-write', '{', 'nic: pcie(rp0);', 'cmd = nic.cfg:0x4;', 'buf = 0;',
    'P0:cmd attrs:(pci_remap_cfgspace);', '0:X1=cmd; 0:X2=buf;', 'nic:X3=buf;', '}',
    ' P0              | nic             ;', ' MOV W0,#1       | MOV W1,#1       ;', ' L1: STR W0,[X1] | L3: STR W1,[X3] ;', ' DSB SY          |                 ;', ' MOV W4,#2       |                 ;', ' STR W4,[X2]     |                 ;',
    'exists (buf=1 /\\ before(nic:L3,P0:L1))',
  ].join('\n');
  // The device wrote buf before the configuration write reached it. PCIe 2.4.1: "an I/O or
  // Configuration Write Completion is permitted to pass a Posted Request": the DSB waited for the
  // write's completion, and the DMA write may still be on its way to memory.
  assert.equal(observation(text), 'Sometimes');
  // A read of the device after it (readl): its completion may not pass the DMA write (PCIe 2.4.1),
  // and readl's DMB orders the buffer reuse after the read.
  const readback = text.replace(' DSB SY          |                 ;', ' DSB SY          |                 ;\n LDR W5,[X1]     |                 ;\n DMB OSHLD       |                 ;');
  assert.equal(observation(readback), 'Never');
});

test('a configuration write never passes an earlier posted write, Relaxed Ordering or not (a config request carries no RO)', () => {
  const text = [
    'AArch64 store-then-flr-ro', '{', 'nic: pcie(rp0);', 'rp0: rootport(ro);', 'bar = nic.bar0:0x0;', 'devctl = nic.cfg:0x48 (flr);',
    'P0:bar attrs:(ioremap);', 'P0:devctl attrs:(pci_remap_cfgspace);', '0:X1=bar; 0:X2=devctl;', '}',
    ' P0              ;', ' MOV W0,#1       ;', ' L1: STR W0,[X1] ;', ' L2: STR W0,[X2] ;',
    'exists (~arrived(P0:L1))',
  ].join('\n');
  assert.equal(observation(text), 'Never');
  assert.equal(observation(text.replace('rp0: rootport(ro);\n', ''), 'relaxed-ordering=on'), 'Never');
});
