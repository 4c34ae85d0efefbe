/**
 * Names accepted for a stage-2 MemAttr, with and without FWB, and parsing user text into one.
 */
import type { Cacheability, MemoryType } from '../memory-type.js';
import { formatMemoryType } from '../memory-type.js';
import { parseEncodedNumber } from './parse-number.js';
import { parseTypeName } from './type-names.js';
import { bin } from './encoding-text.js';

/** One named stage-2 attribute, with its encoding in each FWB mode. */
export interface Stage2Name {
  /** The name as documented; matching ignores case. */
  readonly name: string;
  /** MemAttr[3:0] with HCR_EL2.FWB = 0, or `null` when the name has no such encoding. */
  readonly memAttr: number | null;
  /** MemAttr[2:0] with HCR_EL2.FWB = 1, or `null` when the name has no such encoding. */
  readonly fwbMemAttr: number | null;
  /** What it is and where it comes from. */
  readonly meaning: string;
  /** Why one of the two encodings is missing (present exactly when one is `null`). */
  readonly missing?: string;
}

/**
 * Every name {@link parseStage2} accepts besides numbers and herd attribute lists. Architecture
 * names encode for either FWB setting; Linux's constants (arch/arm64/include/asm/memory.h) are
 * literal encodings, `MT_S2_*` for FWB = 0 and `MT_S2_FWB_*` for FWB = 1, as KVM picks them.
 */
export const STAGE2_NAMES: readonly Stage2Name[] = [
  { name: 'Device-nGnRnE', memAttr: 0x0, fwbMemAttr: 0x0, meaning: 'Device-nGnRnE' },
  { name: 'Device-nGnRE', memAttr: 0x1, fwbMemAttr: 0x1, meaning: 'Device-nGnRE' },
  { name: 'Device-nGRE', memAttr: 0x2, fwbMemAttr: 0x2, meaning: 'Device-nGRE' },
  { name: 'Device-GRE', memAttr: 0x3, fwbMemAttr: 0x3, meaning: 'Device-GRE' },
  { name: 'Normal-NC', memAttr: 0x5, fwbMemAttr: 0x5, meaning: 'Normal Non-cacheable (with FWB: stage-1 Device kept, Normal becomes NC)' },
  {
    name: 'Normal-WT', memAttr: 0xa, fwbMemAttr: null, meaning: 'Normal Write-Through',
    missing: 'FWB has no Write-Through encoding (MemAttr[2:0] gives Device, forces NC or WB, or keeps stage 1)',
  },
  { name: 'Normal-WB', memAttr: 0xf, fwbMemAttr: 0x6, meaning: 'Normal Write-Back (with FWB: forced, even over stage-1 Device)' },
  {
    name: 'Use-S1', memAttr: null, fwbMemAttr: 0x7, meaning: 'FWB 0b111: stage-1 attributes unchanged',
    missing: 'only FWB can pass stage 1 through; without FWB, Normal-WB (0xf) has the same effect because Write-Back never weakens stage 1',
  },
  {
    name: 'MT_S2_DEVICE_nGnRE', memAttr: 0x1, fwbMemAttr: null, meaning: 'Linux stage-2 Device-nGnRE, FWB = 0',
    missing: 'with FWB KVM writes MT_S2_FWB_DEVICE_nGnRE (0x1) instead',
  },
  {
    name: 'MT_S2_NORMAL_NC', memAttr: 0x5, fwbMemAttr: null, meaning: 'Linux stage-2 Normal-NC, FWB = 0',
    missing: 'with FWB KVM writes MT_S2_FWB_NORMAL_NC (0x5) instead',
  },
  {
    name: 'MT_S2_NORMAL', memAttr: 0xf, fwbMemAttr: null, meaning: 'Linux stage-2 Normal-WB, FWB = 0',
    missing: 'with FWB KVM writes MT_S2_FWB_NORMAL (0x6) instead',
  },
  {
    name: 'MT_S2_FWB_DEVICE_nGnRE', memAttr: null, fwbMemAttr: 0x1, meaning: 'Linux stage-2 Device-nGnRE, FWB = 1',
    missing: 'it is the FWB encoding; without FWB KVM writes MT_S2_DEVICE_nGnRE (0x1)',
  },
  {
    name: 'MT_S2_FWB_NORMAL_NC', memAttr: null, fwbMemAttr: 0x5, meaning: 'Linux stage-2 Normal-NC, FWB = 1',
    missing: 'it is the FWB encoding; without FWB KVM writes MT_S2_NORMAL_NC (0x5)',
  },
  {
    name: 'MT_S2_FWB_NORMAL', memAttr: null, fwbMemAttr: 0x6, meaning: 'Linux stage-2 Normal-WB, FWB = 1',
    missing: 'it is the FWB encoding; without FWB KVM writes MT_S2_NORMAL (0xf)',
  },
];

// MemAttr level bits: 0b01 NC, 0b10 WT, 0b11 WB (outer in [3:2], inner in [1:0]).
const LEVEL_BITS: Readonly<Record<Cacheability, number>> = { NC: 0b01, WT: 0b10, WB: 0b11 };
const DEVICE_DD = ['nGnRnE', 'nGnRE', 'nGRE', 'GRE'];

/** The MemAttr of a memory type in the given mode; a RangeError when FWB cannot express it. */
function stage2Encoding(type: MemoryType, fwb: boolean, text: string): number {
  if (type.type === 'Device') return DEVICE_DD.indexOf(type.device);
  if (!fwb) return (LEVEL_BITS[type.outer] << 2) | LEVEL_BITS[type.inner];
  if (type.inner === 'NC' && type.outer === 'NC') return 0b101;
  if (type.inner === 'WB' && type.outer === 'WB') return 0b110;
  throw new RangeError(
    `stage-2 attribute '${text}' (${formatMemoryType(type)}) has no FWB encoding: with FWB stage 2 can only give Device, Normal-NC or Normal-WB`,
  );
}

/**
 * A stage-2 MemAttr from user text, for HCR_EL2.FWB = `fwb`: a number 0..0xf (`0x5`, `0b0101`,
 * `5`; with FWB a set bit 3 is accepted here and reported by decodeStage2), a name from
 * {@link STAGE2_NAMES} (any case), or a type such as `Normal(iWB,oNC)` / `(Normal,iNC,oNC)`.
 * Throws a RangeError naming the text when it is unknown, out of range, or has no encoding in
 * this FWB mode (saying why).
 */
export function parseStage2(text: string, fwb: boolean): number {
  const number = parseEncodedNumber(text, 0xf, 'stage-2 MemAttr');
  if (number !== undefined) return number;
  const key = text.trim().toLowerCase();
  const named = STAGE2_NAMES.find((n) => n.name.toLowerCase() === key);
  if (named !== undefined) {
    const value = fwb ? named.fwbMemAttr : named.memAttr;
    if (value === null) {
      throw new RangeError(`stage-2 attribute '${text}' has no ${fwb ? 'FWB' : 'non-FWB'} encoding: ${named.missing ?? ''}`);
    }
    return value;
  }
  const type = parseTypeName(text);
  if (type !== undefined) return stage2Encoding(type, fwb, text);
  throw new RangeError(
    `unknown stage-2 attribute '${text}': expected a MemAttr (0x5, ${bin(5, 4)}, 5), a type (Device-nGnRE, Normal-NC, Normal-WB) ` +
      'or a Linux name (MT_S2_NORMAL_NC, MT_S2_FWB_NORMAL, ...)',
  );
}
