/**
 * What the architecture leaves to the platform, as named switches. Every verdict on a test with
 * devices lists the values it was computed under, so a reader sees which assumption it rests on
 * (docs/model.md, "Assumptions").
 */

import { WC_BLOCK_SIZES } from '../platform/pcie-tlp.js';

export interface Assumptions {
  /**
   * `declared`: each endpoint gets the ordering of the bus it is declared on (PCIe or platform).
   * `architecture`: every endpoint gets only what the Arm architecture guarantees (B2.4.1), as a
   * platform bus does — the PCIe root complex's ordering is not assumed.
   */
  readonly fabric: 'declared' | 'architecture';
  /** PCIe root complex forwards accesses in the order they reach its serialisation point (ob order). */
  readonly rcOrder: boolean;
  /** Root ports set Relaxed Ordering on CPU writes: a posted write may pass an earlier posted write. */
  readonly relaxedOrdering: boolean;
  /** ID-based Ordering upstream: a completion may pass the device's earlier posted DMA writes. */
  readonly idOrdering: boolean;
  /**
   * Where a Device-nE write is acknowledged by its endpoint, so a DSB waits for its arrival:
   * `cfg` PCIe configuration space only (the Arm ARM's expectation), `all` also platform MMIO,
   * `none` nowhere. PCIe memory space is posted and never acknowledges from the endpoint.
   */
  readonly neHonoured: 'cfg' | 'all' | 'none';
  /** A device performs the actions of its program in order, each after the previous one. */
  readonly deviceInOrder: boolean;
  /**
   * The size in bytes of the naturally aligned block within which a CPU's write-combining buffer
   * gathers stores into one transaction (IMPLEMENTATION DEFINED; 64 on current Arm cores).
   */
  readonly wcBlock: (typeof WC_BLOCK_SIZES)[number];
  /**
   * What B2.4.1 calls a peripheral: the whole `endpoint`, or each of its register spaces (`bar`:
   * each BAR, the configuration space, a platform device's registers). IMPLEMENTATION DEFINED.
   */
  readonly peripheral: 'endpoint' | 'bar';
  /**
   * The root complex's producer/consumer guarantee for MSIs: the posted writes an MSI did not
   * pass on the path are visible to the CPUs before the interrupt is delivered.
   */
  readonly msiFlush: boolean;
  /**
   * The shareability domain the devices observe from: `inner`, the CPUs' Inner Shareable domain
   * (every barrier orders what they observe), or `outer`, the Outer Shareable domain only (an ISH
   * barrier orders nothing they observe). System-defined; Linux's dma_* and I/O barriers use OSH.
   */
  readonly deviceDomain: 'inner' | 'outer';
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  fabric: 'declared',
  rcOrder: true,
  relaxedOrdering: false,
  idOrdering: false,
  neHonoured: 'cfg',
  deviceInOrder: true,
  wcBlock: '64',
  peripheral: 'endpoint',
  msiFlush: true,
  deviceDomain: 'inner',
};

/** Documentation and the textual names used by `Assume=` lines and `--assume`. */
export const ASSUMPTION_NAMES: Readonly<Record<keyof Assumptions, { readonly name: string; readonly values: readonly string[] }>> = {
  fabric: { name: 'fabric', values: ['declared', 'architecture'] },
  rcOrder: { name: 'rc-order', values: ['on', 'off'] },
  relaxedOrdering: { name: 'relaxed-ordering', values: ['off', 'on'] },
  idOrdering: { name: 'id-ordering', values: ['off', 'on'] },
  neHonoured: { name: 'ne-honoured', values: ['cfg', 'all', 'none'] },
  deviceInOrder: { name: 'device-in-order', values: ['on', 'off'] },
  wcBlock: { name: 'wc-block', values: WC_BLOCK_SIZES },
  peripheral: { name: 'peripheral', values: ['endpoint', 'bar'] },
  msiFlush: { name: 'msi-flush', values: ['on', 'off'] },
  deviceDomain: { name: 'device-domain', values: ['inner', 'outer'] },
};

/**
 * Other names a value goes by in iolitmus's output: the matrix prints the fabric a scenario was
 * run under as `pcie` or `platform`, which is `declared` (each endpoint gets its declared bus).
 */
const VALUE_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  fabric: { pcie: 'declared', platform: 'declared' },
};

/**
 * Apply `name=value` settings (comma or space separated; a bare name means `on`; later settings
 * win) to `base`. Throws RangeError naming the bad setting.
 */
export function parseAssumptions(text: string, base: Assumptions = DEFAULT_ASSUMPTIONS): Assumptions {
  const out: Record<string, unknown> = { ...base };
  for (const part of text.split(/[,\s]+/).filter(Boolean)) {
    const [name, written] = part.includes('=') ? part.split('=', 2) as [string, string] : [part, 'on'];
    const rawValue = VALUE_ALIASES[name]?.[written] ?? written;
    const key = (Object.keys(ASSUMPTION_NAMES) as (keyof Assumptions)[]).find((k) => ASSUMPTION_NAMES[k].name === name);
    if (!key) throw new RangeError(`unknown assumption '${name}' (known: ${Object.values(ASSUMPTION_NAMES).map((a) => a.name).join(', ')})`);
    const allowed = ASSUMPTION_NAMES[key].values;
    if (!allowed.includes(rawValue)) throw new RangeError(`assumption ${name} takes ${allowed.join('|')}, not '${rawValue}'`);
    out[key] = rawValue === 'on' ? true : rawValue === 'off' ? false : rawValue;
  }
  return out as unknown as Assumptions;
}

/** `fabric=declared rc-order=on ...`, the form printed with verdicts. */
export function formatAssumptions(a: Assumptions): string {
  return Object.entries(assumptionSettings(a))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}

/** Each switch's textual value by its name: `{ fabric: 'declared', 'rc-order': 'on', ... }`. */
export function assumptionSettings(a: Assumptions): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(ASSUMPTION_NAMES) as (keyof Assumptions)[]) {
    const v = a[k];
    out[ASSUMPTION_NAMES[k].name] = typeof v === 'boolean' ? (v ? 'on' : 'off') : v;
  }
  return out;
}
