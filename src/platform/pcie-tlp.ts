/**
 * Which CPU stores one transaction can carry: the write-combining block they must share, and on
 * PCIe the shape of a Memory Write TLP's data.
 *
 * - A CPU's write-combining buffer gathers stores only within one naturally aligned block (64
 *   bytes on current Arm cores; the size is IMPLEMENTATION DEFINED: the `wc-block` assumption).
 *   Arm ARM B2.10.2 allows Gathering without saying how much; the block bounds what one buffer
 *   entry can hold.
 * - A Memory Write TLP carries one contiguous range of DWs (PCIe Base Specification §2.2.5, First
 *   and Last DW Byte Enables): only its first and last DW may be partly written, each from the
 *   range's start or up to its end, every DW between them whole. Byte enables with holes are
 *   allowed only in a 1-DW request and in a QW-aligned 2-DW request. A TLP never crosses a 4 KB
 *   boundary (§2.2.7), which a block of at most 4 KB inside one BAR never does.
 */

/** A store's bytes in its BAR (or register space): offset and size. */
export interface ByteRange {
  readonly offset: number;
  readonly size: number;
}

/** The block sizes the `wc-block` assumption may take. */
export const WC_BLOCK_SIZES = ['64', '16', '32', '128', '256'] as const;

/** Do all the ranges lie in one naturally aligned block of `block` bytes? */
export function inOneBlock(ranges: readonly ByteRange[], block: number): boolean {
  const first = Math.floor(ranges[0]!.offset / block);
  return ranges.every((r) => Math.floor(r.offset / block) === first && Math.floor((r.offset + r.size - 1) / block) === first);
}

/** The first and last byte the ranges write, and the DWs from the first's to the last's. */
export function byteSpan(ranges: readonly ByteRange[]): { lo: number; hi: number; dws: number } {
  const lo = Math.min(...ranges.map((r) => r.offset));
  const hi = Math.max(...ranges.map((r) => r.offset + r.size - 1));
  return { lo, hi, dws: Math.floor(hi / 4) - Math.floor(lo / 4) + 1 };
}

/** Can one Memory Write TLP carry exactly the bytes the ranges write (overlaps written once)? */
export function oneTlp(ranges: readonly ByteRange[]): boolean {
  const { lo, hi, dws } = byteSpan(ranges);
  // Holes are allowed in a 1-DW request and in a QW-aligned 2-DW request.
  if (dws === 1 || (dws === 2 && Math.floor(lo / 4) % 2 === 0)) return true;
  // Otherwise the bytes are one contiguous run.
  const bytes = new Set<number>();
  for (const r of ranges) for (let b = r.offset; b < r.offset + r.size; b++) bytes.add(b);
  return hi - lo + 1 === bytes.size;
}

/**
 * May stores with these ranges share one transaction? On PCIe, when they fit one write-combining
 * block and one TLP; on a platform bus, when they fit one block (its bursts take byte strobes).
 */
export function oneTransaction(ranges: readonly ByteRange[], block: number, pcie: boolean): boolean {
  return inOneBlock(ranges, block) && (!pcie || oneTlp(ranges));
}
