/**
 * Classic shapes through the whole core (parse -> paths -> search). Expected verdicts are the
 * textbook consequences of the Arm ARM B2.3 axioms (multi-copy atomic, dependencies and barriers
 * as ob), written out here by reasoning over the rules, not taken from the tool's output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { litmus, run, stateLines } from './helpers.js';

const MP_INIT = '0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x;';
const MP_COND = 'exists (1:X0=1 /\\ 1:X2=0)';
const mp = (name: string, p0mid: string[], p1: string[]) =>
  run(litmus(name, MP_INIT, [['MOV W0,#1', 'STR W0,[X1]', ...p0mid, 'MOV W2,#1', 'STR W2,[X3]'], p1], MP_COND));

test('MP without barriers: writes and reads may be reordered (Sometimes), all four states', () => {
  const r = mp('MP', [], ['LDR W0,[X1]', 'LDR W2,[X3]']);
  assert.equal(r.observation, 'Sometimes');
  assert.deepEqual(stateLines(r), ['1:X0=0; 1:X2=0;', '1:X0=0; 1:X2=1;', '1:X0=1; 1:X2=0;', '1:X0=1; 1:X2=1;']);
  assert.equal(r.ok, true);
});

test('MP+dmb.sy+addr: bob on the writer and dob on the reader forbid the outcome', () => {
  const r = mp('MP+dmb.sy+addr', ['DMB SY'], ['LDR W0,[X1]', 'EOR W4,W0,W0', 'LDR W2,[X3,W4,SXTW]']);
  assert.equal(r.observation, 'Never');
  assert.equal(r.ok, false);
  assert.deepEqual(stateLines(r), ['1:X0=0; 1:X2=0;', '1:X0=0; 1:X2=1;', '1:X0=1; 1:X2=1;']);
});

test('MP barrier/dependency matrix', () => {
  const cases: [string, string[], string[], 'Never' | 'Sometimes'][] = [
    ['MP+dmb.sy+po', ['DMB SY'], ['LDR W0,[X1]', 'LDR W2,[X3]'], 'Sometimes'],
    ['MP+po+addr', [], ['LDR W0,[X1]', 'EOR W4,W0,W0', 'LDR W2,[X3,W4,SXTW]'], 'Sometimes'],
    ['MP+dmb.st+dmb.ld', ['DMB ST'], ['LDR W0,[X1]', 'DMB LD', 'LDR W2,[X3]'], 'Never'],
    ['MP+dmb.ish+dmb.ishld', ['DMB ISH'], ['LDR W0,[X1]', 'DMB ISHLD', 'LDR W2,[X3]'], 'Never'],
    ['MP+dsb.st+dsb.ld', ['DSB ST'], ['LDR W0,[X1]', 'DSB LD', 'LDR W2,[X3]'], 'Never'],
    ['MP+dmb.ld+dmb.ld', ['DMB LD'], ['LDR W0,[X1]', 'DMB LD', 'LDR W2,[X3]'], 'Sometimes'],
    ['MP+dmb.sy+ctrl', ['DMB SY'], ['LDR W0,[X1]', 'CBNZ W0,L0', 'L0:', 'LDR W2,[X3]'], 'Sometimes'],
    ['MP+dmb.sy+ctrlisb', ['DMB SY'], ['LDR W0,[X1]', 'CBNZ W0,L0', 'L0:', 'ISB', 'LDR W2,[X3]'], 'Never'],
    ['MP+dmb.sy+addrpoisb', ['DMB SY'], ['LDR W0,[X1]', 'EOR W4,W0,W0', 'LDR W5,[X3,W4,SXTW]', 'ISB', 'LDR W2,[X3]'], 'Never'],
    ['MP+dmb.nsh+dmb.nsh', ['DMB NSH'], ['LDR W0,[X1]', 'DMB NSH', 'LDR W2,[X3]'], 'Sometimes'],
  ];
  for (const [name, mid, p1, want] of cases) assert.equal(mp(name, mid, p1).observation, want, name);
});

test('MP with release/acquire: STLR then LDAR or LDAPR forbids it', () => {
  const rel = (p1: string[]) => run(litmus('MP+rel+acq', MP_INIT, [['MOV W0,#1', 'STR W0,[X1]', 'MOV W2,#1', 'STLR W2,[X3]'], p1], MP_COND));
  assert.equal(rel(['LDAR W0,[X1]', 'LDR W2,[X3]']).observation, 'Never');
  assert.equal(rel(['LDAPR W0,[X1]', 'LDR W2,[X3]']).observation, 'Never');
  assert.equal(rel(['LDR W0,[X1]', 'LDR W2,[X3]']).observation, 'Sometimes');
});

const SB_INIT = '0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x;';
const SB_COND = 'exists (0:X2=0 /\\ 1:X2=0)';
test('SB: allowed plain, forbidden with full barriers or STLR;LDAR, allowed with STLR;LDAPR', () => {
  const sb = (mid: string, st = 'STR', ld = 'LDR') =>
    run(litmus('SB', SB_INIT, [0, 1].map(() => ['MOV W0,#1', `${st} W0,[X1]`, ...(mid ? [mid] : []), `${ld} W2,[X3]`]), SB_COND)).observation;
  assert.equal(sb(''), 'Sometimes');
  assert.equal(sb('DMB SY'), 'Never');
  assert.equal(sb('DMB ST'), 'Sometimes');
  assert.equal(sb('', 'STLR', 'LDAR'), 'Never');
  assert.equal(sb('', 'STLR', 'LDAPR'), 'Sometimes');
});

test('LB: allowed plain; data, ctrl or addr dependencies on both sides forbid it', () => {
  const init = '0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x;';
  const cond = 'exists (0:X0=1 /\\ 1:X0=1)';
  const lb = (body: string[]) => run(litmus('LB', init, [body, body], cond)).observation;
  assert.equal(lb(['LDR W0,[X1]', 'MOV W2,#1', 'STR W2,[X3]']), 'Sometimes');
  assert.equal(lb(['LDR W0,[X1]', 'EOR W2,W0,W0', 'ADD W2,W2,#1', 'STR W2,[X3]']), 'Never');
  assert.equal(lb(['LDR W0,[X1]', 'CBZ W0,L1', 'L1:', 'MOV W2,#1', 'STR W2,[X3]']), 'Never');
  assert.equal(lb(['LDR W0,[X1]', 'EOR W4,W0,W0', 'MOV W2,#1', 'STR W2,[X3,W4,SXTW]']), 'Never');
});

test('LB with data dependencies copying the value read: no value out of thin air', () => {
  const init = '0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x;';
  const r = run(litmus('LB+datas', init, [0, 1].map(() => ['LDR W0,[X1]', 'STR W0,[X3]']), 'exists (0:X0=1 \\/ 1:X0=1)'));
  assert.equal(r.observation, 'Never');
  assert.deepEqual(stateLines(r), ['0:X0=0; 1:X0=0;']);
});

test('coherence shapes: CoRR, CoWW, CoRW, CoWR are forbidden', () => {
  assert.equal(run(litmus('CoRR', '0:X1=x; 1:X1=x;', [['MOV W0,#1', 'STR W0,[X1]'], ['LDR W0,[X1]', 'LDR W2,[X1]']], 'exists (1:X0=1 /\\ 1:X2=0)')).observation, 'Never');
  assert.equal(run(litmus('CoWW', '0:X1=x;', [['MOV W0,#1', 'STR W0,[X1]', 'MOV W2,#2', 'STR W2,[X1]']], 'exists (x=1)')).observation, 'Never');
  assert.equal(run(litmus('CoRW1', '0:X1=x;', [['LDR W0,[X1]', 'MOV W2,#1', 'STR W2,[X1]']], 'exists (0:X0=1)')).observation, 'Never');
  assert.equal(run(litmus('CoWR', '0:X1=x; 1:X1=x;', [['MOV W0,#1', 'STR W0,[X1]', 'LDR W2,[X1]'], ['MOV W0,#2', 'STR W0,[X1]']], 'exists (0:X2=0)')).observation, 'Never');
  // CoRW2: P1 reads P0's write then overwrites it; x ending at P0's value contradicts co.
  assert.equal(run(litmus('CoRW2', '0:X1=x; 1:X1=x;', [['MOV W0,#1', 'STR W0,[X1]'], ['LDR W0,[X1]', 'MOV W2,#2', 'STR W2,[X1]']], 'exists (1:X0=1 /\\ x=1)')).observation, 'Never');
});

test('2+2W, R and S: allowed plain, forbidden with barriers (and data for S)', () => {
  const init = '0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x;';
  const w22 = (mid: string[]) => run(litmus('2+2W', init, [0, 1].map(() => ['MOV W0,#2', 'STR W0,[X1]', ...mid, 'MOV W2,#1', 'STR W2,[X3]']), 'exists (x=2 /\\ y=2)')).observation;
  assert.equal(w22([]), 'Sometimes');
  assert.equal(w22(['DMB ST']), 'Never');
  const R = (mid: string[]) => run(litmus('R', init, [['MOV W0,#1', 'STR W0,[X1]', ...mid, 'MOV W2,#1', 'STR W2,[X3]'], ['MOV W0,#2', 'STR W0,[X1]', ...mid, 'LDR W2,[X3]']], 'exists (y=2 /\\ 1:X2=0)')).observation;
  assert.equal(R([]), 'Sometimes');
  assert.equal(R(['DMB SY']), 'Never');
  const S = (mid: string[], p1: string[]) => run(litmus('S', init, [['MOV W0,#2', 'STR W0,[X1]', ...mid, 'MOV W2,#1', 'STR W2,[X3]'], p1], 'exists (x=2 /\\ 1:X0=1)')).observation;
  assert.equal(S([], ['LDR W0,[X1]', 'MOV W2,#1', 'STR W2,[X3]']), 'Sometimes');
  assert.equal(S(['DMB SY'], ['LDR W0,[X1]', 'EOR W2,W0,W0', 'ADD W2,W2,#1', 'STR W2,[X3]']), 'Never');
});

test('multi-copy atomicity: WRC+addrs and IRIW+addrs are forbidden, plain versions allowed', () => {
  const wrcInit = '0:X1=x; 1:X1=x; 1:X3=y; 2:X1=y; 2:X3=x;';
  const wrc = (dep: boolean) =>
    run(litmus('WRC', wrcInit, [
      ['MOV W0,#1', 'STR W0,[X1]'],
      dep ? ['LDR W0,[X1]', 'EOR W4,W0,W0', 'MOV W2,#1', 'STR W2,[X3,W4,SXTW]'] : ['LDR W0,[X1]', 'MOV W2,#1', 'STR W2,[X3]'],
      dep ? ['LDR W0,[X1]', 'EOR W4,W0,W0', 'LDR W2,[X3,W4,SXTW]'] : ['LDR W0,[X1]', 'LDR W2,[X3]'],
    ], 'exists (1:X0=1 /\\ 2:X0=1 /\\ 2:X2=0)')).observation;
  assert.equal(wrc(false), 'Sometimes');
  assert.equal(wrc(true), 'Never');
  const iriwInit = '0:X1=x; 1:X1=x; 1:X3=y; 2:X1=y; 3:X1=y; 3:X3=x;';
  const rd = (dep: boolean) => (dep ? ['LDR W0,[X1]', 'EOR W4,W0,W0', 'LDR W2,[X3,W4,SXTW]'] : ['LDR W0,[X1]', 'LDR W2,[X3]']);
  const iriw = (dep: boolean) =>
    run(litmus('IRIW', iriwInit, [['MOV W0,#1', 'STR W0,[X1]'], rd(dep), ['MOV W0,#1', 'STR W0,[X1]'], rd(dep)], 'exists (1:X0=1 /\\ 1:X2=0 /\\ 3:X0=1 /\\ 3:X2=0)')).observation;
  assert.equal(iriw(false), 'Sometimes');
  assert.equal(iriw(true), 'Never');
});

test('exclusives: two atomic increments never lose an update; a failed STXR reports 1', () => {
  const body = ['L0:', 'LDXR W0,[X1]', 'ADD W0,W0,#1', 'STXR W2,W0,[X1]', 'CBNZ W2,L0'];
  const r = run(litmus('2xinc', '0:X1=x; 1:X1=x;', [body, body], 'exists (x=1)'));
  assert.equal(r.observation, 'Never');
  const once = ['LDXR W0,[X1]', 'ADD W0,W0,#1', 'STXR W2,W0,[X1]'];
  const r2 = run(litmus('2xinc-once', '0:X1=x; 1:X1=x;', [once, once], 'exists (0:X2=0 /\\ 1:X2=0 /\\ x=1)'));
  assert.equal(r2.observation, 'Never');
  const r3 = run(litmus('xinc-fail', '0:X1=x;', [once], 'exists (0:X2=1 /\\ x=0)'));
  assert.equal(r3.observation, 'Sometimes');
});

test('~exists and forall: Ok/No and the Observation follow herd', () => {
  const t = litmus('CoWW-forall', '0:X1=x;', [['MOV W0,#1', 'STR W0,[X1]', 'MOV W2,#2', 'STR W2,[X1]']], 'forall (x=2)');
  const r = run(t);
  assert.equal(r.ok, true);
  assert.equal(r.observation, 'Always');
  const n = run(t.replace('forall (x=2)', '~exists (x=1)'));
  assert.equal(n.ok, true);
  assert.equal(n.observation, 'Never');
});

test('limits: --max-executions stops early and marks the result partial', () => {
  const body = ['MOV W0,#1', 'STR W0,[X1]', 'LDR W2,[X3]', 'MOV W4,#2', 'STR W4,[X3]'];
  const r = run(litmus('limit', '0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x;', [body, body], 'exists (0:X2=0)'), { maxExecutions: 2 });
  assert.equal(r.partial, 'max-executions');
  assert.equal(r.stats.executions, 2);
});

test('a read never reads a write its own instruction makes after it: two CASPs failing and writing back (herd7: 4 states, 24/10)', () => {
  // Each failing CASP reads x[0..1] and writes the old values back. Reading the other's
  // write-back while it reads ours would make both values out of thin air under a condition
  // (the comparison) no value decides: herd7 has no such execution, and neither has iolitmus.
  const casp = litmus('CASP-own-writeback', 'int x[2]={0,0}; uint64_t 0:X5=x; uint64_t 1:X5=x;', [
    ['MOV W6,#1', 'MOV W7,#1', 'MOV W2,#2', 'MOV W3,#2', 'CASP W6,W7,W2,W3,[X5]'],
    ['MOV W6,#0', 'MOV W7,#0', 'MOV W2,#3', 'MOV W3,#3', 'CASP W6,W7,W2,W3,[X5]'],
  ], 'exists (x[0]=3 /\\ x[1]=3)');
  const r = run(casp);
  assert.deepEqual(stateLines(r), ['x[0]=0; x[1]=0;', 'x[0]=0; x[1]=3;', 'x[0]=3; x[1]=0;', 'x[0]=3; x[1]=3;']);
  assert.deepEqual([r.positive, r.negative, r.observation], [24, 10, 'Sometimes']);
});
