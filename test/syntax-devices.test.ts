import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLitmus, type Prop } from '../src/syntax/index.js';
import { W, X, diags, ok } from './syntax-helpers.js';

/** Drop spans (recursively) so nodes compare structurally. */
function bare(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(bare);
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'span' && k !== 'asm').map(([k, x]) => [k, bare(x)]));
  }
  return v;
}

const DEFAULTS = { reset: 0, readClear: false, flr: false, resets: undefined, selfReset: false };

const DOORBELL = `AArch64 doorbell-writel
"descriptor in WB memory, then writel to the doorbell; the device DMA-reads the descriptor"
{
nic: pcie(rp0);
db = nic.bar0:0x800;
desc = 0;
P0:db attrs:(ioremap);
0:X1=desc; 0:X2=db;
nic:X1=db; nic:X3=desc;
}
 P0              | nic            ;
 MOV W0,#1       | LDR W0,[X1]    ;
 STR W0,[X1]     | CBZ W0,L9      ;
 DMB OSHST       | LDR W2,[X3]    ;
 L1: STR W0,[X2] | L9:            ;
exists (nic:X0=1 /\\ nic:X2=0 /\\ arrived(P0:L1))
`;

test('doorbell-writel: topology, register, mapping, a device column, arrived()', () => {
  const t = ok(DOORBELL);
  assert.deepEqual(bare(t.topology), [{ kind: 'endpoint', name: 'nic', bus: 'pcie', parent: 'rp0' }]);
  // `db = nic.bar0:0x800` is offset 2048 in BAR 0's memory space, with default attributes.
  assert.deepEqual(bare(t.registers), [{ kind: 'register', loc: 'db', endpoint: 'nic', space: 'mem', bar: 0, offset: 2048, attrs: DEFAULTS }]);
  assert.deepEqual(bare(t.mappings), [{ kind: 'mapping', thread: 0, loc: 'db', s1: 'ioremap', s2: undefined, fwb: false }]);
  // The device column is the second column: id 1, named after its endpoint.
  assert.deepEqual(t.threads.map((th) => [th.id, th.name, th.agent]), [[0, 'P0', 'cpu'], [1, 'nic', 'device']]);
  assert.deepEqual(bare(t.threads[1]!.code), [
    { kind: 'load', rt: W(0), addr: { base: X(1), offset: undefined, index: 'offset' }, size: 4, signed: false, order: 'plain', exclusive: false },
    { kind: 'branch', target: { label: 'L9' }, link: false, cond: { kind: 'zero', reg: W(0), nonZero: false } },
    { kind: 'load', rt: W(2), addr: { base: X(3), offset: undefined, index: 'offset' }, size: 4, signed: false, order: 'plain', exclusive: false },
    { kind: 'label', name: 'L9' },
  ]);
  // A label and an instruction in one cell.
  assert.deepEqual(bare(t.threads[0]!.code.slice(3)), [
    { kind: 'label', name: 'L1' },
    { kind: 'store', rt: W(0), addr: { base: X(2), offset: undefined, index: 'offset' }, size: 4, release: false, exclusive: false, status: undefined },
  ]);
  // `nic:X1=db` is a register of thread 1 (the nic column); the init keeps its order.
  assert.deepEqual(
    t.init.map((i) => (i.kind === 'reg' ? [i.thread, i.reg.index, i.value] : [i.loc, i.value])),
    [
      ['desc', { kind: 'int', value: 0n }],
      [0, 1, { kind: 'addr', loc: 'desc' }],
      [0, 2, { kind: 'addr', loc: 'db' }],
      [1, 1, { kind: 'addr', loc: 'db' }],
      [1, 3, { kind: 'addr', loc: 'desc' }],
    ],
  );
  const eq = (thread: number, reg: number, value: number) => ({ kind: 'eq', lhs: { kind: 'reg', thread, reg: X(reg) }, rhs: { kind: 'int', value: BigInt(value) } });
  assert.deepEqual(bare(t.condition!.prop), {
    kind: 'and',
    args: [{ kind: 'and', args: [eq(1, 0, 1), eq(1, 2, 0)] }, { kind: 'arrived', write: { thread: 0, label: 'L1' } }],
  });
  const p = t.condition!.prop;
  assert.ok(p.kind === 'and' && p.args[1].kind === 'arrived');
  // `arrived(P0:L1)` covers line 16 cols 33..46; the ref `P0:L1` cols 41..45.
  assert.deepEqual(p.args[1].span, { line: 16, col: 33, endLine: 16, endCol: 47 });
  assert.deepEqual(p.args[1].write.span, { line: 16, col: 41, endLine: 16, endCol: 46 });
  // The mapping item `P0:db attrs:(ioremap)` is line 7, 21 characters.
  assert.deepEqual(t.mappings[0]!.span, { line: 7, col: 1, endLine: 7, endCol: 22 });
});

const ALL = `AArch64 devices-all
{
rp0: rootport(ro, ido); rp2: rootport(); rp3: rootport;
sw0: switch(rp0);
nic: pcie(sw0); nic2: pcie(rp1);
gpio: platform; rc: platform;
db = nic.bar0:0x800;
ctl = nic.cfg:0x48 (flr);
wcq = nic2.bar5:64;
st = gpio.mmio:0x10 (read-clear, reset=1);
rst = rc.mmio:0x0 (resets=gpio);
srst = gpio.mmio:4 (self-reset);
P0:db attrs:(ioremap_wc);
P1:db attrs:(Normal, iNC, oNC) s2:(kvm-6.9, vfio-pci, fwb);
P1:wcq attrs:(ioremap) s2:(0x5);
P0:st attrs:(ioremap) s2:(fwb, Normal-NC);
P0:wcq attrs:(Device-GRE) s2:(kvm-v6.8, resource_wc);
P1:ctl attrs:(ioremap_np) s2:(kvm-6.17, vfio-platform);
0:X1=db; 1:X1=db; 1:X2=wcq;
nic:X1=desc; uint64_t gpio:X0=1;
}
 P0              | P1              | nic             | gpio ;
 L1: STR W0,[X1] | STR W0,[X1]     | LDR W0,[X1]     | NOP  ;
 L2: STR W0,[X1] | L3: STR W0,[X2] | L0: STR W0,[X1] |      ;
locations [gpio:X0; st;]
exists (nic:X0=1 /\\ ~arrived(nic:L0) \\/ before(P0:L1, P1:L3) /\\ gathered(P0:L1, P0:L2))
`;

test('every device form: topology kinds, register attributes, each s2 form', () => {
  const t = ok(ALL);
  // rp1 is named only as a parent: an implicit root port, with no declaration of its own.
  assert.deepEqual(bare(t.topology), [
    { kind: 'rootport', name: 'rp0', ro: true, ido: true },
    { kind: 'rootport', name: 'rp2', ro: false, ido: false },
    { kind: 'rootport', name: 'rp3', ro: false, ido: false },
    { kind: 'switch', name: 'sw0', parent: 'rp0' },
    { kind: 'endpoint', name: 'nic', bus: 'pcie', parent: 'sw0' },
    { kind: 'endpoint', name: 'nic2', bus: 'pcie', parent: 'rp1' },
    { kind: 'endpoint', name: 'gpio', bus: 'platform', parent: undefined },
    { kind: 'endpoint', name: 'rc', bus: 'platform', parent: undefined },
  ]);
  const reg = (loc: string, endpoint: string, space: string, bar: number | undefined, offset: number, attrs: object) => ({ kind: 'register', loc, endpoint, space, bar, offset, attrs: { ...DEFAULTS, ...attrs } });
  assert.deepEqual(bare(t.registers), [
    reg('db', 'nic', 'mem', 0, 0x800, {}),
    reg('ctl', 'nic', 'cfg', undefined, 0x48, { flr: true }),
    reg('wcq', 'nic2', 'mem', 5, 64, {}),
    reg('st', 'gpio', 'mem', undefined, 0x10, { readClear: true, reset: 1 }),
    reg('rst', 'rc', 'mem', undefined, 0, { resets: 'gpio' }),
    reg('srst', 'gpio', 'mem', undefined, 4, { selfReset: true }),
  ]);
  assert.deepEqual(bare(t.mappings), [
    { kind: 'mapping', thread: 0, loc: 'db', s1: 'ioremap_wc', s2: undefined, fwb: false },
    { kind: 'mapping', thread: 1, loc: 'db', s1: 'Normal,iNC,oNC', s2: { kind: 'kvm', kernel: '6.9', host: 'vfio-pci' }, fwb: true },
    { kind: 'mapping', thread: 1, loc: 'wcq', s1: 'ioremap', s2: { kind: 'memattr', text: '0x5' }, fwb: false },
    { kind: 'mapping', thread: 0, loc: 'st', s1: 'ioremap', s2: { kind: 'memattr', text: 'Normal-NC' }, fwb: true },
    { kind: 'mapping', thread: 0, loc: 'wcq', s1: 'Device-GRE', s2: { kind: 'kvm', kernel: 'v6.8', host: 'resource_wc' }, fwb: false },
    { kind: 'mapping', thread: 1, loc: 'ctl', s1: 'ioremap_np', s2: { kind: 'kvm', kernel: '6.17', host: 'vfio-platform' }, fwb: false },
  ]);
  assert.deepEqual(t.threads.map((th) => [th.id, th.name, th.agent]), [[0, 'P0', 'cpu'], [1, 'P1', 'cpu'], [2, 'nic', 'device'], [3, 'gpio', 'device']]);
  // `uint64_t gpio:X0=1` keeps its type; gpio is column 3.
  const gpioInit = t.init.find((i) => i.kind === 'reg' && i.thread === 3);
  assert.deepEqual(bare(gpioInit), { kind: 'reg', thread: 3, reg: X(0), value: { kind: 'int', value: 1n }, type: 'uint64_t' });
  assert.deepEqual(bare(t.locations), [{ kind: 'reg', thread: 3, reg: X(0) }, { kind: 'loc', loc: 'st' }]);
  const ref = (thread: number, label: string) => ({ thread, label });
  const expected: unknown = {
    kind: 'or',
    args: [
      { kind: 'and', args: [{ kind: 'eq', lhs: { kind: 'reg', thread: 2, reg: X(0) }, rhs: { kind: 'int', value: 1n } }, { kind: 'not', arg: { kind: 'arrived', write: ref(2, 'L0') } }] },
      { kind: 'and', args: [{ kind: 'before', first: ref(0, 'L1'), second: ref(1, 'L3') }, { kind: 'gathered', first: ref(0, 'L1'), second: ref(0, 'L2') }] },
    ],
  };
  assert.deepEqual(bare(t.condition!.prop as Prop), expected);
});

test('device atoms work under every connective and inside parentheses', () => {
  const t = ok(DOORBELL.replace(/exists .*\n$/, '~exists (~(arrived(P0:L1)) => (arrived(P0:L1) \\/ nic:X0=0))\n'));
  assert.equal(t.condition!.quantifier, 'notExists');
  const a = { kind: 'arrived', write: { thread: 0, label: 'L1' } };
  // `a => b` is kept as an implication (herd prints it back as written).
  assert.deepEqual(bare(t.condition!.prop), {
    kind: 'implies',
    args: [{ kind: 'not', arg: a }, { kind: 'or', args: [a, { kind: 'eq', lhs: { kind: 'reg', thread: 1, reg: X(0) }, rhs: { kind: 'int', value: 0n } }] }],
  });
});

// ---- errors, with exact positions --------------------------------------------------------------

/** A one-CPU test with the given init lines (from line 3) and a table P0 (and extra columns). */
function withInit(init: string, header = ' P0 ;', row = ' L1: STR W0,[X1] ;', cond = 'exists (x=0)'): string {
  return `AArch64 T\n{\n${init}\n}\n${header}\n${row}\n${cond}\n`;
}

test('registers: undeclared endpoint, wrong space for the bus, bad spaces', () => {
  // Line 3 `db = nix.bar0:0;`: nix at col 6. Line 4: `mmio` at col 10 on a PCIe endpoint.
  // Line 5: `bar0` at col 11 and line 6: `cfg` at col 12 on a platform device.
  const d = diags(withInit('db = nix.bar0:0;\nd2 = nic.mmio:0;\nst = gpio.bar0:0;\nst2 = gpio.cfg:4;\nnic: pcie(rp0); gpio: platform;\n0:X1=db; 0:X2=d2; 0:X3=st; 0:X4=st2;'));
  assert.deepEqual(d.at, ['3:6 semantic', '4:10 semantic', '5:11 semantic', '6:12 semantic']);
  assert.match(d.messages[0]!, /'nix', which is not a declared endpoint/);
  // bar6 does not exist (six BARs), nor does a space 'io'; both at the space (col 10).
  const s = diags(withInit('nic: pcie(rp0);\ndb = nic.bar6:0;\ndc = nic.io:0;'));
  assert.deepEqual(s.at, ['4:10 syntax', '5:10 syntax']);
  assert.match(s.messages[0]!, /bad register space 'bar6'/);
});

test('registers: unknown attribute, flr outside cfg, resets= of no endpoint, two reset effects', () => {
  // Line 4: `read-clr` at col 19 (syntax). Line 5: `flr` at col 19 on a BAR register.
  // Line 6: `resets=nope` names no endpoint (col 27). Line 7: `self-reset` after `flr` (col 24).
  const d = diags(withInit('nic: pcie(rp0);\na = nic.bar0:0x0 (read-clr);\nb = nic.bar0:0x8 (flr);\nc = nic.bar0:0x10 (resets=nope);\ne = nic.cfg:0x48 (flr, self-reset);'));
  assert.deepEqual(d.at, ['4:19 syntax', '5:19 semantic', '6:27 semantic', '7:24 semantic']);
  assert.match(d.messages[0]!, /unknown register attribute 'read-clr'/);
});

test('topology: a PCIe parent that is an endpoint, duplicate names, unknown kinds and options', () => {
  // Line 4: `pcie(gpio)` — gpio (col 12) is a platform device; `switch(nic)` (line 5 col 13).
  const d = diags(withInit('nic: pcie(rp0); gpio: platform;\nnic2: pcie(gpio);\nsw0: switch(nic);\nnic: platform;\nx: pci(rp0); rp0: rootport(ro, xo);'));
  // Line 6: nic declared twice (col 1). Line 7: unknown kind `pci` (col 4), option `xo` (col 32).
  assert.deepEqual(d.at, ['4:12 semantic', '5:13 semantic', '6:1 semantic', '7:4 syntax', '7:32 syntax']);
  assert.match(d.messages[0]!, /'gpio' is a platform device/);
  assert.match(d.messages[2]!, /'nic' is declared twice/);
});

test('mappings: not a CPU column, a device, an unused location, twice', () => {
  const d = diags(withInit('nic: pcie(rp0); db = nic.bar0:0;\nP1:db attrs:(ioremap);\nnic:db attrs:(ioremap);\nP0:dbb attrs:(ioremap);\nP0:db attrs:(ioremap); P0:db attrs:(ioremap_wc);', ' P0 | nic ;', ' L1: STR W0,[X1] | NOP ;'));
  // P1 at 4:1 (only P0 exists), nic at 5:1 (a device), dbb at 6:4 (never used), the second
  // mapping of db by P0 at 7:27.
  assert.deepEqual(d.at, ['4:1 semantic', '5:1 semantic', '6:4 semantic', '7:27 semantic']);
  assert.match(d.messages[2]!, /'dbb', a location the test never uses/);
});

test('mappings: malformed s2 lists', () => {
  const d = diags(withInit(
    'nic: pcie(rp0); db = nic.bar0:0; 0:X1=db;\n' +
      'P0:db attrs:(ioremap) s2:(kvm-6.9, vfio);\n' +
      'P0:db attrs:(ioremap) s2:(kvm-6.9);\n' +
      'P0:db attrs:(ioremap) s2:(kvm-, vfio-pci);\n' +
      'P0:db attrs:(ioremap) s2:(0x5, Normal-NC);\n' +
      'P0:db attrs:() s2:(fwb);',
  ));
  // Line 4: unknown host `vfio` at col 36. Line 5: no host, at ')' col 34. Line 6: `kvm-` (col 27)
  // has no version. Line 7: a second MemAttr at col 32. Line 8: empty attrs at ')' col 14.
  assert.deepEqual(d.at, ['4:36 syntax', '5:34 syntax', '6:27 syntax', '7:32 syntax', '8:14 syntax']);
});

test('a register location is not initialised in the init section', () => {
  const d = diags(withInit('nic: pcie(rp0); db = nic.bar0:0;\ndb = 1; 0:X1=db;'));
  assert.deepEqual(d.at, ['4:1 semantic']);
  assert.match(d.messages[0]!, /starts at its reset value/);
});

test('device columns: undeclared, a switch, after CPU columns only, registers of missing columns', () => {
  const undeclared = diags(withInit('nic: pcie(rp0);', ' P0 | nix ;', ' NOP | NOP ;'));
  assert.deepEqual(undeclared.at, ['5:7 semantic']);
  assert.match(undeclared.messages[0]!, /'nix' names no declared endpoint/);
  const sw = diags(withInit('sw0: switch(rp0);', ' P0 | sw0 | rp0 ;', ' NOP | NOP | NOP ;'));
  assert.deepEqual(sw.at, ['5:7 semantic', '5:13 semantic']);
  const order = diags(withInit('nic: pcie(rp0);', ' P0 | nic | P1 ;', ' NOP | NOP | NOP ;'));
  assert.deepEqual(order.at, ['5:13 syntax']);
  const first = diags(withInit('nic: pcie(rp0);', ' nic | P0 ;', ' NOP | NOP ;'));
  assert.deepEqual(first.at, ['5:2 syntax', '5:8 syntax']);
  // gpio is declared but has no column: its register in the init (4:1) and the condition (8:9).
  const missing = diags(withInit('gpio: platform;\ngpio:X0=1;', ' P0 ;', ' NOP ;', 'exists (gpio:X0=1)'));
  assert.deepEqual(missing.at, ['4:1 semantic', '8:9 semantic']);
  // A numeric reference to the device column's number is not the device.
  const numeric = diags(withInit('nic: pcie(rp0);', ' P0 | nic ;', ' NOP | NOP ;', 'exists (1:X0=1)'));
  assert.deepEqual(numeric.at, ['7:9 semantic']);
  assert.match(numeric.messages[0]!, /column 1 is the device 'nic'/);
});

test('device atoms: undefined labels, labels of no access, missing threads', () => {
  const table = ' P0              | nic ;';
  const row = ' L1: STR W0,[X1] | L0: ;\n L2: DMB SY      | NOP ;';
  const d = diags(withInit('nic: pcie(rp0);', table, row, 'exists (arrived(P0:L7) /\\ arrived(nic:L0) /\\ before(P0:L2, P3:L1) /\\ gathered(gpu:L1, P0:L1))'));
  // Line 8: L7 is not defined in P0 (col 20); nic's L0 labels NOP, not an access (col 39);
  // L2 labels a DMB (col 56); P3 does not exist (col 60); gpu is no column (col 79).
  assert.deepEqual(d.at, ['8:20 semantic', '8:39 semantic', '8:56 semantic', '8:60 semantic', '8:79 semantic']);
  const end = diags(withInit('', ' P0  ;', ' NOP ;\n L5: ;', 'exists (arrived(P0:L5))'));
  // The label is the last thing in P0: it labels no instruction (line 8 col 20).
  assert.deepEqual(end.at, ['8:20 semantic']);
  assert.match(end.messages[0]!, /labels no instruction/);
  const twice = diags(withInit('', ' P0 ;', ' L1: STR W0,[X1] ;', 'exists (before(P0:L1, P0:L1))'));
  assert.deepEqual(twice.at, ['7:23 semantic']);
});

test("herd's fault(...) is a condition atom beside the device atoms (syntax-tlbi.test)", () => {
  const r = parseLitmus(withInit('', ' P0 ;', ' L1: STR W0,[X1] ;', 'exists (fault(P0:L1,x) \\/ arrived(P0:L1))'));
  assert.deepEqual(r.diagnostics, []);
  const p = r.test!.condition!.prop;
  assert.ok(p.kind === 'or' && p.args[0].kind === 'fault' && p.args[1].kind === 'arrived');
});

test('the doorbell test with random edits never throws', () => {
  let seed = 7;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const alphabet = 'Pnic:;|,()=.-0x8LbarXWs2kvmfwb \n';
  for (let n = 0; n < 1000; n++) {
    let s = n % 2 === 0 ? DOORBELL : ALL;
    for (let e = 0; e < 3; e++) {
      const at = Math.floor(rand() * s.length);
      const ch = alphabet[Math.floor(rand() * alphabet.length)]!;
      s = rand() < 0.5 ? s.slice(0, at) + ch + s.slice(at + 1) : s.slice(0, at) + s.slice(at + 1);
    }
    const r = parseLitmus(s);
    assert.equal(r.test === undefined, r.diagnostics.some((d) => d.severity === 'error'));
    for (const d of r.diagnostics) assert.ok(d.span.line >= 1 && d.span.col >= 1 && d.message.length > 0);
  }
});

test('a thread\'s stage 2 stated once (P0: s2:(...)) applies to its mappings that state none; twice is an error', () => {
  const text = (init: string) => `AArch64 guest-s2\n{\nnic: pcie(rp0);\nwc0 = nic.bar2:0x0;\nwc1 = nic.bar2:0x8;\n${init}\n0:X1=wc0; 0:X2=wc1;\n}\n P0 ;\n L1: STR W0,[X1] ;\n L2: STR W0,[X2] ;\nexists (gathered(P0:L1,P0:L2))\n`;
  const t = ok(text('P0: s2:(kvm-6.9, vfio-pci, fwb);\nP0:wc0 attrs:(ioremap_wc);\nP0:wc1 attrs:(ioremap) s2:(Device-nGnRE);'));
  const byLoc = new Map(t.mappings.map((m) => [m.loc, m]));
  assert.deepEqual(bare(byLoc.get('wc0')!.s2), { kind: 'kvm', kernel: '6.9', host: 'vfio-pci' });
  assert.equal(byLoc.get('wc0')!.fwb, true);
  // A mapping's own s2 wins.
  assert.deepEqual(bare(byLoc.get('wc1')!.s2), { kind: 'memattr', text: 'Device-nGnRE' });
  const twice = diags(text('P0: s2:(kvm-6.9, vfio-pci);\nP0: s2:(kvm-6.8, vfio-pci);\nP0:wc0 attrs:(ioremap_wc);'));
  assert.deepEqual(twice.messages, ["P0 already has a stage 2 ('P0: s2:(...)' once per thread)"]);
  assert.deepEqual(twice.at, ['7:1 syntax']);
});
