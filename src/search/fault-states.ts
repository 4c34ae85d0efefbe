/**
 * The faults of a final state as herd prints them under VMSA: the execution's faults that some
 * fault atom of the condition matches, each with its labels, location and type
 * (`Fault(P0:L0,x,MMU:Translation);`), then each atom no fault matches (`~Fault(P1:L2,x);`).
 */
import type { Prop } from '../syntax/ast.js';
import type { Span } from '../syntax/diagnostics.js';
import type { Program } from '../events/program.js';
import type { CandidateExecution } from './enumerate.js';
import { faultTypeOf } from '../events/event.js';

type FaultAtom = Extract<Prop, { kind: 'fault' }>;

/** One fault of an execution: its thread, the labels of its instruction, location, type. */
interface Fault {
  readonly thread: number;
  readonly labels: readonly string[];
  /** The virtual location; none for an Undefined Instruction exception. */
  readonly loc: string | undefined;
  readonly type: string;
  /** herd's message: `EL0` for an EL0 thread's access to an entry. */
  readonly message: string | undefined;
}

/** The labels written right before the instruction at `span` in a thread's code. */
function labelsAt(program: Program, thread: number, span: Span | undefined): string[] {
  const t = program.test.threads.find((x) => x.id === thread);
  const inMain = t?.code.some((i) => i.kind !== 'label' && i.span === span) ?? false;
  const code = (inMain ? t?.code : t?.handler) ?? [];
  const at = code.findIndex((i) => i.kind !== 'label' && i.span === span);
  const out: string[] = [];
  for (let k = at - 1; k >= 0 && code[k]!.kind === 'label'; k--) out.push((code[k] as { name: string }).name);
  return out.sort();
}

function faultsOf(program: Program, c: CandidateExecution): Fault[] {
  const out: Fault[] = [];
  for (const p of c.x.paths)
    for (const e of p.events) {
      const type = e.kind === 'F' && e.fence.op === 'FAULT' ? faultTypeOf(e.fence) : undefined;
      if (e.kind !== 'F' || type === undefined) continue;
      const loc = e.fence.addr === undefined ? undefined : program.locations.locate(e.fence.addr)?.name ?? '?';
      out.push({ thread: p.thread, labels: labelsAt(program, p.thread, e.span), loc, type, message: e.fence.el0 ? 'EL0' : undefined });
    }
  return out;
}

function matches(f: Fault, a: FaultAtom): boolean {
  return f.thread === a.access.thread && (a.access.label === '' || f.labels.includes(a.access.label)) && (a.loc === undefined || a.loc === f.loc) && (a.faultType === undefined || a.faultType === f.type);
}

function faultText(program: Program, f: Fault): string {
  const name = program.test.threads.find((t) => t.id === f.thread)?.name ?? `P${f.thread}`;
  const where = f.labels.length === 0 ? name : f.labels.length === 1 ? `${name}:${f.labels[0]}` : `${name}:{${f.labels.join(',')}}`;
  return `Fault(${[where, ...(f.loc === undefined ? [] : [f.loc]), f.type, ...(f.message === undefined ? [] : [f.message])].join(',')});`;
}

function atomText(program: Program, a: FaultAtom): string {
  const name = program.test.threads.find((t) => t.id === a.access.thread)?.name ?? `P${a.access.thread}`;
  const parts = [a.access.label === '' ? name : `${name}:${a.access.label}`, ...(a.loc === undefined ? [] : [a.loc]), ...(a.faultType === undefined ? [] : [a.faultType])];
  return `~Fault(${parts.join(',')});`;
}

/** herd's order of fault atoms (by thread, label, location, type; an absent part first). */
function atomOrder(a: FaultAtom, b: FaultAtom): number {
  const key = (x: FaultAtom) => [x.access.thread, x.access.label === '' ? '' : `1${x.access.label}`, x.loc === undefined ? '' : `1${x.loc}`, x.faultType === undefined ? '' : `1${x.faultType}`] as const;
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/** The fault part of a state line (after the registers and locations), as herd prints it. */
export function faultStateText(program: Program, c: CandidateExecution, atoms: readonly FaultAtom[]): string {
  const faults = faultsOf(program, c).filter((f) => atoms.some((a) => matches(f, a)));
  const shown = [...new Set(faults.map((f) => faultText(program, f)))].sort();
  const unique = new Map(atoms.map((a) => [atomText(program, a), a]));
  const missing = [...unique.values()].filter((a) => !faults.some((f) => matches(f, a))).sort(atomOrder).reverse();
  return ` ${shown.join(' ')}${missing.map((a) => ` ${atomText(program, a)}`).join('')}`;
}
