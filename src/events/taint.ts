/**
 * Dependency taint: the set of reads a value is computed from, as herd's dependency relations
 * define "computed from" (aarch64 model, "Dependency through registers and memory"): through
 * register data flow, through the data flow inside an instruction, and through memory from a
 * write to its local read successor (a po-later read of the same location with no write between).
 *
 * Each value carries two taints: `t`, the reads it depends on through data flow only (herd's
 * basic dependencies, which give addr, data and ctrl), and `p`, which adds the flow through a
 * condition that picks a value (CSEL, CAS's comparison: herd's pick dependencies). Reads are
 * named by their position on the thread's path; a taint is a bit set over positions.
 */

/** A set of read positions, as bits of a bigint. */
export type Taint = bigint;

export const NONE: Taint = 0n;

export function only(position: number): Taint {
  return 1n << BigInt(position);
}

/** The positions in a taint, in increasing order. */
export function positions(t: Taint): number[] {
  const out: number[] = [];
  for (let k = 0; t !== 0n; k++, t >>= 1n) if (t & 1n) out.push(k);
  return out;
}

/** A value with the reads it depends on (basic `t`, pick `p`; p always includes t). */
export interface Src {
  readonly v: import('./sym.js').Sym;
  readonly t: Taint;
  readonly p: Taint;
}
