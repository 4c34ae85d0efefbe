/**
 * Stage 2: decoding the MemAttr field of a stage-2 descriptor (bits [5:2]), with HCR_EL2.FWB = 0
 * (MemAttr[3:0] is a memory type) or FWB = 1 (FEAT_S2FWB: MemAttr[2:0] says how stage 1 is
 * overridden). Arm ARM D8 "Stage 2 memory type and Cacheability attributes".
 */
import { formatMemoryType, normal } from '../memory-type.js';
import type { Cacheability, DeviceKind } from '../memory-type.js';
import { resolveFeatures } from './features.js';
import type { Features } from './features.js';
import type { EncodingProblem } from './stage1.js';
import { bin, checkField } from './encoding-text.js';

/**
 * What a valid stage-2 encoding does to the stage-1 attributes.
 * - `device`: FWB = 0 MemAttr 0b00dd or FWB = 1 MemAttr 0b0dd. The result is Device; a stage-1
 *   Device subtype combines with this one, stricter per axis; a stage-1 Normal becomes this subtype.
 * - `normal`: FWB = 0 only; a Normal type that combines with stage 1, weaker cacheability per level.
 * - `force-nc`: FWB 0b101; stage-1 Device stays, stage-1 Normal becomes Normal-NC.
 * - `force-wb`: FWB 0b110; Normal Write-Back whatever stage 1 says, Device included.
 * - `use-s1`: FWB 0b111; the stage-1 attributes unchanged.
 */
export type Stage2Action =
  | { readonly kind: 'device'; readonly device: DeviceKind }
  | { readonly kind: 'normal'; readonly inner: Cacheability; readonly outer: Cacheability }
  | { readonly kind: 'force-nc' }
  | { readonly kind: 'force-wb' }
  | { readonly kind: 'use-s1' };

/** The decode of a stage-2 MemAttr: what it does to stage 1, or why it is not valid. */
export type Stage2Decode =
  | {
      readonly ok: true;
      /** The HCR_EL2.FWB value the encoding was read with. */
      readonly fwb: boolean;
      readonly action: Stage2Action;
      /** Set for MemAttr 0b0100 with FEAT_MTE_PERM (FWB = 0): Normal WB without tag access. */
      readonly noTagAccess?: boolean;
      /** One line, e.g. `Device-nGnRE` or `FWB: force Normal-NC (stage-1 Device kept)`. */
      readonly text: string;
    }
  | { readonly ok: false; readonly problem: EncodingProblem; readonly reason: string };

const DEVICE_BY_DD: readonly DeviceKind[] = ['nGnRnE', 'nGnRE', 'nGRE', 'GRE'];

// Values 01, 10, 11 of MemAttr[3:2] (outer) and MemAttr[1:0] (inner) for a Normal type.
const LEVEL_BY_BITS: readonly (Cacheability | null)[] = [null, 'NC', 'WT', 'WB'];

function reserved(memAttr: number, bits: number, why: string): Stage2Decode {
  return { ok: false, problem: 'reserved', reason: `stage-2 MemAttr ${bin(memAttr, bits)}: ${why}` };
}

/** FWB = 0: MemAttr[3:0] is a memory type that combines with stage 1. */
function decodeWithoutFwb(memAttr: number, mtePerm: boolean): Stage2Decode {
  const outerBits = memAttr >> 2;
  const innerBits = memAttr & 0b11;
  // 0b00dd: Device-<dd>.
  if (outerBits === 0) {
    const kind = DEVICE_BY_DD[innerBits] as DeviceKind;
    return { ok: true, fwb: false, action: { kind: 'device', device: kind }, text: `Device-${kind}` };
  }
  if (innerBits === 0) {
    // 0b0100 is Normal WB NoTagAccess only with FEAT_MTE_PERM; 0b1000 and 0b1100 are reserved.
    if (memAttr === 0b0100 && mtePerm) {
      return {
        ok: true, fwb: false, action: { kind: 'normal', inner: 'WB', outer: 'WB' }, noTagAccess: true,
        text: `${formatMemoryType(normal('WB'))}, NoTagAccess (FEAT_MTE_PERM)`,
      };
    }
    const why = memAttr === 0b0100
      ? 'reserved (Normal Write-Back NoTagAccess only with FEAT_MTE_PERM)'
      : 'reserved (a Normal outer attribute needs a non-zero inner attribute MemAttr[1:0])';
    return reserved(memAttr, 4, why);
  }
  // 0booii: outer from [3:2], inner from [1:0]; 01 NC, 10 WT, 11 WB.
  const outer = LEVEL_BY_BITS[outerBits] as Cacheability;
  const inner = LEVEL_BY_BITS[innerBits] as Cacheability;
  return { ok: true, fwb: false, action: { kind: 'normal', inner, outer }, text: formatMemoryType(normal(inner, outer)) };
}

/** FWB = 1: MemAttr[2:0] says how stage 1 is overridden; MemAttr[3] is RES0. */
function decodeWithFwb(memAttr: number): Stage2Decode {
  if ((memAttr & 0b1000) !== 0) {
    return reserved(memAttr, 4, 'MemAttr[3] is RES0 when HCR_EL2.FWB = 1, so bit 3 must be 0');
  }
  if ((memAttr & 0b100) === 0) {
    const kind = DEVICE_BY_DD[memAttr & 0b11] as DeviceKind;
    return {
      ok: true, fwb: true, action: { kind: 'device', device: kind },
      text: `FWB: Device-${kind} (stage-1 Device combines stricter per axis; stage-1 Normal becomes Device-${kind})`,
    };
  }
  switch (memAttr) {
    case 0b101:
      return { ok: true, fwb: true, action: { kind: 'force-nc' }, text: 'FWB: Normal-NC (stage-1 Device kept; stage-1 Normal becomes Normal-NC)' };
    case 0b110:
      return { ok: true, fwb: true, action: { kind: 'force-wb' }, text: 'FWB: Normal-WB forced (even over stage-1 Device)' };
    case 0b111:
      return { ok: true, fwb: true, action: { kind: 'use-s1' }, text: 'FWB: stage-1 attributes unchanged' };
    default:
      return reserved(memAttr, 3, 'reserved with HCR_EL2.FWB = 1');
  }
}

/**
 * Decodes a stage-2 MemAttr. Without FWB all four bits are a memory type; with FWB bits [2:0]
 * are the override and a set bit 3 (RES0) is reported as a problem. Reserved encodings are
 * reported, never mapped to a type. Throws a RangeError unless `memAttr` is an integer 0..15.
 */
export function decodeStage2(memAttr: number, fwb: boolean, features?: Features): Stage2Decode {
  checkField(memAttr, 0xf, 'a stage-2 MemAttr');
  return fwb ? decodeWithFwb(memAttr) : decodeWithoutFwb(memAttr, resolveFeatures(features).mtePerm);
}
