/**
 * The test's system: endpoints on a PCIe fabric or a platform bus, their registers (MMIO
 * locations), and what memory type each thread's mapping of each location has.
 *
 * Memory types are computed, never written by hand: a mapping's stage-1 attribute and its stage-2
 * source (an explicit MemAttr, or KVM's policy for a kernel version and a host mapping) go through
 * platform/attrs and platform/kvm-stage2, exactly as `iolitmus attrs` and `iolitmus map` do.
 */
import type { LitmusTest, MappingDecl, RegisterAttrs, RegisterDecl } from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import { combine, decodeStage1, parseStage1, parseStage2 } from '../platform/attrs/index.js';
import { parseKernelVersion } from '../platform/kernel-version.js';
import { hostMapping, isHostMappingSource } from '../platform/vfio.js';
import { kvmStage2Decision } from '../platform/kvm-stage2.js';
import { device, formatMemoryType, normal, type MemoryType } from '../platform/memory-type.js';
import type { LocationTable } from './locations.js';

export interface Endpoint {
  readonly name: string;
  readonly bus: 'pcie' | 'platform';
  /** PCIe: the root port above the endpoint (through any switches); its options apply to the path. */
  readonly rootPort: string | undefined;
  /** PCIe: the nodes between the root complex and the endpoint (root port first). */
  readonly path: readonly string[];
}

export interface Register {
  readonly loc: string;
  readonly addr: number;
  readonly endpoint: string;
  readonly space: 'mem' | 'cfg';
  /** The BAR of a PCIe memory-space register (undefined for `cfg` and platform `mmio`). */
  readonly bar: number | undefined;
  /** Its offset in the BAR, the configuration space or the platform device's registers. */
  readonly offset: number;
  /** The function of a multi-function endpoint it belongs to (its completions' Completer ID). */
  readonly fn: number;
  readonly attrs: RegisterAttrs;
}

/**
 * The register space a register lives in, as a name: `nic.bar0`, `nic.cfg`, `gpio.mmio`; a
 * function other than 0 of a multi-function endpoint has its own (`nic.f1.bar0`). Offsets are
 * offsets in it; one transaction, one TLP, one `peripheral=bar` peripheral stay within one.
 */
export function registerSpace(r: Pick<Register, 'endpoint' | 'space' | 'bar' | 'fn'>): string {
  const space = r.space === 'cfg' ? 'cfg' : r.bar === undefined ? 'mmio' : `bar${r.bar}`;
  return `${r.endpoint}${r.fn === 0 ? '' : `.f${r.fn}`}.${space}`;
}

export interface RootPortOptions {
  readonly ro: boolean;
  readonly ido: boolean;
}

/** A resolved mapping: the effective type and how it was decided (for explanations). */
export interface ResolvedMapping {
  readonly mem: MemoryType;
  readonly how: string;
}

export interface Topology {
  readonly endpoints: ReadonlyMap<string, Endpoint>;
  /** Registers by address. */
  readonly registers: ReadonlyMap<number, Register>;
  readonly rootPorts: ReadonlyMap<string, RootPortOptions>;
  /** Mappings by `thread:loc`. */
  readonly mappings: ReadonlyMap<string, ResolvedMapping>;
  /** CPU threads that are guests: they map something through a stage 2 (platform/tlbi-scope.ts). */
  readonly guests: ReadonlySet<number>;
  /** Declared VMIDs (`P1: vmid:2;`): a guest's own, or the one a host thread's invalidations name. */
  readonly vmids: ReadonlyMap<number, number>;
  /** Declared ASIDs (`P2: asid:5;`): user processes, whose translations are not global. */
  readonly asids: ReadonlyMap<number, number>;
  /** MSI locations (`irq = msi(P1);`): address -> the CPU thread the interrupt starts. */
  readonly msis?: ReadonlyMap<number, number>;
  /** The CPU threads that access each location (by its base address), once the paths are built. */
  readonly accessors?: ReadonlyMap<number, ReadonlySet<number>>;
}

/** Linux's ioremap: what a CPU mapping of a device register is without a declaration. */
export const DEFAULT_MMIO_TYPE: MemoryType = device('nGnRE');
/** Ordinary kernel or user memory. */
export const DEFAULT_MEMORY_TYPE: MemoryType = normal('WB');

/** Settings that replace what a test's mappings say (the matrix runs a scenario under each). */
export interface MappingOverrides {
  /** Kernel version for every `s2:(kvm-..., ...)` mapping. */
  readonly kvm?: string;
  /** FEAT_S2FWB for every mapping with a stage 2. */
  readonly fwb?: boolean;
}

export function resolveTopology(test: LitmusTest, locations: LocationTable, overrides: MappingOverrides = {}): { topology: Topology; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const parents = new Map<string, string | undefined>();
  const endpoints = new Map<string, Endpoint>();
  const rootPorts = new Map<string, RootPortOptions>();
  for (const d of test.topology) {
    if (d.kind === 'rootport') rootPorts.set(d.name, { ro: d.ro, ido: d.ido });
    else parents.set(d.name, d.parent);
  }
  for (const d of test.topology) {
    if (d.kind !== 'endpoint') continue;
    const path: string[] = [];
    let p = d.parent;
    // Walk up through switches to the root port (a name that is not itself declared with a parent).
    while (p !== undefined && parents.has(p) && path.length < 16) {
      path.unshift(p);
      p = parents.get(p);
    }
    if (p !== undefined) path.unshift(p);
    const rootPort = d.bus === 'pcie' ? path[0] : undefined;
    if (rootPort !== undefined && !rootPorts.has(rootPort)) rootPorts.set(rootPort, { ro: false, ido: false });
    endpoints.set(d.name, { name: d.name, bus: d.bus, rootPort, path });
  }
  const registers = new Map<number, Register>();
  for (const r of test.registers) {
    if (!endpoints.has(r.endpoint)) {
      diagnostics.push(error('semantic', `register '${r.loc}' is on '${r.endpoint}', which is not a declared endpoint`, r.span));
      continue;
    }
    const addr = locations.addressOf(r.loc);
    registers.set(addr, registerOf(r, addr));
  }
  const mappings = new Map<string, ResolvedMapping>();
  for (const m of test.mappings) {
    const addr = locations.addressOf(m.loc);
    const resolved = resolveMapping(applyOverrides(m, overrides), registers.has(addr));
    if ('message' in resolved) diagnostics.push(error('semantic', resolved.message, m.span));
    else mappings.set(`${m.thread}:${m.loc}`, resolved);
  }
  const guests = new Set([...test.mappings.filter((m) => m.s2 !== undefined).map((m) => m.thread), ...(test.guestThreads ?? [])]);
  // A reset of one function of a multi-function endpoint (FLR is per function) is not modelled.
  for (const ep of endpoints.keys()) {
    const regs = [...registers.values()].filter((r) => r.endpoint === ep);
    const reset = test.registers.find((r) => r.endpoint === ep && (r.attrs.flr || r.attrs.selfReset || r.attrs.resets !== undefined));
    if (regs.some((r) => r.fn !== 0) && reset) diagnostics.push(error('unsupported', `unsupported: a reset register on multi-function endpoint '${ep}' (the reset of one function is not modelled)`, reset.span));
  }
  const msis = new Map<number, number>();
  for (const m of test.msis ?? []) {
    const addr = locations.addressOf(m.loc);
    if (registers.has(addr)) diagnostics.push(error('semantic', `'${m.loc}' is a device register, not the interrupt controller's MSI doorbell`, m.span));
    else msis.set(addr, m.handler);
  }
  return { topology: { endpoints, registers, rootPorts, mappings, guests, vmids: test.vmids ?? new Map(), asids: test.asids ?? new Map(), ...(msis.size > 0 ? { msis } : {}) }, diagnostics };
}

function applyOverrides(m: MappingDecl, o: MappingOverrides): MappingDecl {
  if (!m.s2) return m;
  const s2 = m.s2.kind === 'kvm' && o.kvm !== undefined ? { ...m.s2, kernel: o.kvm } : m.s2;
  return { ...m, s2, fwb: o.fwb ?? m.fwb };
}

function registerOf(r: RegisterDecl, addr: number): Register {
  return { loc: r.loc, addr, endpoint: r.endpoint, space: r.space, bar: r.bar, offset: r.offset, fn: r.attrs.fn ?? 0, attrs: r.attrs };
}

/** herd writes attribute lists without parentheses inside `attrs:(...)`; attrs parses them with. */
function stage1Text(s1: string): string {
  return s1.includes(',') && !s1.startsWith('(') ? `(${s1})` : s1;
}

/** The effective type of one declared mapping, or why it has none. */
export function resolveMapping(m: MappingDecl, isDevice: boolean): ResolvedMapping | { message: string } {
  try {
    const s1 = parseStage1(stage1Text(m.s1));
    if (!m.s2) {
      const d = decodeStage1(s1);
      if (!d.ok) return { message: `stage-1 attribute '${m.s1}' is ${d.problem}: ${d.reason}` };
      return { mem: d.type, how: `stage 1 ${m.s1} (no stage 2): ${formatMemoryType(d.type)}` };
    }
    let memattr: number;
    let s2how: string;
    if (m.s2.kind === 'memattr') {
      memattr = parseStage2(m.s2.text, m.fwb);
      s2how = `stage 2 ${m.s2.text}`;
    } else {
      const kernel = parseKernelVersion(m.s2.kernel);
      if (!isHostMappingSource(m.s2.host)) return { message: `unknown host mapping '${m.s2.host}' (vfio-pci, vfio-platform, resource, resource_wc)` };
      const host = hostMapping(m.s2.host, kernel);
      const decision = kvmStage2Decision({ kernel, vma: host.vmaFlags, pfn: isDevice ? 'device' : 'memory', hostS1: host.s1Attr, fwb: m.fwb, dic: false, exec: false });
      if (decision.result !== 'mapped') return { message: `KVM ${m.s2.kernel} refuses this mapping (${decision.result}): ${decision.reason}` };
      memattr = decision.s2.memattr;
      s2how = `KVM ${m.s2.kernel} with ${m.s2.host}: stage 2 ${decision.s2.kind}`;
    }
    const c = combine(s1, memattr, m.fwb);
    if (!c.effective) return { message: `stage 1 '${m.s1}' with ${s2how} has no defined memory type: ${c.notes.join('; ')}` };
    return { mem: c.effective, how: `stage 1 ${m.s1} x ${s2how}${m.fwb ? ' (FWB)' : ''}: ${formatMemoryType(c.effective)}` };
  } catch (e) {
    if (e instanceof RangeError) return { message: e.message };
    throw e;
  }
}

/**
 * A CPU thread's translation regime in words: a guest's EL1&0 (its VMID), or the host (EL2&0 under
 * VHE, naming a guest's VMID for its invalidations); a user process (its ASID) in either.
 */
export function regimeText(topology: Topology, thread: number): string {
  const asid = topology.asids.get(thread);
  const vmid = topology.vmids.get(thread);
  const regime = topology.guests.has(thread) ? `guest (EL1&0), VMID ${vmid ?? 'of its own'}` : `host (EL2&0 under VHE)${vmid !== undefined ? `, names VMID ${vmid} for a guest's invalidations` : ''}`;
  return `${asid !== undefined ? `user process, ASID ${asid}, in ` : ''}${regime}`;
}
