/**
 * herd's VMSA semantics (docs/language.md, "herd's VMSA translation"): descriptor values and the
 * operations herd defines on them, which tests run under VMSA and what is refused, and verdicts
 * decided from the Arm ARM both ways. The golden tests of catalogue/aarch64-vmsa compare whole
 * outputs with herd7's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkText } from '../src/pipeline/index.js';
import { applyBinary } from '../src/events/sym.js';
import { descriptorOf, descriptorValue, DESCRIPTOR_DEFAULTS, ValueError, addressValue } from '../src/events/value.js';
import { addressRange } from '../src/events/address-range.js';
import { binary, constant, unary, variable } from '../src/events/sym.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file runs as dist/test/vmsa.test.js; the launcher is at the root.
const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'bin/iolitmus.js');
const runCli = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });

const desc = (fields: Partial<typeof DESCRIPTOR_DEFAULTS> = {}, oa: number | undefined = 0) => descriptorValue({ oa, ...DESCRIPTOR_DEFAULTS, ...fields });

test("ORR, BIC and AND on a descriptor name its fields by bit, as herd's VMSA values do", () => {
  // herd's bits: 0 valid, 6 el0, 7 AP[2] (set: not writable, db 0), 10 af, 51 dbm.
  assert.equal(applyBinary('bic', desc(), 1n, 64), desc({ valid: false }));
  assert.equal(applyBinary('bic', desc(), 1024n, 64), desc({ af: false }));
  assert.equal(applyBinary('orr', desc(), 128n, 64), desc({ db: false }));
  assert.equal(applyBinary('bic', desc({ db: false }), 128n, 64), desc());
  assert.equal(applyBinary('orr', desc({ af: false }), 1024n, 64), desc());
  assert.equal(applyBinary('orr', desc(), 1n << 51n, 64), desc({ dbm: true }));
  assert.equal(applyBinary('orr', 0n, desc({ el0: false }), 64), desc({ el0: false }));
  // AND tests the fields: an integer, the mask's bits whose condition holds.
  assert.equal(applyBinary('and', desc(), 128n, 64), 0n);
  assert.equal(applyBinary('and', desc(), 1024n | 1n, 64), 1025n);
  assert.equal(applyBinary('and', desc({ db: false }), 128n, 64), 128n);
  // Bits that name no field, other operations, and arithmetic are errors, as in herd.
  assert.throws(() => applyBinary('orr', desc(), 2n, 64), ValueError);
  assert.throws(() => applyBinary('eor', desc(), 1n, 64), ValueError);
  assert.throws(() => applyBinary('add', desc(), 8n, 64), ValueError);
  // A descriptor keeps its output address.
  assert.equal(descriptorOf(applyBinary('bic', desc({}, 5), 1n, 64))?.oa, 5);
});

test("LSR #12 of a location's address is herd's TLB page; any other shift of an address is an error", () => {
  const page = applyBinary('lsr', addressValue(65536), 12n, 64);
  assert.ok(page > 1n << 64n);
  assert.throws(() => applyBinary('lsr', addressValue(65536), 3n, 64), ValueError);
});

test("a pointer's form bounds the locations it may reach: AND with a mask stays in one location", () => {
  const x = addressValue(3 * 65536);
  const off = unary('sext', binary('and', variable(7), constant(64n), 32), 64, [32]);
  assert.deepEqual(addressRange(binary('add', constant(x), off, 64)), [3 * 65536, 3 * 65536 + 64]);
  // A loaded value used whole is unbounded.
  assert.equal(addressRange(binary('add', constant(x), variable(7), 64)), undefined);
});

const MP = (variant: string) => `AArch64 T\n${variant}{\nint x=0; int y=0;\n0:X0=PTE(x); 0:X1=(oa:PA(x), valid:0); 0:X2=x; 0:X3=y;\n1:X0=y; 1:X2=x;\n}\n P0 | P1 ;\n STR X1,[X0] | LDR W1,[X0] ;\n DSB ISH | EOR W3,W1,W1 ;\n LSR X4,X2,#12 | L0: ;\n TLBI VAAE1IS,X4 | LDR W4,[X2,W3,SXTW] ;\n DSB ISH | ;\n MOV W5,#1 | ;\n STR W5,[X3] | ;\nexists (1:X1=1 /\\ ~fault(P1:L0,x))\n`;

test('a test with page tables runs under VMSA when it says Variant=vmsa, or is given --variant vmsa; otherwise it is refused', () => {
  const said = checkText(MP('Variant=vmsa\n'));
  assert.ok(said.ok);
  const given = checkText(MP(''), { variants: ['vmsa'] });
  assert.ok(given.ok);
  assert.equal(said.result.observation, 'Never');
  assert.equal(given.result.observation, 'Never');
  assert.equal(said.result.model, 'vmsa');
  const refused = checkText(MP(''));
  assert.ok(!refused.ok);
  assert.match(refused.diagnostics[0]!.message, /need its VMSA semantics: give the test 'Variant=vmsa' or run with --variant vmsa/);
  // herd reads the header key in any case.
  assert.ok(checkText(MP('variant=VMSA\n')).ok);
});

test('what VMSA tests may ask that is not modelled is refused where it is, never answered', () => {
  const base = 'AArch64 T\nVariant=vmsa\nHEADER{\n0:X0=x;\n}\n P0 ;\n LDR W1,[X0] ;\nexists (0:X1=0)\n';
  const refused = (header: string) => {
    const out = checkText(base.replace('HEADER', header));
    return out.ok ? 'answered' : out.diagnostics[0]!.message;
  };
  assert.match(refused('TTHM=P0:SW\n'), /TTHM=P0:SW: software management for one thread/);
  assert.match(refused('EL0=X9\n'), /EL0=X9: 'X9' is not a thread/);
  assert.equal(refused('TTHM=P0:HA P1:HD\n'), 'answered');
  // herd's fault handling needs its VMSA faults.
  const fatal = checkText('AArch64 T\nVariant=fatal\n{ 0:X0=x; }\n P0 ;\n LDR W1,[X0] ;\nexists (0:X1=0)\n');
  assert.ok(!fatal.ok && /variant 'fatal' without 'vmsa'/.test(fatal.diagnostics[0]!.message));
});

test('Arm ARM D8.4.1: AF clear faults under software management, is set by the walk with HA (both ways)', () => {
  const t = (tthm: string) => `AArch64 T\nVariant=vmsa\n${tthm}{\nint x=1;\n0:X0=x;\n[PTE(x)]=(af:0);\n}\n P0 ;\nL0: ;\n LDR W1,[X0] ;\nexists (fault(P0:L0,x,MMU:AccessFlag))\n`;
  const soft = checkText(t(''));
  const ha = checkText(t('TTHM=HA\n'));
  assert.ok(soft.ok && ha.ok);
  assert.equal(soft.result.observation, 'Always');
  assert.equal(ha.result.observation, 'Never');
});

test('fault handling: fatal stops the thread, skip goes on, handled runs the instruction again (both ways)', () => {
  const t = (v: string) => `AArch64 T\nVariant=vmsa,${v}\n{\nint x=1;\n0:X0=x; 0:X5=PTE(x); 0:X6=(oa:PA(x));\n[PTE(x)]=(valid:0);\n}\n P0 ;\nL0: ;\n LDR W1,[X0] ;\n MOV W2,#1 ;\nexists (0:X2=1)\n`;
  const observed = (v: string) => {
    const out = checkText(t(v));
    assert.ok(out.ok, v);
    return out.result.observation;
  };
  assert.equal(observed('fatal'), 'Never');
  assert.equal(observed('skip'), 'Always');
  // Run again, it faults again: herd keeps no execution.
  const handled = checkText(t('handled'));
  assert.ok(handled.ok);
  assert.equal(handled.result.positive + handled.result.negative, 0);
});

test('CLI: --variant vmsa answers a VMSA test without the line; an unknown variant is a usage error', () => {
  const file = join(mkdtempSync('/tmp/iolitmus-vmsa-'), 't.litmus');
  writeFileSync(file, MP(''));
  const ok = runCli(['check', '--variant', 'vmsa', file]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /Observation T Never 0 4/);
  // JSON states carry the faults herd shows.
  const json = JSON.parse(runCli(['check', '--variant', 'vmsa', '--json', file]).stdout) as { results: { states: Record<string, unknown>[] }[] };
  assert.ok(json.results[0]!.states.some((st) => st['faults'] === '~Fault(P1:L0,x);'));
  const bad = runCli(['check', '--variant', 'vmsa,bogus', file]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--variant: 'bogus' is not a variant iolitmus models/);
});

test("herd's fault handler: a fault runs P0.F, ERET returns to ELR_EL1; without VMSA it is refused", () => {
  // The handler makes the entry valid and returns to the load, which then reads x (Arm ARM: the
  // exception return is context synchronising; herd re-runs the instruction at ELR_EL1).
  const t = (variant: string) => `AArch64 T\n${variant}{\n[PTE(x)]=(valid:0);\n[x]=1;\n0:X1=x; 0:X2=(oa:PA(x)); 0:X3=PTE(x);\n}\n P0 | P0.F ;\nL0: | STR X2,[X3] ;\n LDR W0,[X1] | DSB ISH ;\n | ERET ;\nexists (0:X0=1)\n`;
  const vmsa = checkText(t('Variant=vmsa\n'));
  assert.ok(vmsa.ok);
  assert.equal(vmsa.result.observation, 'Always');
  const plain = checkText('AArch64 T\n{ 0:X1=x; }\n P0 | P0.F ;\n LDR W0,[X1] | NOP ;\nexists (0:X0=1)\n');
  assert.ok(!plain.ok);
  assert.match(plain.diagnostics.find((d) => d.severity === 'error')!.message, /fault handler \(P0\.F\) without 'vmsa'/);
});

test('UDF under VMSA is an Undefined Instruction exception, handled as faults are; outside VMSA it is refused', () => {
  const t = (variant: string) => `AArch64 T\n${variant}{\n0:X1=x;\n}\n P0 ;\nL0: ;\n UDF #0 ;\n MOV W2,#1 ;\nexists (fault(P0:L0,UndefinedInstruction) /\\ 0:X2=1)\n`;
  const skip = checkText(t('Variant=vmsa,skip\n'));
  const fatal = checkText(t('Variant=vmsa\n'));
  assert.ok(skip.ok && fatal.ok);
  assert.equal(skip.result.observation, 'Always');
  assert.equal(fatal.result.observation, 'Never');
  const plain = checkText(t(''));
  assert.ok(!plain.ok);
});

test("EL0 threads (herd's EL0=): an entry without EL0 permission faults their accesses, and the page tables are out of their reach (both ways)", () => {
  const t = (el0: string, entry: string) => `AArch64 T\nVariant=vmsa\n${el0}{\nint x=1;\n[PTE(x)]=${entry};\n0:X2=x; 1:X2=x;\n}\n P0 | P1 ;\n LDR W0,[X2] | LDR W0,[X2] ;\nexists (fault(P0,x) \\/ fault(P1,x))\n`;
  const observed = (el0: string, entry: string) => {
    const out = checkText(t(el0, entry));
    assert.ok(out.ok, out.ok ? '' : out.diagnostics[0]!.message);
    return out.result.observation;
  };
  assert.equal(observed('EL0=P0\n', '(el0:0)'), 'Always');
  assert.equal(observed('', '(el0:0)'), 'Never');
  assert.equal(observed('EL0=P0\n', '(el0:1)'), 'Never');
  const direct = checkText('AArch64 T\nVariant=vmsa\nEL0=P0\n{\n0:X3=PTE(x);\n}\n P0 ;\nL0: ;\n LDR X1,[X3] ;\n MOV W2,#1 ;\nexists (fault(P0:L0,PTE(x),MMU:Permission) /\\ 0:X2=0)\n');
  assert.ok(direct.ok);
  assert.equal(direct.result.observation, 'Always');
});
