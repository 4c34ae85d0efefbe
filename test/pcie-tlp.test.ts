/**
 * What one transaction can carry (src/platform/pcie-tlp.ts): one write-combining block, and on
 * PCIe one Memory Write TLP (PCIe Base Specification §2.2.5, First/Last DW Byte Enables).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inOneBlock, oneTlp, oneTransaction } from '../src/platform/pcie-tlp.js';

const r = (offset: number, size: number) => ({ offset, size });

test('a TLP carries a contiguous run of bytes, partial only at its first and last DW', () => {
  assert.ok(oneTlp([r(0, 8), r(8, 8)]));
  assert.ok(oneTlp([r(2, 2), r(4, 4), r(8, 1)]));
  // DW 1 between DW 0 and DW 2 is not written.
  assert.ok(!oneTlp([r(0, 4), r(8, 4)]));
  // A hole at a middle DW's edge.
  assert.ok(!oneTlp([r(0, 4), r(5, 7)]));
  // Overlapping stores are written once.
  assert.ok(oneTlp([r(0, 8), r(4, 4)]));
});

test('holes are allowed only within one DW and within a QW-aligned pair of DWs', () => {
  assert.ok(oneTlp([r(0, 1), r(3, 1)]));
  assert.ok(oneTlp([r(0, 1), r(5, 1)]));
  assert.ok(oneTlp([r(8, 1), r(15, 1)]));
  // DW 1 and DW 2 are not QW-aligned.
  assert.ok(!oneTlp([r(4, 1), r(9, 1)]));
  assert.ok(oneTlp([r(4, 4), r(8, 4)]));
});

test('a write-combining buffer gathers within one naturally aligned block', () => {
  assert.ok(inOneBlock([r(0, 8), r(56, 8)], 64));
  assert.ok(!inOneBlock([r(56, 8), r(64, 8)], 64));
  assert.ok(inOneBlock([r(56, 8), r(64, 8)], 128));
  // A store that itself crosses the block's end.
  assert.ok(!inOneBlock([r(60, 8)], 64));
  // On a platform bus only the block counts; on PCIe the TLP too.
  assert.ok(oneTransaction([r(0, 4), r(8, 4)], 64, false));
  assert.ok(!oneTransaction([r(0, 4), r(8, 4)], 64, true));
});
