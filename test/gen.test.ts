/**
 * Tests of the test generator (src/gen, `iolitmus gen`): edge parsing, cycle checks, canonical
 * rotation, diy7's names, the code of each edge kind, determinism, and that what it writes
 * parses. Expected texts were checked against diy7 7.58 (`diyone7` for single cycles, `diy7
 * -num false` for names and enumerations).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  canonicalRotation,
  cycleText,
  edgeName,
  generateTest,
  generateTests,
  parseEdge,
  parseEdgeList,
  resolveEdges,
  type EnumerateOptions,
} from '../src/gen/index.js';
import { parseLitmus } from '../src/syntax/index.js';

/** The code and condition of a test: its text from the thread header line on. */
function body(cycle: string): string {
  const text = generateTest(cycle).text;
  return text.slice(text.indexOf('\n P0'));
}

/** The lines of one thread column of a generated test. */
function column(cycle: string, thread: number): string[] {
  return body(cycle)
    .split('\n')
    .filter((l) => l.endsWith(';'))
    .slice(1)
    .map((l) => l.split('|')[thread]!.replace(/;$/, '').trim())
    .filter((l) => l !== '');
}

function condition(cycle: string): string {
  return generateTest(cycle).text.trimEnd().split('\n').at(-1)!;
}

test('edges: names parse into kind, directions, location change and annotations', () => {
  const pod = parseEdge('PodWR');
  assert.deepEqual([pod.kind.stem, pod.src, pod.tgt, pod.sameLoc, pod.a1, pod.a2], ['Po', 'W', 'R', false, 'P', 'P']);
  const addr = parseEdge('DpAddrdR');
  assert.deepEqual([addr.kind.cls, addr.src, addr.tgt, addr.sameLoc], ['dep', 'R', 'R', false]);
  const fence = parseEdge('DMB.SYsWW');
  assert.deepEqual([fence.kind.stem, fence.sameLoc], ['DMB.SY', true]);
  const rfe = parseEdge('RfeLA');
  assert.deepEqual([rfe.kind.cls, rfe.a1, rfe.a2], ['external', 'L', 'A']);
  assert.deepEqual([parseEdge('Amo.SwpAL').a1, parseEdge('Amo.SwpAL').a2], ['A', 'L']);
  assert.deepEqual([parseEdge('PodWRXAP').a1, parseEdge('PodWRXAP').a2], ['XA', 'P']);
  assert.equal(parseEdge('DpCtrlIsbdW').kind.stem, 'DpCtrlIsb');
  assert.equal(parseEdge('DMB.ISHSTdWW').kind.stem, 'DMB.ISHST');
  assert.equal(edgeName(parseEdge('Wse')), 'Coe');
  for (const name of ['PodWR', 'DMB.SYdWWPL', 'RfeLA', 'Amo.CasAL', 'LxSx', 'ISBdRR', 'DpDatasW']) assert.equal(edgeName(parseEdge(name)), name);
});

test('edges: stars expand, unknown names are a RangeError naming the word', () => {
  assert.deepEqual(parseEdgeList('Pod** Rfe').map(edgeName), ['PodWW', 'PodWR', 'PodRW', 'PodRR', 'Rfe']);
  assert.deepEqual(parseEdgeList('DMB.SYd*R,Fre').map(edgeName), ['DMB.SYdWR', 'DMB.SYdRR', 'Fre']);
  assert.deepEqual(parseEdgeList('DpDatad*').map(edgeName), ['DpDatadW']);
  assert.throws(() => parseEdgeList('Rfe*'), /no edge matches 'Rfe\*'/);
  assert.throws(() => parseEdge('PodWX'), { name: 'RangeError', message: /unknown edge 'PodWX'/ });
  assert.throws(() => parseEdge('DpDatadR'), /unknown edge/); // a data dependency targets a write
  assert.throws(() => parseEdge('PodWRZZ'), /unknown edge/);
});

test('cycles: edges that do not chain, or cannot close, are rejected with the reason', () => {
  const bad = (cycle: string, message: RegExp) => assert.throws(() => generateTest(cycle), { name: 'RangeError', message });
  bad('PodWR Rfe PodRR Fre', /edge PodWR ends at a read but the next edge Rfe starts from a write/);
  bad('PodWW Rfe PodRW Fre', /edge PodRW ends at a write but the next edge Fre starts from a read/);
  bad('PosWR Fre PosWR Fre', /single location/);
  bad('PodWW Rfe PosRR Fre', /changes location once only/);
  bad('PodWR PodRW Coe', /fewer than two external edges/);
  bad('PodWRPA FreQP PodWR Fre', /incompatible annotations/); // A and Q on one read
  bad('PodWRPL Fre PodWR Fre', /incompatible annotations/); // release on a read
  bad('PodWR Amo.SwpQP PodWR Fre PodWR Fre', /only A on its read/);
  bad('PodWRPA Amo.StAddAP PodWR Fre PodWR Fre', /STADD has no acquire form/);
  bad('Fre', /at least two edges/);
});

test('canonical rotation: every rotation of a cycle is the same test', () => {
  const edges = resolveEdges(parseEdgeList('DMB.STdWW Rfe DpAddrdR Fre'));
  for (let i = 0; i < edges.length; i++) {
    const rotated = [...edges.slice(i), ...edges.slice(0, i)];
    assert.equal(cycleText(canonicalRotation(rotated)), 'DMB.STdWW Rfe DpAddrdR Fre');
    assert.equal(generateTest(rotated).name, 'MP+dmb.st+addr');
  }
  // Named families keep their orientation; symmetric ones put the smaller thread first.
  assert.equal(generateTest('PodWW Rfe PodRR Fre PodWW Coe').cycle, 'PodWW Coe PodWW Rfe PodRR Fre');
  assert.equal(generateTest('PodWR Fre DMB.SYdWR Fre').cycle, 'DMB.SYdWR Fre PodWR Fre');
  assert.equal(generateTest('PodRW Rfe DpAddrdW Rfe').cycle, 'DpAddrdW Rfe PodRW Rfe');
  assert.equal(generateTest('Rfi PodRR Fre PodWR Fre PodWR Fre').cycle, 'PodWR Fre Rfi PodRR Fre PodWR Fre');
});

test('names: diy7 names of the classic shapes', () => {
  const names: [string, string][] = [
    ['DMB.STdWW Rfe DpAddrdR Fre', 'MP+dmb.st+addr'],
    ['PodWW Rfe PodRR Fre', 'MP'],
    ['PodWR Fre PodWR Fre', 'SB'],
    ['DMB.SYdWR Fre DMB.SYdWR Fre', 'SB+dmb.sys'],
    ['DpDatadW Rfe DpCtrldW Rfe', 'LB+data+ctrl'],
    ['PodRW Rfe PodRW Rfe', 'LB'],
    ['PodWW Coe PodWW Coe', '2+2W'],
    ['PodWW Coe PodWR Fre', 'R'],
    ['PodWW Rfe PodRW Coe', 'S'],
    ['Rfe PodRR Fre Rfe PodRR Fre', 'IRIW'],
    ['Rfe DMB.SYdRR Fre Rfe DMB.SYdRR Fre', 'IRIW+dmb.sys'],
    ['Rfe PodRW Rfe PodRR Fre', 'WRC'],
    ['Rfe PodRR Fre PodWR Fre', 'RWC'],
    ['PodWW Rfe PodRW Rfe PodRR Fre', 'ISA2'],
    ['PodWW Rfe PodRW Coe PodWR Fre', 'Z6.0'],
    ['PodWW Coe PodWW Rfe PodRR Fre', 'Z6.3'],
    ['Rfe PodRR Fre PodWW Coe', 'WRR+2W'],
    ['PodWR Fre PodWR Fre PodWR Fre', '3.SB'],
    ['Rfe PodRR Fre PodWR Fre PodWR Fre', 'W+RR+WR+WR'],
    ['PodWR Fre PodWR Fre PodWR Fre PodWR Fre PodWR Fre', 'WR+WR+WR+WR+WR'],
    ['PodWWPL RfeLA PodRRAP Fre', 'MP+popl+poap'],
    ['PodWW Rfe DpAddrdR PodRR Fre', 'MP+po+addrR-po'],
    ['Rfi PodRR Fre PodWW Rfi Fre', 'SB+rfi-po+po-rfi'],
    ['PodWW Rfe Amo.Swp PodWR Fre', 'MP+po+amo.swp-po'],
    ['PodWW Rfe LxSx PodWR Fre', 'MP+po+rmw-po'],
    ['PosWW Rfe PodRR Fre PodWR Fre', 'W+RWC+pos+po+po'],
    ['PodWW Rfe DMB.SYsRR Fre PodWR Fre', 'W+RWC+po+dmb.sys+po'],
  ];
  for (const [cycle, name] of names) assert.equal(generateTest(cycle).name, name, cycle);
});

test('a whole test: MP+dmb.st+addr as diy7 writes it', () => {
  assert.equal(
    generateTest('DMB.STdWW Rfe DpAddrdR Fre').text,
    [
      'AArch64 MP+dmb.st+addr',
      '"DMB.STdWW Rfe DpAddrdR Fre"',
      'Cycle=DMB.STdWW Rfe DpAddrdR Fre',
      'Generator=iolitmus gen',
      'Com=Rf Fr',
      'Orig=DMB.STdWW Rfe DpAddrdR Fre',
      '{',
      '0:X1=x; 0:X3=y;',
      '1:X0=y; 1:X4=x;',
      '}',
      ' P0          | P1                  ;',
      ' MOV W0,#1   | LDR W1,[X0]         ;',
      ' STR W0,[X1] | EOR W2,W1,W1        ;',
      ' DMB ST      | LDR W3,[X4,W2,SXTW] ;',
      ' MOV W2,#1   |                     ;',
      ' STR W2,[X3] |                     ;',
      'exists (1:X1=1 /\\ 1:X3=0)',
      '',
    ].join('\n'),
  );
});

test('code: dependencies (address, data, control, control+isb)', () => {
  assert.deepEqual(column('PodWW Rfe DpAddrdW Coe', 1), ['LDR W1,[X0]', 'EOR W2,W1,W1', 'MOV W3,#1', 'STR W3,[X4,W2,SXTW]']);
  assert.deepEqual(column('PodWW Rfe DpDatadW Coe', 1), ['LDR W1,[X0]', 'EOR W2,W1,W1', 'ADD W2,W2,#1', 'STR W2,[X3]']);
  assert.deepEqual(column('PodWW Rfe DpCtrldR Fre', 1), ['LDR W1,[X0]', 'CBNZ W1,LC00', 'LC00:', 'LDR W3,[X2]']);
  assert.deepEqual(column('PodWW Rfe DpCtrlIsbdR Fre', 1), ['LDR W1,[X0]', 'CBNZ W1,LC00', 'LC00:', 'ISB', 'LDR W3,[X2]']);
  // Labels are numbered across the test.
  assert.deepEqual(column('DpCtrldW Rfe DpCtrldW Rfe', 1).slice(1, 3), ['CBNZ W1,LC01', 'LC01:']);
  // Acquire loads take a base register only: the address is summed first.
  assert.deepEqual(column('PodWW Rfe DpAddrdRPA FreAP', 1), ['LDR W1,[X0]', 'EOR W2,W1,W1', 'ADD X5,X4,W2,SXTW', 'LDAR W3,[X5]']);
});

test('code: barriers', () => {
  assert.deepEqual(column('DMB.SYdWR Fre DSB.STdWR Fre', 0), ['MOV W0,#1', 'STR W0,[X1]', 'DMB SY', 'LDR W3,[X2]']);
  assert.ok(column('DMB.SYdWR Fre DSB.STdWR Fre', 1).includes('DSB ST'));
  assert.ok(column('ISBdWW Rfe DMB.LDdRR Fre', 0).includes('ISB'));
  assert.ok(column('ISBdWW Rfe DMB.LDdRR Fre', 1).includes('DMB LD'));
  assert.ok(column('DMB.ISHdWR Fre DMB.ISHdWR Fre', 0).includes('DMB ISH'));
  assert.equal(generateTest('DMB.ISHSTdWW Rfe DMB.ISHLDdRR Fre').name, 'MP+dmb.ishst+dmb.ishld');
});

test('code: acquire, acquire-PC and release accesses', () => {
  assert.deepEqual(column('PodWWLL RfeLQ PodRRQA Fre', 0), ['MOV W0,#1', 'STLR W0,[X1]', 'MOV W2,#1', 'STLR W2,[X3]']);
  assert.deepEqual(column('PodWWLL RfeLQ PodRRQA Fre', 1), ['LDAPR W1,[X0]', 'LDAR W3,[X2]']);
  // A plain edge next to an annotated one takes the annotation (diy writes RfeLA).
  assert.equal(generateTest('PodWWPL Rfe PodRRAP Fre').cycle, 'PodWWPL RfeLA PodRRAP Fre');
});

test('code: exclusive pairs (X annotation, LxSx) and their final values', () => {
  assert.deepEqual(column('PodWW Rfe PodRRXP Fre', 1), ['Loop00:', 'LDXR W1,[X0]', 'STXR W2,W1,[X0]', 'CBNZ W2,Loop00', 'LDR W4,[X3]']);
  assert.equal(condition('PodWW Rfe PodRRXP Fre'), 'exists ([y]=1 /\\ 1:X1=1 /\\ 1:X4=0)');
  assert.deepEqual(column('PodWWPX Rfe PodRR Fre', 0).slice(2), ['MOV W3,#1', 'Loop00:', 'LDXR W4,[X2]', 'STXR W5,W3,[X2]', 'CBNZ W5,Loop00']);
  assert.equal(condition('PodWWPX Rfe PodRR Fre'), 'exists ([y]=1 /\\ 0:X4=0 /\\ 1:X1=1 /\\ 1:X3=0)');
  assert.deepEqual(column('PodWW Rfe LxSx PodWR Fre', 1), ['MOV W2,#2', 'Loop00:', 'LDXR W1,[X0]', 'STXR W3,W2,[X0]', 'CBNZ W3,Loop00', 'LDR W5,[X4]']);
});

test('code: LSE atomics (Amo.*)', () => {
  assert.deepEqual(column('PodWW Rfe Amo.Swp PodWR Fre', 1), ['MOV W2,#2', 'SWP W2,W1,[X0]', 'LDR W4,[X3]']);
  assert.equal(condition('PodWW Rfe Amo.Swp PodWR Fre'), 'exists ([y]=2 /\\ 1:X1=1 /\\ 1:X4=0)');
  assert.deepEqual(column('PodWW Rfe Amo.Cas PodWR Fre', 1), ['MOV W1,#1', 'MOV W2,#2', 'CAS W1,W2,[X0]', 'LDR W4,[X3]']);
  assert.deepEqual(column('PodWW Rfe Amo.SwpAL PodWR Fre', 1)[1], 'SWPAL W2,W1,[X0]');
  assert.ok(column('PodWR Amo.LdAdd PodWR Fre PodWR Fre', 1).includes('LDADD W4,W3,[X2]'));
  assert.ok(column('PodWR Amo.StAdd PodWR Fre PodWR Fre', 1).includes('STADD W3,[X2]'));
  // The final value is what the operation leaves: 1 | 2 for LDSET, 1 ^ 2 for LDEOR.
  assert.match(condition('PodWW Rfe Amo.LdSet PodWR Fre'), /^exists \(\[y\]=3 /);
  assert.match(condition('PodWW Rfe Amo.LdClr PodWR Fre'), /^exists \(\[y\]=1 /);
});

test('values: writes follow coherence, reads see what the cycle needs', () => {
  // x: P1 writes 1 then P0 writes 2 (Fre from P1's read); P0 reads its own 2 (Rfi).
  assert.deepEqual(column('Rfi PodRR Fre PodWW Rfi Fre', 0), ['MOV W0,#2', 'STR W0,[X1]', 'LDR W2,[X1]', 'LDR W4,[X3]']);
  assert.equal(condition('Rfi PodRR Fre PodWW Rfi Fre'), 'exists ([x]=2 /\\ 0:X2=2 /\\ 0:X4=0 /\\ 1:X4=1)');
  assert.deepEqual(column('PodWR Fri Rfe PodRR Fre', 0), ['MOV W0,#1', 'STR W0,[X1]', 'LDR W3,[X2]', 'MOV W4,#1', 'STR W4,[X2]']);
  assert.deepEqual(column('PosWW PodWR Fre PodWR Fre', 1), ['MOV W0,#1', 'STR W0,[X1]', 'MOV W2,#2', 'STR W2,[X1]', 'LDR W4,[X3]']);
  assert.equal(condition('PodWW Coe PodWW Coe PodWW Coe PodWW Coe'), 'exists ([a]=2 /\\ [x]=2 /\\ [y]=2 /\\ [z]=2)');
  // A location nobody writes is read as 0 without being checked (diy's optimised condition).
  assert.equal(condition('PodWW Coe PodWR DpAddrdR Fre'), 'exists ([y]=2 /\\ 1:X5=0)');
});

const BROAD: EnumerateOptions = {
  size: 5,
  nprocs: 3,
  ins: 4,
  mix: false,
  relax: parseEdgeList(
    'DMB.SYdWW DMB.STdWW DMB.LDdRR DSB.SYdWR ISBdRR DMB.ISHdWR DpAddrdR DpAddrdW DpDatadW DpCtrldR DpCtrlIsbdW ' +
      'Rfi Fri Coi PosWR PodWWPL PodRRAP PodRRQP PodRRXP PodWWPX LxSx Amo.Swp Amo.Cas Amo.LdAdd Amo.StAdd',
  ),
  safe: parseEdgeList('Rfe Fre Coe Pod**'),
};

test('enumeration: deterministic, each cycle once, names unique', () => {
  const a = generateTests(BROAD), b = generateTests(BROAD);
  assert.ok(a.length > 150, `only ${a.length} tests`);
  assert.deepEqual(a, b);
  assert.equal(new Set(a.map((t) => t.cycle)).size, a.length);
  assert.equal(new Set(a.map((t) => t.name)).size, a.length);
  for (const t of a) assert.equal(generateTest(t.cycle).cycle, t.cycle, 'canonical rotations are fixed points');
});

test('enumeration: the diy7 set for -size 4 -nprocs 2 -relax "DMB.STdWW DpAddrdR" -safe "Rfe Fre Pod**"', () => {
  const tests = generateTests({ size: 4, nprocs: 2, ins: 4, mix: false, relax: parseEdgeList('DMB.STdWW DpAddrdR'), safe: parseEdgeList('Rfe Fre Pod**') });
  assert.deepEqual(tests.map((t) => `${t.name}: ${t.cycle}`), ['MP+dmb.st+po: DMB.STdWW Rfe PodRR Fre', 'MP+po+addr: PodWW Rfe DpAddrdR Fre']);
  const mixed = generateTests({ size: 4, nprocs: 2, ins: 4, mix: true, relax: parseEdgeList('PodWR DMB.SYdWR'), safe: parseEdgeList('Fre') });
  assert.deepEqual(mixed.map((t) => t.name).sort(), ['SB', 'SB+dmb.sy+po', 'SB+dmb.sys']);
  assert.match(mixed[0]!.text, /\nRelax=\S+\nSafe=Fre\n/);
});

test('every generated test parses without diagnostics', () => {
  for (const t of generateTests(BROAD)) {
    const r = parseLitmus(t.text);
    assert.deepEqual(r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`), [], t.name);
    assert.equal(r.test?.name, t.name);
  }
});

// The CLI as built by tsc (dist/src/cli/main.js), so this file needs no bundle.
const MAIN = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

function gen(...args: string[]) {
  const r = spawnSync(process.execPath, [MAIN, 'gen', ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('cli: -one to stdout, diy-style options, usage errors exit 2 with one line', () => {
  const one = gen('-one', 'DMB.STdWW Rfe DpAddrdR Fre', '-stdout');
  assert.equal(one.status, 0, one.stderr);
  assert.equal(one.stdout, generateTest('DMB.STdWW Rfe DpAddrdR Fre').text);
  assert.match(gen('--one', 'PodWR Fre PodWR Fre', '-name', 'MySB', '--stdout').stdout, /^AArch64 MySB\n/);
  for (const [args, message] of [
    [['-one', 'PodWR Rfe PodRR Fre', '-stdout'], /ends at a read/],
    [['-size', 'x'], /-size needs a whole number/],
    [['-bogus'], /unknown option -bogus/],
    [['-relax', 'PodWX'], /unknown edge 'PodWX'/],
    [[], /give -relax and -safe/],
  ] as const) {
    const r = gen(...args);
    assert.equal(r.status, 2);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1);
  }
});

test('cli: -o DIR writes NAME.litmus files and @all, the same on each run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iolitmus-gen-'));
  try {
    const args = ['-size', '4', '-nprocs', '2', '-relax', 'PodWR DMB.SYdWR', '-mix', 'true', '-safe', 'Fre', '-o', dir];
    assert.equal(gen(...args).status, 0);
    const first = readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
    assert.deepEqual(first.map(([f]) => f), ['@all', 'SB+dmb.sy+po.litmus', 'SB+dmb.sys.litmus', 'SB.litmus']);
    assert.equal(gen(...args).status, 0);
    assert.deepEqual(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]), first);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
