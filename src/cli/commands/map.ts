/**
 * `iolitmus map`: KVM's stage-2 choice for a guest fault (kernel version, VMA flags, pfn kind,
 * host stage-1 attribute, FWB/DIC, exec), then the effective memory type of a guest stage-1
 * attribute through it.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import {
  HOST_MAPPING_SOURCES,
  hostMapping,
  isHostMappingSource,
  kvmStage2Decision,
  parseKernelVersion,
  parseStage1,
  parseVmaFlags,
} from '../../platform/index.js';
import type { KernelVersion, PfnKind, VmaFlags } from '../../platform/index.js';
import { mapJson } from '../../report/map-json.js';
import { formatMapText } from '../../report/map-text.js';
import { writeOut } from '../output.js';

interface MapOptions {
  readonly kernel: string;
  readonly source?: string;
  readonly vma?: string;
  readonly pfn: string;
  readonly hostS1?: string;
  readonly guestS1?: string;
  readonly fwb?: boolean;
  readonly dic?: boolean;
  readonly exec?: boolean;
  readonly dirtyLog?: boolean;
  readonly lateVma?: boolean;
  readonly json?: boolean;
}

/** Runs `parse` on an option's text, turning its RangeError into a one-line UsageError. */
function parseOption<T>(option: string, text: string, parse: (t: string) => T): T {
  try {
    return parse(text);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(`${option}: ${e.message}`);
    throw e;
  }
}

function parsePfn(text: string): PfnKind {
  if (text === 'device' || text === 'memory') return text;
  throw new UsageError(`--pfn: expected 'device' or 'memory', got '${text}'`);
}

/** Registers `map` on the program. */
export function registerMap(program: Command): void {
  program
    .command('map')
    .description("KVM's stage-2 choice for a guest fault, then the guest's effective memory type")
    .requiredOption('--kernel <version>', 'host Linux version, e.g. 6.8, 6.9, v6.17.2')
    .option('--source <source>', `fill --vma and --host-s1 from a mapping path: ${HOST_MAPPING_SOURCES.join(', ')}`)
    .option('--vma <flags>', 'host VMA flags, e.g. VM_IO,VM_PFNMAP,VM_ALLOW_ANY_UNCACHED (overrides --source)')
    .option('--pfn <kind>', "what backs the page: 'device' (not kernel memory) or 'memory'", 'device')
    .option('--host-s1 <attr>', 'host stage-1 attribute: MAIR byte or name (0x00, pgprot_noncached, MT_NORMAL) (overrides --source)')
    .option('--guest-s1 <attr>', 'guest stage-1 attribute: MAIR byte or name (ioremap, ioremap_wc, Normal-WB)')
    .option('--fwb', 'FEAT_S2FWB in use (HCR_EL2.FWB = 1)')
    .option('--dic', 'CTR_EL0.DIC set (no I-cache maintenance needed)')
    .option('--exec', 'the fault is an instruction fetch')
    .option('--dirty-log', 'dirty logging enabled on the memslot')
    .option('--late-vma', 'the VMA was mapped after the memslot was registered (memslot checks never saw it)')
    .option('--json', 'print one JSON object')
    .action((opts: MapOptions) => {
      const kernel: KernelVersion = parseOption('--kernel', opts.kernel, parseKernelVersion);
      const pfn = parsePfn(opts.pfn);
      let vma: VmaFlags | undefined;
      let hostS1: number | undefined;
      if (opts.source !== undefined) {
        const source = opts.source;
        if (!isHostMappingSource(source)) {
          throw new UsageError(`--source: unknown mapping source '${source}' (known: ${HOST_MAPPING_SOURCES.join(', ')})`);
        }
        const m = hostMapping(source, kernel);
        vma = m.vmaFlags;
        hostS1 = m.s1Attr;
      }
      if (opts.vma !== undefined) vma = parseOption('--vma', opts.vma, parseVmaFlags);
      if (opts.hostS1 !== undefined) hostS1 = parseOption('--host-s1', opts.hostS1, parseStage1);
      if (hostS1 === undefined) throw new UsageError('map: give --host-s1 ATTR or --source SOURCE');
      const guestS1 = opts.guestS1 === undefined ? undefined : parseOption('--guest-s1', opts.guestS1, parseStage1);

      const input = {
        kernel,
        vma: vma ?? parseVmaFlags(''),
        pfn,
        hostS1,
        fwb: opts.fwb === true,
        dic: opts.dic === true,
        exec: opts.exec === true,
        dirtyLog: opts.dirtyLog === true,
        memslotChecked: opts.lateVma !== true,
      };
      // The only caller mistake left is a host byte with no memory type (UNPREDICTABLE).
      const decision = parseOption('--host-s1', opts.hostS1 ?? '', () => kvmStage2Decision(input));
      const report = mapJson(decision, guestS1);
      writeOut(opts.json === true ? `${JSON.stringify(report)}\n` : formatMapText(report));
    });
}
