/**
 * Linux arm64 I/O accessors and barriers as instruction sequences. The kernel C front end lowers each call through this
 * table into `syntax/ast.ts` instructions, so the steps use the AST's vocabulary: `kind`
 * discriminants, barrier `op` DMB/DSB with `domain` and `type` (ALL/LD/ST), sizes in bytes.
 *
 * Sources: `arch/arm64/include/asm/barrier.h` (mb/rmb/wmb, dma_*, __smp_*, dgh),
 * `arch/arm64/include/asm/io.h` (__raw_read/write*, __io_ar/__io_bw, __iowrite{32,64}_copy),
 * `include/asm-generic/io.h` (readX/writeX built from __io_br/__io_ar/__io_bw/__io_aw),
 * `arch/arm64/kernel/io.c` (__memcpy_toio), `lib/iomap.c` (ioreadX/iowriteX).
 */

// The same literal types as syntax/ast.ts's AccessSize, BarrierDomain and BarrierType, restated
// so that platform/ depends on nothing else of ours (README, "Layout"); the tests check
// that they stay assignable to the AST's.
/** Access size in bytes. */
export type IoAccessSize = 1 | 2 | 4 | 8;
/** Barrier shareability domain, as in the AST. */
export type IoBarrierDomain = 'SY' | 'OSH' | 'ISH' | 'NSH';
/** Barrier access type, as in the AST: 'ALL', 'LD' or 'ST'. */
export type IoBarrierType = 'ALL' | 'LD' | 'ST';
type AccessSize = IoAccessSize;
type BarrierDomain = IoBarrierDomain;
type BarrierType = IoBarrierType;

/** One step of an accessor's instruction sequence. */
export type IoStep =
  /** DMB/DSB: lowers to an AST `barrier` node with the same op/domain/type. */
  | { readonly kind: 'barrier'; readonly op: 'DMB' | 'DSB'; readonly domain: BarrierDomain; readonly type: BarrierType }
  /**
   * STR of `size` bytes at the accessor's address + `offset`. `value` is the accessor's value
   * argument (`'arg'`) or the source buffer's bytes at the same offset (`'src'`, the copies).
   */
  | { readonly kind: 'store'; readonly size: AccessSize; readonly offset: number; readonly value: 'arg' | 'src' }
  /** LDR of `size` bytes at the accessor's address + `offset`; the accessor's result. */
  | { readonly kind: 'load'; readonly size: AccessSize; readonly offset: number }
  /**
   * readX's fake control dependency on the loaded value (`__io_ar`: `eor tmp, v, v; cbnz tmp, .`):
   * lowers to an AST `alu` eor of the load's register with itself and a `branch` cbnz on it.
   * It orders later instructions (e.g. udelay's ISB-based counter read) after the load.
   */
  | { readonly kind: 'ctrl-dep' }
  /** DGH (`io_stop_wc`): a hint not to gather across it; it orders nothing. */
  | { readonly kind: 'dgh' };

/** An accessor: its steps, and where Linux defines them. */
export interface IoAccessor {
  readonly name: string;
  readonly steps: readonly IoStep[];
  /** Linux file (and macro) the sequence comes from. */
  readonly source: string;
}

// ---- step constructors ----------------------------------------------------------------------

function barrier(op: 'DMB' | 'DSB', domain: BarrierDomain, type: BarrierType): IoStep {
  return Object.freeze({ kind: 'barrier', op, domain, type });
}
function store(size: AccessSize, offset = 0, value: 'arg' | 'src' = 'arg'): IoStep {
  return Object.freeze({ kind: 'store', size, offset, value });
}
function load(size: AccessSize, offset = 0): IoStep {
  return Object.freeze({ kind: 'load', size, offset });
}
const CTRL_DEP: IoStep = Object.freeze({ kind: 'ctrl-dep' });
const DGH: IoStep = Object.freeze({ kind: 'dgh' });

// asm/barrier.h: mb() dsb(sy), rmb() dsb(ld), wmb() dsb(st) — DSB LD/ST are full-system.
const MB = barrier('DSB', 'SY', 'ALL');
const RMB = barrier('DSB', 'SY', 'LD');
const WMB = barrier('DSB', 'SY', 'ST');
// asm/barrier.h: dma_mb() dmb(osh), dma_rmb() dmb(oshld), dma_wmb() dmb(oshst).
const DMA_MB = barrier('DMB', 'OSH', 'ALL');
const DMA_RMB = barrier('DMB', 'OSH', 'LD');
const DMA_WMB = barrier('DMB', 'OSH', 'ST');
// asm/barrier.h: __smp_mb() dmb(ish), __smp_rmb() dmb(ishld), __smp_wmb() dmb(ishst).
const SMP_MB = barrier('DMB', 'ISH', 'ALL');
const SMP_RMB = barrier('DMB', 'ISH', 'LD');
const SMP_WMB = barrier('DMB', 'ISH', 'ST');

const SIZES: readonly (readonly [string, AccessSize])[] = [['b', 1], ['w', 2], ['l', 4], ['q', 8]];
const BITS: Readonly<Record<AccessSize, number>> = { 1: 8, 2: 16, 4: 32, 8: 64 };

function accessor(name: string, steps: readonly IoStep[], source: string): IoAccessor {
  return Object.freeze({ name, steps: Object.freeze([...steps]), source });
}

function buildTable(): ReadonlyMap<string, IoAccessor> {
  const t = new Map<string, IoAccessor>();
  const add = (a: IoAccessor): void => {
    t.set(a.name, a);
  };
  add(accessor('mb', [MB], 'arch/arm64/include/asm/barrier.h mb()'));
  add(accessor('rmb', [RMB], 'arch/arm64/include/asm/barrier.h rmb()'));
  add(accessor('wmb', [WMB], 'arch/arm64/include/asm/barrier.h wmb()'));
  add(accessor('dma_mb', [DMA_MB], 'arch/arm64/include/asm/barrier.h dma_mb()'));
  add(accessor('dma_rmb', [DMA_RMB], 'arch/arm64/include/asm/barrier.h dma_rmb()'));
  add(accessor('dma_wmb', [DMA_WMB], 'arch/arm64/include/asm/barrier.h dma_wmb()'));
  add(accessor('smp_mb', [SMP_MB], 'arch/arm64/include/asm/barrier.h __smp_mb()'));
  add(accessor('smp_rmb', [SMP_RMB], 'arch/arm64/include/asm/barrier.h __smp_rmb()'));
  add(accessor('smp_wmb', [SMP_WMB], 'arch/arm64/include/asm/barrier.h __smp_wmb()'));
  add(accessor('io_stop_wc', [DGH], 'arch/arm64/include/asm/barrier.h io_stop_wc() -> dgh()'));

  for (const [suffix, size] of SIZES) {
    const bits = BITS[size];
    // include/asm-generic/io.h writeX: __io_bw() (arm64: dma_wmb) then __raw_writeX; __io_aw is empty.
    const write = [DMA_WMB, store(size)];
    // readX: __io_br (empty), __raw_readX, then __io_ar (arm64: dma_rmb + fake control dependency).
    const read = [load(size), DMA_RMB, CTRL_DEP];
    add(accessor(`write${suffix}`, write, `include/asm-generic/io.h write${suffix}, arch/arm64/include/asm/io.h __io_bw = dma_wmb`));
    add(accessor(`write${suffix}_relaxed`, [store(size)], `include/asm-generic/io.h write${suffix}_relaxed = __raw_write${suffix}`));
    add(accessor(`__raw_write${suffix}`, [store(size)], `arch/arm64/include/asm/io.h __raw_write${suffix}`));
    add(accessor(`read${suffix}`, read, `include/asm-generic/io.h read${suffix}, arch/arm64/include/asm/io.h __io_ar`));
    add(accessor(`read${suffix}_relaxed`, [load(size)], `include/asm-generic/io.h read${suffix}_relaxed = __raw_read${suffix}`));
    add(accessor(`__raw_read${suffix}`, [load(size)], `arch/arm64/include/asm/io.h __raw_read${suffix}`));
    // lib/iomap.c / asm-generic: ioreadN/iowriteN on MMIO are readX/writeX; the big-endian forms
    // only byte-swap the value, which changes nothing about ordering or size.
    add(accessor(`ioread${bits}`, read, `lib/iomap.c ioread${bits} = read${suffix}`));
    add(accessor(`iowrite${bits}`, write, `lib/iomap.c iowrite${bits} = write${suffix}`));
    if (size !== 1) {
      add(accessor(`ioread${bits}be`, read, `lib/iomap.c ioread${bits}be = swab(read${suffix})`));
      add(accessor(`iowrite${bits}be`, write, `lib/iomap.c iowrite${bits}be = write${suffix}(swab)`));
    }
  }
  return t;
}

/** Every fixed accessor (no count argument), by Linux name. */
export const IO_ACCESSORS: ReadonlyMap<string, IoAccessor> = buildTable();

/** Accessors that take a count: `__iowrite64_copy(n)`, `__iowrite32_copy(n)`, `memcpy_toio(n)`. */
export const COUNTED_IO_ACCESSORS: readonly string[] = Object.freeze(['__iowrite64_copy', '__iowrite32_copy', 'memcpy_toio']);

/** The steps of a fixed accessor. Throws `RangeError` for an unknown name. */
export function ioAccessor(name: string): IoAccessor {
  const a = IO_ACCESSORS.get(name);
  if (a === undefined) {
    if (COUNTED_IO_ACCESSORS.includes(name)) throw new RangeError(`I/O accessor '${name}' needs a count`);
    throw new RangeError(`unknown I/O accessor '${name}'`);
  }
  return a;
}

/**
 * `__iowrite64_copy(to, from, n)` / `__iowrite32_copy` with a constant n in 1, 2, 4, 8: n
 * back-to-back STRs of 8 (4) bytes then DGH, so a write-combining mapping may emit one
 * transaction (arch/arm64/include/asm/io.h `__const_memcpy_toio_aligned64` + `dgh()`, added in
 * Linux 6.10 by "arm64/io: Provide a WC friendly __iowriteXX_copy()"; not guaranteed to
 * combine). Other counts go through an out-of-line loop iolitmus does not model: `RangeError`.
 */
export function iowriteCopy(width: 4 | 8, count: number): IoAccessor {
  if (count !== 1 && count !== 2 && count !== 4 && count !== 8) {
    throw new RangeError(`__iowrite${width * 8}_copy count ${String(count)}: only the constant counts 1, 2, 4, 8 are modelled`);
  }
  const steps: IoStep[] = [];
  for (let i = 0; i < count; i++) steps.push(store(width, i * width, 'src'));
  steps.push(DGH);
  return accessor(`__iowrite${width * 8}_copy(${count})`, steps, `arch/arm64/include/asm/io.h __iowrite${width * 8}_copy (constant count)`);
}

/**
 * `memcpy_toio(to, from, n)` (arch/arm64/kernel/io.c `__memcpy_toio`): byte stores until `to`
 * is 8-byte aligned, then 8-byte stores, then byte stores for the tail; no barrier at all.
 * `misalignment` is `to` modulo 8 (default 0). Throws `RangeError` for a negative or
 * non-integer count or misalignment outside 0..7.
 */
export function memcpyToio(count: number, misalignment = 0): IoAccessor {
  if (!Number.isInteger(count) || count < 0 || count > 4096) {
    throw new RangeError(`memcpy_toio count ${String(count)} must be an integer 0..4096`);
  }
  if (!Number.isInteger(misalignment) || misalignment < 0 || misalignment > 7) {
    throw new RangeError(`memcpy_toio misalignment ${String(misalignment)} must be 0..7`);
  }
  const steps: IoStep[] = [];
  let off = 0;
  let left = count;
  const head = misalignment === 0 ? 0 : Math.min(8 - misalignment, left);
  for (let i = 0; i < head; i++, off++, left--) steps.push(store(1, off, 'src'));
  for (; left >= 8; off += 8, left -= 8) steps.push(store(8, off, 'src'));
  for (; left > 0; off++, left--) steps.push(store(1, off, 'src'));
  return accessor(`memcpy_toio(${count})`, steps, 'arch/arm64/kernel/io.c __memcpy_toio');
}

/**
 * Looks up any accessor: a fixed name (`writel`, `wmb`, ...), or a counted one with `count`
 * (`__iowrite64_copy`, `__iowrite32_copy`, `memcpy_toio`). Throws `RangeError` otherwise.
 */
export function ioAccessorSteps(name: string, count?: number): readonly IoStep[] {
  if (name === '__iowrite64_copy' || name === '__iowrite32_copy') {
    if (count === undefined) throw new RangeError(`I/O accessor '${name}' needs a count`);
    return iowriteCopy(name === '__iowrite64_copy' ? 8 : 4, count).steps;
  }
  if (name === 'memcpy_toio') {
    if (count === undefined) throw new RangeError(`I/O accessor '${name}' needs a count`);
    return memcpyToio(count).steps;
  }
  if (count !== undefined) throw new RangeError(`I/O accessor '${name}' takes no count (got ${String(count)})`);
  return ioAccessor(name).steps;
}

/** `DMB OSHST; STR(4)`-style one-line rendering, for docs and explanations. */
export function formatIoSteps(steps: readonly IoStep[]): string {
  return steps
    .map((s) => {
      switch (s.kind) {
        case 'barrier':
          return `${s.op} ${barrierOption(s.domain, s.type)}`;
        case 'store':
          return `STR(${s.size})${s.offset === 0 ? '' : `+${s.offset}`}`;
        case 'load':
          return `LDR(${s.size})${s.offset === 0 ? '' : `+${s.offset}`}`;
        case 'ctrl-dep':
          return 'ctrl-dep';
        case 'dgh':
          return 'DGH';
      }
    })
    .join('; ');
}

// The assembler spelling of a barrier option: SY, LD, ST, OSH, OSHLD, ISHST, ...
function barrierOption(domain: BarrierDomain, type: BarrierType): string {
  if (domain === 'SY') return type === 'ALL' ? 'SY' : type;
  return type === 'ALL' ? domain : `${domain}${type}`;
}
