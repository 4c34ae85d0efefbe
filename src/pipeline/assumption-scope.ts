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
import { COUNTED_IO_ACCESSORS, IO_ACCESSORS } from '../platform/linux-io.js';

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

/**
 * A kernel C test with no endpoint, no mapping, no guest and no TLB maintenance is a test of the
 * Linux kernel memory model (tools/memory-model), whose verdicts can differ from arm64's both
 * ways. Without a model given (`--model aarch64` for the arm64 answer), it is refused.
 */
export function lkmmDiagnostics(program: Program, model: unknown, source: string): Diagnostic[] {
  const t = program.test;
  if (t.arch !== 'C' || model !== undefined || !asksLkmm(program, source)) return [];
  return [error('unsupported', 'unsupported: a kernel C test of CPUs and memory is answered under the Linux kernel memory model, which iolitmus does not implement yet; `check --model aarch64` answers for the arm64 instructions Linux compiles it to', t.nameSpan ?? { line: 1, col: 1, endLine: 1, endCol: 2 })];
}

/** A call of a Linux I/O accessor or I/O barrier: every one of the table but the LKMM's `smp_*`. */
const IO_CALL = new RegExp(`\\b(${[...IO_ACCESSORS.keys(), ...COUNTED_IO_ACCESSORS].filter((n) => !n.startsWith('smp_')).join('|')})\\s*\\(`);

/**
 * Whether a kernel C test is a question for the LKMM: no endpoint, mapping, guest or TLBI, and
 * no Linux I/O accessor or I/O barrier (`writel`, `dma_wmb`, `mb`, ...; the LKMM has only the
 * `smp_*` ones), which make it a question about arm64 hardware.
 */
export function asksLkmm(program: Program, source: string): boolean {
  const t = program.test;
  if (program.topology.endpoints.size > 0 || t.mappings.length > 0 || (t.guestThreads?.length ?? 0) > 0) return false;
  if (first(program, isTlbi) !== undefined) return false;
  return !IO_CALL.test(source);
}

