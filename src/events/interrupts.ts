/**
 * Device requests upstream, on the paths once built: the TLP attributes a test gives a device's
 * labelled requests (`nic:L1 tlp:(ro)`), and MSIs (`irq = msi(P1)`): a device's write to irq is
 * a posted write to the interrupt controller, whose delivery starts the handler thread P1. A
 * handler runs when, and only when, its MSI is written: it gets a path of its own where it does
 * not run (`notRun`), and the search pairs each of its paths with the device paths that agree
 * (interruptsAgree).
 */
import type { LitmusTest } from '../syntax/ast.js';
import { error, type Diagnostic, type Span } from '../syntax/diagnostics.js';
import type { Event, ThreadPath } from './event.js';
import { labelledPosition } from './labelled-access.js';
import { instrAfterLabel } from '../syntax/shared/condition-grammar.js';
import { constant, type Sym } from './sym.js';
import type { Topology } from './topology.js';
import type { Val } from './value.js';

/** The paths with each `tlp:(...)` request marked: RO, IDO, its function (events of one path are replaced, not changed). */
export function withTlpAttrs(test: LitmusTest, threads: readonly (readonly ThreadPath[])[]): ThreadPath[][] {
  const attrs = (test.tlpAttrs ?? []).filter((a) => a.ro || a.ido || (a.fn ?? 0) !== 0);
  // Attributes belong to the instruction: every request it makes carries them (in a loop, each time).
  const marked = attrs.map((a) => ({ a, at: labelledInstructionSpan(test, a.thread, a.label) }));
  return threads.map((paths) =>
    paths.map((p) => {
      const mine = marked.filter(({ a, at }) => a.thread === p.thread && at !== undefined);
      if (mine.length === 0) return p;
      const events = p.events.map((e) => {
        if (e.kind !== 'R' && e.kind !== 'W') return e;
        const hit = mine.find(({ at }) => sameSpan(e.span, at));
        if (hit === undefined) return e;
        const { a } = hit;
        return { ...e, ...(a.ro ? { ro: true as const } : {}), ...(a.ido ? { ido: true as const } : {}), ...((a.fn ?? 0) !== 0 ? { fn: a.fn! } : {}) };
      });
      return { ...p, events };
    }),
  );
}

/** The span of the instruction right after `label` in thread `thread`'s code. */
function labelledInstructionSpan(test: LitmusTest, thread: number, label: string): Span | undefined {
  const t = test.threads.find((th) => th.id === thread);
  return t === undefined ? undefined : instrAfterLabel(t, label).next?.span;
}

const sameSpan = (a: Span | undefined, b: Span | undefined) => a !== undefined && b !== undefined && a.line === b.line && a.col === b.col && a.endLine === b.endLine && a.endCol === b.endCol;

/**
 * What a test with MSIs or TLP attributes may not do: a CPU thread accessing an MSI doorbell (a
 * device writes it), a device reading one, and attributes on a device's access to its own
 * registers (no request goes upstream).
 */
export function interruptDiagnostics(test: LitmusTest, threads: readonly (readonly ThreadPath[])[], topology: Topology): Diagnostic[] {
  const msis = topology.msis ?? new Map<number, number>();
  const out: Diagnostic[] = [];
  const at = (e: Event, p: ThreadPath) => e.span ?? test.threads.find((t) => t.id === p.thread)?.span ?? test.nameSpan!;
  for (const p of threads.flat()) {
    for (const e of p.events) {
      if ((e.kind !== 'R' && e.kind !== 'W') || !msis.has(e.addr)) continue;
      if (p.agent === 'cpu') out.push(error('semantic', `'${e.text}': a CPU thread accesses an MSI doorbell, which only devices write`, at(e, p)));
      else if (e.kind === 'R') out.push(error('semantic', `'${e.text}': a device reads an MSI doorbell, which it can only write`, at(e, p)));
    }
    for (const a of test.tlpAttrs ?? []) {
      if (a.thread !== p.thread) continue;
      const k = labelledPosition(p, a.label);
      const e = k === undefined ? undefined : p.events[k];
      if (e !== undefined && (e.kind === 'R' || e.kind === 'W') && e.target.kind !== 'memory') out.push(error('semantic', `TLP attributes on '${e.text}', an access to the device's own register: no request goes upstream`, a.span));
    }
  }
  out.push(...repeatedMsiDiagnostics(test, threads, msis));
  return out.filter((d, i) => out.findIndex((o) => o.message === d.message) === i);
}

/**
 * A handler runs once: an MSI written twice on a path, or by two devices, would be two
 * interrupts, each starting the handler, which is not modelled (refused at the second write).
 */
function repeatedMsiDiagnostics(test: LitmusTest, threads: readonly (readonly ThreadPath[])[], msis: ReadonlyMap<number, number>): Diagnostic[] {
  const writers = new Map<number, number>();
  for (const p of threads.flat()) {
    if (p.agent !== 'device') continue;
    const seen = new Set<number>();
    for (const e of p.events) {
      if (e.kind !== 'W' || !msis.has(e.addr)) continue;
      const other = writers.get(e.addr);
      if (seen.has(e.addr) || (other !== undefined && other !== p.thread)) {
        return [error('unsupported', `unsupported: '${e.text}' raises the MSI of P${msis.get(e.addr)!} a second time (one interrupt per handler thread is modelled)`, e.span ?? test.nameSpan!)];
      }
      seen.add(e.addr);
      writers.set(e.addr, p.thread);
    }
  }
  return [];
}

/** Each handler thread's paths, and one where it does not run (its registers as given). */
export function withHandlerAlternatives(threads: readonly (readonly ThreadPath[])[], topology: Topology, initRegs: ReadonlyMap<number, ReadonlyMap<number, Val>>): ThreadPath[][] {
  const handlers = new Set((topology.msis ?? new Map<number, number>()).values());
  return threads.map((paths) => {
    const thread = paths[0]?.thread;
    if (thread === undefined || !handlers.has(thread)) return paths.slice();
    const regs = new Map<number, Sym>([...(initRegs.get(thread) ?? new Map<number, Val>())].map(([r, v]) => [r, constant(v)]));
    const idle: ThreadPath = {
      thread, agent: 'cpu', endpoint: undefined, labels: new Map(), events: [], addr: [], data: [], ctrl: [], pickAddr: [], pickData: [], pickCtrl: [], pickBasic: [],
      rmw: [], amo: [], iicoOrder: [], sca: [], trib: [], weight: 1, instances: [], constraints: [], regs, notRun: true,
    };
    return [...paths, idle];
  });
}

/** A combination of paths where each handler ran exactly when its MSI was written. */
export function interruptsAgree(combo: readonly ThreadPath[], topology: Topology): boolean {
  const msis = topology.msis;
  if (msis === undefined) return true;
  const written = new Set<number>();
  for (const p of combo) if (p.agent === 'device') for (const e of p.events) if (e.kind === 'W' && msis.has(e.addr)) written.add(msis.get(e.addr)!);
  const handlers = new Set(msis.values());
  return combo.every((p) => !handlers.has(p.thread) || (p.notRun !== true) === written.has(p.thread));
}
