/**
 * Checks of the device items that relate them to each other and to the thread table
 * (docs/language.md, "Devices"): the topology is a tree of declared names, registers belong to
 * declared endpoints in a space their bus has, mappings name CPU threads and used locations,
 * device columns' init registers name a column. Each problem is a 'semantic' diagnostic at the
 * token it is about.
 * @internal
 */
import type { InitItem, MappingDecl, Prop, RegisterDecl, StateRef, TopologyDecl, Value } from '../ast.js';
import { forEachAtom, type PropAtom } from '../prop.js';
import type { ParsedMapping, ParsedRegister, ParsedTopology, ThreadTag } from './devices.js';
import type { DeviceInitItem } from './init.js';
import type { Context } from './source.js';
import { THREAD_NAME, cpuRangeText, cpuThreadProblem, deviceColumnProblem, type ThreadScope } from './thread-scope.js';
import type { Token } from './tokens.js';

/** What a topology name denotes: an endpoint on its bus, a switch, or a root port. */
export type NodeKind = 'pcie' | 'platform' | 'switch' | 'rootport';

function semantic(ctx: Context, t: Token, message: string): void {
  ctx.report('semantic', message, t.start, t.end);
}

function kindOf(decl: TopologyDecl): NodeKind {
  return decl.kind === 'endpoint' ? decl.bus : decl.kind;
}

const KIND_TEXT: Readonly<Record<NodeKind, string>> = {
  pcie: 'a PCIe endpoint',
  platform: 'a platform device',
  switch: 'a switch',
  rootport: 'a root port',
};

/**
 * Check the topology and return the kind of every node, root ports named only as parents
 * included (they need no declaration). The declarations kept are the valid ones.
 */
export function checkTopology(ctx: Context, items: readonly ParsedTopology[]): { nodes: Map<string, NodeKind>; topology: TopologyDecl[] } {
  const nodes = new Map<string, NodeKind>();
  const topology: TopologyDecl[] = [];
  for (const { decl, name } of items) {
    if (THREAD_NAME.test(name.text)) semantic(ctx, name, `'${name.text}' is a CPU thread's name: give the ${decl.kind === 'endpoint' ? 'device' : decl.kind} another name`);
    else if (nodes.has(name.text)) semantic(ctx, name, `'${name.text}' is declared twice`);
    else {
      nodes.set(name.text, kindOf(decl));
      topology.push(decl);
    }
  }
  const parents = new Map<string, string>();
  for (const { decl, parent } of items) {
    if (parent === undefined || decl.kind === 'rootport') continue;
    const kind = nodes.get(parent.text);
    // PCIe Base Spec 1.3: endpoints and switches hang under a root port or a switch's downstream port.
    if (kind === 'pcie' || kind === 'platform') {
      semantic(ctx, parent, `'${parent.text}' is ${KIND_TEXT[kind]}: a PCIe ${decl.kind === 'switch' ? 'switch' : 'endpoint'} hangs under a root port or a switch`);
    } else if (kind === undefined) nodes.set(parent.text, 'rootport');
    else if (decl.kind === 'switch') parents.set(decl.name, parent.text);
  }
  checkSwitchCycles(ctx, items, parents);
  return { nodes, topology };
}

/** Switches must form a tree under root ports: following parents from a switch never returns to it. */
function checkSwitchCycles(ctx: Context, items: readonly ParsedTopology[], parents: ReadonlyMap<string, string>): void {
  for (const { decl, parent } of items) {
    if (decl.kind !== 'switch' || parent === undefined) continue;
    const seen = new Set<string>([decl.name]);
    for (let p = parents.get(decl.name); p !== undefined; p = parents.get(p)) {
      if (seen.has(p)) {
        if (p === decl.name) semantic(ctx, parent, `switch '${decl.name}' is its own ancestor: switches must form a tree under a root port`);
        break;
      }
      seen.add(p);
    }
  }
}

/**
 * Check the register bindings against the topology: each names a declared endpoint, in a space
 * its bus has, once per location and once per address. Returns the valid declarations.
 */
export function checkRegisters(ctx: Context, items: readonly ParsedRegister[], nodes: ReadonlyMap<string, NodeKind>): RegisterDecl[] {
  const out: RegisterDecl[] = [];
  const byLoc = new Set<string>();
  const byAddress = new Map<string, string>();
  for (const r of items) {
    const { decl } = r;
    const kind = nodes.get(r.endpoint.text);
    let bad = false;
    const fail = (t: Token, message: string): void => {
      semantic(ctx, t, message);
      bad = true;
    };
    if (kind === undefined) fail(r.endpoint, `register '${decl.loc}' is on '${r.endpoint.text}', which is not a declared endpoint`);
    else if (kind === 'switch' || kind === 'rootport') fail(r.endpoint, `'${r.endpoint.text}' is ${KIND_TEXT[kind]}: registers belong to endpoints`);
    // PCIe endpoints are reached through their BARs' memory space or their configuration space;
    // a platform device has just its MMIO region.
    else if (kind === 'pcie' && r.spaceWord === 'mmio') fail(r.space, `'mmio' is for platform devices: a PCIe endpoint's registers are in bar0..bar5 or cfg`);
    else if (kind === 'platform' && r.spaceWord !== 'mmio') fail(r.space, `platform device '${r.endpoint.text}' has no BARs or configuration space: write '${r.endpoint.text}.mmio:OFFSET'`);
    if (r.resets !== undefined) {
      const target = nodes.get(r.resets.text);
      if (target !== 'pcie' && target !== 'platform') fail(r.resets, `'resets=${r.resets.text}' does not name a declared endpoint`);
      else if (r.resets.text === r.endpoint.text) fail(r.resets, `a register that resets its own device is written 'self-reset'`);
    }
    if (byLoc.has(decl.loc)) fail(r.loc, `register '${decl.loc}' is declared twice`);
    byLoc.add(decl.loc);
    // Each function of a multi-function endpoint has its own BARs and configuration space.
    const address = `${decl.endpoint}/${decl.attrs.fn ?? 0}/${decl.space}/${decl.bar ?? '-'}/${decl.offset}`;
    const same = byAddress.get(address);
    if (same !== undefined && same !== decl.loc) fail(r.loc, `'${decl.loc}' is the same register as '${same}'`);
    byAddress.set(address, decl.loc);
    if (!bad) out.push(decl);
  }
  return out;
}

/** A register's initial value is its reset value, so the init section must not set it as well. */
export function checkRegisterInits(ctx: Context, items: readonly (InitItem | DeviceInitItem)[], registers: readonly ParsedRegister[]): void {
  const locs = new Set(registers.map((r) => r.decl.loc));
  for (const item of items) {
    if (item.kind === 'loc' && locs.has(item.loc)) {
      ctx.add({ code: 'semantic', severity: 'error', message: `'${item.loc}' is a device register: it starts at its reset value (write '(reset=N)' on the register)`, span: item.span });
    }
  }
}

/** Resolve the device columns' registers of the init section, and check CPU thread numbers. */
export function resolveInit(ctx: Context, items: readonly (InitItem | DeviceInitItem)[], scope: ThreadScope): InitItem[] {
  const out: InitItem[] = [];
  for (const item of items) {
    if (item.kind === 'device') {
      const problem = deviceColumnProblem(scope, item.device.text);
      if (problem !== undefined) semantic(ctx, item.device, problem);
      else out.push({ kind: 'reg', thread: scope.devices.get(item.device.text)!, reg: item.reg, value: item.value, type: item.type, span: item.span });
      continue;
    }
    if (item.kind === 'reg') {
      const problem = cpuThreadProblem(scope, item.thread, 'the init section');
      if (problem !== undefined) ctx.add({ code: 'semantic', severity: 'error', message: problem, span: item.span });
    }
    out.push(item);
  }
  return out;
}

/**
 * Resolve mappings: each names a CPU thread (devices reach their registers without an MMU
 * mapping) and a location the test uses, at most once per thread and location. A page-table
 * entry `[PTE(x)]=(attrs:(...))` (no thread) becomes one mapping per CPU thread that does not map
 * x itself, the explicit mapping winning; its x counts as used.
 */
export function resolveMappings(ctx: Context, items: readonly ParsedMapping[], scope: ThreadScope, used: ReadonlySet<string>): MappingDecl[] {
  const entries = items.filter((m) => m.thread === undefined);
  const usedOrEntry = new Set([...used, ...entries.map((e) => e.loc.text)]);
  const out: MappingDecl[] = [];
  const seen = new Set<string>();
  for (const m of items) {
    if (m.thread === undefined) continue;
    const decl = resolveThreadMapping(ctx, m, m.thread, scope, usedOrEntry);
    if (decl === undefined) continue;
    const key = `${decl.thread}/${decl.loc}`;
    if (seen.has(key)) semantic(ctx, m.loc, `P${decl.thread} maps '${decl.loc}' twice`);
    else {
      seen.add(key);
      out.push(decl);
    }
  }
  const cpus = scope.threads.filter((th) => th.agent === 'cpu').map((th) => th.id);
  const entryLocs = new Set<string>();
  for (const e of entries) {
    const loc = e.loc.text;
    if (entryLocs.has(loc)) {
      semantic(ctx, e.loc, `page-table entry of '${loc}' is given twice`);
      continue;
    }
    entryLocs.add(loc);
    for (const thread of cpus) {
      if (!seen.has(`${thread}/${loc}`)) out.push({ kind: 'mapping', thread, loc, s1: e.s1, s2: e.s2, fwb: e.fwb, span: e.span });
    }
  }
  return out;
}

/** One `P<n>:x attrs:(...)` mapping, or undefined (diagnosed) when its thread or location is wrong. */
function resolveThreadMapping(ctx: Context, m: ParsedMapping, threadTok: Token, scope: ThreadScope, used: ReadonlySet<string>): MappingDecl | undefined {
  const name = threadTok.text;
  let thread: number | undefined;
  if (threadTok.kind === 'ident' && THREAD_NAME.test(name)) {
    const n = Number(name.slice(1));
    if (n < scope.cpuCount) thread = n;
    else semantic(ctx, threadTok, `mapping for '${name}', which is not a CPU column (the test has ${cpuRangeText(scope)})`);
  } else if (scope.devices.has(name)) semantic(ctx, threadTok, `mapping for the device '${name}': only CPU threads map locations (stage 1 and stage 2 are the CPU's MMU)`);
  else semantic(ctx, threadTok, `mapping for '${name}', which is not a CPU column (write 'P0:${m.loc.text} attrs:(...)')`);
  if (!used.has(m.loc.text)) {
    semantic(ctx, m.loc, `mapping of '${m.loc.text}', a location the test never uses`);
    return undefined;
  }
  if (thread === undefined) return undefined;
  return { kind: 'mapping', thread, loc: m.loc.text, s1: m.s1, s2: m.s2, fwb: m.fwb, span: m.span };
}

/**
 * Locations the test uses: registers, initialised locations, addresses in init values,
 * locations named in `locations` and in the condition (as a state, an address value or the
 * location of a `fault(...)` atom).
 */
export function usedLocations(init: readonly (InitItem | DeviceInitItem)[], registers: readonly ParsedRegister[], locations: readonly StateRef[], prop: Prop | undefined): Set<string> {
  const used = new Set<string>(registers.map((r) => r.decl.loc));
  const value = (v: Value): void => {
    if (v.kind === 'addr') used.add(v.loc);
  };
  for (const item of init) {
    if (item.kind === 'loc') used.add(item.loc);
    value(item.value);
  }
  for (const ref of locations) if (ref.kind === 'loc') used.add(ref.loc);
  const visit = (p: PropAtom): void => {
    if (p.kind === 'eq' || p.kind === 'ne') {
      if (p.lhs.kind === 'loc') used.add(p.lhs.loc);
      value(p.rhs);
    } else if (p.kind === 'fault' && p.loc !== undefined) used.add(p.loc);
  };
  if (prop !== undefined) forEachAtom(prop, visit);
  return used;
}

/**
 * The CPU threads `P1: s2:(...)` lines make guests (their TLBIs and the host's reach them as a
 * guest's: events/tlbi-reach.ts), even where the thread maps nothing itself.
 */
export function resolveGuestThreads(ctx: Context, tokens: readonly Token[], scope: ThreadScope): number[] {
  const out: number[] = [];
  for (const t of tokens) {
    const n = Number(t.text.slice(1));
    const problem = cpuThreadProblem(scope, n, `'${t.text}: s2:(...)'`);
    if (problem !== undefined) semantic(ctx, t, problem);
    else out.push(n);
  }
  return out;
}

/** `P1: vmid:2;` (or `asid:`) lines of one key by thread id (a thread the test lacks is an error at its name). */
export function resolveThreadTags(ctx: Context, tags: readonly ThreadTag[], key: ThreadTag['key'], scope: ThreadScope): Map<number, number> {
  const out = new Map<number, number>();
  for (const v of tags) {
    if (v.key !== key) continue;
    const n = Number(v.thread.text.slice(1));
    const problem = cpuThreadProblem(scope, n, `'${v.thread.text}: ${key}:...'`);
    if (problem !== undefined) semantic(ctx, v.thread, problem);
    else out.set(n, v.value);
  }
  return out;
}

/**
 * A host thread's `vmid:` names the VMID its guest invalidations act on: some guest must have it
 * (declared: a guest's default VMID is its own and cannot be named), or nothing would be reached.
 */
export function checkNamedVmids(ctx: Context, tags: readonly ThreadTag[], guests: ReadonlySet<number>): void {
  const vmidOf = new Map(tags.filter((t) => t.key === 'vmid').map((t) => [Number(t.thread.text.slice(1)), t] as const));
  for (const [thread, tag] of vmidOf) {
    if (guests.has(thread)) continue;
    const owners = [...guests].filter((g) => vmidOf.get(g)?.value === tag.value);
    if (owners.length === 0) semantic(ctx, tag.at, `${tag.thread.text} names VMID ${tag.value} for its invalidations of a guest, but no guest has VMID ${tag.value} (declare it: 'Pn: vmid:${tag.value};' on the guest)`);
  }
}
