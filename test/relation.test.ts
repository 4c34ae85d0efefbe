import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventSet, Relation } from '../src/execution/index.js';

test('composition, inverse and closure follow their definitions', () => {
  const r = Relation.of(4, [[0, 1], [1, 2], [2, 3]]);
  assert.deepEqual(r.seq(r).pairs(), [[0, 2], [1, 3]]);
  assert.deepEqual(r.inverse().pairs(), [[1, 0], [2, 1], [3, 2]]);
  assert.deepEqual(r.closure().pairs(), [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]]);
  assert.ok(r.isAcyclic());
  assert.ok(!r.union(Relation.of(4, [[3, 0]])).isAcyclic());
});

test('restrictions by sets keep only matching sources and targets', () => {
  const r = Relation.where(3, (a, b) => a !== b);
  const s = EventSet.of(3, [0]);
  const t = EventSet.of(3, [2]);
  assert.deepEqual(r.restrict(s, t).pairs(), [[0, 2]]);
  assert.deepEqual(r.domainIn(s).pairs(), [[0, 1], [0, 2]]);
  assert.deepEqual(Relation.identity(t).pairs(), [[2, 2]]);
  assert.deepEqual([...Relation.product(s, t).range()], [2]);
});

test('relations wider than one word (70 events) behave the same', () => {
  const n = 70;
  const chain = Relation.of(n, Array.from({ length: n - 1 }, (_, i) => [i, i + 1] as [number, number]));
  const c = chain.closure();
  assert.ok(c.has(0, 69) && c.has(33, 64) && !c.has(64, 33));
  assert.ok(chain.isAcyclic());
  const cyc = chain.union(Relation.of(n, [[69, 0]]));
  assert.ok(!cyc.isAcyclic());
  assert.equal(cyc.findCycle()?.length, 70);
  assert.ok(chain.minus(chain).isEmpty());
});
