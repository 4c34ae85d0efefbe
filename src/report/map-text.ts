/**
 * The human-readable report of `iolitmus map`: KVM's decision with its steps, then the effective
 * guest memory type. No colour, no I/O.
 */
import { formatMemoryType } from '../platform/memory-type.js';
import type { MapJson } from './map-json.js';

const KIND_NAME = { DEVICE_nGnRE: 'Device-nGnRE', NORMAL_NC: 'Normal-NC', NORMAL: 'Normal-WB' } as const;

/**
 * The report as lines ending in a newline, e.g.
 * ```
 * KVM:        mapped — stage 2 Normal-NC (MemAttr 0x5, FWB=1, Inner Shareable, XN)
 * reason:     device pfn in a VMA with VM_ALLOW_ANY_UNCACHED: ...
 * step:       Linux 6.9, era ...
 * guest s1:   0x44
 * effective:  Normal-NC, Outer Shareable (OSH)
 * rule:       ...
 * note:       ...
 * ```
 */
export function formatMapText(r: MapJson): string {
  const lines: string[] = [];
  if (r.s2 !== null) {
    const s2 = r.s2;
    lines.push(
      `KVM:        mapped — stage 2 ${KIND_NAME[s2.kind]} (MemAttr 0x${s2.memattr.toString(16)}, FWB=${s2.fwb ? 1 : 0}, ` +
        `Inner Shareable, ${s2.executable ? 'executable' : 'XN'})`,
    );
  } else {
    lines.push(`KVM:        -${r.result} (${r.phase === 'memslot' ? 'memslot registration' : 'guest fault'})`);
  }
  lines.push(`reason:     ${r.reason}`);
  for (const s of r.steps) lines.push(`step:       ${s}`);
  if (r.guestS1 !== null) lines.push(`guest s1:   ${r.guestS1}`);
  const effective = r.effective === null
    ? 'none'
    : `${formatMemoryType(r.effective)}${r.shareability === null ? '' : `, ${r.shareability === 'OSH' ? 'Outer Shareable' : r.shareability === 'ISH' ? 'Inner Shareable' : 'Non-shareable'} (${r.shareability})`}`;
  lines.push(`effective:  ${effective}`);
  if (r.rule !== null) lines.push(`rule:       ${r.rule}`);
  for (const n of r.notes) lines.push(`note:       ${n}`);
  return lines.map((l) => `${l}\n`).join('');
}
