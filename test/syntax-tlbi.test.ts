import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLitmus, ZR, type Instr, type Prop } from '../src/syntax/index.js';
import { formatInstr } from '../src/syntax/format.js';
import { X, bare, diags, ok } from './syntax-helpers.js';

/** The instruction of a one-thread, one-cell test. */
function oneCell(cell: string): Instr {
  return ok(`AArch64 ONE\n{ 0:X1=x; }\n P0 ;\n ${cell} ;\n`).threads[0]!.code[0]!;
}

// Arm ARM C5.5: these operations take Xt (an address by VA at EL1&0 or EL2, by IPA at stage 2, or an ASID)...
const BY_ADDRESS = [
  'VAE1IS', 'VALE1IS', 'VAAE1IS', 'VAALE1IS', 'VAE1', 'VALE1', 'VAAE1', 'VAALE1',
  'VAE2IS', 'VALE2IS', 'VAE2', 'VALE2', 'IPAS2E1IS', 'IPAS2LE1IS', 'IPAS2E1', 'IPAS2LE1', 'ASIDE1IS', 'ASIDE1',
];
// ...and these invalidate whole regimes or VMIDs, with no register operand.
const ALL = ['VMALLE1IS', 'VMALLE1', 'VMALLS12E1IS', 'VMALLS12E1', 'ALLE1IS', 'ALLE2IS', 'ALLE1', 'ALLE2'];

test('every by-address TLBI operation takes an X register, in any case', () => {
  for (const op of BY_ADDRESS) {
    assert.deepEqual(bare(oneCell(`TLBI ${op},X1`)), { kind: 'tlbi', op, reg: X(1) }, op);
    // Lower case and a space after the comma are the same instruction; the op is stored upper case.
    assert.deepEqual(bare(oneCell(`tlbi ${op.toLowerCase()}, x7`)), { kind: 'tlbi', op, reg: X(7) }, op);
  }
  // XZR is a register like any other (encoding 31).
  assert.deepEqual(bare(oneCell('TLBI VAE1IS,XZR')), { kind: 'tlbi', op: 'VAE1IS', reg: X(ZR) });
});

test('every "all" TLBI operation takes no register', () => {
  for (const op of ALL) {
    assert.deepEqual(bare(oneCell(`TLBI ${op}`)), { kind: 'tlbi', op, reg: undefined }, op);
    assert.deepEqual(bare(oneCell(`Tlbi ${op.toLowerCase()}`)), { kind: 'tlbi', op, reg: undefined }, op);
  }
});

/** The reclaim shape of the seed thread: the host zaps x's mapping while P1 keeps using it. */
const RECLAIM = `AArch64 reclaim
{ 0:X1=x; 1:X1=x; }
 P0              | P1              ;
 STR W0,[X1]     | L1: STR W2,[X1] ;
 DSB ISH         | L2: LDR W3,[X1] ;
 TLBI VAE1IS,X1  | L3: NOP         ;
 DSB ISH         |                 ;
 tlbi vmalle1is  |                 ;
`;

test('TLBI in a thread: position in program order and span', () => {
  const t = ok(`${RECLAIM}exists (1:X3=0)\n`);
  assert.deepEqual(t.threads[0]!.code.map(bare), [
    { kind: 'store', rt: { index: 0, wide: false }, addr: { base: X(1), offset: undefined, index: 'offset' }, size: 4, release: false, exclusive: false, status: undefined },
    { kind: 'barrier', op: 'DSB', domain: 'ISH', type: 'ALL' },
    { kind: 'tlbi', op: 'VAE1IS', reg: X(1) },
    { kind: 'barrier', op: 'DSB', domain: 'ISH', type: 'ALL' },
    { kind: 'tlbi', op: 'VMALLE1IS', reg: undefined },
  ]);
  // `TLBI VAE1IS,X1` is 14 characters from line 6, column 2; `tlbi vmalle1is` 14 from line 8.
  assert.deepEqual(t.threads[0]!.code[2]!.span, { line: 6, col: 2, endLine: 6, endCol: 16 });
  assert.deepEqual(t.threads[0]!.code[4]!.span, { line: 8, col: 2, endLine: 8, endCol: 16 });
});

test('formatInstr writes TLBI as herd does', () => {
  assert.equal(formatInstr(oneCell('tlbi vale1is, x3')), 'TLBI VALE1IS,X3');
  assert.equal(formatInstr(oneCell('TLBI VAE1IS,X1')), 'TLBI VAE1IS,X1');
  assert.equal(formatInstr(oneCell('tlbi vmalle1is')), 'TLBI VMALLE1IS');
  assert.equal(formatInstr(oneCell('TLBI IPAS2E1IS,XZR')), 'TLBI IPAS2E1IS,XZR');
});

test('TLBI errors, with exact positions', () => {
  const d = diags(`AArch64 TLBI-ERR
{ 0:X1=x; }
 P0 ;
 TLBI VAE1IS ;
 TLBI VMALLE1IS,X1 ;
 TLBI VAE3IS,X1 ;
 tlbi foo ;
 TLBI VAE1IS,W1 ;
 TLBI VAE1IS X1 ;
 TLBI ;
 TLBI IPAS2E1IS ;
 TLBI ALLE1IS, X1 ;
 TLBI VAE1IS,X1,X2 ;
 TLBI #1 ;
`);
  assert.deepEqual(d.at, [
    '4:14 syntax', // the missing ',Xn' belongs where the ';' is
    '5:16 syntax', // the ',' that starts the register an "all" operation does not take
    '6:7 unsupported', // VAE3IS (EL3) is not supported
    '7:7 unsupported',
    '8:14 syntax', // W1: Xt is a 64-bit register
    '9:14 syntax', // no ',' before X1
    '10:7 syntax', // no operation at all
    '11:17 syntax',
    '12:14 syntax',
    '13:16 syntax', // the ',' before a second register
    '14:7 syntax', // not an operation name
  ]);
  assert.match(d.messages[0]!, /VAE1IS invalidates by address: expected ',Xn'/);
  assert.match(d.messages[1]!, /VMALLE1IS invalidates every entry and takes no register/);
  assert.equal(d.messages[2], "unsupported TLBI operation 'VAE3IS'");
  assert.equal(d.messages[3], "unsupported TLBI operation 'foo'");
  assert.equal(d.messages[4], "TLBI takes an X register, found 'W1'");
  assert.equal(d.messages[5], "expected ',', found 'X1'");
  assert.match(d.messages[7]!, /IPAS2E1IS invalidates by address: .*IPA/);
});

test('TLBI is no longer an unsupported instruction', () => {
  // The message the mnemonic table gives anything it does not know must not appear.
  const r = parseLitmus(`AArch64 T\n{}\n P0 ;\n TLBI VAE1OS,X1 ;\n`);
  assert.deepEqual(r.diagnostics.map((d) => d.message), ["unsupported TLBI operation 'VAE1OS'"]);
});

/** The condition of RECLAIM + `cond`. */
function cond(text: string): Prop {
  return ok(`${RECLAIM}${text}\n`).condition!.prop;
}

test('fault atoms: with and without a location', () => {
  const p = cond('exists (fault(P1:L1,x))');
  // `fault(P1:L1,x)` is line 9, columns 9..22; `P1:L1` columns 15..19 (end columns are exclusive).
  assert.deepEqual(p, {
    kind: 'fault',
    access: { thread: 1, label: 'L1', span: { line: 9, col: 15, endLine: 9, endCol: 20 } },
    loc: 'x',
    span: { line: 9, col: 9, endLine: 9, endCol: 23 },
  });
  const q = cond('exists fault(P1:L2)');
  assert.ok(q.kind === 'fault');
  assert.deepEqual([q.access.thread, q.access.label, q.loc], [1, 'L2', undefined]);
  // A load can fault as well as a store; fault combines like any atom.
  const r = cond('exists (fault(P1:L1, x) /\\ ~fault(P1:L2,x) \\/ 1:X3=1)');
  assert.ok(r.kind === 'or' && r.args[0].kind === 'and' && r.args[1].kind === 'eq');
  const [a, b] = r.args[0].args;
  assert.ok(a.kind === 'fault' && b.kind === 'not' && b.arg.kind === 'fault');
  assert.equal(b.arg.access.label, 'L2');
  // `fault` without '(' is still a location name.
  const s = cond('exists (fault=1)');
  assert.ok(s.kind === 'eq' && s.lhs.kind === 'loc' && s.lhs.loc === 'fault');
});

test('fault atom errors, with exact positions', () => {
  // The condition is line 9; in `exists (fault(P1:Lx,...` P1 is at column 15, the label at 18,
  // and the location at 21.
  const at = (c: string) => diags(`${RECLAIM}${c}\n`);
  const undef = at('exists (fault(P1:L9,x))');
  assert.deepEqual(undef.at, ['9:18 semantic']);
  assert.equal(undef.messages[0], "label 'L9' is not defined in P1");
  const nop = at('exists (fault(P1:L3,x))');
  assert.deepEqual(nop.at, ['9:18 semantic']);
  assert.equal(nop.messages[0], "label 'L3' in P1 must mark a memory access, the access that faults");
  // L1 belongs to P1, not P0.
  assert.deepEqual(at('exists (fault(P0:L1,x))').at, ['9:18 semantic']);
  assert.deepEqual(at('exists (fault(P2:L1,x))').at, ['9:15 semantic']);
  const reg = at('exists (fault(P1:L1,X1))');
  assert.deepEqual(reg.at, ['9:21 syntax']);
  assert.equal(reg.messages[0], "expected a location, found the register 'X1'");
  assert.deepEqual(at('exists (fault(P1:L1,1))').at, ['9:21 syntax']);
  // An entry as the location parses (herd's EL0 faults on the page tables; vmsa.test).
  assert.deepEqual(at('exists (fault(P1:L1 x))').at, ['9:21 syntax']);
  // herd's fault(P1): a fault of any instruction of the thread (no label).
  const whole = cond('exists fault(P1)');
  assert.ok(whole.kind === 'fault' && whole.access.label === '' && whole.access.thread === 1);
  assert.deepEqual(at('exists (fault())').at, ['9:15 syntax']);
});

test("a device column's accesses cannot fault", () => {
  const d = diags(`AArch64 DEV
{ nic: pcie(rp0); db = nic.bar0:0x800; 0:X1=db; nic:X1=x; }
 P0          | nic             ;
 STR W0,[X1] | L0: LDR W0,[X1] ;
exists (fault(nic:L0))
`);
  assert.deepEqual(d.at, ['5:15 semantic']);
  assert.match(d.messages[0]!, /'nic' is a device column/);
});

test("a fault atom's location counts as used by the test's mappings", () => {
  // P1 maps y; y appears nowhere but in the fault atom, so the mapping is not an unused one...
  const base = `AArch64 M
{ 0:X1=x; 1:X1=x; P1:y attrs:(ioremap); }
 P0             | P1              ;
 TLBI VAE1IS,X1 | L1: STR W2,[X1] ;
`;
  assert.equal(ok(`${base}exists (fault(P1:L1,y))\n`).mappings[0]!.loc, 'y');
  // ...while without the atom the same mapping is reported (a mapping of a location never used).
  assert.deepEqual(diags(`${base}exists (1:X2=0)\n`).at.map((a) => a.split(' ')[1]), ['semantic']);
});
