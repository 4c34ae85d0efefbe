/**
 * How herd's own test files are read: what herd tolerates is read the same way, and what
 * iolitmus does not model (variants, symbolic registers, types herd has no size for) is a
 * located `unsupported` error at the construct, never an answer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../src/pipeline/index.js';
import { builtinModel } from '../src/model/index.js';

function errors(text: string): string[] {
  const out = checkText(text);
  assert.equal(out.ok, false, 'expected the test to be rejected');
  return out.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.span.line}:${d.span.col} ${d.code}: ${d.message}`);
}

const BODY = ' P0 ;\n NOP ;\nexists (0:X0=0)\n';

test("a Variant iolitmus does not model is rejected at its line, before the body's syntax", () => {
  const e = errors(`AArch64 V\nVariant=memtag,mixed\n{ }\n P0 ;\n UDF #0 ;\nexists (0:X0=0)\n`);
  assert.deepEqual(e, ["2:1 unsupported: unsupported: herd's variant 'memtag' (modelled: 'mixed', 'vmsa', 'kvm', 'fatal', 'precise', 'skip', 'faulttonext', 'handled', 'imprecise')"]);
});

test('fatal fault handling is refused without VMSA, where it has no faults to apply to', () => {
  const e = errors(`AArch64 V\nVariant=fatal\n{ }\n P0 ;\n NOP ;\nexists (0:X0=0)\n`);
  assert.deepEqual(e, ["1:9 unsupported: unsupported: variant 'fatal' without 'vmsa' (herd's fault handling applies to its VMSA faults)"]);
});

test("herd's symbolic registers are unsupported, in the init and in code", () => {
  assert.match(errors(`AArch64 S\n{ uint64_t %r = x; }\n${BODY}`)[0]!, /^2:\d+ unsupported: .*symbolic registers/);
  assert.match(errors(`AArch64 S\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X%r] ;\nexists (0:X0=0)\n`)[0]!, /^4:\d+ unsupported: .*symbolic registers/);
});

test("types follow herd's table for AArch64 and C's for kernel C", () => {
  assert.match(errors(`AArch64 T\n{ unsigned x; }\n${BODY}`)[0]!, /^2:3 unsupported: unsupported type 'unsigned'/);
  const c = checkText('C T\n{ unsigned long x; }\nP0(unsigned long *x)\n{\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n', { model: builtinModel('aarch64') });
  assert.equal(c.ok, true);
});

test('text before the init section is skipped with a warning; without an init section it is the error', () => {
  const out = checkText(`AArch64 H\nsome words\n{ }\n${BODY}`);
  assert.equal(out.ok, true);
  assert.deepEqual(out.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.severity}`), ['2:1 warning']);
  assert.deepEqual(errors(`AArch64 H\nsome words\n${BODY}`).map((e) => e.split(':').slice(0, 2).join(':')), ['2:1 syntax']);
});

test("herd's pte_x, phy_x and x.atag names are unsupported, not ordinary locations", () => {
  assert.match(errors(`AArch64 P\n{ 0:X2=pte_x; }\n${BODY}`)[0]!, /^2:3 unsupported: herd's VMSA page tables/);
  assert.match(errors(`AArch64 P\n{ phy_x=1; }\n${BODY}`)[0]!, /^2:3 unsupported: .*'phy_x'/);
  assert.match(errors(`AArch64 P\n{ 0:X1=x.atag; }\n${BODY}`)[0]!, /^2:8 unsupported: .*allocation tag/);
});

test('a pointer used many times forks once: 40 loads through one loaded pointer end complete', () => {
  // p points to x (5) or, after P1's store, to y (6); every load through X1 reads the same place.
  const loads = ' LDR W2,[X1] |              ;\n'.repeat(40);
  const text = `AArch64 PTR40\n{ int x=5; int y=6; int *p=&x; 0:X5=p; 1:X5=p; 1:X6=y; }\n P0 | P1 ;\n LDR X1,[X5] | STR X6,[X5] ;\n${loads}exists (0:X2=6)\n`;
  const out = checkText(text, { timeoutMs: 30_000 });
  assert.ok(out.ok);
  assert.equal(out.result.partial, undefined);
  assert.deepEqual(out.result.states.map((s) => s.text.join(' ')).sort(), ['5', '6']);
  assert.equal(out.result.observation, 'Sometimes');
});

test('a read that two same-size writes overlap in different, intersecting bytes is unsupported (herd has no defined choice)', () => {
  const text = (offset: number) =>
    `AArch64 AMB\n{ uint32_t x; 0:X1=x; 1:X1=x; 2:X1=x; }\n P0 | P1 | P2 ;\n MOV W0,#1 | MOV W0,#2 | LDR W2,[X1] ;\n STRH W0,[X1] | STRH W0,[X1,#${offset}] | ;\nexists (2:X2=0)\n`;
  assert.match(errors(text(1))[0]!, /unsupported: mixed-size accesses: a read overlaps two writes of one size in different bytes/);
  // Disjoint halves are well defined: each byte has one writer.
  const disjoint = checkText(text(2));
  assert.ok(disjoint.ok);
  assert.equal(disjoint.result.states.length, 4);
});

test('an address narrowed to 32 bits is unsupported at the instruction, as herd rejects it (mask32 on an address)', () => {
  // herd7: "Illegal operation mask32 on x" (and "on x+1"); it was an internal error here before.
  assert.deepEqual(errors('AArch64 A32\n{ 0:X1=x; 0:X2=y; }\n P0 ;\n STR W1,[X2] ;\nexists (y=0)\n'), ['4:2 unsupported: an address cannot be the operand of a 32-bit extension']);
  assert.deepEqual(errors('AArch64 A32\n{ 0:X1=x; 0:X2=y; }\n P0 ;\n ADD X4,X1,#1 ;\n STR W4,[X2] ;\nexists (y=0)\n'), ['5:2 unsupported: an address cannot be the operand of a 32-bit extension']);
});

test('a location or register initialised twice is a semantic error where the second one is, as herd refuses the test', () => {
  const body = ' P0 ;\n LDR W0,[X1] ;\nexists (0:X0=1)\n';
  for (const [init, key, col] of [['int x=0; [x]=1; 0:X1=x;', 'x', 10], ['int x; x=1; 0:X1=x;', 'x', 8], ['x=1; 0:X1=x; 0:X1=x;', '0:X1', 14]] as const) {
    const out = checkText(`AArch64 T\n{\n${init}\n}\n${body}`);
    assert.ok(!out.ok, init);
    assert.equal(out.diagnostics[0]!.code, 'semantic');
    assert.equal(out.diagnostics[0]!.message, `${key} is initialised more than once`);
    assert.equal(out.diagnostics[0]!.span.col, col);
  }
  // One initialisation each is fine.
  assert.ok(checkText(`AArch64 T\n{\nint x=1; 0:X1=x;\n}\n${body}`).ok);
});
