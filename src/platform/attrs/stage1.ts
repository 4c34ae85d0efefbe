/**
 * Stage 1: decoding a MAIR_ELx attribute byte (the Attr<n> field selected by a descriptor's
 * AttrIndx). Arm ARM D19 "MAIR_EL1" field descriptions and B2 "Memory types and attributes".
 */
import { device, normal, formatMemoryType } from '../memory-type.js';
import type { Cacheability, DeviceKind, MemoryType } from '../memory-type.js';
import { resolveFeatures } from './features.js';
import type { Features } from './features.js';
import { bin, checkField, hex } from './encoding-text.js';

/** Allocation hints of one cacheable level. They never change the memory type or ordering. */
export interface LevelHints {
  /** Transient: a hint that the data will not be reused soon (0b00RW / 0b01RW nibbles). */
  readonly transient: boolean;
  /** R bit of the nibble (bit 1). */
  readonly readAllocate: boolean;
  /** W bit of the nibble (bit 0). */
  readonly writeAllocate: boolean;
}

/** Hints of a Normal byte per level; `null` for a Non-cacheable level, which has none. */
export interface NormalHints {
  readonly inner: LevelHints | null;
  readonly outer: LevelHints | null;
}

/** A reason an encoding has no memory type: the architecture's own word for it. */
export type EncodingProblem = 'UNPREDICTABLE' | 'reserved';

/** The decode of a MAIR attribute byte: a memory type, or why there is none. */
export type Stage1Decode =
  | {
      readonly ok: true;
      readonly type: MemoryType;
      /** Set when the encoding gives the XS attribute the value 0 (FEAT_XS encodings). */
      readonly xs0?: boolean;
      /** Set for Tagged Normal memory (0xf0 with FEAT_MTE2). */
      readonly tagged?: boolean;
      /** Present for Normal memory: the allocation hints and transience of each level. */
      readonly hints?: NormalHints;
      /** One line, e.g. `Normal(iWB,oNC) (inner WB non-transient read+write-allocate; outer NC)`. */
      readonly text: string;
    }
  | { readonly ok: false; readonly problem: EncodingProblem; readonly reason: string };

const DEVICE_BY_DD: readonly DeviceKind[] = ['nGnRnE', 'nGnRE', 'nGRE', 'GRE'];

/** One decoded Normal nibble. */
interface NormalLevel {
  readonly cacheability: Cacheability;
  readonly hints: LevelHints | null;
}

/**
 * A non-zero Normal nibble: 0b0100 NC; 0b00RW (RW != 00) WT transient; 0b01RW (RW != 00) WB
 * transient; 0b10RW WT non-transient; 0b11RW WB non-transient. The 0b0000 nibble is handled by
 * the caller (only the FEAT_XS / FEAT_MTE2 bytes give it a meaning).
 */
function decodeNibble(nibble: number): NormalLevel {
  if (nibble === 0b0100) return { cacheability: 'NC', hints: null };
  const hints: LevelHints = {
    transient: (nibble & 0b1000) === 0,
    readAllocate: (nibble & 0b0010) !== 0,
    writeAllocate: (nibble & 0b0001) !== 0,
  };
  return { cacheability: (nibble & 0b0100) !== 0 ? 'WB' : 'WT', hints };
}

function levelText(level: NormalLevel): string {
  const h = level.hints;
  if (h === null) return level.cacheability;
  const alloc =
    h.readAllocate && h.writeAllocate ? 'read+write-allocate'
    : h.readAllocate ? 'read-allocate'
    : h.writeAllocate ? 'write-allocate'
    : 'no-allocate';
  return `${level.cacheability} ${h.transient ? 'transient' : 'non-transient'} ${alloc}`;
}

function normalDecode(inner: NormalLevel, outer: NormalLevel, extra: { xs0?: true; tagged?: true }): Stage1Decode {
  const type = normal(inner.cacheability, outer.cacheability);
  const flags = [extra.tagged ? 'Tagged' : '', extra.xs0 ? 'XS=0' : ''].filter((s) => s !== '');
  const head = [formatMemoryType(type), ...flags].join(', ');
  // A level's hints are kept in the text even though they never change the type.
  const text = inner.hints === null && outer.hints === null
    ? head
    : `${head} (inner ${levelText(inner)}; outer ${levelText(outer)})`;
  return { ok: true, type, ...extra, hints: { inner: inner.hints, outer: outer.hints }, text };
}

function unpredictable(attr: number, why: string): Stage1Decode {
  return { ok: false, problem: 'UNPREDICTABLE', reason: `MAIR attribute ${hex(attr, 2)} (${bin(attr, 8)}): ${why}` };
}

// The Normal attributes FEAT_XS gives to 0x40 and 0xa0 (Arm ARM MAIR_ELx.Attr<n>): the same
// levels as 0x44 and 0xaa, with XS = 0.
const XS_NORMAL: Readonly<Record<number, NormalLevel>> = {
  0x40: decodeNibble(0b0100),
  0xa0: decodeNibble(0b1010),
};

/**
 * Decodes a MAIR_ELx attribute byte. UNPREDICTABLE encodings are reported, never mapped to a
 * type. Throws a RangeError unless `attrByte` is an integer 0..255.
 */
export function decodeStage1(attrByte: number, features?: Features): Stage1Decode {
  checkField(attrByte, 0xff, 'a MAIR attribute byte');
  const f = resolveFeatures(features);
  const outer = attrByte >> 4;
  const inner = attrByte & 0xf;

  if (outer === 0) {
    const kind = DEVICE_BY_DD[(inner >> 2) & 0b11] as DeviceKind;
    const low = inner & 0b11;
    // 0b0000dd00: Device-<dd>.
    if (low === 0b00) return { ok: true, type: device(kind), text: `Device-${kind}` };
    // 0b0000dd01: Device-<dd> with XS = 0, only where FEAT_XS is implemented.
    if (low === 0b01) {
      if (f.xs) return { ok: true, type: device(kind), xs0: true, text: `Device-${kind}, XS=0` };
      return unpredictable(attrByte, `Device-${kind} with XS=0 (0b0000dd01) is UNPREDICTABLE without FEAT_XS`);
    }
    // 0b0000dd1x is UNPREDICTABLE whatever the features.
    return unpredictable(attrByte, 'Device encodings 0b0000dd1x are UNPREDICTABLE (bits [1:0] must be 00, or 01 with FEAT_XS)');
  }

  if (inner === 0) {
    const xsLevel = XS_NORMAL[attrByte];
    if (xsLevel !== undefined) {
      if (f.xs) return normalDecode(xsLevel, xsLevel, { xs0: true });
      const name = attrByte === 0x40 ? 'Normal-NC' : 'Normal-WT';
      return unpredictable(attrByte, `${name} with XS=0 is UNPREDICTABLE without FEAT_XS`);
    }
    if (attrByte === 0xf0) {
      // Tagged Normal, inner and outer Write-Back non-transient read+write-allocate (as 0xff).
      const wb = decodeNibble(0b1111);
      if (f.mte2) return normalDecode(wb, wb, { tagged: true });
      return unpredictable(attrByte, 'Tagged Normal-WB is UNPREDICTABLE without FEAT_MTE2');
    }
    return unpredictable(attrByte, 'a Normal outer nibble with inner nibble 0b0000 is UNPREDICTABLE');
  }

  // 0booooiiii with both nibbles non-zero: Normal memory.
  return normalDecode(decodeNibble(inner), decodeNibble(outer), {});
}
