/**
 * herd7's `Hash=` line: echoed from the test's own meta line, else computed as herd 7.58 does.
 * The expected hashes are what herd7 7.58 printed for these tests (written for this file).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLitmus } from '../src/syntax/index.js';
import { herdHash } from '../src/report/herd-hash.js';
import { md5String, toHex } from '../src/report/md5.js';
import { runFile } from '../src/report/file-report.js';

function hashOf(text: string): string | undefined {
  const r = parseLitmus(text);
  assert.ok(r.test, JSON.stringify(r.diagnostics));
  return herdHash(r.test, text);
}

const H1 = `AArch64 H1
{ 0:x1=x; uint64_t 0:X2=0x10; 0:X6=z; 1:X1=y; 1:X3=w; int y=2; uint64_t w; }
 P0          | P1            ;
 MOV W0,#1   | LDR W0,[X1]   ;
 STR W0,[X1] | CBNZ W0,Lb    ;
 DMB ISH     | Lb:           ;
 STR W2,[X6] | CSET W4,GE    ;
             | LDR X5,[X3],#8 ;
exists (1:X0=1 /\\ x=1)
`;

const H2 = `AArch64 H2
{ 0:X1=x; }
 P0 ;
 UBFM W2,W0,#4,#31 ;
 NEG X3,X0 ;
 LDAR W4,[X1] ;
 SWPAL W2,W5,[X1] ;
 LDUR W6,[X1] ;
locations [x; 0:X3;]
exists (0:X2=0)
`;

test('md5 matches the RFC 1321 test vectors', () => {
  assert.equal(toHex(md5String('')), 'd41d8cd98f00b204e9800998ecf8427e');
  assert.equal(toHex(md5String('abc')), '900150983cd24fb0d6963f7d28e17f72');
  assert.equal(toHex(md5String('1234567890'.repeat(8))), '57edf4a22be3c955ac49da2e2107b67a');
});

test("the computed hash is herd7's: init as written, labels renamed, aliases as herd stores them", () => {
  assert.equal(hashOf(H1), '91d245f65ea5a00088f23cef8480d93f');
  assert.equal(hashOf(H2), '6771732832eb3114c7531f9fe6a2cd39');
});

test("a test's own Hash line is echoed, for AArch64 and C alike", () => {
  assert.equal(hashOf(H1.replace('\n', '\nHash=0123abcd\n')), '0123abcd');
  const c = 'C CH\nHash=feedbeef\n{ }\nP0(int *x)\n{\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n';
  assert.equal(hashOf(c), 'feedbeef');
  assert.equal(hashOf('C CH\n{ }\nP0(int *x)\n{\n  WRITE_ONCE(*x, 1);\n}\nexists (x=1)\n'), undefined);
});

test('no Hash when herd would not read or print a construct the same way', () => {
  // herd's lexer reads decimal immediates only.
  assert.equal(hashOf(H2.replace('#4,#31', '#0x4,#31')), undefined);
});

test('the herd layout ends with the Hash line, after Time', () => {
  const out = runFile('h1.litmus', H1, { timeoutMs: undefined, maxExecutions: undefined, unroll: 2, dot: false, explain: false, assume: undefined });
  const lines = out.text!.trimEnd().split('\n');
  assert.match(lines[lines.length - 2]!, /^Time H1 /);
  assert.equal(lines[lines.length - 1], 'Hash=91d245f65ea5a00088f23cef8480d93f');
});
