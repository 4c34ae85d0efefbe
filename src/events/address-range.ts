/**
 * Where an address computed from loaded values can point, bounded from its form alone: a
 * location's address plus an integer whose range the operations bound (`AND W2,W1,#64` is 0 or
 * 64 at most, whatever W1 holds). A pointer fork (thread-exec.ts) only forks over the locations
 * in range; the others would be forks whose condition can never hold.
 */
import type { Sym } from './sym.js';
import { addressNumber, isSymbolic } from './value.js';

/** An inclusive range of unsigned integers. */
type Range = readonly [bigint, bigint];

const FULL: Range = [0n, (1n << 64n) - 1n];

/** The range of an integer-valued term (FULL when its form does not bound it). */
function integerRange(s: Sym, depth = 0): Range {
  if (depth > 16) return FULL;
  if (s.k === 'const') return isSymbolic(s.v) ? FULL : [s.v, s.v];
  if (s.k === 'op' && s.op === 'and') {
    const [a, b] = [integerRange(s.a, depth + 1), integerRange(s.b, depth + 1)];
    return [0n, a[1] < b[1] ? a[1] : b[1]];
  }
  if (s.k === 'op' && s.op === 'lsl' && s.b.k === 'const' && !isSymbolic(s.b.v) && s.b.v < 64n) {
    const a = integerRange(s.a, depth + 1);
    const hi = a[1] << s.b.v;
    return hi >> 64n === 0n ? [a[0] << s.b.v, hi] : FULL;
  }
  // Extending a value whose top bit is clear changes nothing (sign- or zero-extension alike).
  if (s.k === 'un' && (s.op === 'zext' || s.op === 'sext')) {
    const a = integerRange(s.a, depth + 1);
    const bits = BigInt(s.p[0] ?? 64);
    return a[1] < 1n << (bits - 1n) ? a : s.op === 'zext' && a[1] < 1n << bits ? a : FULL;
  }
  return FULL;
}

/**
 * The address numbers `s` may take: [lo, hi] when it is a location's address plus a bounded
 * integer, undefined when its form does not bound it.
 */
export function addressRange(s: Sym): readonly [number, number] | undefined {
  if (s.k !== 'op' || s.op !== 'add' || s.w !== 64) return undefined;
  for (const [base, off] of [[s.a, s.b], [s.b, s.a]] as const) {
    const a = base.k === 'const' ? addressNumber(base.v) : undefined;
    if (a === undefined) continue;
    const [lo, hi] = integerRange(off);
    if (hi - lo > 1n << 32n) return undefined;
    return [a + Number(lo), a + Number(hi)];
  }
  return undefined;
}
