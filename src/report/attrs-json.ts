/**
 * The JSON form of an attrs combination, as `iolitmus attrs --json` prints it. The shape is part
 * of the CLI's stable output (see docs/attrs.md).
 */
import type { Combination, Stage1Decode, Stage2Decode } from '../platform/attrs/index.js';
import type { MemoryType, Shareability } from '../platform/memory-type.js';

/** The stage-1 decode with the byte it came from, e.g. `{"encoding":"0x44","ok":true,...}`. */
export type Stage1Json = { readonly encoding: string } & Stage1Decode;
/** The stage-2 decode with the MemAttr it came from and the FWB mode. */
export type Stage2Json = { readonly encoding: string; readonly fwb: boolean } & Stage2Decode;

/** The object `iolitmus attrs --json` prints. */
export interface AttrsJson {
  readonly s1: Stage1Json;
  readonly s2: Stage2Json;
  readonly effective: MemoryType | null;
  readonly shareability: Shareability | null;
  readonly rule: string;
  readonly notes: readonly string[];
}

/** `0x44` for a MAIR byte. */
function hexByte(v: number): string {
  return `0x${v.toString(16).padStart(2, '0')}`;
}

/** `0b0101` for a MemAttr (four bits; MemAttr[3] is shown even with FWB, where it is RES0). */
function memAttrBits(v: number): string {
  return `0b${v.toString(2).padStart(4, '0')}`;
}

/** Builds the JSON object for a combination of `s1Attr` and `s2MemAttr` under `fwb`. */
export function attrsJson(s1Attr: number, s2MemAttr: number, fwb: boolean, c: Combination): AttrsJson {
  return {
    s1: { encoding: hexByte(s1Attr), ...c.s1 },
    s2: { encoding: memAttrBits(s2MemAttr), fwb, ...c.s2 },
    effective: c.effective,
    shareability: c.shareability,
    rule: c.rule,
    notes: c.notes,
  };
}
