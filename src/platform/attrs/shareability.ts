/**
 * The shareability of an access after both stages (Arm ARM D8, "Combining the stage 1 and
 * stage 2 attributes": shareability).
 */
import type { MemoryType, Shareability } from '../memory-type.js';

// Non- < Inner < Outer Shareable.
const RANK: Readonly<Record<Shareability, number>> = { NSH: 0, ISH: 1, OSH: 2 };

/** `true` when `value` is one of the three shareability names. */
export function isShareability(value: unknown): value is Shareability {
  return value === 'NSH' || value === 'ISH' || value === 'OSH';
}

/** `true` when the architecture makes the type Outer Shareable whatever the descriptors say. */
export function alwaysOuterShareable(type: MemoryType): boolean {
  // Every Device type, and Normal Inner Non-cacheable Outer Non-cacheable, is Outer Shareable.
  return type.type === 'Device' || (type.inner === 'NC' && type.outer === 'NC');
}

/**
 * The effective shareability of `type`: Outer Shareable for Device and for Normal iNC/oNC,
 * otherwise the more shareable of the stage-1 and stage-2 descriptor values.
 */
export function effectiveShareability(type: MemoryType, s1: Shareability, s2: Shareability): Shareability {
  if (alwaysOuterShareable(type)) return 'OSH';
  return RANK[s1] >= RANK[s2] ? s1 : s2;
}
