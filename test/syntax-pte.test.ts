import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLitmus, type MappingDecl } from '../src/syntax/index.js';
import { checkText } from '../src/pipeline/index.js';
import { fuzzParser } from './fuzz.js';
import { diags, ok } from './syntax-helpers.js';

/** A mapping without its span, and the span as `line:col-endLine:endCol`. */
function plain(m: MappingDecl): Record<string, unknown> {
  const { span, ...rest } = m;
  return { ...rest, at: `${span.line}:${span.col}-${span.endLine}:${span.endCol}` };
}

// P1 maps x itself; P0 takes the page-table entry; the device column maps nothing (no MMU).
const ENTRY = `AArch64 pte-attrs
{
[PTE(x)]=(oa:PA(x), attrs:(Device-GRE));
P1:x attrs:( Normal , iNC , oNC );
dev: platform;
}
 P0  | P1  | dev ;
 NOP | NOP | NOP ;
`;

test('[PTE(x)]=(oa:PA(x), attrs:(A)): a mapping for each CPU thread without its own', () => {
  const t = ok(ENTRY);
  assert.deepEqual(t.threads.map((th) => [th.id, th.agent]), [[0, 'cpu'], [1, 'cpu'], [2, 'device']]);
  const byThread = [...t.mappings].sort((a, b) => a.thread - b.thread).map(plain);
  assert.deepEqual(byThread, [
    // The entry's span is the whole init item, '[' (3:1) to the ')' closing the descriptor (3:39).
    { kind: 'mapping', thread: 0, loc: 'x', s1: 'Device-GRE', s2: undefined, fwb: false, at: '3:1-3:40' },
    // The explicit mapping wins over the entry; its text loses its whitespace as usual.
    { kind: 'mapping', thread: 1, loc: 'x', s1: 'Normal,iNC,oNC', s2: undefined, fwb: false, at: '4:1-4:34' },
  ]);
  // x appears nowhere but in the entry and P1's mapping: the entry makes it a used location.
  // Without the entry, P1's mapping is of an unused location.
  const noEntry = diags(ENTRY.replace('[PTE(x)]=(oa:PA(x), attrs:(Device-GRE));\n', ''));
  assert.deepEqual(noEntry.at, ['3:4 semantic']);
});

test('the fields come in any order, oa is optional, and each thread gets the same attribute', () => {
  const text = (desc: string) => `AArch64 T\n{ [PTE(x)]=${desc}; 0:X1=x; 1:X1=x; }\n P0 | P1 ;\n NOP | NOP ;\n`;
  for (const desc of ['(attrs:(Normal,iNC,oNC), oa:PA(x))', '(attrs:(Normal,iNC,oNC))', '(oa:PA(x),attrs:(Normal, iNC, oNC))']) {
    const t = ok(text(desc));
    assert.deepEqual(t.mappings.map((m) => [m.thread, m.loc, m.s1, m.s2, m.fwb]), [[0, 'x', 'Normal,iNC,oNC', undefined, false], [1, 'x', 'Normal,iNC,oNC', undefined, false]], desc);
  }
  // Two entries for two locations, explicit mappings for neither: four mappings.
  const two = ok('AArch64 T\n{ [PTE(x)]=(attrs:(Device-nGnRE)); [PTE(y)]=(attrs:(Device-GRE)); }\n P0 | P1 ;\n NOP | NOP ;\n');
  assert.deepEqual(two.mappings.map((m) => `${m.thread}:${m.loc}:${m.s1}`).sort(), ['0:x:Device-nGnRE', '0:y:Device-GRE', '1:x:Device-nGnRE', '1:y:Device-GRE']);
  // The rest of the init section is untouched: no item for x, only y's.
  assert.deepEqual(ok('AArch64 T\n{ [PTE(x)]=(attrs:(Device-GRE)); y=1; }\n P0 ;\n NOP ;\n').init.map((i) => i.kind === 'loc' && i.loc), ['y']);
});

/** The init line `{ ITEMS }` in a one-thread test, and its diagnostics. */
function initDiags(items: string, cond = 'exists (0:X0=0)') {
  return diags(`AArch64 T\n{ ${items} }\n P0 ;\n LDR W0,[X1] ;\n${cond}\n`);
}

/** The diagnostics of the whole pipeline (parse, then build), as `line:col code`. */
function buildDiags(items: string, cond = 'exists (0:X0=0)'): { at: string[]; messages: string[] } {
  const out = checkText(`AArch64 T\n{ ${items} }\n P0 ;\n LDR W0,[X1] ;\n${cond}\n`);
  assert.equal(out.ok, false);
  const ds = out.ok ? [] : out.diagnostics;
  return { at: ds.map((d) => `${d.span.line}:${d.span.col} ${d.code}`), messages: ds.map((d) => d.message) };
}

const VMSA = /^herd's VMSA page tables .* need its VMSA semantics: give the test 'Variant=vmsa' or run with --variant vmsa$/;

test('aliasing, other fields and other output addresses with attrs are unsupported, at the token', () => {
  // Columns on line 2: '{'=1, '['=3, 'P' of PTE=4, '('=12, the first field at 13.
  const alias = initDiags('[PTE(x)]=(oa:PA(y), attrs:(Device-GRE)); 0:X1=x;');
  assert.deepEqual(alias.at, ['2:19 unsupported']);
  assert.equal(alias.messages[0], 'unsupported aliasing: PTE(x) maps PA(y) (only oa:PA(x), x\'s own physical page)');
  // The field is reported before its value is read, first field or not.
  assert.deepEqual(initDiags('[PTE(x)]=(valid:0, attrs:(Device-GRE)); 0:X1=x;').at, ['2:13 unsupported']);
  const oa = initDiags('[PTE(x)]=(attrs:(Device-GRE), oa:0x1000); 0:X1=x;');
  assert.deepEqual(oa.at, ['2:36 unsupported']);
  assert.match(oa.messages[0]!, /output address '0x1000'/);
});

test("herd's VMSA descriptors and entries without attrs parse, and without Variant=vmsa are refused when the program is built", () => {
  // Each item on its own, refused at the item (2:3): they need the VMSA semantics.
  for (const field of ['valid', 'af', 'db', 'dbm', 'el0']) {
    const d = buildDiags(`[PTE(x)]=(oa:PA(x), ${field}:0); 0:X1=x;`);
    assert.deepEqual(d.at, ['2:3 unsupported'], field);
    assert.match(d.messages[0]!, VMSA);
  }
  for (const item of ['[PTE(x)]=PTE(y);', '[TTD(x)]=(valid:0);', '0:X2=TTD(x);', '[PTE(x)]=(oa:PA(x));', 'pte_x=(valid:0);', '0:X2=PTE(x);', '0:X2=pte_x;', 'y=PA(x);', 'z=(oa:PA(x));', '0:X3=(oa:phy_x, af:0);']) {
    const d = buildDiags(`${item} 0:X1=x;`);
    assert.deepEqual(d.at, ['2:3 unsupported'], item);
    assert.match(d.messages[0]!, VMSA, item);
  }
  // In the condition: an entry as a state, a physical address or a descriptor as a value.
  for (const cond of ['exists ([PTE(x)]=0)', 'exists (0:X0=PA(x))', 'exists (pte_x=(oa:phy_x))']) {
    const d = buildDiags('0:X1=x;', cond);
    assert.deepEqual(d.at, ['5:9 unsupported'], cond);
  }
  // A physical address is a value, never a location; a descriptor field is 0 or 1.
  assert.deepEqual(initDiags('phy_x=1; 0:X1=x;').at, ['2:3 unsupported']);
  assert.deepEqual(initDiags('0:X2=(oa:PA(x), valid:2); 0:X1=x;').at, ['2:25 syntax']);
  assert.deepEqual(initDiags('0:X2=(oa:PA(x), bogus:1); 0:X1=x;').at, ['2:19 syntax']);
  assert.deepEqual(initDiags('0:X2=(valid:1, valid:0); 0:X1=x;').at, ['2:18 semantic']);
});

test('a field or an entry given twice is a semantic error', () => {
  const field = initDiags('[PTE(x)]=(attrs:(Device-GRE), attrs:(Device-nGnRE)); 0:X1=x;');
  assert.deepEqual(field.at, ['2:33 semantic']);
  assert.equal(field.messages[0], "page-table field 'attrs' is given twice");
  const entry = initDiags('[PTE(x)]=(attrs:(Device-GRE)); [PTE(x)]=(attrs:(Device-nGnRE)); 0:X1=x;');
  assert.deepEqual(entry.at, ['2:39 semantic']);
  // Syntax inside the entry: a missing ':' after the field (2:18), an empty attrs (2:19).
  assert.deepEqual(initDiags('[PTE(x)]=(attrs(Device-GRE)); 0:X1=x;').at, ['2:18 syntax']);
  assert.deepEqual(initDiags('[PTE(x)]=(attrs:()); 0:X1=x;').at, ['2:20 syntax']);
});

// ---- end to end ---------------------------------------------------------------------------------

/** Two stores from P0 to registers r0, r1 of a platform device, mapped by page-table entries. */
function twoStores(attr: string): string {
  return `AArch64 two-stores-pte
{
dev: platform;
r0 = dev.mmio:0x0;
r1 = dev.mmio:0x8;
[PTE(r0)]=(oa:PA(r0), attrs:(${attr}));
[PTE(r1)]=(attrs:(${attr}), oa:PA(r1));
0:X1=r0; 0:X2=r1;
}
 P0 ;
 MOV W0,#1 ;
 L1: STR W0,[X1] ;
 L2: STR W0,[X2] ;
exists (before(P0:L2,P0:L1))
`;
}

function observe(text: string): string {
  const out = checkText(text);
  if (!out.ok) assert.fail(out.diagnostics.map((d) => `${d.span.line}:${d.span.col}: ${d.message}`).join('\n'));
  return out.result.observation;
}

test('end to end: the entry\'s attribute decides the order at the peripheral (B2.4.1 rule 1)', () => {
  // Device-nGnRE keeps two stores to one peripheral in program order (non-Reordering);
  // Device-GRE and Normal Non-cacheable (herd's list form) allow reordering.
  assert.equal(observe(twoStores('Device-GRE')), 'Sometimes');
  assert.equal(observe(twoStores('Device-nGnRE')), 'Never');
  assert.equal(observe(twoStores('Normal,iNC,oNC')), 'Sometimes');
  // An explicit P0 mapping wins over the entry.
  const explicit = twoStores('Device-GRE').replace('0:X1=r0;', 'P0:r0 attrs:(Device-nGnRE); P0:r1 attrs:(Device-nGnRE); 0:X1=r0;');
  assert.equal(observe(explicit), 'Never');
});

test('fuzz: mutated page-table entries never throw and every diagnostic has a position', () => {
  fuzzParser({
    seed: 20260517,
    runs: 1500,
    texts: [ENTRY, twoStores('Normal,iNC,oNC')],
    alphabet: 'PTEAxy0:,()[]=;{}-attrsoaPA valid\n',
    parse: parseLitmus,
    minWithErrors: 300,
  });
});

test("herd's fault atoms: Fault(...) spelling and a fault type; only translation faults are iolitmus's", () => {
  const text = (atom: string) => `AArch64 F\n{ 0:X1=x; }\n P0 ;\n L0: LDR W0,[X1] ;\nexists (${atom})\n`;
  // Parsed alike, with or without the type MMU:Translation.
  for (const atom of ['fault(P0:L0,x)', 'Fault(P0:L0,x)', 'fault(P0:L0,x,MMU:Translation)']) {
    const out = checkText(text(atom));
    assert.ok(out.ok, atom);
    assert.equal(out.result.observation, 'Never', atom);
  }
  // Access-flag and permission faults need herd's descriptors: refused at the atom (5:9).
  for (const type of ['MMU:AccessFlag', 'MMU:Permission']) {
    const out = checkText(text(`fault(P0:L0,x,${type})`));
    assert.equal(out.ok, false);
    assert.equal(out.ok ? undefined : `${out.diagnostics[0]!.span.line}:${out.diagnostics[0]!.span.col} ${out.diagnostics[0]!.code}`, '5:9 unsupported');
  }
  assert.ok(initDiags('0:X1=x;', 'exists (fault(P0:L0,x,MMU:Other))').at.includes('5:23 unsupported'));
});
