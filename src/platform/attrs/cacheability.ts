/**
 * Ordering of Normal-memory cacheabilities, for combining stage 1 with stage 2.
 */
import type { Cacheability } from '../memory-type.js';

// Non-cacheable < Write-Through < Write-Back: a combination keeps the lower one.
const RANK: Readonly<Record<Cacheability, number>> = { NC: 0, WT: 1, WB: 2 };

/**
 * The weaker cacheability of two levels (Arm ARM D8, combining Normal attributes per level):
 * NC with anything is NC; WT with WT or WB is WT; WB only with WB.
 */
export function weakerCacheability(a: Cacheability, b: Cacheability): Cacheability {
  return RANK[a] <= RANK[b] ? a : b;
}

/** Long English name of a cacheability, for explanations. */
export function cacheabilityName(c: Cacheability): string {
  return c === 'NC' ? 'Non-cacheable' : c === 'WT' ? 'Write-Through' : 'Write-Back';
}
