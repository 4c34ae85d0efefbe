/**
 * A test ready for the search: its locations and initial values, and every thread's paths.
 */
import type { LitmusTest, Prop, StateRef, Value } from '../syntax/ast.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';
import type { ThreadPath } from './event.js';
import { LocationTable } from './locations.js';
import { executeThread, type Classify, type ThreadExecOptions } from './thread-exec.js';
import { DEFAULT_MEMORY_TYPE, DEFAULT_MMIO_TYPE, resolveTopology, type MappingOverrides, type Topology } from './topology.js';
import { MEMORY } from './event.js';
import { device } from '../platform/memory-type.js';

export interface Program {
  readonly test: LitmusTest;
  readonly locations: LocationTable;
  /** Initial value of each location that has one (by address); others start at 0. */
  readonly initValues: ReadonlyMap<number, number>;
  /** Paths of each thread, indexed like `test.threads`. */
  readonly threads: readonly (readonly ThreadPath[])[];
  /** Warnings (e.g. loops cut by the unrolling bound). */
  readonly warnings: readonly string[];
  /** Some thread had more paths than the bound: results are partial. */
  readonly truncated: boolean;
  /** Building the paths ran out of time: results are partial. */
  readonly timedOut: boolean;
  /** Endpoints, registers and the resolved mappings (empty for a plain AArch64 test). */
  readonly topology: Topology;
}

export interface BuildResult {
  readonly program: Program | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

export const DEFAULT_THREAD_OPTIONS: ThreadExecOptions = { unroll: 2, maxPaths: 4096 };

/** Turn a parsed test into per-thread paths over numbered locations. */
export function buildProgram(test: LitmusTest, options: ThreadExecOptions = DEFAULT_THREAD_OPTIONS, overrides: MappingOverrides = {}): BuildResult {
  const locations = new LocationTable();
  const diagnostics: Diagnostic[] = [];
  const valueOf = (v: Value): number => (v.kind === 'int' ? v.value : locations.addressOf(v.loc));
  const threadIds = new Set(test.threads.map((t) => t.id));

  // Locations are named by the init section first, then by conditions (stable numbering).
  const initValues = new Map<number, number>();
  const initRegs = new Map<number, Map<number, number>>();
  for (const item of test.init) {
    if (item.kind === 'loc') {
      const addr = locations.addressOf(item.loc);
      initValues.set(addr, valueOf(item.value));
    } else {
      if (!threadIds.has(item.thread)) {
        diagnostics.push(error('semantic', `register ${item.thread}:X${item.reg.index} belongs to no thread of this test`, item.span));
        continue;
      }
      let regs = initRegs.get(item.thread);
      if (!regs) initRegs.set(item.thread, (regs = new Map()));
      regs.set(item.reg.index, valueOf(item.value));
    }
  }
  const visitRef = (r: StateRef): void => {
    if (r.kind === 'loc') locations.intern(r.loc);
  };
  const visitProp = (p: Prop): void => {
    switch (p.kind) {
      case 'and':
      case 'or':
        p.args.forEach(visitProp);
        break;
      case 'not':
        visitProp(p.arg);
        break;
      case 'eq':
      case 'ne':
        visitRef(p.lhs);
        if (p.rhs.kind === 'addr') locations.intern(p.rhs.loc);
        break;
    }
  };
  test.locations.forEach(visitRef);
  if (test.condition) visitProp(test.condition.prop);

  const { topology, diagnostics: topoDiagnostics } = resolveTopology(test, locations, overrides);
  diagnostics.push(...topoDiagnostics);
  // A register starts at its reset value.
  for (const r of topology.registers.values()) if (!initValues.has(r.addr)) initValues.set(r.addr, r.attrs.reset);

  const threads: ThreadPath[][] = [];
  const warnings: string[] = [];
  let truncated = false;
  let timedOut = false;
  for (const t of test.threads) {
    const classify: Classify = (addr) => {
      const reg = topology.registers.get(addr);
      if (t.agent === 'device') {
        // A device's own registers are internal to it; host memory is reached by DMA.
        if (reg && reg.endpoint === t.name) return { target: { kind: 'register', endpoint: t.name }, mem: device('nGnRnE') };
        return { target: MEMORY, mem: DEFAULT_MEMORY_TYPE };
      }
      const name = locations.format(addr);
      const mapped = topology.mappings.get(`${t.id}:${name}`);
      if (reg) return { target: { kind: 'mmio', endpoint: reg.endpoint, space: reg.space }, mem: mapped?.mem ?? DEFAULT_MMIO_TYPE };
      return { target: MEMORY, mem: mapped?.mem ?? DEFAULT_MEMORY_TYPE };
    };
    const ex = executeThread(t, initRegs.get(t.id) ?? new Map(), options, classify);
    if (t.agent === 'device') {
      for (const p of ex.paths)
        for (const e of p.events) {
          const reg = e.kind === 'R' || e.kind === 'W' ? topology.registers.get(e.addr) : undefined;
          if (reg && reg.endpoint !== t.name) {
            diagnostics.push(error('unsupported', `unsupported: device '${t.name}' accesses '${reg.loc}' of '${reg.endpoint}' (peer-to-peer DMA is not modelled)`, e.span ?? t.span));
            break;
          }
        }
    }
    diagnostics.push(...ex.diagnostics);
    if (ex.unrollCut) warnings.push(`P${t.id}: loops were unrolled at most ${options.unroll} times; longer executions are not considered`);
    timedOut ||= ex.timedOut;
    if (ex.truncated && !ex.timedOut) {
      truncated = true;
      warnings.push(`P${t.id}: more than ${options.maxPaths} control-flow paths; results are partial`);
    }
    threads.push(ex.paths);
  }
  if (diagnostics.some((d) => d.severity === 'error')) return { program: undefined, diagnostics };
  return { program: { test, locations, initValues, threads, warnings, truncated: truncated || timedOut, timedOut, topology }, diagnostics };
}
