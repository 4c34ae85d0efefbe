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

// __HARD__

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
