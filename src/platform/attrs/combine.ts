/**
 * Combining a stage-1 attribute with a stage-2 MemAttr into the memory type an access really
 * has (Arm ARM D8 "Combining the stage 1 and stage 2 attributes", and with FEAT_S2FWB the
 * HCR_EL2.FWB override rules).
 */
import { device, formatMemoryType, normal } from '../memory-type.js';
import type { Cacheability, DeviceKind, MemoryType, Shareability } from '../memory-type.js';
import type { Features } from './features.js';
import { decodeStage1 } from './stage1.js';
import type { Stage1Decode } from './stage1.js';
import { decodeStage2 } from './stage2.js';
import type { Stage2Action, Stage2Decode } from './stage2.js';
import { stricterDevice } from './device-axes.js';
import { weakerCacheability } from './cacheability.js';
import { alwaysOuterShareable, effectiveShareability, isShareability } from './shareability.js';

/** The outcome of combining the two stages, with the reasoning behind it. */
export interface Combination {
  /** The effective memory type; `null` when either input is reserved or UNPREDICTABLE. */
  readonly effective: MemoryType | null;
  /** The effective shareability; `null` exactly when `effective` is. */
  readonly shareability: Shareability | null;
  /** One line: the rule that decided the effective type. */
  readonly rule: string;
  /** Explanations: why a type is null, where hints come from, where QEMU differs, shareability. */
  readonly notes: readonly string[];
  readonly s1: Stage1Decode;
  readonly s2: Stage2Decode;
}

/** Optional inputs of {@link combine}. */
export interface CombineOptions {
  /** Features that give meaning to some encodings; all default to false. */
  readonly features?: Features;
  /** Shareability of the stage-1 descriptor (SH); default ISH, what Linux writes. */
  readonly s1Shareability?: Shareability;
  /** Shareability of the stage-2 descriptor (SH); default ISH, what KVM writes. */
  readonly s2Shareability?: Shareability;
}

/** The type decided by one stage-2 action, the rule used and extra notes. */
interface Decision {
  readonly type: MemoryType;
  readonly rule: string;
  readonly notes: readonly string[];
}

/** Stage 2 gives a Device subtype (FWB = 0 MemAttr 0b00dd, or FWB = 1 MemAttr 0b0dd). */
function withStage2Device(s1: MemoryType, kind: DeviceKind, fwb: boolean): Decision {
  const mode = fwb ? `FWB=1, MemAttr 0b0dd (Device-${kind})` : `FWB=0, stage 2 Device-${kind}`;
  if (s1.type === 'Normal') {
    return {
      type: device(kind),
      rule: `${mode}: stage-1 Normal becomes Device-${kind}`,
      notes: [`stage 1 asked for ${formatMemoryType(s1)}; a Device stage 2 overrides it, so no Normal behaviour (write combining, speculative reads) remains`],
    };
  }
  // Both Device: each of G/R/E takes the stricter value. With FWB this follows the Arm
  // pseudocode; QEMU (target/arm/ptw.c) uses the stage-2 subtype alone — a known difference.
  const result = stricterDevice(s1.device, kind);
  const notes: string[] = [];
  if (fwb && result !== kind) {
    notes.push(`QEMU takes the stage-2 subtype alone for FWB 0b0dd and would give Device-${kind}; iolitmus follows the Arm pseudocode (stricter per axis)`);
  }
  return {
    type: device(result),
    rule: `${mode}, stage 1 Device-${s1.device}: Device, stricter value on each axis (nG over G, nR over R, nE over E)`,
    notes,
  };
}

/** FWB = 0 and stage 2 is Normal: Device stays, Normal takes the weaker cacheability per level. */
function withStage2Normal(s1: MemoryType, inner: Cacheability, outer: Cacheability, s1Decode: Stage1Decode): Decision {
  const s2 = normal(inner, outer);
  if (s1.type === 'Device') {
    return {
      type: s1,
      rule: `FWB=0, stage 1 Device-${s1.device}, stage 2 ${formatMemoryType(s2)}: a Device stage makes the result Device (stage 1's subtype)`,
      notes: [],
    };
  }
  const resultInner = weakerCacheability(s1.inner, inner);
  const resultOuter = weakerCacheability(s1.outer, outer);
  const notes: string[] = [];
  // Hints only matter for a level that stays cacheable.
  if ((resultInner !== 'NC' || resultOuter !== 'NC') && s1Decode.ok && s1Decode.hints !== undefined) {
    notes.push('allocation hints and transience come from stage 1');
  }
  return {
    type: normal(resultInner, resultOuter),
    rule: `FWB=0, both Normal: the weaker cacheability wins on each level (NC < WT < WB)`,
    notes,
  };
}

/** The effective type for a valid pair. */
function decide(s1: MemoryType, action: Stage2Action, fwb: boolean, s1Decode: Stage1Decode): Decision {
  switch (action.kind) {
    case 'device':
      return withStage2Device(s1, action.device, fwb);
    case 'normal':
      return withStage2Normal(s1, action.inner, action.outer, s1Decode);
    case 'force-nc':
      // FWB 0b101: Device<x> stays Device<x>, any Normal becomes Normal-NC.
      return s1.type === 'Device'
        ? { type: s1, rule: `FWB=1, MemAttr 0b101: stage-1 Device-${s1.device} stays Device-${s1.device}`, notes: [] }
        : { type: normal('NC'), rule: 'FWB=1, MemAttr 0b101: stage-1 Normal becomes Normal-NC', notes: [] };
    case 'force-wb':
      // FWB 0b110: Normal Write-Back whatever stage 1 is, Device included.
      return {
        type: normal('WB'),
        rule: 'FWB=1, MemAttr 0b110: Normal Write-Back, forced whatever stage 1 says',
        notes: s1.type === 'Device' ? [`stage-1 Device-${s1.device} is overridden: the access becomes cacheable`] : [],
      };
    case 'use-s1':
      return { type: s1, rule: 'FWB=1, MemAttr 0b111: the stage-1 attributes are used unchanged', notes: [] };
  }
}

/** Notes that report which stage is invalid and why. */
function problemNotes(s1: Stage1Decode, s2: Stage2Decode): { rule: string; notes: string[] } {
  const notes: string[] = [];
  const bad: string[] = [];
  if (!s1.ok) { bad.push(`stage 1 is ${s1.problem}`); notes.push(`stage 1: ${s1.reason}`); }
  if (!s2.ok) { bad.push(`stage 2 is ${s2.problem}`); notes.push(`stage 2: ${s2.reason}`); }
  return { rule: `no effective type: ${bad.join(' and ')}`, notes };
}

function checkShareability(value: Shareability | undefined, what: string): Shareability {
  if (value === undefined) return 'ISH';
  if (!isShareability(value)) throw new RangeError(`${what} must be NSH, ISH or OSH, got ${String(value)}`);
  return value;
}

/**
 * Combines a MAIR attribute byte (stage 1) with a stage-2 MemAttr under HCR_EL2.FWB = `fwb`.
 * Every valid pair gets a type; a reserved or UNPREDICTABLE input gives `effective: null` with
 * the reason in `notes`. Throws a RangeError for out-of-range numbers or bad shareability names.
 */
export function combine(s1Attr: number, s2MemAttr: number, fwb: boolean, options?: CombineOptions): Combination {
  const s1Sh = checkShareability(options?.s1Shareability, 's1Shareability');
  const s2Sh = checkShareability(options?.s2Shareability, 's2Shareability');
  const s1 = decodeStage1(s1Attr, options?.features);
  const s2 = decodeStage2(s2MemAttr, fwb, options?.features);
  if (!s1.ok || !s2.ok) {
    const { rule, notes } = problemNotes(s1, s2);
    return { effective: null, shareability: null, rule, notes, s1, s2 };
  }
  const d = decide(s1.type, s2.action, fwb, s1);
  const shareability = effectiveShareability(d.type, s1Sh, s2Sh);
  const shNote = alwaysOuterShareable(d.type)
    ? `${formatMemoryType(d.type)} is always Outer Shareable`
    : `shareability: the more shareable of stage 1 (${s1Sh}) and stage 2 (${s2Sh})`;
  const extra: string[] = [];
  if (s1.tagged === true) extra.push('stage 1 is Tagged (FEAT_MTE2); tag checking is not modelled here');
  if (s2.noTagAccess === true) extra.push('stage 2 is NoTagAccess (FEAT_MTE_PERM); tag checking is not modelled here');
  return { effective: d.type, shareability, rule: d.rule, notes: [...d.notes, ...extra, shNote], s1, s2 };
}
