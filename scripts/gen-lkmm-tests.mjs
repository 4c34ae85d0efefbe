#!/usr/bin/env node
/**
 * Random generator of Linux-kernel-memory-model (LKMM) C litmus tests, for differential testing
 * of iolitmus against herd7 run with the kernel's model (linux-kernel.cfg / .def / .bell / .cat).
 *
 *   node scripts/gen-lkmm-tests.mjs --count N --seed S --out DIR
 *
 * Writes N files DIR/NAME.litmus, test names `G<seed>-<n>+<shape>`. The output depends only on
 * the seed (a small PRNG, one stream per test, so test n is the same whatever N is).
 *
 * Each test is built from a classic shape (MP, SB, LB, WRC, ISA2, IRIW, 2+2W, S, R, Z6.x, 3.SB,
 * 3.LB, W+RWC, RWC, WWC, the coherence shapes CoRR/CoWR/CoRW/CoWW, pointer shapes with
 * rcu_assign_pointer/rcu_dereference, atomic counter and refcount shapes) or, now and then, a
 * random one: per thread a sequence of abstract reads and writes, each read knowing which write
 * (or the initial value) it reads from in the "cycle" outcome, which becomes the `exists` clause
 * (sometimes on final values of locations too, and sometimes weakened by dropping or changing a
 * conjunct). Every abstract access is then given a kernel primitive:
 *   - writes: WRITE_ONCE, plain `*x = v`, smp_store_release, smp_store_mb, xchg / cmpxchg with
 *     every ordering suffix; on atomic_t: atomic_set(_release), atomic_xchg, atomic_cmpxchg,
 *     atomic_add_return, atomic_fetch_add, atomic_add, atomic_inc;
 *   - reads: READ_ONCE, plain `r = *x`, smp_load_acquire, a failing cmpxchg; on atomic_t:
 *     atomic_read(_acquire), atomic_fetch_add(0, a), atomic_add_return(0, a), a failing
 *     atomic_cmpxchg;
 * and every pair of consecutive accesses of a thread a link: nothing, a fence (smp_mb, smp_rmb,
 * smp_wmb, barrier, smp_mb__before/after_atomic, synchronize_rcu, synchronize_srcu), a data
 * dependency (`WRITE_ONCE(*y, r0)` / `r0 + 1`) or a control dependency (`if (r0 == 1) ...`,
 * `if (r0) {...} else {...}`). Threads may run inside spin_lock/spin_unlock critical sections
 * (whole thread, each access, first or last access; smp_mb__after_spinlock or
 * smp_mb__after_unlock_lock right after spin_lock), under spin_trylock (`r = spin_trylock(l);
 * ... if (r) spin_unlock(l);`), inside rcu_read_lock/unlock or srcu_read_lock/unlock sections.
 * A few extra operations (fences, reads, spin_is_locked) fill threads up to 4 operations.
 *
 * `--hard` writes tests of another kind, aimed at the model's corners (see the section "--hard"
 * below); without it the output for a seed is what it always was.
 *
 * Known herd7 7.58 limits the generator avoids: no `spinlock_t` in the init section ("Cannot find
 * the size of type spinlock_t"), no negative values.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// ---------------------------------------------------------------------------------------------
// Command line

const argv = process.argv.slice(2);
let count = 100;
let seed = 1;
let outDir;
let hard = false;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--hard') hard = true;
  else if (a === '--count') count = Number(argv[++i]);
  else if (a === '--seed') seed = Number(argv[++i]);
  else if (a === '--out') outDir = argv[++i];
  else if (a === '-h' || a === '--help') {
    console.log('usage: node scripts/gen-lkmm-tests.mjs [--hard] --count N --seed S --out DIR');
    process.exit(0);
  } else {
    console.error(`gen-lkmm-tests: unknown argument ${a}`);
    process.exit(2);
  }
}
if (!outDir || !Number.isInteger(count) || count < 0 || !Number.isInteger(seed)) {
  console.error('usage: node scripts/gen-lkmm-tests.mjs --count N --seed S --out DIR');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// PRNG: mulberry32, seeded per test from (seed, n) through a 32-bit integer hash.

function hash32(a, b) {
  let h = (Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x7f4a7c15, 0xc2b2ae35)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d) >>> 0;
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}

function makeRng(s) {
  let st = s >>> 0;
  const next = () => {
    st = (st + 0x6d2b79f5) >>> 0;
    let t = st;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** [[weight, value], ...] */
    weighted: (pairs) => {
      const live = pairs.filter(([w]) => w > 0);
      const total = live.reduce((s, [w]) => s + w, 0);
      let x = next() * total;
      for (const [w, v] of live) {
        if ((x -= w) < 0) return v;
      }
      return live[live.length - 1][1];
    },
  };
  return rng;
}

// ---------------------------------------------------------------------------------------------
// Shapes. Threads separated by `|`, final-value conditions after `;`.
//   Wx1     write 1 to x (label x1)
//   Rx1     read x, reading from the write labelled x1 (Rx0: the initial value)
//   Wp:x    write pointer location p := &x          Rp:x  read p, expecting &x
//   Dx1     read through the pointer just read, expecting the value of write x1 (Dx0: initial)
//   Ia0     increment atomic a, expecting the old value 0     Dn1  dec_and_test(n) returning 1
//   x=2     final value of x is the one of write x2     a:=1  final value of a is literally 1
// Options after `@`: init values (`x=5`, `p=y`, `n=2`), flavor hints (`rcu-read:0`, `sync:1`).

const SHAPES = [
  // [weight, name, spec]
  [10, 'MP', 'Wx1 Wy1 | Ry1 Rx0'],
  [8, 'SB', 'Wx1 Ry0 | Wy1 Rx0'],
  [8, 'LB', 'Rx1 Wy1 | Ry1 Wx1'],
  [6, 'WRC', 'Wx1 | Rx1 Wy1 | Ry1 Rx0'],
  [6, 'ISA2', 'Wx1 Wy1 | Ry1 Wz1 | Rz1 Rx0'],
  [4, 'IRIW', 'Wx1 | Rx1 Ry0 | Wy1 | Ry1 Rx0'],
  [5, '2+2W', 'Wx1 Wy2 | Wy1 Wx2 ; x=1 y=1'],
  [5, 'S', 'Wx2 Wy1 | Ry1 Wx1 ; x=2'],
  [5, 'R', 'Wx1 Wy1 | Wy2 Rx0 ; y=2'],
  [3, 'Z6.0', 'Wx1 Wy1 | Ry1 Wz1 | Wz2 Rx0 ; z=2'],
  [3, 'Z6.1', 'Wx1 Wy1 | Wy2 Wz1 | Rz1 Rx0 ; y=2'],
  [3, 'Z6.2', 'Wx1 Wy1 | Ry1 Wz1 | Rz1 Wx2 ; x=1'],
  [3, 'Z6.3', 'Wx1 Wy1 | Wy2 Wz1 | Rz1 Wx2 ; y=2 x=1'],
  [3, '3.SB', 'Wx1 Ry0 | Wy1 Rz0 | Wz1 Rx0'],
  [3, '3.LB', 'Rx1 Wy1 | Ry1 Wz1 | Rz1 Wx1'],
  [3, 'W+RWC', 'Wx1 Wy1 | Ry1 Rz0 | Wz1 Rx0'],
  [3, 'RWC', 'Wx1 | Rx1 Ry0 | Wy1 Rx0'],
  [2, 'WWC', 'Wx2 | Rx2 Wy1 | Ry1 Wx1 ; x=2'],
  [2, 'CoRR', 'Wx1 | Rx1 Rx0'],
  [2, 'CoWR', 'Wx1 Rx2 | Wx2 ; x=1'],
  [2, 'CoRW', 'Rx2 Wx1 | Wx2 ; x=2'],
  [1, 'CoWW', 'Wx1 Wx2 | Rx2 Rx1'],
  [5, 'MP+ptr', 'Wx1 Wp:x | Rp:x Dx0 @ p=y'],
  [4, 'RCU+ptr', 'Rp:x Dx1 | Wp:y Wx1 @ p=x rcu-read:0 sync:1'],
  [2, 'WRC+ptr', 'Wx1 | Rx1 Wp:x | Rp:x Dx0 @ p=y'],
  [4, 'RCU-MP', 'Rx1 Ry0 | Wy1 Wx1 @ rcu-read:0 sync:1'],
  [2, 'RCU-SB', 'Wx1 Ry0 | Wy1 Rx0 @ rcu-read:0 sync:1'],
  [3, 'CNT', 'Ia0 | Ia0'],
  [2, 'CNT+set', 'Ia0 | Wa5 ; a:=1'],
  [3, 'REF', 'Wx1 Dn0 | Dn1 Rx0 @ n=2'],
  [10, 'RAND', null],
];

function parseSpec(spec) {
  const [body, opts = ''] = spec.split('@');
  const [thr, fin = ''] = body.split(';');
  const threads = thr.split('|').map((t) => t.trim().split(/\s+/).filter(Boolean).map(parseEvent));
  const finals = fin.trim().split(/\s+/).filter(Boolean).map((f) => {
    const lit = /^(\w+):=(\d+)$/.exec(f);
    if (lit) return { loc: lit[1], literal: Number(lit[2]) };
    const m = /^(\w+)=(\d+)$/.exec(f);
    return { loc: m[1], label: m[1] + m[2] };
  });
  const init = {};
  const hints = {};
  for (const o of opts.trim().split(/\s+/).filter(Boolean)) {
    let m;
    if ((m = /^(\w+)=(\w+)$/.exec(o))) init[m[1]] = /^\d+$/.test(m[2]) ? Number(m[2]) : m[2];
    else if ((m = /^([\w-]+):(\d+)$/.exec(o))) hints[m[1]] = Number(m[2]);
  }
  return { threads, finals, init, hints };
}

function parseEvent(s) {
  let m;
  if ((m = /^W(\w):(\w)$/.exec(s))) return { k: 'WP', loc: m[1], target: m[2] };
  if ((m = /^R(\w):(\w)$/.exec(s))) return { k: 'RP', loc: m[1], target: m[2] };
  if ((m = /^W(\w)(\d+)$/.exec(s))) return { k: 'W', loc: m[1], val: Number(m[2]), label: m[1] + m[2] };
  if ((m = /^R(\w)(\d+)$/.exec(s))) return { k: 'R', loc: m[1], from: m[2] === '0' ? null : m[1] + m[2] };
  if ((m = /^D([a-m,o-z])(\d+)$/.exec(s))) return { k: 'D', loc: m[1], from: m[2] === '0' ? null : m[1] + m[2] };
  if ((m = /^I(\w)(\d+)$/.exec(s))) return { k: 'I', loc: m[1], old: Number(m[2]) };
  if ((m = /^Dn(\d)$/.exec(s))) return { k: 'DEC', loc: 'n', ret: Number(m[1]) };
  throw new Error(`bad event ${s}`);
}

/** A random shape: 2-3 threads, 1-3 accesses each on 2-3 locations. */
function randomShape(rng) {
  const nthreads = rng.weighted([[6, 2], [4, 3]]);
  const locs = ['x', 'y', 'z'].slice(0, rng.weighted([[3, 1], [6, 2], [3, 3]]));
  const threads = [];
  const writes = Object.fromEntries(locs.map((l) => [l, []]));
  let nextVal = 1;
  const pending = [];
  for (let t = 0; t < nthreads; t++) {
    const n = rng.weighted([[3, 1], [5, 2], [nthreads === 2 ? 2 : 0, 3]]);
    const evs = [];
    for (let i = 0; i < n; i++) {
      const loc = rng.pick(locs);
      if (rng.chance(0.5)) {
        const val = nextVal++;
        const ev = { k: 'W', loc, val, label: loc + val };
        writes[loc].push(ev);
        evs.push(ev);
      } else {
        const ev = { k: 'R', loc, from: null };
        pending.push(ev);
        evs.push(ev);
      }
    }
    threads.push(evs);
  }
  for (const r of pending) {
    const ws = writes[r.loc];
    r.from = ws.length && rng.chance(0.6) ? rng.pick(ws).label : null;
  }
  const finals = [];
  for (const l of locs) {
    if (writes[l].length > 1 && rng.chance(0.5)) finals.push({ loc: l, label: rng.pick(writes[l]).label });
  }
  return { threads, finals, init: {}, hints: {} };
}

// ---------------------------------------------------------------------------------------------
// One test

const SFX = ['', '_relaxed', '_acquire', '_release'];

function genTest(rng, name, shapeName, spec) {
  const shape = spec === null ? randomShape(rng) : parseSpec(spec);
  const { threads: absThreads, finals, hints } = shape;

  // Locations: kind (int or atomic_t) and concrete name.
  const allEvents = absThreads.flat();
  const absLocs = [...new Set(allEvents.map((e) => e.loc))];
  const ptrTargets = new Set(allEvents.filter((e) => e.k === 'WP' || e.k === 'RP').map((e) => e.target));
  if (typeof shape.init.p === 'string') ptrTargets.add(shape.init.p);
  const kind = {};
  const writers = {};
  for (const e of allEvents) if (e.k === 'W' || e.k === 'I') writers[e.loc] = (writers[e.loc] ?? 0) + 1;
  for (const l of absLocs) {
    if (l === 'p') kind[l] = 'ptr';
    else if (l === 'n' || allEvents.some((e) => e.loc === l && e.k === 'I')) kind[l] = 'atomic';
    else if (ptrTargets.has(l) || allEvents.some((e) => e.loc === l && e.k === 'D')) kind[l] = 'int';
    else kind[l] = rng.chance(0.28) ? 'atomic' : 'int';
  }
  for (const t of ptrTargets) kind[t] = 'int';
  const atomicNames = ['a', 'b', 'c', 'd'];
  const cname = {};
  let ai = 0;
  for (const l of [...absLocs].sort()) {
    if (kind[l] === 'atomic' && l !== 'n' && !/^[a-d]$/.test(l)) cname[l] = atomicNames[ai++];
    else cname[l] = l;
  }
  for (const l of ptrTargets) cname[l] = l;
  // Avoid clashes between renamed atomics and locations already named a..d (CNT shapes).
  const used = new Set();
  for (const l of Object.keys(cname)) {
    while (used.has(cname[l])) cname[l] = atomicNames[ai++] ?? `v${ai}`;
    used.add(cname[l]);
  }

  // Initial values.
  const init = {};
  for (const l of absLocs) {
    if (kind[l] === 'ptr') continue;
    init[l] = typeof shape.init[l] === 'number' ? shape.init[l] : 0;
    if (kind[l] === 'int' && !ptrTargets.has(l) && init[l] === 0 && rng.chance(0.06)) init[l] = 5;
  }
  for (const t of ptrTargets) if (init[t] === undefined) init[t] = 0;
  const labels = new Map();
  for (const e of allEvents) if (e.label) labels.set(e.label, e);

  // Flavor: whole-test biases toward locks, RCU or SRCU.
  const flavor = rng.weighted([
    [50, 'plain'],
    [20, 'lock'],
    [hints['rcu-read'] !== undefined ? 60 : 14, 'rcu'],
    [3, 'srcu'],
  ]);
  const nthreads = absThreads.length;
  const syncThread = hints.sync ?? rng.int(nthreads);
  const readThread = hints['rcu-read'] ?? (syncThread + 1) % nthreads;

  const test = { usesLock: false, usesSrcu: false, isLocked: 0 };

  // Per thread plan.
  const threads = absThreads.map((evs, tid) => {
    const th = {
      tid,
      evs: evs.map((e) => ({ ...e, abs: e })),
      links: [],
      lockMode: 'none',
      rcuMode: 'none',
      srcu: false,
      regs: [],
      nregs: 0,
      params: new Set(),
      ops: evs.length,
    };
    return th;
  });

  // Event implementations (decided first: links depend on them).
  for (const th of threads) {
    for (const e of th.evs) chooseImpl(rng, e, kind, writers, init);
  }

  // Thread wrappers.
  let lockBudget = nthreads >= 3 || allEvents.length > 5 ? 2 : 3;
  for (const th of threads) {
    const n = th.evs.length;
    let pLock = flavor === 'lock' ? 0.7 : 0.08;
    if (th.evs.some((e) => e.k === 'RP' || e.k === 'D')) pLock /= 2;
    // herd's time grows fast with the number of critical sections: at most 3 per test.
    if (lockBudget > 0 && rng.chance(pLock)) {
      th.lockMode = rng.weighted([[6, 'whole'], [n > 1 && lockBudget >= n ? 3 : 0, 'each'], [n > 1 ? 1 : 0, 'first'], [n > 1 ? 1 : 0, 'last'], [2, 'trylock']]);
      lockBudget -= th.lockMode === 'each' ? n : 1;
      th.afterLock = rng.weighted([[6, null], [2, 'smp_mb__after_spinlock();'], [2, 'smp_mb__after_unlock_lock();']]);
      test.usesLock = true;
    }
    if (flavor === 'rcu') {
      if (th.tid === readThread || (th.tid !== syncThread && rng.chance(0.3))) th.rcuMode = n > 1 && rng.chance(0.15) ? 'each' : 'whole';
    } else if (rng.chance(0.05)) th.rcuMode = 'whole';
    if (th.rcuMode === 'each' && th.lockMode !== 'none' && th.lockMode !== 'whole') th.rcuMode = 'whole';
    if (flavor === 'srcu' && th.tid === readThread) {
      th.srcu = true;
      test.usesSrcu = true;
    }
    if (th.rcuMode !== 'none' && th.lockMode !== 'none') th.rcuOuter = rng.chance(0.5);
  }

  // Links between consecutive events.
  for (const th of threads) {
    for (let i = 0; i + 1 < th.evs.length; i++) {
      const a = th.evs[i];
      const b = th.evs[i + 1];
      const ctrlOk = a.hasReg && !a.regIsPtr && th.lockMode !== 'each' && th.lockMode !== 'first' && th.lockMode !== 'last' && th.rcuMode !== 'each' && b.k !== 'D';
      const dataOk = a.hasReg && !a.regIsPtr && b.valueArg && b.k === 'W';
      const isSync = flavor === 'rcu' && th.tid === syncThread;
      const isSrcuSync = flavor === 'srcu' && th.tid === syncThread;
      if (b.k === 'D') {
        // The dereference reads through a's register: keep it simple, at most a fence.
        th.links.push(rng.chance(0.2) ? { kind: 'fence', line: rng.pick(['smp_rmb();', 'smp_mb();', 'barrier();']) } : { kind: 'po' });
        continue;
      }
      const link = rng.weighted([
        [isSync || isSrcuSync ? 3 : 25, 'po'],
        [30, 'fence'],
        [dataOk ? 14 : 0, 'data'],
        [ctrlOk ? 14 : 0, 'ctrl'],
        [isSync ? 60 : 0, 'sync'],
        [isSrcuSync ? 60 : 0, 'srcusync'],
      ]);
      if (link === 'po') th.links.push({ kind: 'po' });
      else if (link === 'sync') th.links.push({ kind: 'fence', line: rng.chance(0.85) ? 'synchronize_rcu();' : 'smp_mb();' });
      else if (link === 'srcusync') {
        th.links.push({ kind: 'fence', line: 'synchronize_srcu(s);' });
        test.usesSrcu = true;
        th.params.add('s');
      } else if (link === 'fence') {
        th.links.push({ kind: 'fence', line: pickFence(rng, a, b, flavor) });
        th.ops++;
      } else if (link === 'data') {
        b.dataFrom = a;
        b.dataPlus = rng.chance(0.3) ? 1 : 0;
        th.links.push({ kind: 'data' });
      } else {
        b.ctrlFrom = a;
        b.ctrlForm = rng.weighted([[5, 'eq'], [3, 'nz'], [3, 'else']]);
        th.links.push({ kind: 'ctrl' });
      }
    }
  }

  // Values: a write's actual value follows its data dependency; reads expect their source's value.
  const valState = new Map();
  const writeVal = (w) => {
    if (!w.dataFrom) return w.val;
    if (valState.get(w) === 'busy') return w.val;
    if (valState.has(w)) return valState.get(w);
    valState.set(w, 'busy');
    const v = readExpect(w.dataFrom) + w.dataPlus;
    valState.set(w, v);
    return v;
  };
  const concreteOf = (abs) => threads.flatMap((t) => t.evs).find((e) => e.abs === abs);
  const readExpect = (r) => {
    if (r.k === 'I') return r.old;
    if (r.k === 'DEC') return r.ret;
    if (r.k === 'RP') return r.target;
    if (r.k === 'W') return r.rmwOld ?? 0;
    if (r.from === null || r.from === undefined) return init[r.loc];
    return writeVal(concreteOf(labels.get(r.from)));
  };

  // Emit each thread.
  const lockName = 'l';
  for (const th of threads) {
    th.body = [];
    emitThread(rng, th, { kind, cname, init, readExpect, writeVal, lockName, test, flavor });
  }

  // Extra operations (fences, reads, spin_is_locked) up to 4 per thread.
  for (const th of threads) {
    while (th.ops < 4 && rng.chance(0.22)) {
      th.ops++;
      const choice = rng.weighted([[5, 'fence'], [3, 'read'], [test.usesLock && test.isLocked < 2 ? 3 : 0, 'islocked']]);
      let lines;
      if (choice === 'fence') lines = [pickFence(rng, null, null, flavor)];
      else if (choice === 'islocked') {
        const r = newReg(th, 'int');
        test.isLocked++;
        lines = [`${r} = spin_is_locked(${lockName});`];
        th.params.add(lockName);
        th.extraConds ??= [];
        if (rng.chance(0.4)) th.extraConds.push(`${th.tid}:${r}=${rng.int(2)}`);
      } else {
        const locs = [...th.params].filter((p) => p !== 'p' && p !== lockName && p !== 's');
        if (locs.length === 0) {
          lines = ['smp_mb();'];
        } else {
          const c = rng.pick(locs);
          const r = newReg(th, 'int');
          const isAtomic = Object.keys(cname).some((l) => cname[l] === c && kind[l] === 'atomic');
          lines = [isAtomic ? `${r} = atomic_read(${c});` : `${r} = READ_ONCE(*${c});`];
        }
      }
      // Insert at a point between top-level statements (start, end, or a gap).
      const pos = rng.pick(th.insertPoints);
      th.body.splice(pos, 0, ...lines.map((l) => th.indentAt.get(pos) + l));
      // Shift later insertion points.
      const ip = [];
      const ind = new Map();
      for (const p of th.insertPoints) {
        const q = p >= pos ? p + lines.length : p;
        ip.push(q);
        ind.set(q, th.indentAt.get(p));
      }
      ip.push(pos);
      ind.set(pos, th.indentAt.get(pos));
      th.insertPoints = [...new Set(ip)];
      th.indentAt = ind;
    }
  }

  // Condition.
  const conj = [];
  for (const th of threads) {
    for (const e of th.evs) {
      if (!e.reg || e.noCond) continue;
      const v = e.k === 'I' ? e.condVal : readExpect(e);
      conj.push(`${th.tid}:${e.reg}=${v}`);
    }
    if (th.extraConds) conj.push(...th.extraConds);
  }
  for (const f of finals) {
    const v = f.literal ?? writeVal(concreteOf(labels.get(f.label)));
    conj.push(`${cname[f.loc]}=${v}`);
  }
  if (conj.length === 0) conj.push(`${cname[absLocs.find((l) => kind[l] !== 'ptr')]}=${1}`);
  let condParts = conj;
  const mutate = rng.next();
  if (mutate < 0.1 && conj.length > 1) {
    const drop = rng.int(conj.length);
    condParts = conj.filter((_, i) => i !== drop);
  }
  else if (mutate < 0.18) {
    const i = rng.int(conj.length);
    condParts = conj.map((c, j) => (j === i ? c.replace(/=(\d+)$/, (_, d) => `=${d === '0' ? 1 : 0}`) : c));
  }
  const joiner = rng.chance(0.04) && condParts.length > 1 ? ' \\/ ' : ' /\\ ';
  const cond = `exists (${condParts.join(joiner)})`;

  // Init section.
  const initLines = [];
  const ptrInit = shape.init.p;
  const declared = new Set();
  const explicit = rng.chance(0.6) || ptrInit !== undefined || Object.values(init).some((v) => v !== 0);
  if (explicit) {
    for (const l of Object.keys(init).sort()) {
      if (init[l] === 0 && !ptrTargets.has(l) && rng.chance(0.3)) continue;
      const c = cname[l];
      if (kind[l] === 'atomic') initLines.push(rng.chance(0.7) || init[l] !== 0 ? `atomic_t ${c} = ATOMIC_INIT(${init[l]});` : `atomic_t ${c};`);
      else initLines.push(init[l] === 0 && rng.chance(0.3) ? `int ${c};` : `int ${c} = ${init[l]};`);
      declared.add(l);
    }
    if (ptrInit !== undefined) initLines.push(`int *p = ${ptrInit};`);
  }

  // Text.
  const out = [`C ${name}`, ''];
  if (initLines.length === 0) out.push('{}');
  else out.push('{', ...initLines.map((l) => `\t${l}`), '}');
  out.push('');
  const paramOrder = (p) => {
    if (p === lockName) return [3, p];
    if (p === 's') return [4, p];
    if (p === 'p') return [1, p];
    const isAtomic = Object.keys(cname).some((l) => cname[l] === p && kind[l] === 'atomic');
    return [isAtomic ? 2 : 0, p];
  };
  for (const th of threads) {
    const ps = [...th.params].map(paramOrder).sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)).map(([k, p]) => {
      if (k === 3) return `spinlock_t *${p}`;
      if (k === 4) return `struct srcu_struct *${p}`;
      if (k === 1) return `int **${p}`;
      if (k === 2) return `atomic_t *${p}`;
      return `int *${p}`;
    });
    out.push(`P${th.tid}(${ps.join(', ')})`, '{');
    for (const [r, t] of th.regs) out.push(t === 'ptr' ? `\tint *${r};` : `\tint ${r};`);
    if (th.regs.length) out.push('');
    out.push(...th.body.map((l) => `\t${l}`));
    out.push('}', '');
  }
  out.push(cond, '');
  return out.join('\n');
}

function newReg(th, type) {
  const r = type === 'idx' ? 'idx' : `r${th.nregs++}`;
  th.regs.push([r, type]);
  return r;
}

function pickFence(rng, a, b, flavor) {
  const aRmw = a?.rmw;
  const bRmw = b?.rmw;
  return rng.weighted([
    [14, 'smp_mb();'],
    [a && b && a.k !== 'W' && b.k !== 'W' ? 8 : 3, 'smp_rmb();'],
    [a && b && a.k === 'W' && b.k === 'W' ? 8 : 3, 'smp_wmb();'],
    [3, 'barrier();'],
    [bRmw ? 8 : 1, 'smp_mb__before_atomic();'],
    [aRmw ? 8 : 1, 'smp_mb__after_atomic();'],
    [flavor === 'rcu' ? 3 : 1, 'synchronize_rcu();'],
  ]);
}

/** Choose how an abstract access is written. Sets e.stmt(valueExpr, regName) builders. */
function chooseImpl(rng, e, kind, writers, init) {
  const k = kind[e.loc];
  const sfx = () => rng.pick(SFX);
  if (e.k === 'W') {
    const single = (writers[e.loc] ?? 0) <= 1;
    const old = init[e.loc];
    e.valueArg = true;
    if (k === 'atomic') {
      const form = rng.weighted([
        [20, 'set'], [4, 'setrel'], [8, 'xchg'], [6, 'cmpxchg'],
        [single ? 6 : 0, 'addret'], [single ? 6 : 0, 'fetchadd'], [single ? 5 : 0, 'add'], [single && e.val === 1 ? 5 : 0, 'inc'],
      ]);
      const s = sfx();
      e.rmw = !['set', 'setrel'].includes(form);
      e.hasReg = ['xchg', 'cmpxchg', 'addret', 'fetchadd'].includes(form);
      if (form === 'inc') e.valueArg = false;
      e.build = (c, v, r) => ({
        set: `atomic_set(${c}, ${v});`,
        setrel: `atomic_set_release(${c}, ${v});`,
        xchg: `${r} = atomic_xchg${s}(${c}, ${v});`,
        cmpxchg: `${r} = atomic_cmpxchg${s}(${c}, ${old}, ${v});`,
        addret: `${r} = atomic_add_return${s}(${v}, ${c});`,
        fetchadd: `${r} = atomic_fetch_add${s}(${v}, ${c});`,
        add: `atomic_add(${v}, ${c});`,
        inc: `atomic_inc(${c});`,
      })[form];
      e.rmwOld = form === 'addret' ? null : old;
      e.form = form;
    } else {
      const form = rng.weighted([[30, 'once'], [6, 'plain'], [15, 'rel'], [5, 'mb'], [8, 'xchg'], [6, 'cmpxchg']]);
      const s = sfx();
      e.rmw = form === 'xchg' || form === 'cmpxchg';
      e.hasReg = e.rmw;
      e.build = (c, v, r) => ({
        once: `WRITE_ONCE(*${c}, ${v});`,
        plain: `*${c} = ${v};`,
        rel: `smp_store_release(${c}, ${v});`,
        mb: `smp_store_mb(*${c}, ${v});`,
        xchg: `${r} = xchg${s}(${c}, ${v});`,
        cmpxchg: `${r} = cmpxchg${s}(${c}, ${old}, ${v});`,
      })[form];
      e.rmwOld = old;
      e.form = form;
    }
    // The old value an RMW write returns is not part of the cycle: keep it out of the condition.
    e.noCond = true;
  } else if (e.k === 'R') {
    e.hasReg = true;
    if (k === 'atomic') {
      const form = rng.weighted([[30, 'read'], [6, 'readacq'], [5, 'fetchadd0'], [3, 'addret0'], [3, 'cmpxchgfail']]);
      const s = sfx();
      e.rmw = form !== 'read' && form !== 'readacq';
      e.build = (c, _v, r) => ({
        read: `${r} = atomic_read(${c});`,
        readacq: `${r} = atomic_read_acquire(${c});`,
        fetchadd0: `${r} = atomic_fetch_add${s}(0, ${c});`,
        addret0: `${r} = atomic_add_return${s}(0, ${c});`,
        cmpxchgfail: `${r} = atomic_cmpxchg${s}(${c}, 9, 10);`,
      })[form];
    } else {
      const form = rng.weighted([[35, 'once'], [6, 'plain'], [15, 'acq'], [3, 'cmpxchgfail']]);
      const s = sfx();
      e.rmw = form === 'cmpxchgfail';
      e.build = (c, _v, r) => ({
        once: `${r} = READ_ONCE(*${c});`,
        plain: `${r} = *${c};`,
        acq: `${r} = smp_load_acquire(${c});`,
        cmpxchgfail: `${r} = cmpxchg${s}(${c}, 9, 10);`,
      })[form];
    }
  } else if (e.k === 'WP') {
    e.valueArg = false;
    const form = rng.weighted([[6, 'assign'], [2, 'once'], [2, 'rel']]);
    e.build = (c) => ({
      assign: `rcu_assign_pointer(*${c}, ${e.target});`,
      once: `WRITE_ONCE(*${c}, ${e.target});`,
      rel: `smp_store_release(${c}, ${e.target});`,
    })[form];
  } else if (e.k === 'RP') {
    e.hasReg = true;
    e.regIsPtr = true;
    const form = rng.weighted([[6, 'deref'], [3, 'once'], [1, 'acq']]);
    e.build = (c, _v, r) => ({
      deref: `${r} = rcu_dereference(*${c});`,
      once: `${r} = READ_ONCE(*${c});`,
      acq: `${r} = smp_load_acquire(${c});`,
    })[form];
  } else if (e.k === 'D') {
    e.hasReg = true;
    const form = rng.weighted([[8, 'once'], [1, 'plain'], [1, 'acq']]);
    e.build = (ptrReg, _v, r) => ({
      once: `${r} = READ_ONCE(*${ptrReg});`,
      plain: `${r} = *${ptrReg};`,
      acq: `${r} = smp_load_acquire(${ptrReg});`,
    })[form];
  } else if (e.k === 'I') {
    const form = rng.weighted([[5, 'fetchadd'], [3, 'addret'], [2, 'inc'], [2, 'add']]);
    const s = sfx();
    e.rmw = true;
    e.hasReg = form === 'fetchadd' || form === 'addret';
    e.build = (c, _v, r) => ({
      fetchadd: `${r} = atomic_fetch_add${s}(1, ${c});`,
      addret: `${r} = atomic_add_return${s}(1, ${c});`,
      inc: `atomic_inc(${c});`,
      add: `atomic_add(1, ${c});`,
    })[form];
    e.retPlus = form === 'addret' ? 1 : 0;
  } else if (e.k === 'DEC') {
    e.rmw = true;
    e.hasReg = true;
    e.build = (c, _v, r) => `${r} = atomic_dec_and_test(${c});`;
  }
}

function emitThread(rng, th, ctx) {
  const { cname, readExpect, writeVal, lockName, test } = ctx;
  const body = th.body;
  let depth = 0;
  const ind = () => '\t'.repeat(depth);
  const insertPoints = [];
  const indentAt = new Map();
  const mark = () => {
    insertPoints.push(body.length);
    indentAt.set(body.length, ind());
  };
  let tryReg;
  const openLock = () => {
    if (th.lockMode === 'trylock') {
      tryReg = newReg(th, 'int');
      body.push(`${ind()}${tryReg} = spin_trylock(${lockName});`);
      th.extraConds ??= [];
      if (rng.chance(0.3)) th.extraConds.push(`${th.tid}:${tryReg}=1`);
    } else {
      body.push(`${ind()}spin_lock(${lockName});`);
      if (th.afterLock) body.push(`${ind()}${th.afterLock}`);
    }
    th.params.add(lockName);
  };
  const closeLock = () => {
    if (th.lockMode === 'trylock') body.push(`${ind()}if (${tryReg}) spin_unlock(${lockName});`);
    else body.push(`${ind()}spin_unlock(${lockName});`);
  };
  let idxReg;
  const openSrcu = () => {
    idxReg = newReg(th, 'idx');
    body.push(`${ind()}${idxReg} = srcu_read_lock(s);`);
    th.params.add('s');
  };
  const closeSrcu = () => body.push(`${ind()}srcu_read_unlock(s, ${idxReg});`);
  const lockWhole = th.lockMode === 'whole' || th.lockMode === 'trylock';
  const rcuWhole = th.rcuMode === 'whole';
  // Outer-to-inner wrappers.
  const wrappers = [];
  if (th.srcu) wrappers.push([openSrcu, closeSrcu]);
  const rcuPair = [() => body.push(`${ind()}rcu_read_lock();`), () => body.push(`${ind()}rcu_read_unlock();`)];
  const lockPair = [openLock, closeLock];
  if (rcuWhole && lockWhole) {
    if (th.rcuOuter) wrappers.push(rcuPair, lockPair);
    else wrappers.push(lockPair, rcuPair);
  } else if (rcuWhole) wrappers.push(rcuPair);
  else if (lockWhole) wrappers.push(lockPair);

  mark();
  for (const [open] of wrappers) {
    open();
    mark();
  }
  const n = th.evs.length;
  let lastPtrReg;
  for (let i = 0; i < n; i++) {
    const e = th.evs[i];
    const eachLock = th.lockMode === 'each' || (th.lockMode === 'first' && i === 0) || (th.lockMode === 'last' && i === n - 1);
    const eachRcu = th.rcuMode === 'each';
    // Registers and the statement.
    if (e.hasReg) e.reg = newReg(th, e.k === 'RP' ? 'ptr' : 'int');
    let stmt;
    if (e.k === 'D') {
      stmt = e.build(lastPtrReg, null, e.reg);
    } else {
      const c = cname[e.loc];
      th.params.add(c);
      if (e.k === 'WP') th.params.add(e.target);
      let v = e.k === 'W' ? String(writeVal(e)) : null;
      if (e.dataFrom) v = e.dataPlus ? `${e.dataFrom.reg} + ${e.dataPlus}` : e.dataFrom.reg;
      stmt = e.build(c, v, e.reg);
    }
    if (e.k === 'RP') lastPtrReg = e.reg;
    // Condition bookkeeping for the special events.
    if (e.k === 'I') {
      if (e.reg) e.condVal = e.old + e.retPlus;
    }
    let lines = [stmt];
    if (e.ctrlFrom) {
      const r = e.ctrlFrom.reg;
      const exp = readExpect(e.ctrlFrom);
      if (e.ctrlForm === 'eq') lines = [`if (${r} == ${exp}) ${stmt}`];
      else if (e.ctrlForm === 'nz') lines = [`if (${r}) ${stmt}`];
      else {
        const alt = rng.weighted([
          [3, stmt],
          [2, e.k === 'W' && e.valueArg && e.form !== 'cmpxchg' && !e.hasReg ? e.build(cname[e.loc], '3', e.reg) : 'smp_mb();'],
          [2, 'smp_mb();'],
          [1, 'barrier();'],
        ]);
        const cnd = rng.chance(0.5) ? r : `${r} == ${exp}`;
        lines = [`if (${cnd}) {`, `\t${stmt}`, '} else {', `\t${alt}`, '}'];
      }
    }
    if (eachRcu) body.push(`${ind()}rcu_read_lock();`);
    if (eachLock) openLock();
    for (const l of lines) body.push(ind() + l);
    if (eachLock) closeLock();
    if (eachRcu) body.push(`${ind()}rcu_read_unlock();`);
    // Link to the next event.
    if (i + 1 < n) {
      const link = th.links[i];
      if (link.kind !== 'ctrl') mark();
      if (link.kind === 'fence') {
        body.push(ind() + link.line);
        if (link.line === 'synchronize_srcu(s);') test.usesSrcu = true;
        mark();
      }
    }
  }
  mark();
  for (const [, close] of [...wrappers].reverse()) {
    close();
    mark();
  }
  // Special condition values.
  for (const e of th.evs) {
    if (e.k === 'I' && e.reg) e.noCond = false;
  }
  th.insertPoints = [...new Set(insertPoints)];
  th.indentAt = indentAt;
}

// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// --hard: tests aimed at the model's corners (names `H<seed>-<n>+<template>`, a stream of their
// own, so the default output for a seed is unchanged):
//   rcu     cycles of 2-4 threads with 1-2 grace periods and 1-3 readers (rcu-order recursion),
//           nested rcu_read_lock sections, split sections, sections covering one access;
//   srcu    the same with synchronize_srcu/srcu_read_lock on one or two srcu_structs, the index
//           sometimes passed through memory (WRITE_ONCE then READ_ONCE before the unlock),
//           srcu_down_read/srcu_up_read, smp_mb__after_srcu_read_unlock;
//   lock    cycles through lock handovers: smp_mb__after_unlock_lock / smp_mb__after_spinlock
//           after spin_lock, a thread's unlock then lock (po-unlock-lock-po), sections over one
//           access;
//   links   cycles whose threads are linked by fences, smp_store_mb, full and relaxed RMWs used
//           as fences (failed cmpxchg and failed atomic_add_unless: no ordering),
//           smp_mb__before/after_atomic around non-returning atomics and around atomic_read /
//           atomic_set (not RMWs), data and control dependencies (also carried through a
//           thread-private location, plain or marked), control dependencies ending at the join
//           (no ordering), if/else with the write in both branches;
//   mixed   cycles with roles and links of all the above;
//   ptr     address dependencies through pointers (rcu_dereference / READ_ONCE / acquire, also
//           through a private pointer location), addr to a plain write followed by smp_wmb, RCU
//           removal (publish, synchronize_rcu, poison);
//   trylock spin_trylock failing paths that read the lock, spin_is_locked in and outside
//           critical sections;
//   rmwseq  release sequences: chains of RMWs (xchg_relaxed reading another thread's xchg,
//           atomic_inc, add_unless, failing cmpxchg breaking the chain);
//   plain   plain accesses and data races: plain writes with marked reads, plain accesses under
//           locks or release/acquire, next to barrier(), plain and marked accesses to one
//           location in one thread;
//   srcux   an SRCU index carried across threads (srcu_down_read in one, srcu_up_read in another).
// Registers the exists clause does not mention are shown through a `locations` line.

class HTest {
  constructor(rng, name) {
    this.rng = rng;
    this.name = name;
    this.locs = new Map();
    this.threads = [];
    this.cond = [];
    this.shown = [];
    this.lockSections = 0;
  }

  loc(name, type, init = 0) {
    if (!this.locs.has(name)) this.locs.set(name, { type, init });
    return name;
  }

  thread() {
    const th = new HThread(this, this.threads.length);
    this.threads.push(th);
    return th;
  }

  render() {
    const out = [`C ${this.name}`, ''];
    const init = [];
    for (const [n, l] of [...this.locs].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (l.type === 'int') init.push(l.init === 0 && this.rng.chance(0.3) ? `int ${n};` : `int ${n} = ${l.init};`);
      else if (l.type === 'atomic') init.push(`atomic_t ${n} = ATOMIC_INIT(${l.init});`);
      else if (l.type === 'ptr') init.push(`int *${n} = ${l.init};`);
    }
    if (init.length === 0) out.push('{}');
    else out.push('{', ...init.map((l) => `\t${l}`), '}');
    out.push('');
    const order = { int: 0, ptr: 1, atomic: 2, lock: 3, srcu: 4 };
    const decl = { int: 'int *', ptr: 'int **', atomic: 'atomic_t *', lock: 'spinlock_t *', srcu: 'struct srcu_struct *' };
    for (const th of this.threads) {
      const ps = [...th.params]
        .map((p) => [order[this.locs.get(p).type], p])
        .sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1))
        .map(([, p]) => `${decl[this.locs.get(p).type]}${p}`);
      out.push(`P${th.tid}(${ps.join(', ')})`, '{');
      for (const [r, t] of th.regs) out.push(t === 'ptr' ? `\tint *${r};` : `\tint ${r};`);
      if (th.regs.length) out.push('');
      out.push(...th.body.map((l) => `\t${l}`));
      out.push('}', '');
    }
    const cond = this.cond.length ? this.cond : [this.shown.shift() ?? `${[...this.locs.keys()].find((l) => this.locs.get(l).type === 'int')}=0`].map((c) => (c.includes('=') ? c : `${c}=0`));
    const shown = this.shown.filter((s) => !cond.some((c) => c.startsWith(`${s}=`)));
    if (shown.length) out.push(`locations [${shown.join('; ')}]`);
    out.push(`exists (${cond.join(' /\\ ')})`, '');
    return out.join('\n');
  }
}

class HThread {
  constructor(test, tid) {
    this.test = test;
    this.tid = tid;
    this.params = new Set();
    this.regs = [];
    this.body = [];
    this.depth = 0;
  }

  reg(type = 'int') {
    const r = `r${this.regs.length}`;
    this.regs.push([r, type]);
    return r;
  }

  use(...locs) {
    for (const l of locs) this.params.add(l);
  }

  line(s) {
    this.body.push('\t'.repeat(this.depth) + s);
  }

  lines(ls) {
    for (const l of ls) this.line(l);
  }

  show(r) {
    this.test.shown.push(`${this.tid}:${r}`);
  }

  expect(r, v) {
    this.test.cond.push(`${this.tid}:${r}=${v}`);
  }

  /** A thread-private location (int unless told). */
  priv(prefix, type = 'int', init = 0) {
    const n = this.test.loc(`${prefix}${this.tid}`, type, init);
    this.use(n);
    return n;
  }
}

/** A write of v (or of valueExpr) to loc; returns { lines, rmw, form }. */
function hWrite(rng, th, loc, v, o = {}) {
  const T = th.test;
  const { type, init } = T.locs.get(loc);
  th.use(loc);
  const val = o.valueExpr ?? String(v);
  const s = rng.pick(SFX);
  let form = o.force;
  const rel = !o.absolute;
  if (type === 'atomic') {
    form ??= rng.weighted([
      [10, 'set'], [4, 'setrel'], [5, 'xchg'], [3, 'cmpxchg'], [rel ? 4 : 0, 'add'],
      [rel && v === 1 && !o.valueExpr && init === 0 ? 3 : 0, 'inc'], [rel ? 3 : 0, 'addret'], [rel ? 3 : 0, 'fetchadd'], [rel ? 3 : 0, 'addunless'],
    ]);
    const needReg = ['xchg', 'cmpxchg', 'addret', 'fetchadd', 'addunless'].includes(form);
    const r = needReg ? th.reg() : null;
    if (r && rng.chance(0.3)) th.show(r);
    const line = {
      set: `atomic_set(${loc}, ${val});`,
      setrel: `atomic_set_release(${loc}, ${val});`,
      xchg: `${r} = atomic_xchg${s}(${loc}, ${val});`,
      cmpxchg: `${r} = atomic_cmpxchg${s}(${loc}, ${init}, ${val});`,
      add: `atomic_add(${val}, ${loc});`,
      inc: `atomic_inc(${loc});`,
      addret: `${r} = atomic_add_return${s}(${val}, ${loc});`,
      fetchadd: `${r} = atomic_fetch_add${s}(${val}, ${loc});`,
      addunless: `${r} = atomic_add_unless(${loc}, ${val}, 7);`,
    }[form];
    return { lines: [line], rmw: !['set', 'setrel'].includes(form), form };
  }
  form ??= rng.weighted([[12, 'once'], [5, 'plain'], [6, 'rel'], [3, 'mb'], [4, 'xchg'], [3, 'cmpxchg']]);
  const r = form === 'xchg' || form === 'cmpxchg' ? th.reg() : null;
  if (r && rng.chance(0.3)) th.show(r);
  const line = {
    once: `WRITE_ONCE(*${loc}, ${val});`,
    plain: `*${loc} = ${val};`,
    rel: `smp_store_release(${loc}, ${val});`,
    mb: `smp_store_mb(*${loc}, ${val});`,
    xchg: `${r} = xchg${s}(${loc}, ${val});`,
    cmpxchg: `${r} = cmpxchg${s}(${loc}, ${init}, ${val});`,
  }[form];
  return { lines: [line], rmw: form === 'xchg' || form === 'cmpxchg', form };
}

/** A read of loc; returns { lines, reg, rmw, form }. */
function hRead(rng, th, loc, o = {}) {
  const { type } = th.test.locs.get(loc);
  th.use(loc);
  const r = th.reg();
  const s = rng.pick(SFX);
  if (type === 'atomic') {
    const form = o.force ?? rng.weighted([[12, 'read'], [4, 'readacq'], [3, 'fetchadd0'], [2, 'cmpxchgfail']]);
    const line = {
      read: `${r} = atomic_read(${loc});`,
      readacq: `${r} = atomic_read_acquire(${loc});`,
      fetchadd0: `${r} = atomic_fetch_add${s}(0, ${loc});`,
      cmpxchgfail: `${r} = atomic_cmpxchg${s}(${loc}, 9, 10);`,
    }[form];
    return { lines: [line], reg: r, rmw: form === 'fetchadd0' || form === 'cmpxchgfail', form };
  }
  const form = o.force ?? rng.weighted([[12, 'once'], [5, 'plain'], [6, 'acq'], [2, 'cmpxchgfail']]);
  const line = {
    once: `${r} = READ_ONCE(*${loc});`,
    plain: `${r} = *${loc};`,
    acq: `${r} = smp_load_acquire(${loc});`,
    cmpxchgfail: `${r} = cmpxchg${s}(${loc}, 9, 10);`,
  }[form];
  return { lines: [line], reg: r, rmw: form === 'cmpxchgfail', form };
}

// Roles of a thread in a cycle: how its two accesses are wrapped.
const RCU_ROLES = ['rd-whole', 'rd-nest-all', 'rd-nest-a', 'rd-nest-b', 'rd-split', 'rd-a-only'];
const LOCK_ROLES = ['lk-whole', 'lk-a', 'lk-b', 'lk-ul'];

/** Opens a read-side section of domain dom ('rcu' or an srcu_struct); returns its token. */
function rsOpen(rng, th, dom) {
  if (dom === 'rcu') {
    th.line('rcu_read_lock();');
    return { dom };
  }
  th.test.loc(dom, 'srcu');
  th.use(dom);
  const r = th.reg();
  const down = rng.chance(0.12);
  th.line(`${r} = ${down ? 'srcu_down_read' : 'srcu_read_lock'}(${dom});`);
  const tok = { dom, reg: r, down };
  // The index through memory: once per test (herd's time again).
  if (!th.test.viaUsed && rng.chance(0.35)) {
    th.test.viaUsed = true;
    const n = `i${th.tid}`;
    if (!th.test.locs.has(n)) {
      th.test.loc(n, 'int', rng.chance(0.3) ? 7 : 0);
      th.use(n);
      tok.via = n;
      tok.plain = rng.chance(0.3);
      th.line(tok.plain ? `*${n} = ${r};` : rng.chance(0.8) ? `WRITE_ONCE(*${n}, ${r});` : `smp_store_release(${n}, ${r});`);
    }
  }
  return tok;
}

function rsClose(rng, th, tok) {
  if (tok.dom === 'rcu') {
    th.line('rcu_read_unlock();');
    return;
  }
  let r = tok.reg;
  if (tok.via) {
    r = th.reg();
    th.line(tok.plain ? `${r} = *${tok.via};` : `${r} = READ_ONCE(*${tok.via});`);
  }
  th.line(`${tok.down ? 'srcu_up_read' : 'srcu_read_unlock'}(${tok.dom}, ${r});`);
  if (rng.chance(0.12)) th.line('smp_mb__after_srcu_read_unlock();');
}

function lockOpen(rng, th, l, aul) {
  th.test.loc(l, 'lock');
  th.use(l);
  th.test.lockSections++;
  th.line(`spin_lock(${l});`);
  const after = rng.weighted([[aul ? 2 : 5, null], [3, 'smp_mb__after_spinlock();'], [aul ? 6 : 3, 'smp_mb__after_unlock_lock();']]);
  if (after) th.line(after);
}

const lockClose = (th, l) => th.line(`spin_unlock(${l});`);

/**
 * The link between a thread's two accesses a (already emitted, { kind, reg, expect, ... }) and b.
 * Returns { pre: lines before b, wrap: (lines) => lines, valueExpr, bForce }.
 */
function pickLinkKind(rng, A, B, bias) {
  const ar = A.kind === 'R';
  const bw = B.kind === 'W';
  const dataK = ar && bw && B.val - A.expect >= 0;
  const w = bias === 'weak' ? 0.3 : 1;
  return rng.weighted([
    [bias === 'weak' ? 20 : 6, 'po'],
    [6 * w, 'mb'],
    [(ar && !bw ? 4 : 1) * w, 'rmb'],
    [(!ar && bw ? 4 : 1) * w, 'wmb'],
    [2 * w, 'barrier'],
    [A.kind === 'W' && A.type === 'int' ? 3 * w : 0, 'storemb'],
    [3 * w, 'acqrel'],
    [6 * w, 'rmwfence'],
    [5 * w, 'beforeatomic'],
    [5 * w, 'afteratomic'],
    [dataK ? 5 * w : 0, 'data'],
    [dataK ? 4 * w : 0, 'datapriv'],
    [ar ? 5 * w : 0, 'ctrl'],
    [ar ? 3 * w : 0, 'ctrlpriv'],
    [ar ? 4 * w : 0, 'ctrljoin'],
  ]);
}

function buildLink(rng, th, kind, A, a, B) {
  const L = { pre: [], wrap: (ls) => ls, valueExpr: undefined, bForce: undefined };
  const T = th.test;
  const fenceLoc = (atomic) => th.priv(atomic ? 'c' : 'f', atomic ? 'atomic' : 'int');
  switch (kind) {
    case 'po':
      break;
    case 'mb':
      L.pre.push('smp_mb();');
      break;
    case 'rmb':
      L.pre.push('smp_rmb();');
      break;
    case 'wmb':
      L.pre.push('smp_wmb();');
      break;
    case 'barrier':
      L.pre.push('barrier();');
      break;
    case 'storemb':
    case 'acqrel':
      break;
    case 'rmwfence': {
      const choice = rng.weighted([
        [3, 'xchg'], [2, 'xchg_relaxed'], [3, 'cmpxchg-fail'], [2, 'cmpxchg-ok'], [3, 'addunless-fail'], [2, 'addunless-ok'],
        [2, 'inc_return'], [1, 'fetch_add_relaxed'], [1, 'dec_and_test'],
      ]);
      const intForm = choice.startsWith('xchg') || choice.startsWith('cmpxchg');
      const loc = fenceLoc(!intForm);
      const r = th.reg();
      if (rng.chance(0.3)) th.show(r);
      L.pre.push({
        xchg: `${r} = xchg(${loc}, 1);`,
        xchg_relaxed: `${r} = xchg_relaxed(${loc}, 1);`,
        'cmpxchg-fail': `${r} = cmpxchg(${loc}, 5, 6);`,
        'cmpxchg-ok': `${r} = cmpxchg(${loc}, 0, 1);`,
        'addunless-fail': `${r} = atomic_add_unless(${loc}, 1, 0);`,
        'addunless-ok': `${r} = atomic_add_unless(${loc}, 1, 5);`,
        inc_return: `${r} = atomic_inc_return(${loc});`,
        fetch_add_relaxed: `${r} = atomic_fetch_add_relaxed(1, ${loc});`,
        dec_and_test: `${r} = atomic_dec_and_test(${loc});`,
      }[choice]);
      break;
    }
    case 'beforeatomic':
    case 'afteratomic': {
      const before = kind === 'beforeatomic';
      const f = before ? 'smp_mb__before_atomic();' : 'smp_mb__after_atomic();';
      // Either around the access itself (b for before, a was forced for after) or around an extra op.
      if (before && B.type === 'atomic' && rng.chance(0.5)) {
        L.pre.push(f);
        L.bForce = B.kind === 'W'
          ? rng.weighted([[3, 'add'], [B.val === 1 && B.init === 0 ? 2 : 0, 'inc'], [2, 'xchg'], [2, 'fetchadd'], [3, 'set'], [1, 'setrel']])
          : rng.weighted([[3, 'fetchadd0'], [3, 'read'], [1, 'cmpxchgfail']]);
        break;
      }
      if (!before && A.forced) {
        L.pre.push(f);
        break;
      }
      const loc = fenceLoc(true);
      let r;
      const op = rng.weighted([
        [3, () => `atomic_inc(${loc});`],
        [2, () => `atomic_add(2, ${loc});`],
        [2, () => `${(r = th.reg())} = atomic_fetch_add_relaxed(1, ${loc});`],
        [3, () => `atomic_set(${loc}, 1);`],
        [3, () => `${(r = th.reg())} = atomic_read(${loc});`],
        [1, () => `${(r = th.reg())} = atomic_cmpxchg_relaxed(${loc}, 4, 5);`],
      ])();
      if (before) L.pre.push(f, op);
      else L.pre.push(op, f);
      break;
    }
    case 'data':
    case 'datapriv': {
      const k = B.val - A.expect;
      let src = a.reg;
      if (kind === 'datapriv') {
        const t = th.priv('t');
        const r = th.reg();
        const style = rng.weighted([[4, 'plain'], [3, 'once'], [1, 'wplain'], [1, 'rplain']]);
        const w = style === 'plain' || style === 'wplain' ? `*${t} = ${src};` : `WRITE_ONCE(*${t}, ${src});`;
        const rd = style === 'plain' || style === 'rplain' ? `${r} = *${t};` : `${r} = READ_ONCE(*${t});`;
        L.pre.push(w, rd);
        src = r;
      }
      L.valueExpr = k === 0 ? src : `${src} + ${k}`;
      L.bForce = B.type === 'atomic' ? rng.pick(['set', 'setrel', 'xchg', 'add']) : undefined;
      if (B.type === 'atomic' && L.bForce === 'add' && B.init !== 0) L.bForce = 'set';
      break;
    }
    case 'ctrl':
    case 'ctrlpriv': {
      let src = a.reg;
      if (kind === 'ctrlpriv') {
        const t = th.priv('t');
        const r = th.reg();
        const plain = rng.chance(0.6);
        L.pre.push(plain ? `*${t} = ${src};` : `WRITE_ONCE(*${t}, ${src});`, plain ? `${r} = *${t};` : `${r} = READ_ONCE(*${t});`);
        src = r;
      }
      const cnd = A.expect !== 0 && rng.chance(0.3) ? src : `${src} == ${A.expect}`;
      const form = rng.weighted([[4, 'if'], [3, 'both'], [2, 'else-other']]);
      L.wrap = (ls) => {
        if (form === 'if') return [`if (${cnd}) {`, ...ls.map((l) => `\t${l}`), '}'];
        if (form === 'both') return [`if (${cnd}) {`, ...ls.map((l) => `\t${l}`), '} else {', ...ls.map((l) => `\t${l}`), '}'];
        const t = th.priv('t');
        return [`if (${cnd}) {`, ...ls.map((l) => `\t${l}`), '} else {', `\tWRITE_ONCE(*${t}, 3);`, '}'];
      };
      // The same statement in both branches must not declare a fresh register twice: force a
      // register-free form for b.
      if (form === 'both') L.bForce = B.kind === 'W' ? (B.type === 'atomic' ? 'set' : rng.pick(['once', 'rel', 'plain'])) : undefined;
      break;
    }
    case 'ctrljoin': {
      const t = th.priv('t');
      const form = rng.weighted([[3, 'write'], [2, 'ifelse'], [1, 'mb']]);
      if (form === 'write') L.pre.push(`if (${a.reg} == ${A.expect}) {`, `\tWRITE_ONCE(*${t}, 1);`, '}');
      else if (form === 'ifelse') L.pre.push(`if (${a.reg}) {`, `\tWRITE_ONCE(*${t}, 1);`, '} else {', `\tWRITE_ONCE(*${t}, 2);`, '}');
      else L.pre.push(`if (${a.reg} == ${A.expect}) {`, '\tsmp_mb();', '}');
      break;
    }
    default:
      throw new Error(kind);
  }
  void T;
  return L;
}

function roleDom(role) {
  return role.dom ?? 'rcu';
}

/** One thread of a cycle: access A, link, access B, wrapped as its role says. */
function cycleThread(rng, th, role, A, B, bias) {
  const T = th.test;
  A.type = T.locs.get(A.loc).type;
  A.init = T.locs.get(A.loc).init;
  B.type = T.locs.get(B.loc).type;
  B.init = T.locs.get(B.loc).init;
  let linkKind;
  if (role.name === 'gp' || role.name === 'sgp') linkKind = 'sync';
  else linkKind = pickLinkKind(rng, A, B, bias);
  let aForce;
  let bForceRel;
  if (linkKind === 'storemb') aForce = 'mb';
  if (linkKind === 'acqrel') {
    if (A.kind === 'R' && rng.chance(0.6)) aForce = A.type === 'atomic' ? 'readacq' : 'acq';
    else if (B.kind === 'W') bForceRel = B.type === 'atomic' ? 'setrel' : 'rel';
    else aForce = A.kind === 'R' ? (A.type === 'atomic' ? 'readacq' : 'acq') : A.type === 'atomic' ? 'setrel' : 'rel';
  }
  if (linkKind === 'afteratomic' && A.type === 'atomic' && rng.chance(0.5)) {
    aForce = A.kind === 'W' ? rng.weighted([[3, 'add'], [A.val === 1 && A.init === 0 && !A.absolute ? 2 : 0, 'inc'], [2, 'xchg'], [2, 'fetchadd'], [3, 'set']]) : rng.pick(['fetchadd0', 'read']);
    if (A.absolute && (aForce === 'add' || aForce === 'fetchadd')) aForce = 'xchg';
    A.forced = true;
  }
  const emitA = () => {
    const a = A.kind === 'R' ? hRead(rng, th, A.loc, { force: aForce }) : hWrite(rng, th, A.loc, A.val, { force: aForce, absolute: A.absolute });
    if (A.kind === 'R') th.expect(a.reg, A.expect);
    th.lines(a.lines);
    return a;
  };
  let link;
  const emitLink = (a) => {
    if (linkKind === 'sync') {
      link = { pre: [], wrap: (ls) => ls };
      if (role.name === 'gp') {
        link.pre.push(rng.chance(0.85) ? 'synchronize_rcu();' : 'synchronize_rcu_expedited();');
        if (rng.chance(0.1)) link.pre.push('synchronize_rcu();');
      } else {
        T.loc(role.dom, 'srcu');
        th.use(role.dom);
        link.pre.push(rng.chance(0.85) ? `synchronize_srcu(${role.dom});` : `synchronize_srcu_expedited(${role.dom});`);
      }
    } else link = buildLink(rng, th, linkKind, A, a, B);
    th.lines(link.pre);
  };
  const emitB = () => {
    let force = link.bForce ?? bForceRel;
    if (B.kind === 'W' && B.absolute && (force === 'add' || force === 'inc' || force === 'fetchadd')) force = 'xchg';
    if (B.kind === 'W' && link.valueExpr && force === 'inc') force = 'add';
    const b = B.kind === 'R' ? hRead(rng, th, B.loc, { force }) : hWrite(rng, th, B.loc, B.val, { force, absolute: B.absolute, valueExpr: link.valueExpr });
    if (B.kind === 'R') th.expect(b.reg, B.expect);
    th.lines(link.wrap(b.lines));
  };
  const r = role.name;
  if (r === 'none' || r === 'gp' || r === 'sgp') {
    const a = emitA();
    emitLink(a);
    emitB();
  } else if (r.startsWith('rd-')) {
    const dom = roleDom(role);
    const dom2 = role.dom2 ?? dom;
    if (r === 'rd-whole') {
      const t = rsOpen(rng, th, dom);
      emitLink(emitA());
      emitB();
      rsClose(rng, th, t);
    } else if (r === 'rd-nest-all') {
      const t1 = rsOpen(rng, th, dom);
      const t2 = rsOpen(rng, th, dom2);
      emitLink(emitA());
      emitB();
      const second = rng.chance(0.3) && dom !== dom2;
      rsClose(rng, th, second ? t1 : t2);
      rsClose(rng, th, second ? t2 : t1);
    } else if (r === 'rd-nest-a') {
      const t1 = rsOpen(rng, th, dom);
      const t2 = rsOpen(rng, th, dom2);
      const a = emitA();
      rsClose(rng, th, t2);
      emitLink(a);
      emitB();
      rsClose(rng, th, t1);
    } else if (r === 'rd-nest-b') {
      const t1 = rsOpen(rng, th, dom);
      const a = emitA();
      emitLink(a);
      const t2 = rsOpen(rng, th, dom2);
      emitB();
      rsClose(rng, th, t2);
      rsClose(rng, th, t1);
    } else if (r === 'rd-split') {
      const t1 = rsOpen(rng, th, dom);
      const a = emitA();
      rsClose(rng, th, t1);
      emitLink(a);
      const t2 = rsOpen(rng, th, dom2);
      emitB();
      rsClose(rng, th, t2);
    } else if (r === 'rd-a-only') {
      const t1 = rsOpen(rng, th, dom);
      const a = emitA();
      rsClose(rng, th, t1);
      emitLink(a);
      emitB();
    }
  } else if (r.startsWith('lk-')) {
    const l = role.lock ?? 'l';
    if (r === 'lk-whole') {
      lockOpen(rng, th, l, role.aul);
      emitLink(emitA());
      emitB();
      lockClose(th, l);
    } else if (r === 'lk-a') {
      lockOpen(rng, th, l, role.aul);
      const a = emitA();
      lockClose(th, l);
      emitLink(a);
      emitB();
    } else if (r === 'lk-b') {
      const a = emitA();
      emitLink(a);
      lockOpen(rng, th, l, role.aul);
      emitB();
      lockClose(th, l);
    } else if (r === 'lk-ul') {
      lockOpen(rng, th, l, false);
      const a = emitA();
      lockClose(th, l);
      emitLink(a);
      lockOpen(rng, th, l, true);
      emitB();
      lockClose(th, l);
    }
  } else throw new Error(r);
}

/** A cycle through roles.length threads; thread i accesses loc i then loc i+1. */
function cycleTest(rng, name, roles, bias) {
  const T = new HTest(rng, name);
  const k = roles.length;
  const L = ['x', 'y', 'z', 'w'].slice(0, k);
  for (const l of L) T.loc(l, rng.chance(bias === 'weak' ? 0.1 : 0.25) ? 'atomic' : 'int', 0);
  const edges = L.map(() => rng.weighted([[5, 'rf'], [4, 'fr'], [2, 'co']]));
  for (let i = 0; i < k; i++) {
    const e = edges[i];
    const f = edges[(i + 1) % k];
    const A = { loc: L[i], kind: e === 'rf' ? 'R' : 'W', val: e === 'co' ? 2 : 1, expect: 1, absolute: e === 'co' };
    const B = { loc: L[(i + 1) % k], kind: f === 'fr' ? 'R' : 'W', val: 1, expect: 0, absolute: f === 'co' };
    cycleThread(rng, T.thread(), roles[i], A, B, bias);
  }
  for (let i = 0; i < k; i++) if (edges[i] === 'co') T.cond.push(`${L[i]}=2`);
  return T.render();
}

function shuffle(rng, arr) {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
}

function rcuRoles(rng, srcu) {
  const ng = rng.weighted([[6, 1], [4, 2]]);
  const nr = rng.weighted([[5, 1], [5, 2], [ng === 1 ? 2 : 1, 3]]);
  const roles = [];
  const doms = srcu ? (rng.chance(0.5) ? ['s1'] : ['s1', 's2']) : ['rcu'];
  const pickDom = () => (srcu && rng.chance(0.15) ? 'rcu' : rng.pick(doms));
  for (let i = 0; i < ng; i++) {
    const dom = pickDom();
    roles.push(dom === 'rcu' ? { name: 'gp' } : { name: 'sgp', dom });
  }
  // Every srcu_read_lock/unlock is a read/write of its srcu_struct: herd's time grows fast with
  // their number, so at most 3 SRCU sections per test.
  let srcuBudget = ng + nr >= 4 ? 2 : 3;
  for (let i = 0; i < nr && roles.length < 4; i++) {
    const name = rng.weighted([[5, 'rd-whole'], [3, 'rd-nest-all'], [2, 'rd-nest-a'], [2, 'rd-nest-b'], [1, 'rd-split'], [1, 'rd-a-only']]);
    let dom = pickDom();
    let dom2 = name === 'rd-whole' || name === 'rd-a-only' ? dom : srcu && rng.chance(0.3) ? rng.pick(['s1', 's2', 'rcu']) : dom;
    const cost = () => (dom !== 'rcu' ? 1 : 0) + (dom2 !== 'rcu' && dom2 !== dom ? 1 : 0) + (dom2 === dom && dom !== 'rcu' && name !== 'rd-whole' && name !== 'rd-a-only' ? 1 : 0);
    if (cost() > srcuBudget) dom2 = 'rcu';
    if (cost() > srcuBudget) dom = dom2 = 'rcu';
    srcuBudget -= cost();
    roles.push({ name, dom, dom2 });
  }
  if (roles.length < 4 && rng.chance(0.25)) roles.push({ name: 'none' });
  if (roles.length < 2) roles.push({ name: 'none' });
  return shuffle(rng, roles);
}

function lockRoles(rng) {
  const k = rng.weighted([[4, 2], [5, 3], [2, 4]]);
  const roles = [];
  let budget = 3;
  for (let i = 0; i < k; i++) {
    if (budget > 0 && rng.chance(i === 0 ? 0.95 : 0.7)) {
      const name = rng.weighted([[5, 'lk-whole'], [2, 'lk-a'], [2, 'lk-b'], [budget >= 2 ? 2 : 0, 'lk-ul']]);
      budget -= name === 'lk-ul' ? 2 : 1;
      roles.push({ name, aul: i > 0, lock: rng.chance(0.08) ? 'm' : 'l' });
    } else roles.push({ name: 'none' });
  }
  return shuffle(rng, roles);
}

function hRcu(rng, name) {
  return cycleTest(rng, name, rcuRoles(rng, false), 'weak');
}

function hSrcu(rng, name) {
  return cycleTest(rng, name, rcuRoles(rng, true), 'weak');
}

function hLock(rng, name) {
  return cycleTest(rng, name, lockRoles(rng), 'weak');
}

function hLinks(rng, name) {
  const k = rng.weighted([[6, 2], [4, 3]]);
  return cycleTest(rng, name, Array.from({ length: k }, () => ({ name: 'none' })), 'strong');
}

function hMixed(rng, name) {
  const k = rng.weighted([[5, 2], [4, 3], [1, 4]]);
  const roles = [];
  let locks = 2;
  for (let i = 0; i < k; i++) {
    const kind = rng.weighted([[4, 'none'], [2, 'gp'], [3, 'rd'], [locks > 0 ? 2 : 0, 'lk'], [1, 'sgp'], [1, 'srd']]);
    if (kind === 'none' || kind === 'gp') roles.push({ name: kind });
    else if (kind === 'sgp') roles.push({ name: 'sgp', dom: 's1' });
    else if (kind === 'rd' || kind === 'srd') roles.push({ name: rng.pick(RCU_ROLES), dom: kind === 'rd' ? 'rcu' : 's1', dom2: kind === 'rd' ? 'rcu' : rng.pick(['s1', 's2']) });
    else {
      locks--;
      roles.push({ name: rng.pick(['lk-whole', 'lk-a', 'lk-b']), aul: true });
    }
  }
  return cycleTest(rng, name, roles, rng.chance(0.5) ? 'strong' : 'weak');
}

// Pointers and address dependencies.
function hPtr(rng, name) {
  const T = new HTest(rng, name);
  T.loc('x', 'int', 0);
  T.loc('y', 'int', 0);
  T.loc('p', 'ptr', 'y');
  const variant = rng.weighted([[4, 'mp'], [3, 'removal'], [2, 'addr-write'], [2, 'plain-wmb']]);
  const P0 = T.thread();
  const P1 = T.thread();
  P0.use('x', 'p');
  const publish = () =>
    rng.weighted([
      [4, 'rcu_assign_pointer(*p, x);'],
      [2, 'smp_store_release(p, x);'],
      [2, 'WRITE_ONCE(*p, x);'],
      [1, 'smp_store_mb(*p, x);'],
    ]);
  // The reader's pointer load, optionally passed through a private pointer location.
  const readPtr = () => {
    P1.use('p');
    const r0 = P1.reg('ptr');
    P1.line(`${r0} = ${rng.weighted([[4, 'rcu_dereference(*p)'], [3, 'READ_ONCE(*p)'], [1, 'smp_load_acquire(p)']])};`);
    P1.expect(r0, variant === 'removal' ? 'y' : 'x');
    if (rng.chance(0.2)) {
      const q = T.loc('q', 'ptr', 'x');
      P1.use(q);
      const r = P1.reg('ptr');
      const plain = rng.chance(0.5);
      P1.line(plain ? `*q = ${r0};` : `WRITE_ONCE(*q, ${r0});`);
      P1.line(plain ? `${r} = *q;` : `${r} = READ_ONCE(*q);`);
      P1.show(r);
      return r;
    }
    return r0;
  };
  const rcu = variant === 'removal' || rng.chance(0.5);
  const nest = rcu && rng.chance(0.25);
  if (rcu) P1.line('rcu_read_lock();');
  if (nest) P1.line('rcu_read_lock();');
  if (variant === 'mp') {
    P0.line(rng.chance(0.8) ? 'WRITE_ONCE(*x, 1);' : '*x = 1;');
    const pub = publish();
    if (pub.startsWith('WRITE_ONCE') && rng.chance(0.5)) P0.line('smp_wmb();');
    P0.line(pub);
    const rp = readPtr();
    const r1 = P1.reg();
    P1.line(`${r1} = ${rng.weighted([[5, `READ_ONCE(*${rp})`], [2, `*${rp}`], [1, `smp_load_acquire(${rp})`]])};`);
    P1.expect(r1, 0);
  } else if (variant === 'removal') {
    P0.use('y');
    P0.line(publish());
    P0.line(rng.weighted([[6, 'synchronize_rcu();'], [2, 'smp_mb();'], [1, 'barrier();']]));
    P0.line(rng.chance(0.8) ? 'WRITE_ONCE(*y, 1);' : '*y = 1;');
    const rp = readPtr();
    const r1 = P1.reg();
    P1.line(`${r1} = ${rng.weighted([[5, `READ_ONCE(*${rp})`], [2, `*${rp}`]])};`);
    P1.expect(r1, 1);
  } else if (variant === 'addr-write') {
    P0.line('WRITE_ONCE(*x, 1);');
    P0.line(publish());
    const rp = readPtr();
    P1.line(rng.weighted([[4, `WRITE_ONCE(*${rp}, 2);`], [2, `*${rp} = 2;`], [1, `smp_store_release(${rp}, 2);`]]));
    T.cond.push('x=1');
  } else {
    // addr ; [Plain] ; wmb: the plain write through the pointer is ordered before z's write.
    T.loc('z', 'int', 0);
    const P2 = T.thread();
    P0.line('WRITE_ONCE(*x, 1);');
    P0.line(publish());
    const rp = readPtr();
    P1.line(rng.chance(0.7) ? `*${rp} = 2;` : `WRITE_ONCE(*${rp}, 2);`);
    P1.use('z');
    P1.line(rng.weighted([[5, 'smp_wmb();'], [1, 'barrier();'], [1, 'smp_mb();']]));
    P1.line('WRITE_ONCE(*z, 1);');
    P2.use('z', 'x');
    const r0 = P2.reg();
    const r1 = P2.reg();
    P2.line(`${r0} = READ_ONCE(*z);`);
    P2.line(rng.weighted([[4, 'smp_rmb();'], [1, 'smp_mb();']]));
    P2.line(`${r1} = READ_ONCE(*x);`);
    P2.expect(r0, 1);
    P2.expect(r1, 1);
    T.shown.push('x');
  }
  if (nest) P1.line('rcu_read_unlock();');
  if (rcu) P1.line('rcu_read_unlock();');
  return T.render();
}

/** Random accesses for the trylock and plain templates. */
function hAccess(rng, th, locs, vals, plainP) {
  const T = th.test;
  const loc = rng.pick(locs);
  th.use(loc);
  if (rng.chance(0.5)) {
    const v = (vals[loc] = (vals[loc] ?? 0) + 1);
    const form = rng.chance(plainP) ? 'plain' : rng.weighted([[6, 'once'], [3, 'rel'], [1, 'mb']]);
    th.line({ plain: `*${loc} = ${v};`, once: `WRITE_ONCE(*${loc}, ${v});`, rel: `smp_store_release(${loc}, ${v});`, mb: `smp_store_mb(*${loc}, ${v});` }[form]);
    return { kind: 'W', loc };
  }
  const r = th.reg();
  const form = rng.chance(plainP) ? 'plain' : rng.weighted([[6, 'once'], [3, 'acq']]);
  th.line({ plain: `${r} = *${loc};`, once: `${r} = READ_ONCE(*${loc});`, acq: `${r} = smp_load_acquire(${loc});` }[form]);
  th.reads ??= [];
  th.reads.push({ reg: r, loc });
  void T;
  return { kind: 'R', loc, reg: r };
}

/** exists over some of the registers read (values from writes or 0), the others shown. */
function finishRandom(rng, T, vals, locs) {
  const all = T.threads.flatMap((th) => (th.reads ?? []).map((r) => ({ ...r, tid: th.tid })));
  for (const r of all) {
    if (rng.chance(0.6)) T.cond.push(`${r.tid}:${r.reg}=${rng.int((vals[r.loc] ?? 0) + 1)}`);
    else T.shown.push(`${r.tid}:${r.reg}`);
  }
  for (const l of locs) if ((vals[l] ?? 0) > 1 && rng.chance(0.5)) T.shown.push(l);
}

function hTrylock(rng, name) {
  const T = new HTest(rng, name);
  const locs = ['x', 'y'];
  for (const l of locs) T.loc(l, 'int', 0);
  T.loc('l', 'lock');
  const vals = {};
  const k = rng.weighted([[6, 2], [4, 3]]);
  let budget = 3;
  let hadTry = false;
  for (let t = 0; t < k; t++) {
    const th = T.thread();
    const nops = rng.weighted([[3, 1], [4, 2], [2, 3]]);
    for (let i = 0; i < nops; i++) {
      const op = rng.weighted([
        [budget > 0 ? 4 : 0, 'cs'],
        [budget > 0 ? (hadTry ? 3 : 8) : 0, 'try'],
        [3, 'islocked'],
        [4, 'acc'],
        [2, 'fence'],
      ]);
      if (op === 'cs') {
        budget--;
        th.use('l');
        th.line('spin_lock(l);');
        if (rng.chance(0.2)) th.line(rng.pick(['smp_mb__after_spinlock();', 'smp_mb__after_unlock_lock();']));
        const n = rng.weighted([[5, 1], [3, 2]]);
        for (let j = 0; j < n; j++) hAccess(rng, th, locs, vals, 0.15);
        if (rng.chance(0.3)) {
          const r = th.reg();
          th.line(`${r} = spin_is_locked(l);`);
          th.show(r);
        }
        th.line('spin_unlock(l);');
      } else if (op === 'try') {
        budget--;
        hadTry = true;
        th.use('l');
        const r = th.reg();
        th.line(`${r} = spin_trylock(l);`);
        if (rng.chance(0.5)) th.expect(r, rng.int(2));
        else th.show(r);
        const form = rng.weighted([[4, 'if-else'], [3, 'if'], [3, 'fail-only']]);
        if (form === 'fail-only') {
          th.line(`if (${r} == 0) {`);
          th.depth++;
          hAccess(rng, th, locs, vals, 0.1);
          th.depth--;
          th.line('} else {');
          th.line('\tspin_unlock(l);');
          th.line('}');
        } else {
          th.line(`if (${r}) {`);
          th.depth++;
          hAccess(rng, th, locs, vals, 0.15);
          th.line('spin_unlock(l);');
          th.depth--;
          if (form === 'if-else') {
            th.line('} else {');
            th.depth++;
            hAccess(rng, th, locs, vals, 0.1);
            th.depth--;
          }
          th.line('}');
        }
      } else if (op === 'islocked') {
        th.use('l');
        const r = th.reg();
        th.line(`${r} = spin_is_locked(l);`);
        if (rng.chance(0.5)) th.expect(r, rng.int(2));
        else th.show(r);
      } else if (op === 'acc') hAccess(rng, th, locs, vals, 0.1);
      else th.line(rng.pick(['smp_mb();', 'smp_rmb();', 'smp_wmb();', 'barrier();']));
    }
  }
  finishRandom(rng, T, vals, locs);
  return T.render();
}

function hRmwseq(rng, name) {
  const T = new HTest(rng, name);
  const atomic = rng.chance(0.5);
  T.loc('x', 'int', 0);
  T.loc('y', atomic ? 'atomic' : 'int', 0);
  const P0 = T.thread();
  P0.use('x', 'y');
  P0.line(rng.chance(0.85) ? 'WRITE_ONCE(*x, 1);' : '*x = 1;');
  const pub = atomic
    ? rng.weighted([[4, ['atomic_set_release(y, 1);']], [2, ['smp_wmb();', 'atomic_set(y, 1);']], [1, ['smp_mb();', 'atomic_set(y, 1);']], [2, ['atomic_set(y, 1);']], [2, ['smp_mb__before_atomic();', 'atomic_inc(y);']], [2, ['P0.r = atomic_fetch_add_release(1, y);']]])
    : rng.weighted([[4, ['smp_store_release(y, 1);']], [2, ['smp_wmb();', 'WRITE_ONCE(*y, 1);']], [1, ['smp_mb();', 'WRITE_ONCE(*y, 1);']], [2, ['WRITE_ONCE(*y, 1);']], [2, ['P0.r = xchg_release(y, 1);']]]);
  for (const l of pub) {
    if (l.startsWith('P0.r')) {
      const r = P0.reg();
      P0.line(l.replace('P0.r', r));
    } else P0.line(l);
  }
  let v = 1;
  const steps = rng.weighted([[5, 1], [3, 2]]);
  let th = null;
  for (let i = 0; i < steps; i++) {
    if (!th || rng.chance(0.8)) th = T.thread();
    th.use('y');
    const s = rng.pick(SFX);
    const form = atomic
      ? rng.weighted([[3, 'inc'], [3, 'fetchadd'], [2, 'incret'], [2, 'addunless'], [2, 'xchg'], [2, 'cmpxchg'], [1, 'cmpxchgfail'], [1, 'addunlessfail']])
      : rng.weighted([[5, 'xchg'], [3, 'cmpxchg'], [1, 'cmpxchgfail']]);
    const r = form === 'inc' ? null : th.reg();
    const line = {
      inc: 'atomic_inc(y);',
      fetchadd: `${r} = atomic_fetch_add${s}(1, y);`,
      incret: `${r} = atomic_inc_return${s}(y);`,
      addunless: `${r} = atomic_add_unless(y, 1, 9);`,
      addunlessfail: `${r} = atomic_add_unless(y, 1, ${v});`,
      xchg: atomic ? `${r} = atomic_xchg${s}(y, ${v + 1});` : `${r} = xchg${s}(y, ${v + 1});`,
      cmpxchg: atomic ? `${r} = atomic_cmpxchg${s}(y, ${v}, ${v + 1});` : `${r} = cmpxchg${s}(y, ${v}, ${v + 1});`,
      cmpxchgfail: atomic ? `${r} = atomic_cmpxchg${s}(y, 9, 10);` : `${r} = cmpxchg${s}(y, 9, 10);`,
    }[form];
    if (rng.chance(0.15)) th.line(rng.pick(['smp_mb__before_atomic();', 'smp_mb();', 'barrier();']));
    th.line(line);
    const ret = { fetchadd: v, incret: v + 1, addunless: 1, addunlessfail: 0, xchg: v, cmpxchg: v, cmpxchgfail: v }[form];
    if (r) th.expect(r, ret);
    if (!['cmpxchgfail', 'addunlessfail'].includes(form)) v++;
    if (rng.chance(0.1)) th.line('smp_mb__after_atomic();');
  }
  const Pn = T.thread();
  Pn.use('y', 'x');
  const r0 = Pn.reg();
  const r1 = Pn.reg();
  const obs = atomic
    ? rng.weighted([[4, [`${r0} = atomic_read_acquire(y);`]], [2, [`${r0} = atomic_read(y);`, 'smp_rmb();']], [1, [`${r0} = atomic_read(y);`]], [1, [`${r0} = atomic_fetch_add_acquire(0, y);`]]])
    : rng.weighted([[4, [`${r0} = smp_load_acquire(y);`]], [2, [`${r0} = READ_ONCE(*y);`, 'smp_rmb();']], [1, [`${r0} = READ_ONCE(*y);`]]]);
  Pn.lines(obs);
  Pn.line(rng.chance(0.85) ? `${r1} = READ_ONCE(*x);` : `${r1} = *x;`);
  Pn.expect(r0, v);
  Pn.expect(r1, 0);
  return T.render();
}

function hPlain(rng, name) {
  const T = new HTest(rng, name);
  const locs = rng.chance(0.3) ? ['x'] : ['x', 'y'];
  for (const l of locs) T.loc(l, 'int', 0);
  const vals = {};
  const k = rng.weighted([[6, 2], [3, 3]]);
  let locks = 2;
  for (let t = 0; t < k; t++) {
    const th = T.thread();
    const n = rng.weighted([[2, 1], [5, 2], [3, 3]]);
    const wrap = rng.weighted([[6, null], [locks > 0 ? 4 : 0, 'lock'], [1, 'rcu']]);
    if (wrap === 'lock') {
      locks--;
      T.loc('l', 'lock');
      th.use('l');
      th.line('spin_lock(l);');
    } else if (wrap === 'rcu') th.line('rcu_read_lock();');
    for (let i = 0; i < n; i++) {
      if (i > 0) {
        const sep = rng.weighted([[5, null], [5, 'barrier();'], [3, 'smp_mb();'], [1, 'smp_wmb();'], [1, 'smp_rmb();'], [wrap ? 0 : 1, 'synchronize_rcu();']]);
        if (sep) th.line(sep);
      }
      hAccess(rng, th, locs, vals, 0.5);
    }
    if (wrap === 'lock') th.line('spin_unlock(l);');
    else if (wrap === 'rcu') th.line('rcu_read_unlock();');
  }
  finishRandom(rng, T, vals, locs);
  return T.render();
}

function hSrcux(rng, name) {
  const T = new HTest(rng, name);
  T.loc('x', 'int', 0);
  T.loc('y', 'int', 0);
  T.loc('i', 'int', rng.chance(0.5) ? 7 : 0);
  T.loc('s', 'srcu');
  const down = rng.chance(0.7);
  const P0 = T.thread();
  const P1 = T.thread();
  const P2 = T.thread();
  P0.use('s', 'i', 'x');
  const r0 = P0.reg();
  P0.line(`${r0} = ${down ? 'srcu_down_read' : 'srcu_read_lock'}(s);`);
  P0.line(rng.weighted([[3, `WRITE_ONCE(*i, ${r0});`], [2, `smp_store_release(i, ${r0});`], [1, `*i = ${r0};`]]));
  const aW = rng.chance(0.5);
  if (aW) P0.line('WRITE_ONCE(*x, 1);');
  else {
    const r = P0.reg();
    P0.line(`${r} = READ_ONCE(*x);`);
    P0.expect(r, 0);
  }
  P1.use('s', 'i', 'y');
  const r1 = P1.reg();
  P1.line(`${r1} = ${rng.weighted([[3, 'READ_ONCE(*i)'], [2, 'smp_load_acquire(i)']])};`);
  P1.show(r1);
  const bW = rng.chance(0.5);
  if (bW) P1.line('WRITE_ONCE(*y, 1);');
  else {
    const r = P1.reg();
    P1.line(`${r} = READ_ONCE(*y);`);
    P1.expect(r, 0);
  }
  P1.line(`${down && rng.chance(0.9) ? 'srcu_up_read' : 'srcu_read_unlock'}(s, ${r1});`);
  P2.use('s', 'x', 'y');
  // P2: the other side of both locations, a grace period between.
  const side = (loc, otherW) => {
    if (otherW) {
      const r = P2.reg();
      P2.line(`${r} = READ_ONCE(*${loc});`);
      P2.expect(r, 1);
    } else P2.line(`WRITE_ONCE(*${loc}, 1);`);
  };
  const yFirst = rng.chance(0.5);
  side(yFirst ? 'y' : 'x', yFirst ? bW : aW);
  P2.line(rng.weighted([[6, 'synchronize_srcu(s);'], [1, 'smp_mb();']]));
  side(yFirst ? 'x' : 'y', yFirst ? aW : bW);
  return T.render();
}

const HARD_TEMPLATES = [
  // [weight, name, generator]
  [16, 'rcu', hRcu],
  [12, 'srcu', hSrcu],
  [12, 'lock', hLock],
  [16, 'links', hLinks],
  [10, 'mixed', hMixed],
  [8, 'ptr', hPtr],
  [8, 'trylock', hTrylock],
  [8, 'rmwseq', hRmwseq],
  [10, 'plain', hPlain],
  [4, 'srcux', hSrcux],
];

mkdirSync(outDir, { recursive: true });
const pad = String(Math.max(count - 1, 0)).length;
for (let n = 0; n < count; n++) {
  if (hard) {
    const rng = makeRng(hash32(seed ^ 0x5bd1e995, n));
    const tmpl = rng.weighted(HARD_TEMPLATES.map((t) => [t[0], t]));
    const name = `H${seed}-${String(n).padStart(pad, '0')}+${tmpl[1]}`;
    writeFileSync(join(outDir, `${name}.litmus`), tmpl[2](rng, name));
    continue;
  }
  const rng = makeRng(hash32(seed, n));
  const [, shapeName, spec] = rng.weighted(SHAPES.map((s) => [s[0], s]));
  const name = `G${seed}-${String(n).padStart(pad, '0')}+${shapeName}`;
  const text = genTest(rng, name, shapeName, spec);
  writeFileSync(join(outDir, `${name}.litmus`), text);
}
console.log(`gen-lkmm-tests: wrote ${count} tests to ${outDir}`);
