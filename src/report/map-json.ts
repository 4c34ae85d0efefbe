/**
 * The result of `iolitmus map`: KVM's stage-2 decision for a guest fault, then the effective
 * memory type a guest stage-1 attribute gets through it. Its JSON form (`--json`) is part of the
 * CLI's stable output (see docs/kvm.md).
 */
import { combine } from '../platform/attrs/index.js';
import type { KvmDecision, KvmPhase, KvmS2Kind } from '../platform/kvm-stage2.js';
import type { MemoryType, Shareability } from '../platform/memory-type.js';

/** The object `iolitmus map --json` prints. */
export interface MapJson {
  readonly result: KvmDecision['result'];
  readonly phase: KvmPhase;
  readonly s2: {
    readonly kind: KvmS2Kind;
    readonly memattr: number;
    readonly fwb: boolean;
    readonly shareability: 'ISH';
    readonly executable: boolean;
  } | null;
  /** The guest stage-1 MAIR byte as `0x44`, or null when none was given. */
  readonly guestS1: string | null;
  /** The effective memory type; null when not mapped, no guest attribute, or a reserved input. */
  readonly effective: MemoryType | null;
  readonly shareability: Shareability | null;
  /** The combining rule that decided `effective`, or null when nothing was combined. */
  readonly rule: string | null;
  readonly reason: string;
  readonly steps: readonly string[];
  readonly notes: readonly string[];
}

/**
 * Builds the report for KVM's `decision` and, when the fault was mapped and `guestS1` (a MAIR
 * byte) is given, the combination of the guest's stage 1 with KVM's stage 2.
 */
export function mapJson(decision: KvmDecision, guestS1: number | undefined): MapJson {
  const guest = guestS1 === undefined ? null : `0x${guestS1.toString(16).padStart(2, '0')}`;
  if (decision.result !== 'mapped') {
    return {
      result: decision.result,
      phase: decision.phase,
      s2: null,
      guestS1: guest,
      effective: null,
      shareability: null,
      rule: null,
      reason: decision.reason,
      steps: decision.steps,
      notes: ['not mapped: no effective memory type'],
    };
  }
  const s2 = decision.s2;
  const base = {
    result: decision.result,
    phase: decision.phase,
    s2: { kind: s2.kind, memattr: s2.memattr, fwb: s2.fwb, shareability: s2.shareability, executable: s2.executable },
    guestS1: guest,
    reason: decision.reason,
    steps: decision.steps,
  };
  if (guestS1 === undefined) {
    return { ...base, effective: null, shareability: null, rule: null, notes: ['no guest stage-1 attribute given (--guest-s1): effective type not computed'] };
  }
  const c = combine(guestS1, s2.memattr, s2.fwb, { s2Shareability: s2.shareability });
  const notes = c.effective === null && !c.s1.ok ? [`guest stage 1: ${c.s1.problem} — ${c.s1.reason}`, ...c.notes] : c.notes;
  return { ...base, effective: c.effective, shareability: c.shareability, rule: c.rule, notes };
}
