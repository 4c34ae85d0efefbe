/**
 * The Linux kernel memory model for kernel C tests: which model answers, the verdicts the
 * catalogue states (reasoned from the kernel's documentation; herd7's outputs are checked in
 * catalogue-aarch64.test.ts), the arm64 lowering of the same tests, the kernel's Result:
 * convention, herd's filter, and the refusals.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/pipeline/index.js';
import { matrixRows } from '../src/pipeline/matrix.js';
import { builtinModel } from '../src/model/index.js';
import { parseLitmus } from '../src/syntax/index.js';
import { formatInstr } from '../src/syntax/format.js';
import { run, stateLines } from './helpers.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CATALOGUE = join(ROOT, 'catalogue', 'lkmm');
const BIN = join(ROOT, 'bin', 'iolitmus.js');
const TMP = mkdtempSync(join(tmpdir(), 'iolitmus-lkmm-'));
const source = (name: string) => readFileSync(join(CATALOGUE, `${name}.litmus`), 'utf8');
const arm64 = { model: builtinModel('aarch64') };

for (const folder of ['lkmm', 'lkmm-extra'])
  for (const file of readdirSync(join(ROOT, 'catalogue', folder)).filter((f) => f.endsWith('.litmus')).sort()) resultLine(folder, file);

function resultLine(folder: string, file: string): void {
  test(`catalogue/${folder}/${file}: the LKMM gives the verdict its Result: line states`, () => {
    const text = readFileSync(join(ROOT, 'catalogue', folder, file), 'utf8');
    const out = checkText(text);
    assert.ok(out.ok, out.ok ? '' : out.diagnostics.map((d) => d.message).join('; '));
    if (!out.ok) return;
    const stated = out.program.test.stated!;
    assert.equal(out.model.name, 'lkmm');
    assert.equal(out.result.observation, stated.verdict);
    assert.equal(out.result.flags.includes('data-race'), stated.datarace);
  });
}

const MP_ONCE = source('MP+once');

test('a kernel C test of CPUs and memory is answered by the LKMM; --model aarch64 by arm64, from LSE instructions', () => {
  const z6 = readFileSync(join(CATALOGUE, 'SB+release+acquire.litmus'), 'utf8');
  // The LKMM allows store buffering through release/acquire (recipes.txt); arm64's STLR/LDAR
  // forbid it (Arm ARM B2.3: a release before an acquire is barrier-ordered, [L]; po; [A]).
  assert.equal(run(z6).observation, 'Sometimes');
  assert.equal(run(z6, arm64).observation, 'Never');
  const out = checkText(z6, arm64);
  assert.ok(out.ok && out.lkmmAsArm64 && out.diagnostics.some((d) => d.severity === 'warning' && /not judged/.test(d.message)));
  // The arm64 threads are Linux's LSE sequences.
  const atomics = [
    'C A', '{}', 'P0(int *x, atomic_t *a) {', ' int r0; int r1; int r2; int r3;',
    ' r0 = atomic_add_return(1, a); r1 = xchg_acquire(x, 2); r2 = cmpxchg(x, 2, 3);',
    ' atomic_inc(a); r3 = atomic_fetch_sub_release(1, a);', '}', 'exists (0:r0=1)',
  ].join('\n');
  const test = parseLitmus(atomics).test!;
  const code = test.threads[0]!.code.map(formatInstr).join('\n');
  for (const want of [/^LDADDAL /m, /^SWPA /m, /^CASAL /m, /^LDADD W\d+,WZR,/m, /^LDADDL /m]) assert.match(code, want);
  // The LKMM threads carry the annotations: fully ordered RMWs are MB on both accesses (lkmmv2).
  const lk = test.lkmm!.threads[0]!.code.filter((i) => i.kind === 'lkmmRmw' || i.kind === 'lkmmCmpxchg');
  assert.deepEqual(lk.map((i) => (i.kind === 'lkmmRmw' || i.kind === 'lkmmCmpxchg' ? i.order : '')), ['mb', 'acquire', 'mb', 'noreturn', 'release']);
});

test('locks, RCU and SRCU have no arm64 lowering: a located unsupported error under --model aarch64', () => {
  for (const [name, what] of [['MP+locks', /spin_lock under arm64/], ['RCU-gp', /rcu_read_lock under arm64/], ['SRCU-gp', /srcu_read_lock under arm64/]] as const) {
    const out = checkText(source(name), arm64);
    assert.ok(!out.ok);
    if (out.ok) continue;
    const d = out.diagnostics.find((x) => x.severity === 'error')!;
    assert.equal(d.code, 'unsupported');
    assert.match(d.message, what);
    assert.ok(d.span.line > 1);
  }
});

test('a test with an I/O accessor stays an arm64 question: no LKMM lowering, the device model answers', () => {
  const io = MP_ONCE.replace('WRITE_ONCE(*flag, 1);', 'WRITE_ONCE(*flag, 1);\n\twmb();');
  const out = checkText(io);
  assert.ok(out.ok);
  if (out.ok) assert.equal(out.model.name, 'aarch64');
  assert.equal(parseLitmus(io).test!.lkmm, undefined);
});

test('the matrix shows a kernel C test under the LKMM and under arm64, the Result: judged on the LKMM row', () => {
  const rows = matrixRows('Z6', source('SB+release+acquire'));
  assert.deepEqual(rows.map((r) => [r.model, r.verdict, r.expected]), [['lkmm', 'allowed', 'allowed'], ['aarch64', 'forbidden', null]]);
  const locks = matrixRows('locks', source('MP+locks'));
  assert.deepEqual(locks.map((r) => [r.model, r.verdict]), [['lkmm', 'forbidden'], ['aarch64', 'error']]);
});

test('control dependencies end at the join of the if (herd7 agrees: LB+ctrl-after-join+mb)', () => {
  const inside = run(source('LB+ctrl+mb'));
  const after = run(source('LB+ctrl-after-join+mb'));
  assert.deepEqual([inside.observation, after.observation], ['Never', 'Sometimes']);
});

test('an RMW never reads its own write, and two xchgs do not read each other (herd7: one execution per order)', () => {
  const x2 = ['C X2', '{}', 'P0(int *x) { int r0; r0 = xchg_relaxed(x, 1); }', 'P1(int *x) { int r1; r1 = xchg_relaxed(x, 2); }', 'exists (x=1)'].join('\n');
  const r = run(x2);
  assert.deepEqual([r.positive, r.negative], [1, 1]);
  assert.deepEqual(stateLines(run(x2.replace('exists (x=1)', 'exists (0:r0=2 /\\ 1:r1=1)'))), ['0:r0=0; 1:r1=1;', '0:r0=2; 1:r1=0;']);
});

test('Result: DATARACE and DEADLOCK are judged as judgelitmus.sh does; a mismatch is exit 4', () => {
  const racy = source('MP+plain-data+once');
  const write = (name: string, text: string) => {
    const f = join(TMP, name);
    writeFileSync(f, text);
    return f;
  };
  const ok = spawnSync(process.execPath, [BIN, 'check', write('racy.litmus', racy)], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /^Flag data-race$/m);
  const unstated = spawnSync(process.execPath, [BIN, 'check', write('unstated.litmus', racy.replace('Result: Sometimes DATARACE', 'Result: Sometimes'))], { encoding: 'utf8' });
  assert.equal(unstated.status, 4);
  assert.match(unstated.stderr, /unstated\.litmus:4:4: Result: Sometimes is stated without DATARACE, but the LKMM flags a data race/);
  // Two threads each taking a lock they never release: no execution at all.
  const deadlock = ['C D', '(* Result: DEADLOCK *)', '{}', 'P0(spinlock_t *s) { spin_lock(s); }', 'P1(spinlock_t *s) { spin_lock(s); }', 'exists (0:r0=0)'].join('\n').replace('exists (0:r0=0)', 'exists (s=1)');
  const d = spawnSync(process.execPath, [BIN, 'check', write('deadlock.litmus', deadlock)], { encoding: 'utf8' });
  assert.equal(d.status, 0, d.stderr);
  assert.match(d.stdout, /^Observation D Never 0 0$/m);
});

test("herd's filter: only executions whose final state satisfies it count", () => {
  const sb = source('SB+mb+once');
  const all = run(sb);
  const filtered = run(sb.replace('exists (0:r0=0 /\\ 1:r1=0)', 'filter (0:r0=0)\nexists (0:r0=0 /\\ 1:r1=0)'));
  assert.deepEqual([all.positive + all.negative, stateLines(all).length], [4, 4]);
  assert.deepEqual(stateLines(filtered), ['0:r0=0; 1:r1=0;', '0:r0=0; 1:r1=1;']);
});

test('kernel C forms: int ** parameters, int * locals, &x, ATOMIC_INIT, (void) calls; bad forms are located errors', () => {
  const text = ['C F', '{ atomic_t v = ATOMIC_INIT(3); }', 'P0(int **p, int *y, atomic_t *v) {', ' int *r0; int r1;',
    ' rcu_assign_pointer(*p, &y);', ' r0 = READ_ONCE(*p);', ' r1 = READ_ONCE(*r0);', ' (void)atomic_fetch_inc(v);', '}', 'exists (0:r1=0 /\\ v=4)'].join('\n');
  assert.equal(run(text).observation, 'Always');
  const bad = checkText(text.replace('READ_ONCE(*r0)', 'READ_ONCE(*r9)'));
  assert.ok(!bad.ok);
  if (!bad.ok) assert.match(bad.diagnostics.map((x) => `${x.span.line}:${x.span.col} ${x.message}`).join('\n'), /^7:18 'r9' is neither a parameter of P0 nor a location of the test$/m);
  const wrongArgs = checkText(text.replace(' r1 = READ_ONCE(*r0);', ' r1 = xchg(y);'));
  assert.ok(!wrongArgs.ok);
  if (!wrongArgs.ok) assert.match(wrongArgs.diagnostics[0]!.message, /xchg takes 2 arguments: xchg\(x, value\)/);
});

test('a value out of thin air that the model allows (through a plain store) is refused, never dropped', () => {
  // P0 copies x to y with a plain store, P1 copies y back to x: the LKMM allows each read to see
  // the other's write (no hb cycle through the plain access), whose value then comes from nowhere.
  const oota = ['C OOTA', '{}', 'P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x); *y = r0; }', 'P1(int *x, int *y) { int r1; r1 = READ_ONCE(*y); WRITE_ONCE(*x, r1); }', 'exists (1:r1=0)'].join('\n');
  const out = checkText(oota);
  assert.ok(!out.ok);
  if (!out.ok) assert.match(out.diagnostics[0]!.message, /^unsupported: the model allows an execution in which a value comes out of thin air/);
  // With WRITE_ONCE instead, hb forbids the cycle: answered (herd7: Always, no symbolic value).
  assert.equal(run(oota.replace('*y = r0;', 'WRITE_ONCE(*y, r0);')).observation, 'Always');
});

test("trylock's and spin_is_locked's answers depend on the lock event they read (herd7: an if on them is a control dependency)", () => {
  const held = ['C IsLocked', '{}', 'P0(int *x, spinlock_t *l) { int r0; r0 = spin_is_locked(l); if (r0) { WRITE_ONCE(*x, 1); } }',
    'P1(int *x, spinlock_t *l) { WRITE_ONCE(*x, 2); smp_mb(); spin_lock(l); spin_unlock(l); }', 'exists (0:r0=1 /\\ x=2)'].join('\n');
  assert.equal(run(held).observation, 'Never');
  const failed = held.replace('r0 = spin_is_locked(l); if (r0)', 'r0 = spin_trylock(l); if (r0 == 0)').replace('WRITE_ONCE(*x, 1); }', 'WRITE_ONCE(*x, 1); } else { spin_unlock(l); }').replace('0:r0=1', '0:r0=0');
  assert.equal(run(failed).observation, 'Never');
});

test('SRCU critical sections pair by the data from lock to unlock, not through the srcu_struct itself', () => {
  const two = ['C SrcuTwice', '{}', 'P0(struct srcu_struct *s) { int r0; int r1; r0 = srcu_read_lock(s); srcu_read_unlock(s, r0); r1 = srcu_read_lock(s); srcu_read_unlock(s, r1); }', 'exists (0:r0=0)'].join('\n');
  const r = run(two);
  assert.deepEqual(r.flags, []);
});

test('review fixes, each against herd7 + linux-kernel.cfg: negative locals, an RMW\'s own data dependency, an unlock that closes nothing', () => {
  // A negative value computed in an int local is stored as -1, not as its 32-bit pattern (herd: Always).
  const neg = ['C Neg', '{}', 'P0(int *x) { int r0; int r1; r0 = 0; r1 = r0 - 1; WRITE_ONCE(*x, r1); }', 'exists (x=-1 /\\ 0:r1=-1)'].join('\n');
  assert.equal(run(neg).observation, 'Always');
  // atomic_fetch_add's write depends on its read (herd's iico data): a later read of that write,
  // feeding a store, is ordered after the RMW's read, so P1's 5 cannot be read first (herd: Never).
  const rmw = ['C RmwData', '{}', 'P0(atomic_t *v, int *y) { int r0; int r1; r0 = atomic_fetch_add_relaxed(1, v); r1 = atomic_read(v); WRITE_ONCE(*y, r1); }',
    'P1(atomic_t *v, int *y) { int r2; r2 = READ_ONCE(*y); smp_mb(); atomic_set(v, 5); }', 'exists (0:r0=5 /\\ 1:r2=6)'].join('\n');
  assert.equal(run(rmw).observation, 'Never');
  // An unlock of a lock its thread does not hold frees nothing another spin_lock could take
  // (lock.cat leaves it out of the lock's coherence order): mutual exclusion holds (herd: Never).
  const unmatched = ['C Unmatched', '{}', 'P0(spinlock_t *s) { spin_unlock(s); }', 'P1(spinlock_t *s, int *x) { spin_lock(s); WRITE_ONCE(*x, 1); WRITE_ONCE(*x, 2); spin_unlock(s); }',
    'P2(spinlock_t *s, int *x) { int r2; spin_lock(s); r2 = READ_ONCE(*x); spin_unlock(s); }', 'exists (2:r2=1)'].join('\n');
  assert.equal(run(unmatched).observation, 'Never');
});

test('two memory accesses in one expression are refused under the LKMM (herd evaluates them unordered), one per statement is answered', () => {
  const two = ['C Two', '{}', 'P0(int *x, int *y) { int r0; r0 = READ_ONCE(*x) - READ_ONCE(*y); }', 'exists (0:r0=0)'].join('\n');
  const out = checkText(two);
  assert.ok(!out.ok);
  if (!out.ok) assert.deepEqual([out.diagnostics[0]!.span.line, out.diagnostics[0]!.code], [3, 'unsupported']);
  assert.equal(run(two.replace('r0 = READ_ONCE(*x) - READ_ONCE(*y);', 'int r1; r0 = READ_ONCE(*x); r1 = READ_ONCE(*y); r0 = r0 - r1;')).observation, 'Always');
  // One access feeding a store is fine (its data dependency orders them, as in herd).
  assert.equal(run(['C One', '{}', 'P0(int *x, int *y) { WRITE_ONCE(*y, READ_ONCE(*x) + 1); }', 'exists (y=1)'].join('\n')).observation, 'Always');
});

test('under the LKMM, unsigned or narrow locations and constants beyond 32-bit ints are refused at their place (herd\'s values are 32-bit ints)', () => {
  const u32 = ['C U32', '{ uint32_t x = 0; }', 'P0(uint32_t *x) { WRITE_ONCE(*x, 1); }', 'exists (x=1)'].join('\n');
  const a = checkText(u32);
  assert.ok(!a.ok);
  if (!a.ok) assert.deepEqual([a.diagnostics[0]!.span.line, a.diagnostics[0]!.code], [2, 'unsupported']);
  const big = ['C Big', '{}', 'P0(int *x) { WRITE_ONCE(*x, 4294967296); }', 'exists (x=0)'].join('\n');
  const b = checkText(big);
  assert.ok(!b.ok);
  if (!b.ok) assert.match(b.diagnostics[0]!.message, /^unsupported: 4294967296 under the Linux kernel memory model/);
  // The arm64 answer has sizes and is given.
  assert.equal(run(u32, { model: builtinModel('aarch64') }).observation, 'Always');
});
