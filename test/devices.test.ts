/**
 * Each device and fabric rule deciding a small test both ways: allowed without the ordering
 * mechanism, forbidden with it. Expected verdicts follow from the rules cited (Arm ARM B2.4.1, B2.10; PCIe §2.4.1),
 * not from this tool's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../src/pipeline/index.js';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file runs as dist/test/devices.test.js; the catalogue is at the root.
const THREAD_DIR = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'catalogue/thread');

function observe(text: string, assume?: string): string {
  const out = checkText(text, { assume });
  if (!out.ok) assert.fail(out.diagnostics.map((d) => `${d.span.line}:${d.span.col}: ${d.message}`).join('\n'));
  return out.result.observation;
}

/** Two stores from P0 to registers r0, r1 of one endpoint, mapped `attr`, with `mid` between. */
function twoStores(attr: string, mid: string[], cond: string, bus = 'pcie(rp0)'): string {
  const space = bus === 'platform' ? 'mmio' : 'bar0';
  return [
    'AArch64 two-stores',
    '{',
    `dev: ${bus};`,
    `r0 = dev.${space}:0x0;`,
    // Contiguous with r0 (4-byte stores), so that one TLP can carry both (PCIe §2.2.5).
    `r1 = dev.${space}:0x4;`,
    `P0:r0 attrs:(${attr});`,
    `P0:r1 attrs:(${attr});`,
    '0:X1=r0; 0:X2=r1;',
    '}',
    ' P0 ;',
    ' MOV W0,#1 ;',
    ' L1: STR W0,[X1] ;',
    ...mid.map((m) => ` ${m} ;`),
    ' L2: STR W0,[X2] ;',
    `exists (${cond})`,
  ].join('\n');
}

const reordered = 'before(P0:L2,P0:L1)';
const gathered = 'gathered(P0:L1,P0:L2)';

test('rule 1 (B2.4.1): two Device-nGnRE stores arrive in program order; GRE and Normal-NC may not', () => {
  for (const bus of ['pcie(rp0)', 'platform']) {
    assert.equal(observe(twoStores('Device-nGnRE', [], reordered, bus)), 'Never', bus);
    assert.equal(observe(twoStores('Device-nGnRnE', [], reordered, bus)), 'Never', bus);
    assert.equal(observe(twoStores('Device-GRE', [], reordered, bus)), 'Sometimes', bus);
    assert.equal(observe(twoStores('ioremap_wc', [], reordered, bus)), 'Sometimes', bus);
  }
});

test('gathering: G types and Normal-NC may merge two stores into one transaction; nG never', () => {
  assert.equal(observe(twoStores('Device-GRE', [], gathered)), 'Sometimes');
  assert.equal(observe(twoStores('Normal-NC', [], gathered)), 'Sometimes');
  assert.equal(observe(twoStores('Device-nGRE', [], gathered)), 'Never');
  // nGRE may still be reordered (R), only not gathered (nG).
  assert.equal(observe(twoStores('Device-nGRE', [], reordered, 'platform')), 'Sometimes');
});

test('rule 3: a DMB between Normal-NC stores restores order and prevents gathering; DGH does not', () => {
  for (const bus of ['pcie(rp0)', 'platform']) {
    assert.equal(observe(twoStores('Normal-NC', ['DMB OSHST'], `${reordered} \\/ ${gathered}`, bus)), 'Never', bus);
    assert.equal(observe(twoStores('Normal-NC', ['DGH'], `${reordered} \\/ ${gathered}`, bus)), 'Sometimes', bus);
  }
});

test('rule 2: nGRE stores ordered by ob (release) keep their order; without it they may not', () => {
  // STLR: po; [L] is bob, so ob. Rule 2 (>= nGRE and ob) keeps the order on any bus.
  const rel = twoStores('Device-nGRE', [], reordered, 'platform').replace('L2: STR W0,[X2]', 'L2: STLR W0,[X2]');
  assert.equal(observe(rel), 'Never');
  assert.equal(observe(twoStores('Device-nGRE', [], reordered, 'platform')), 'Sometimes');
});

/**
 * P0 stores ra then rb (Device-nGnRE). Device `b` waits for rb and tells device `a` through host
 * memory; `a` then reads ra. With ra and rb on one endpoint, rule 1 orders the two arrivals.
 */
const twoEndpoints = (same: boolean) => `AArch64 endpoints
{
a: pcie(rp0);
b: pcie(rp0);
ra = a.bar0:0x0;
rb = ${same ? 'a.bar0:0x8' : 'b.bar0:0x8'};
seen = 0;
0:X1=ra; 0:X2=rb;
b:X3=seen;
a:X4=ra; a:X3=seen;
${same ? 'a:X1=rb;' : 'b:X1=rb;'}
}
 P0               | b            | a           ;
 MOV W0,#1        | ${same ? 'MOV W0,#1   ' : 'LDR W0,[X1] '} | ${same ? 'LDR W0,[X1] ' : 'LDR W5,[X3] '};
 L1: STR W0,[X1]  | ${same ? 'STR W0,[X3] ' : 'CBZ W0,L9   '} | ${same ? 'LDR W6,[X4] ' : 'LDR W6,[X4] '};
 L2: STR W0,[X2]  | ${same ? 'NOP         ' : 'STR W0,[X3] '} |             ;
                  | L9:          |             ;
exists (${same ? 'a:X0=1 /\\ a:X6=0' : 'b:X0=1 /\\ a:X5=1 /\\ a:X6=0'})`;

test('no order between endpoints: nGnRE stores to two endpoints may be seen in either order', () => {
  // Same endpoint: a sees rb's store, so ra's (program-earlier, nGnRE) store has already arrived.
  assert.equal(observe(twoEndpoints(true)), 'Never');
  // Different endpoints: b sees its store and tells a through memory; a need not have seen ra's yet.
  assert.equal(observe(twoEndpoints(false)), 'Sometimes');
});

/**
 * A Normal-NC (write-combining) BAR store, then (or not) a config read of the same endpoint, then
 * a flag in host memory the device reads by DMA before reading the BAR register.
 */
const configReadback = (readback: boolean, bus = 'pcie(rp0)') => `AArch64 cfg-readback
{
dev: ${bus};
db = dev.${bus === 'platform' ? 'mmio' : 'bar0'}:0x0;
id = dev.${bus === 'platform' ? 'mmio' : 'cfg'}:0x40;
flag = 0;
P0:db attrs:(ioremap);
P0:id attrs:(pci_remap_cfgspace);
0:X1=db; 0:X2=id; 0:X3=flag;
dev:X1=db; dev:X3=flag;
}
 P0               | dev          ;
 MOV W0,#1        | LDR W5,[X3]  ;
 STR W0,[X1]      | LDR W0,[X1]  ;
 ${readback ? 'LDR W4,[X2]' : 'NOP        '}      |              ;
 DMB SY           |              ;
 STR W0,[X3]      |              ;
exists (dev:X5=1 /\\ dev:X0=0)`;

test('a config read completion proves the earlier posted writes on the path arrived', () => {
  // The read arrives after the posted store (rule 1, and PCIe: a read never passes a posted write);
  // the flag store is ordered after the read's completion (DMB SY), so a device that saw the flag
  // has seen the BAR store. Without the read, the DMB orders only the stores' issue, not arrival.
  assert.equal(observe(configReadback(true)), 'Never');
  assert.equal(observe(configReadback(false)), 'Sometimes');
});

/** Producer/consumer: the device DMA-writes data, then sets a status register; the CPU reads it, then the data. */
const producerConsumer = `AArch64 dma-then-status
{
dev: pcie(rp0);
status = dev.bar0:0x10;
data = 0;
P0:status attrs:(ioremap);
0:X1=status; 0:X2=data;
dev:X1=status; dev:X2=data;
}
 P0               | dev          ;
 LDR W0,[X1]      | MOV W3,#1    ;
 DMB OSHLD        | STR W3,[X2]  ;
 LDR W4,[X2]      | STR W3,[X1]  ;
exists (0:X0=1 /\\ 0:X4=0)`;

test('a device DMA write is visible to a CPU that read a device register afterwards (PCIe), not on the bare architecture', () => {
  assert.equal(observe(producerConsumer), 'Never');
  assert.equal(observe(producerConsumer, 'fabric=architecture'), 'Sometimes');
  // ID-based Ordering lets a completion pass a posted write only when the Completer ID differs
  // from the write's Requester ID (PCIe §2.4.1): the device's own DMA and its register's
  // completion share one ID, so IDO changes nothing here.
  assert.equal(observe(producerConsumer, 'id-ordering=on'), 'Never');
  assert.equal(observe(producerConsumer.replace('dev: pcie(rp0);', 'dev: pcie(rp0);\nrp0: rootport(ido);')), 'Never');
});

test('Relaxed Ordering on the root port lets posted writes pass each other', () => {
  assert.equal(observe(twoStores('Device-nGnRE', [], reordered)), 'Never');
  assert.equal(observe(twoStores('Device-nGnRE', [], reordered), 'relaxed-ordering=on'), 'Sometimes');
  assert.equal(observe(twoStores('Device-nGnRE', [], reordered).replace('dev: pcie(rp0);', 'dev: pcie(rp0);\nrp0: rootport(ro);')), 'Sometimes');
  // A platform bus has no root port: the Arm rule alone keeps the order.
  assert.equal(observe(twoStores('Device-nGnRE', [], reordered, 'platform'), 'relaxed-ordering=on'), 'Never');
});

/** A config write (nGnRnE), DSB, then a Normal store of a flag the device reads by DMA. */
const dsbCompletion = (barrier: string) => `AArch64 dsb-completion
{
dev: pcie(rp0);
ctl = dev.cfg:0x4;
flag = 0;
P0:ctl attrs:(pci_remap_cfgspace);
0:X1=ctl; 0:X2=flag;
dev:X1=flag; dev:X2=ctl;
}
 P0               | dev          ;
 MOV W0,#1        | LDR W0,[X1]  ;
 STR W0,[X1]      | CBZ W0,L9    ;
 ${barrier}         | LDR W3,[X2]  ;
 STR W0,[X2]      | L9:          ;
exists (dev:X0=1 /\\ dev:X3=0)`;

test('early acknowledgement: a DSB after an nE config write waits for its arrival (where nE is honoured)', () => {
  assert.equal(observe(dsbCompletion('DSB SY')), 'Never');
  assert.equal(observe(dsbCompletion('DSB SY'), 'ne-honoured=none'), 'Sometimes');
  // The same store to PCIe memory space is posted: acknowledged on the way, a DSB proves nothing.
  assert.equal(observe(dsbCompletion('DSB SY').replace('ctl = dev.cfg:0x4;', 'ctl = dev.bar0:0x4;')), 'Sometimes');
  // A DMB orders the stores' visibility, not the config write's arrival.
  assert.equal(observe(dsbCompletion('DMB SY')), 'Sometimes');
});

test('verdicts carry the assumptions they were computed under', () => {
  const out = checkText(twoStores('Device-nGnRE', [], reordered), { assume: 'relaxed-ordering=on' });
  assert.ok(out.ok);
  if (out.ok) {
    assert.equal(out.result.devices, true);
    assert.equal(out.result.assumptions.relaxedOrdering, true);
    assert.equal(out.result.assumptions.fabric, 'declared');
  }
});

/** A store at an offset from a register's address, and the registers the test declares. */
const barOffset = (extra: string, cond: string) => `AArch64 bar-offset
{
dev: pcie(rp0);
db = dev.bar0:0x800;
${extra}
P0:db attrs:(ioremap);
0:X1=db; 0:X2=0x40;
}
 P0                  ;
 MOV W0,#1           ;
 STR W0,[X1,#0x40]   ;
 STR W0,[X1,X2]      ;
exists (${cond})`;

test('an address past a register reaches the BAR offset it names: the register declared there, never host memory', () => {
  // Both stores reach BAR offset 0x840: the register rx, and db is untouched.
  assert.equal(observe(barOffset('rx = dev.bar0:0x840;', 'rx=1 /\\ db=0')), 'Always');
  // The same offset of another BAR, or of configuration space, is another place.
  const other = checkText(barOffset('rx = dev.bar2:0x840;', 'rx=1'));
  assert.ok(!other.ok);
  const d = other.diagnostics[0]!;
  assert.equal(d.code, 'semantic');
  assert.equal(d.message, "the access at db+0x40 reaches dev.bar0:0x840, where the test declares no register (declare one: 'NAME = dev.bar0:0x840;')");
  assert.deepEqual([d.span.line, d.span.col], [11, 2]);
});

test("a 64-byte __iowrite64_copy to a WC page may arrive as one TLP or torn, each store addressable by index (B2.10.2, PCIe §2.2.5)", () => {
  // catalogue/thread/bf-copy-wc asks this at 32 bytes; eight unordered stores are 95,900 executions.
  const regs = Array.from({ length: 8 }, (_, k) => `bf${k} = nic.bar2:0x${(0x800 + 8 * k).toString(16)};\nP0:bf${k} attrs:(ioremap_wc);`).join('\n');
  const copy = (cond: string) => `C bf64\n{\nnic: pcie(rp0);\n${regs}\n}\n\nP0(int *bf0)\n{\nL1:\t__iowrite64_copy(bf0, 1, 8);\n}\n\nexists (${cond})\n`;
  const all = Array.from({ length: 7 }, (_, k) => `gathered(P0:L1[0],P0:L1[${k + 1}])`).join(' /\\ ');
  const combined = checkText(copy(all));
  assert.ok(combined.ok);
  assert.equal(combined.result.observation, 'Sometimes');
  assert.equal(combined.result.positive, 1);
  // An index past the copy's stores is a mistake, found where it is written.
  const past = checkText(copy('gathered(P0:L1[0],P0:L1[8])'));
  assert.ok(!past.ok && /P0:L1\[8\]: the code from label 'L1' to the next label has 8 memory accesses/.test(past.diagnostics[0]!.message));
});

/** A device writes data then raises an MSI; the handler P0 reads the data. */
const msiRx = (attrs: string, raise = 'STR W0,[X2]') => `AArch64 msi
{
nic: pcie(rp0);
buf = 0;
irq = msi(P0);
${attrs}
nic:X1=buf; nic:X2=irq;
0:X1=buf; 0:X0=7;
}
 P0          | nic           ;
 LDR W0,[X1] | MOV W0,#1     ;
             | L1:           ;
             | STR W0,[X1]   ;
             | L2:           ;
             | ${raise}   ;
exists (0:X0=0)`;

test('an MSI cannot pass the DMA writes before it unless it carries RO; the handler runs after it (PCIe §2.4.1, §6.1.4)', () => {
  assert.equal(observe(msiRx('')), 'Never');
  // RO on the data lets data writes pass each other, not the MSI pass them.
  assert.equal(observe(msiRx('nic:L1 tlp:(ro);')), 'Never');
  assert.equal(observe(msiRx('nic:L1 tlp:(ro);\nnic:L2 tlp:(ro);')), 'Sometimes');
  assert.equal(observe(msiRx('nic:L2 tlp:(ro);')), 'Sometimes');
  // Without the root complex's producer/consumer guarantee the interrupt orders nothing before it.
  assert.equal(observe(msiRx(''), 'msi-flush=off'), 'Sometimes');
  // ID-based Ordering changes nothing: one function, one Requester ID.
  assert.equal(observe(msiRx('nic:L2 tlp:(ido);')), 'Never');
});

test('a handler runs exactly when its MSI is written: otherwise its registers stay as given', () => {
  // The device never raises the MSI here (it writes buf twice): P0 never runs.
  const out = checkText(msiRx('', 'STR W0,[X1]').replace('exists (0:X0=0)', 'forall (0:X0=7)'));
  assert.ok(out.ok);
  assert.equal(out.result.observation, 'Always');
});

test('MSI and TLP attribute mistakes are located errors', () => {
  const bad = (text: string) => {
    const out = checkText(text);
    return out.ok ? 'answered' : `${out.diagnostics[0]!.code}: ${out.diagnostics[0]!.message}`;
  };
  assert.match(bad(msiRx('nic:L1 tlp:(ns);')), /^unsupported: .*No Snoop/);
  assert.match(bad(msiRx('nic:L9 tlp:(ro);')), /^semantic: label 'L9' is not defined in nic/);
  assert.match(bad(msiRx('P0:L1 tlp:(ro);')), /^semantic: 'P0' is not a device column/);
  assert.match(bad(msiRx('').replace('0:X1=buf;', '0:X1=irq;')), /^semantic: .*a CPU thread accesses an MSI doorbell/);
  assert.match(bad(msiRx('').replace('irq = msi(P0);', 'irq = msi(P5);')), /^semantic: handler thread 'P5' does not exist/);
});

/** A device DMA-writes data (function 0), then a flag with the attributes given; P0 reads flag then data. */
const dmaFlag = (attrs: string) => `AArch64 dma-flag
{
nic: pcie(rp0);
data = 0; flag = 0;
${attrs}
nic:X1=data; nic:X2=flag;
0:X1=flag; 0:X2=data;
}
 P0           | nic          ;
 LDR W0,[X1]  | MOV W5,#1    ;
 DMB LD       | STR W5,[X1]  ;
 LDR W3,[X2]  | L2:          ;
              | STR W5,[X2]  ;
exists (0:X0=1 /\\ 0:X3=0)`;

test('ID-based Ordering lets a posted write pass only posted writes of another Requester ID (PCIe §2.4.1)', () => {
  assert.equal(observe(dmaFlag('')), 'Never');
  assert.equal(observe(dmaFlag('nic:L2 tlp:(ido);')), 'Never');
  assert.equal(observe(dmaFlag('nic:L2 tlp:(fn=1);')), 'Never');
  assert.equal(observe(dmaFlag('nic:L2 tlp:(fn=1, ido);')), 'Sometimes');
  // RO lets it pass whatever the IDs.
  assert.equal(observe(dmaFlag('nic:L2 tlp:(ro);')), 'Sometimes');
});

test('a completion passes a DMA write of another function only with IDO; a reset of one function is refused', () => {
  const text = readFileSync(join(THREAD_DIR, 'mf-ido-status.litmus'), 'utf8');
  assert.equal(observe(text), 'Never');
  assert.equal(observe(text, 'id-ordering=on'), 'Sometimes');
  assert.equal(observe(text.replace('nic: pcie(rp0);', 'nic: pcie(rp0);\nrp0: rootport(ido);')), 'Sometimes');
  const reset = checkText(text.replace('buf = 0;', 'buf = 0;\nctl = nic.cfg:0x48 (flr);'));
  assert.ok(!reset.ok && /unsupported: a reset register on multi-function endpoint 'nic'/.test(reset.diagnostics[0]!.message));
  const bad = checkText(text.replace('(fn=1)', '(fn=8)'));
  assert.ok(!bad.ok && /a function number is 0 to 7, not 8/.test(bad.diagnostics[0]!.message));
});

test('an ISH barrier orders nothing a device outside the Inner Shareable domain observes (device-domain=outer, B2.3)', () => {
  const text = readFileSync(join(THREAD_DIR, 'doorbell-smp-wmb.litmus'), 'utf8');
  assert.equal(observe(text), 'Never');
  assert.equal(observe(text, 'device-domain=outer'), 'Sometimes');
  // OSH and SY barriers, and a DSB's completion, still order for an Outer Shareable observer.
  assert.equal(observe(text.replaceAll('DMB ISHST', 'DMB OSHST'), 'device-domain=outer'), 'Never');
  assert.equal(observe(text.replaceAll('DMB ISHST', 'DSB ST'), 'device-domain=outer'), 'Never');
  const refused = (t: string) => {
    const out = checkText(t, { assume: 'device-domain=outer' });
    return out.ok ? 'answered' : out.diagnostics[0]!.message;
  };
  // What crosses the two domains is refused, never answered.
  assert.match(refused(text.replace('L1: STR W0,[X2]', 'L1: STLR W0,[X2]')), /acquire\/release ordering toward an Outer Shareable observer/);
  assert.equal(refused(checkCatalogue('posted-reset-readback')), 'answered');
  const twoCpus = `AArch64 two-cpus\n{\nnic: pcie(rp0);\ndb = nic.bar0:0x800;\ndesc = 0; flag = 0;\nP1:db attrs:(ioremap);\n0:X1=desc; 0:X2=flag; 1:X2=flag; 1:X3=db;\nnic:X1=db; nic:X3=desc;\n}\n P0 | P1 | nic ;\n MOV W0,#1 | LDR W0,[X2] | LDR W0,[X1] ;\n STR W0,[X1] | DMB OSH | LDR W2,[X3] ;\n DMB ISH | STR W0,[X3] | ;\n STR W0,[X2] | | ;\nexists (nic:X0=1 /\\ nic:X2=0)`;
  assert.equal(checkText(twoCpus).ok, true);
  assert.match(refused(twoCpus), /'DMB ISH' under device-domain=outer: an ISH barrier's cumulativity .*one CPU thread only/);
});

function checkCatalogue(name: string): string {
  return readFileSync(join(THREAD_DIR, `${name}.litmus`), 'utf8');
}

test('review: the functions of a device have BARs of their own; a TLP attribute marks every request of its instruction', () => {
  // bar0 of function 0 and bar0 of function 1 are two spaces: no transaction carries both.
  const mf = `AArch64 mf\n{\nnic: pcie(rp0);\na = nic.bar0:0x0 (fn=0);\nb = nic.bar0:0x4 (fn=1);\nP0:a attrs:(ioremap_wc);\nP0:b attrs:(ioremap_wc);\n0:X1=a; 0:X2=b;\n}\n P0 ;\n MOV W0,#1 ;\n L1: ;\n STR W0,[X1] ;\n L2: ;\n STR W0,[X2] ;\nexists (gathered(P0:L1,P0:L2))`;
  assert.equal(observe(mf), 'Never');
  assert.equal(observe(mf.replace('(fn=1)', '(fn=0)')), 'Sometimes');
  // In a loop, each store of the labelled instruction carries RO: the second may pass buf's write.
  const loop = `AArch64 tlploop\n{\nnic: pcie(rp0);\nint buf = 0;\nint flag = 0;\n0:X1=flag; 0:X2=buf;\nnic:X1=buf; nic:X2=flag; nic:X5=2; nic:X6=1;\nnic:L1 tlp:(ro);\n}\n P0 | nic ;\n LDR W0,[X1] | STR W6,[X1] ;\n DMB LD | Lp: ;\n LDR W3,[X2] | L1: ;\n | STR W5,[X2] ;\n | SUB W5,W5,#1 ;\n | CBNZ W5,Lp ;\nexists (0:X0=1 /\\ 0:X3=0)`;
  assert.equal(observe(loop), 'Sometimes');
});

test('review: an MSI raised twice, an access spanning two registers, and addresses far from their register are refused', () => {
  const twice = msiRx('', 'STR W0,[X2]   ;\n             | STR W0,[X2]');
  assert.match(checkText(twice).ok ? '' : checkText(twice).diagnostics[0]!.message, /raises the MSI of P0 a second time/);
  const spans = barOffset('rx = dev.bar0:0x804;', 'rx=1').replace('MOV W0,#1', 'MOV X0,#1').replace(' STR W0,[X1,#0x40]   ;\n STR W0,[X1,X2]      ;', ' STR X0,[X1] ;');
  const s = checkText(spans);
  assert.ok(!s.ok && /accesses 8 bytes at db .* which cover register rx at 0x804/.test(s.diagnostics[0]!.message), s.ok ? 'answered' : s.diagnostics[0]!.message);
  // 64 KB past a register (or any location) is refused, never the next location; before its start is not a register.
  const far = checkText(barOffset('rx = dev.bar0:0x900;', 'rx=1').replace('0:X2=0x40;', '0:X2=0x10000;').replace(' STR W0,[X1,#0x40]   ;\n', ''));
  assert.ok(!far.ok && /an address offset of 65536 leaves its location/.test(far.diagnostics[0]!.message), far.ok ? 'answered' : far.diagnostics[0]!.message);
  const added = checkText(barOffset('st = dev.bar2:0x800;', 'st=1').replace('0:X2=0x40;', '0:X2=0x10000;').replace(' STR W0,[X1,#0x40]   ;\n STR W0,[X1,X2]      ;', ' ADD X5,X1,X2 ;\n STR W0,[X5] ;'));
  assert.ok(!added.ok && /leaves its location/.test(added.diagnostics[0]!.message));
  const before = checkText(barOffset('', 'db=1').replace(' STR W0,[X1,#0x40]   ;\n STR W0,[X1,X2]      ;', ' STR W0,[X1,#-4] ;'));
  assert.ok(!before.ok && /the access at db-0x4 reaches dev\.bar0:0x7fc|an address offset leaves the address space/.test(before.diagnostics[0]!.message), before.ok ? 'answered' : before.diagnostics[0]!.message);
});
