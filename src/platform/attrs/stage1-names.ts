/**
 * Names accepted for a stage-1 attribute, and parsing user text into a MAIR attribute byte.
 */
import type { Cacheability, MemoryType } from '../memory-type.js';
import { parseEncodedNumber } from './parse-number.js';
import { parseTypeName } from './type-names.js';
import { hex } from './encoding-text.js';

/** One named stage-1 attribute. */
export interface Stage1Name {
  /** The name as documented; matching ignores case. */
  readonly name: string;
  /** The MAIR attribute byte it stands for. */
  readonly attr: number;
  /** What it is and where it comes from. */
  readonly meaning: string;
}

/**
 * Every name {@link parseStage1} accepts besides numbers and herd attribute lists.
 * - Architecture names, encoded as the usual MAIR byte of each type.
 * - Linux mapping APIs, as arm64 Linux maps them (arch/arm64/include/asm/io.h, pgtable.h).
 * - Linux's MAIR indices (arch/arm64/include/asm/memory.h), as the byte Linux puts in MAIR_EL1.
 */
export const STAGE1_NAMES: readonly Stage1Name[] = [
  { name: 'Device-nGnRnE', attr: 0x00, meaning: 'Device, non-Gathering, non-Reordering, no Early write acknowledgement' },
  { name: 'Device-nGnRE', attr: 0x04, meaning: 'Device, non-Gathering, non-Reordering, Early write acknowledgement' },
  { name: 'Device-nGRE', attr: 0x08, meaning: 'Device, non-Gathering, Reordering, Early write acknowledgement' },
  { name: 'Device-GRE', attr: 0x0c, meaning: 'Device, Gathering, Reordering, Early write acknowledgement' },
  { name: 'Normal-NC', attr: 0x44, meaning: 'Normal, inner and outer Non-cacheable' },
  { name: 'Normal-WT', attr: 0xbb, meaning: 'Normal, inner and outer Write-Through non-transient, read+write-allocate' },
  { name: 'Normal-WB', attr: 0xff, meaning: 'Normal, inner and outer Write-Back non-transient, read+write-allocate' },
  { name: 'ioremap', attr: 0x04, meaning: 'Linux ioremap(): Device-nGnRE (MT_DEVICE_nGnRE)' },
  { name: 'ioremap_np', attr: 0x00, meaning: 'Linux ioremap_np(), non-posted: Device-nGnRnE' },
  { name: 'ioremap_wc', attr: 0x44, meaning: 'Linux ioremap_wc(), write-combining: Normal-NC' },
  { name: 'ioremap_cache', attr: 0xff, meaning: 'Linux ioremap_cache(): Normal-WB' },
  { name: 'pgprot_device', attr: 0x04, meaning: 'Linux pgprot_device(): Device-nGnRE' },
  { name: 'pgprot_noncached', attr: 0x00, meaning: 'Linux pgprot_noncached(): Device-nGnRnE' },
  { name: 'pgprot_writecombine', attr: 0x44, meaning: 'Linux pgprot_writecombine(): Normal-NC' },
  { name: 'pgprot_dmacoherent', attr: 0x44, meaning: 'Linux pgprot_dmacoherent(): Normal-NC' },
  { name: 'pci_remap_cfgspace', attr: 0x00, meaning: 'Linux pci_remap_cfgspace() (PCI ECAM): Device-nGnRnE' },
  { name: 'PAGE_KERNEL', attr: 0xff, meaning: 'Linux PAGE_KERNEL: Normal-WB' },
  { name: 'MT_NORMAL', attr: 0xff, meaning: 'Linux MAIR index 0: Normal-WB' },
  { name: 'MT_NORMAL_TAGGED', attr: 0xf0, meaning: 'Linux MAIR index 1 with MTE: Tagged Normal-WB (needs FEAT_MTE2; without MTE Linux programs 0xff there)' },
  { name: 'MT_NORMAL_NC', attr: 0x44, meaning: 'Linux MAIR index 2: Normal-NC' },
  { name: 'MT_DEVICE_nGnRnE', attr: 0x00, meaning: 'Linux MAIR index 3: Device-nGnRnE' },
  { name: 'MT_DEVICE_nGnRE', attr: 0x04, meaning: 'Linux MAIR index 4: Device-nGnRE' },
];

// The nibble used for a level when a type is written by name: NC 0b0100, and WT / WB
// non-transient read+write-allocate (0b1011 / 0b1111), as in 0xbb and 0xff.
const NIBBLE: Readonly<Record<Cacheability, number>> = { NC: 0x4, WT: 0xb, WB: 0xf };

/** The usual MAIR byte of a memory type (Device 0b0000dd00; Normal outer nibble, inner nibble). */
export function stage1Encoding(type: MemoryType): number {
  if (type.type === 'Device') return ['nGnRnE', 'nGnRE', 'nGRE', 'GRE'].indexOf(type.device) << 2;
  return (NIBBLE[type.outer] << 4) | NIBBLE[type.inner];
}

/**
 * A MAIR attribute byte from user text: a number (`0x44`, `0b01000100`, `68`), a name from
 * {@link STAGE1_NAMES} (any case), `Normal(iWB,oNC)`, or a herd attribute list such as
 * `(Normal,iNC,oNC)`, `Normal,iWB,oWB` or `(Device-GRE)`. Throws a RangeError naming the text
 * when it is none of these or is out of range. Any byte 0..0xff is accepted, UNPREDICTABLE ones
 * included: decodeStage1 says what they mean.
 */
export function parseStage1(text: string): number {
  const number = parseEncodedNumber(text, 0xff, 'stage-1 attribute');
  if (number !== undefined) return number;
  const key = text.trim().toLowerCase();
  const named = STAGE1_NAMES.find((n) => n.name.toLowerCase() === key);
  if (named !== undefined) return named.attr;
  const type = parseTypeName(text);
  if (type !== undefined) return stage1Encoding(type);
  throw new RangeError(
    `unknown stage-1 attribute '${text}': expected a MAIR byte (${hex(0x44, 2)}, 0b01000100, 68), ` +
      'a type (Device-nGnRE, Normal-NC, (Normal,iWB,oNC)) or a Linux name (ioremap_wc, MT_NORMAL, ...)',
  );
}
