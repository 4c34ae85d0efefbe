/**
 * `iolitmus attrs --s1 ATTR --s2 MEMATTR [--fwb] [--json]`: the effective memory type of a
 * stage-1 attribute combined with a stage-2 MemAttr, explained.
 */
import type { Command } from 'commander';
import { combine, parseStage1, parseStage2 } from '../../platform/attrs/index.js';
import type { Features } from '../../platform/attrs/index.js';
import type { Shareability } from '../../platform/memory-type.js';
import { formatAttrsText } from '../../report/attrs-text.js';
import { attrsJson } from '../../report/attrs-json.js';
import { UsageError } from '../errors.js';
import { writeOut } from '../output.js';

/** The options commander hands to the action. */
interface AttrsOptions {
  readonly s1?: string;
  readonly s2?: string;
  readonly fwb?: boolean;
  readonly json?: boolean;
  readonly xs?: boolean;
  readonly mte2?: boolean;
  readonly mtePerm?: boolean;
  readonly s1Sh?: string;
  readonly s2Sh?: string;
}

/** Runs a parser, turning its RangeError into a UsageError that names the option. */
function parseOption<T>(option: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`${option}: ${e.message}`);
    throw e;
  }
}

function required(value: string | undefined, option: string, example: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`attrs: missing ${option} (for example ${option} ${example})`);
  return value;
}

function shareability(value: string | undefined, option: string): Shareability {
  if (value === undefined) return 'ISH';
  const v = value.trim().toUpperCase();
  if (v === 'NSH' || v === 'ISH' || v === 'OSH') return v;
  throw new UsageError(`${option}: shareability must be NSH, ISH or OSH, got '${value}'`);
}

function run(opts: AttrsOptions): void {
  const s1Text = required(opts.s1, '--s1', '0x44');
  const s2Text = required(opts.s2, '--s2', '0x5');
  const fwb = opts.fwb === true;
  const s1Attr = parseOption('--s1', () => parseStage1(s1Text));
  const s2MemAttr = parseOption('--s2', () => parseStage2(s2Text, fwb));
  const features: Features = { xs: opts.xs === true, mte2: opts.mte2 === true, mtePerm: opts.mtePerm === true };
  const c = combine(s1Attr, s2MemAttr, fwb, {
    features,
    s1Shareability: shareability(opts.s1Sh, '--s1-sh'),
    s2Shareability: shareability(opts.s2Sh, '--s2-sh'),
  });
  writeOut(
    opts.json === true
      ? `${JSON.stringify(attrsJson(s1Attr, s2MemAttr, fwb, c))}\n`
      : formatAttrsText(s1Attr, s2MemAttr, fwb, c),
  );
}

/** Registers the `attrs` subcommand. */
export function registerAttrs(program: Command): void {
  program
    .command('attrs')
    .description('effective memory type of a stage-1 attribute combined with a stage-2 MemAttr')
    .option('--s1 <attr>', 'stage-1 MAIR attribute: 0x44, 0b01000100, 68, Device-nGnRE, ioremap_wc, MT_NORMAL, (Normal,iNC,oNC), ...')
    .option('--s2 <memattr>', 'stage-2 MemAttr: 0x5, Device-nGnRE, Normal-NC, MT_S2_NORMAL_NC, MT_S2_FWB_NORMAL, ...')
    .option('--fwb', 'HCR_EL2.FWB = 1 (FEAT_S2FWB): --s2 is MemAttr[2:0] in the FWB encoding')
    .option('--json', 'print one JSON object')
    .option('--xs', 'FEAT_XS: MAIR 0b0000dd01, 0x40, 0xa0 are valid (XS=0)')
    .option('--mte2', 'FEAT_MTE2: MAIR 0xf0 is Tagged Normal-WB')
    .option('--mte-perm', 'FEAT_MTE_PERM: stage-2 MemAttr 0b0100 (FWB=0) is Normal-WB NoTagAccess')
    .option('--s1-sh <sh>', 'stage-1 descriptor shareability NSH|ISH|OSH (default ISH)')
    .option('--s2-sh <sh>', 'stage-2 descriptor shareability NSH|ISH|OSH (default ISH)')
    .action((opts: AttrsOptions) => run(opts));
}
