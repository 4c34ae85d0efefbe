// Linux arm64 I/O accessors as instruction steps (arch/arm64/include/asm/io.h, barrier.h,
// include/asm-generic/io.h). Expected sequences are written from those headers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ioAccessor, ioAccessorSteps, iowriteCopy, memcpyToio, formatIoSteps, IO_ACCESSORS } from '../src/platform/index.js';
import type { IoStep } from '../src/platform/index.js';
import type { AccessSize, BarrierDomain, BarrierType } from '../src/syntax/ast.js';

const dmb = (domain: string, type: string) => ({ kind: 'barrier', op: 'DMB', domain, type });
const dsb = (domain: string, type: string) => ({ kind: 'barrier', op: 'DSB', domain, type });
const str = (size: number, offset = 0, value = 'arg') => ({ kind: 'store', size, offset, value });
const ldr = (size: number) => ({ kind: 'load', size, offset: 0 });

test('barriers: mb/rmb/wmb are DSB SY/LD/ST, dma_* DMB OSH*, smp_* DMB ISH*', () => {
  assert.deepEqual(ioAccessorSteps('mb'), [dsb('SY', 'ALL')]);
  assert.deepEqual(ioAccessorSteps('rmb'), [dsb('SY', 'LD')]);
  assert.deepEqual(ioAccessorSteps('wmb'), [dsb('SY', 'ST')]);
  assert.deepEqual(ioAccessorSteps('dma_mb'), [dmb('OSH', 'ALL')]);
  assert.deepEqual(ioAccessorSteps('dma_rmb'), [dmb('OSH', 'LD')]);
  assert.deepEqual(ioAccessorSteps('dma_wmb'), [dmb('OSH', 'ST')]);
  assert.deepEqual(ioAccessorSteps('smp_mb'), [dmb('ISH', 'ALL')]);
  assert.deepEqual(ioAccessorSteps('smp_rmb'), [dmb('ISH', 'LD')]);
  assert.deepEqual(ioAccessorSteps('smp_wmb'), [dmb('ISH', 'ST')]);
  assert.deepEqual(ioAccessorSteps('io_stop_wc'), [{ kind: 'dgh' }]);
});

test('writel = DMB OSHST then STR; writel_relaxed = STR; sizes b/w/l/q', () => {
  assert.deepEqual(ioAccessorSteps('writel'), [dmb('OSH', 'ST'), str(4)]);
  assert.deepEqual(ioAccessorSteps('writel_relaxed'), [str(4)]);
  assert.deepEqual(ioAccessorSteps('writeb'), [dmb('OSH', 'ST'), str(1)]);
  assert.deepEqual(ioAccessorSteps('writew_relaxed'), [str(2)]);
  assert.deepEqual(ioAccessorSteps('writeq'), [dmb('OSH', 'ST'), str(8)]);
  assert.deepEqual(ioAccessorSteps('iowrite32be'), [dmb('OSH', 'ST'), str(4)]);
});

test('readl = LDR then DMB OSHLD plus the fake control dependency; readl_relaxed = LDR', () => {
  assert.deepEqual(ioAccessorSteps('readl'), [ldr(4), dmb('OSH', 'LD'), { kind: 'ctrl-dep' }]);
  assert.deepEqual(ioAccessorSteps('readl_relaxed'), [ldr(4)]);
  assert.deepEqual(ioAccessorSteps('readq'), [ldr(8), dmb('OSH', 'LD'), { kind: 'ctrl-dep' }]);
  assert.deepEqual(ioAccessorSteps('readb_relaxed'), [ldr(1)]);
  assert.deepEqual(ioAccessorSteps('ioread16'), [ldr(2), dmb('OSH', 'LD'), { kind: 'ctrl-dep' }]);
});

test('__iowrite64_copy(n): n 64-bit stores at consecutive offsets, then DGH', () => {
  const eight = ioAccessorSteps('__iowrite64_copy', 8);
  assert.equal(eight.length, 9);
  assert.deepEqual(eight.slice(0, 8), [0, 8, 16, 24, 32, 40, 48, 56].map((o) => str(8, o, 'src')));
  assert.deepEqual(eight[8], { kind: 'dgh' });
  assert.deepEqual(iowriteCopy(8, 1).steps, [str(8, 0, 'src'), { kind: 'dgh' }]);
  assert.equal(iowriteCopy(8, 2).steps.length, 3);
  assert.equal(iowriteCopy(8, 4).steps.length, 5);
  assert.deepEqual(iowriteCopy(4, 2).steps, [str(4, 0, 'src'), str(4, 4, 'src'), { kind: 'dgh' }]);
  for (const bad of [0, 3, 16, 1.5]) assert.throws(() => iowriteCopy(8, bad), RangeError);
  assert.throws(() => ioAccessorSteps('__iowrite64_copy'), /needs a count/);
});

test('memcpy_toio: byte stores to alignment, 8-byte stores, byte tail; no barriers', () => {
  assert.deepEqual(memcpyToio(16).steps, [str(8, 0, 'src'), str(8, 8, 'src')]);
  assert.deepEqual(memcpyToio(10).steps, [str(8, 0, 'src'), str(1, 8, 'src'), str(1, 9, 'src')]);
  // `to` at 6 mod 8: two bytes to reach alignment, then one doubleword, then one byte.
  assert.deepEqual(memcpyToio(11, 6).steps, [str(1, 0, 'src'), str(1, 1, 'src'), str(8, 2, 'src'), str(1, 10, 'src')]);
  assert.deepEqual(memcpyToio(0).steps, []);
  assert.ok(memcpyToio(64).steps.every((s) => s.kind === 'store'));
  assert.throws(() => memcpyToio(-1), RangeError);
  assert.throws(() => memcpyToio(8, 8), RangeError);
});

test('unknown accessors are RangeErrors naming them', () => {
  assert.throws(() => ioAccessor('writelll'), (e: unknown) => e instanceof RangeError && e.message.includes('writelll'));
  assert.throws(() => ioAccessorSteps('nope'), RangeError);
  assert.throws(() => ioAccessorSteps('writel', 4), /takes no count/);
});

test('each accessor names its Linux source, and the table is immutable', () => {
  for (const a of IO_ACCESSORS.values()) assert.match(a.source, /\.(h|c)\b/, a.name);
  assert.ok(Object.isFrozen(ioAccessor('writel').steps));
  assert.ok(Object.isFrozen(ioAccessor('writel').steps[0]));
});

test('formatIoSteps spells barriers as the assembler does', () => {
  assert.equal(formatIoSteps(ioAccessorSteps('writel')), 'DMB OSHST; STR(4)');
  assert.equal(formatIoSteps(ioAccessorSteps('readl')), 'LDR(4); DMB OSHLD; ctrl-dep');
  assert.equal(formatIoSteps(ioAccessorSteps('wmb')), 'DSB ST');
  assert.equal(formatIoSteps(ioAccessorSteps('mb')), 'DSB SY');
});

test('step vocabulary is assignable to the AST types (compile-time check)', () => {
  const check = (s: IoStep): string => {
    if (s.kind === 'barrier') {
      const d: BarrierDomain = s.domain;
      const t: BarrierType = s.type;
      return `${d}${t}`;
    }
    if (s.kind === 'store' || s.kind === 'load') {
      const size: AccessSize = s.size;
      return String(size);
    }
    return s.kind;
  };
  assert.equal(check(ioAccessorSteps('dma_wmb')[0] as IoStep), 'OSHST');
});
