/**
 * Arm memory types as the architecture defines them (Arm ARM B2.8 / B2.10, "Memory types and
 * attributes"): the vocabulary every other module speaks.
 */

/** Cacheability of one level (inner or outer) of Normal memory. */
export type Cacheability = 'NC' | 'WT' | 'WB';

/** The four Device memory subtypes, strictest first. */
export type DeviceKind = 'nGnRnE' | 'nGnRE' | 'nGRE' | 'GRE';

/** An effective memory type. The JSON form of this value is part of the CLI's stable output. */
export type MemoryType =
  | { readonly type: 'Device'; readonly device: DeviceKind }
  | { readonly type: 'Normal'; readonly inner: Cacheability; readonly outer: Cacheability };

/** Shareability domains: Non-, Inner, Outer Shareable. */
export type Shareability = 'NSH' | 'ISH' | 'OSH';

export function device(kind: DeviceKind): MemoryType {
  return { type: 'Device', device: kind };
}

export function normal(inner: Cacheability, outer: Cacheability = inner): MemoryType {
  return { type: 'Normal', inner, outer };
}

/** `Device-nGnRE`, `Normal-NC`, `Normal-WB`, or `Normal(iWB,oNC)` when inner and outer differ. */
export function formatMemoryType(t: MemoryType): string {
  if (t.type === 'Device') return `Device-${t.device}`;
  return t.inner === t.outer ? `Normal-${t.inner}` : `Normal(i${t.inner},o${t.outer})`;
}

export function sameMemoryType(a: MemoryType, b: MemoryType): boolean {
  if (a.type === 'Device') return b.type === 'Device' && a.device === b.device;
  return b.type === 'Normal' && a.inner === b.inner && a.outer === b.outer;
}
