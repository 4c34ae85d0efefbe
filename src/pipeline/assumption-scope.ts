/**
 * Tests an assumption leaves outside what iolitmus models exactly, refused at the first construct
 * that takes them there. With `device-domain=outer` the devices observe from the Outer Shareable
 * domain only (models/aarch64+devices.model): an ISH barrier then orders nothing they see, which
 * is exact for the ordering one CPU's own barriers and dependencies give. Not modelled: how an ISH
 * barrier's cumulativity reaches an outer observer through another CPU, the shareability of
 * acquire/release ordering, and TLB maintenance completing for observers outside the Inner
 * Shareable domain.
 */
import type { Event, ThreadPath } from '../events/event.js';
import type { Program } from '../events/program.js';
import type { Assumptions } from '../model/assumptions.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';

const isAcquireRelease = (e: Event) => (e.kind === 'R' && (e.order === 'A' || e.order === 'Q')) || (e.kind === 'W' && e.order === 'L');
const isIsh = (e: Event) => e.kind === 'F' && (e.fence.op === 'DMB' || e.fence.op === 'DSB') && e.fence.domain === 'ISH';
const isTlbi = (e: Event) => e.kind === 'F' && e.fence.op === 'TLBI';

/** The first CPU event (with its path) that `bad` picks, if any. */
function first(program: Program, bad: (e: Event) => boolean): { e: Event; p: ThreadPath } | undefined {
  for (const paths of program.threads) for (const p of paths) if (p.agent === 'cpu') for (const e of p.events) if (bad(e)) return { e, p };
  return undefined;
}

export function assumptionScopeDiagnostics(program: Program, assumptions: Assumptions): Diagnostic[] {
  if (assumptions.deviceDomain !== 'outer' || program.topology.endpoints.size === 0) return [];
  const at = (f: { e: Event; p: ThreadPath }) => f.e.span ?? program.test.threads.find((t) => t.id === f.p.thread)?.span ?? program.test.nameSpan ?? { line: 1, col: 1, endLine: 1, endCol: 2 };
  const refuse = (f: { e: Event; p: ThreadPath }, what: string) => [error('unsupported', `unsupported: '${f.e.text}' under device-domain=outer: ${what}`, at(f))];
  const ar = first(program, isAcquireRelease);
  if (ar) return refuse(ar, 'the shareability of acquire/release ordering toward an Outer Shareable observer is not modelled');
  const tlbi = first(program, isTlbi);
  if (tlbi) return refuse(tlbi, 'the completion of TLB maintenance for an Outer Shareable observer is not modelled');
  const cpus = program.test.threads.filter((t) => t.agent === 'cpu').length;
  const ish = first(program, isIsh);
  if (ish && cpus > 1) return refuse(ish, "an ISH barrier's cumulativity toward an Outer Shareable observer through other CPUs is not modelled (one CPU thread only)");
  return [];
}
