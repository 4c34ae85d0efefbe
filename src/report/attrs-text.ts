/**
 * The human-readable report of `iolitmus attrs`: a few aligned lines, no colour, no I/O.
 */
import type { Combination, Stage1Decode, Stage2Decode } from '../platform/attrs/index.js';
import { formatMemoryType } from '../platform/memory-type.js';
import type { Shareability } from '../platform/memory-type.js';

const SHAREABILITY_NAME: Readonly<Record<Shareability, string>> = {
  NSH: 'Non-shareable',
  ISH: 'Inner Shareable',
  OSH: 'Outer Shareable',
};

function decodeText(d: Stage1Decode | Stage2Decode): string {
  return d.ok ? d.text : `${d.problem} — ${d.reason}`;
}

/**
 * The report for a combination of `s1Attr` and `s2MemAttr` under `fwb`, as lines ending in
 * a newline, e.g.
 * ```
 * stage 1:    0x44 Normal-NC
 * stage 2:    0b0001 (FWB=0) Device-nGnRE
 * effective:  Device-nGnRE, Outer Shareable (OSH)
 * rule:       FWB=0, stage 2 Device-nGnRE: stage-1 Normal becomes Device-nGnRE
 * note:       ...
 * ```
 */
export function formatAttrsText(s1Attr: number, s2MemAttr: number, fwb: boolean, c: Combination): string {
  const s1 = `0x${s1Attr.toString(16).padStart(2, '0')}`;
  const s2 = `0b${s2MemAttr.toString(2).padStart(4, '0')}`;
  const effective = c.effective === null || c.shareability === null
    ? 'none (no memory type: see the notes)'
    : `${formatMemoryType(c.effective)}, ${SHAREABILITY_NAME[c.shareability]} (${c.shareability})`;
  const lines = [
    `stage 1:    ${s1} ${decodeText(c.s1)}`,
    `stage 2:    ${s2} (FWB=${fwb ? 1 : 0}) ${decodeText(c.s2)}`,
    `effective:  ${effective}`,
    `rule:       ${c.rule}`,
    ...c.notes.map((n) => `note:       ${n}`),
  ];
  return lines.map((l) => `${l}\n`).join('');
}
