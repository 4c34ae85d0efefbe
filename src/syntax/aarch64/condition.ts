/**
 * The final section of an AArch64 test: the shared grammar of condition-grammar.ts, with
 * AArch64's references: registers and locations (`1:X0`, `x`, `[x]`), and labelled accesses
 * `P0:L1` / `nic:L0` in the access atoms (`arrived`, `before`, `gathered`, `fault`).
 * @internal
 */
import { isEntryName, oldVmsaName, parenLocation, pteLocation } from '../shared/vmsa-syntax.js';
import type { InstrRef } from '../ast.js';
import { indexedLabel, instrAfterLabel, parseConditionSectionWith, type ConditionSection } from '../shared/condition-grammar.js';
import { registerFromName } from '../shared/registers.js';
import type { Context } from '../shared/source.js';
import { THREAD_NAME, cpuRangeText, type ThreadScope } from '../shared/thread-scope.js';
import type { Cursor, Token } from '../shared/tokens.js';
import { failCall, parseStateRef } from '../shared/values.js';

export type { ConditionSection } from '../shared/condition-grammar.js';

/** Parse [start, end) of the source. On an error, what was parsed before it is returned. */
export function parseConditionSection(ctx: Context, start: number, end: number, scope: ThreadScope): ConditionSection {
  return parseConditionSectionWith(ctx, start, end, {
    threads: scope.threads,
    stateRef: (cur, where) => parseStateRef(cur, scope, where),
    // Only a CPU thread's accesses go through a stage-1/stage-2 translation that a TLBI can
    // remove; a device column's DMA does not, so a fault names a CPU thread's access.
    instrRef: (cur, atom) => (atom === 'fault' ? parseInstrRef(cur, scope, 'faults', true) : parseInstrRef(cur, scope)),
    faultLocation: expectFaultLocation,
  });
}

/** A location's name (`x`): an identifier that is not a register, and not a call like `PTE(x)`. */
function expectLocationName(cur: Cursor): string {
  const t = cur.next('a location');
  if (t.kind !== 'ident') cur.failAt(t, `expected a location, found '${t.text}'`);
  if (registerFromName(t.text) !== undefined) cur.failAt(t, `expected a location, found the register '${t.text}'`);
  if (cur.isPunct('(')) failCall(cur, t);
  return t.text;
}

/** Instructions that may fault: those that access memory, and UDF (herd's VMSA). */
const MEMORY_INSTRUCTIONS: ReadonlySet<string> = new Set(['load', 'store', 'loadPair', 'storePair', 'swp', 'ldop', 'cas', 'casp', 'udf']);

/**
 * The location of a fault atom: herd reads any name there as a location, even one spelled like
 * a register in lower case (`fault(P0,x0)`); `PTE(x)` names an entry (an EL0 fault, unsupported).
 */
function expectFaultLocation(cur: Cursor): string {
  const t = cur.peek();
  // An entry (herd: an EL0 thread's access to the page tables faults there).
  if (t?.kind === 'ident' && isEntryName(t.text) && cur.isPunct('(', 1)) {
    const name = cur.next('a location');
    return pteLocation(parenLocation(cur).text, name.text);
  }
  const old = t?.kind === 'ident' ? oldVmsaName(t.text) : undefined;
  if (old?.kind === 'pte') return cur.next('a location'), pteLocation(old.loc);
  if (t?.kind === 'ident' && /^[a-z]/.test(t.text) && !cur.isPunct('(', 1)) return cur.next('a location').text;
  return expectLocationName(cur);
}

/**
 * `P0:L1` or `nic:L0`: the memory access a label marks in a CPU or device column (a CPU column
 * only when `cpuOnly`). The label must be defined in that column and be followed by a load or
 * store; `role` says what the access does, for messages ("the access that arrives").
 */
function parseInstrRef(cur: Cursor, scope: ThreadScope, role = 'arrives', cpuOnly = false): InstrRef {
  const t = cur.next('a thread and label (P0:L1)');
  if (t.kind !== 'ident') cur.failAt(t, `expected a thread and label like P0:L1, found '${t.text}'`);
  // herd's fault(P1,x): a fault of any instruction of the thread (label '').
  const wholeThread = cpuOnly && !cur.isPunct(':');
  if (!wholeThread) cur.expectPunct(':');
  const label = wholeThread ? { ...t, text: '' } : cur.next('a label');
  if (label.kind !== 'ident') cur.failAt(label, `expected a label, found '${label.text}'`);
  const span = cur.ctx.src.span(t.start, label.end);
  let thread: number | undefined;
  if (THREAD_NAME.test(t.text)) {
    const n = Number(t.text.slice(1));
    if (n < scope.cpuCount) thread = n;
    else cur.ctx.report('semantic', `thread '${t.text}' does not exist (the test has ${cpuRangeText(scope)})`, t.start, t.end);
  } else {
    thread = scope.devices.get(t.text);
    if (thread === undefined) cur.ctx.report('semantic', `'${t.text}' is neither a CPU thread nor a device column`, t.start, t.end);
    else if (cpuOnly) {
      cur.ctx.report('semantic', `'${t.text}' is a device column: only a CPU thread's accesses go through a translation that can fault`, t.start, t.end);
      thread = undefined;
    }
  }
  if (thread === undefined) return { thread: -1, label: label.text, span };
  if (wholeThread) return { thread, label: label.text, span };
  checkLabelledAccess(cur.ctx, scope, thread, label, role, cpuOnly);
  if (cpuOnly) return { thread, label: label.text, span };
  // `L1[1]`: the second access from the label on (of the instructions up to the next label).
  const indexed = indexedLabel(cur, scope.threads[thread]!, label);
  return { thread, label: indexed.text, span: cur.ctx.src.span(t.start, indexed.end) };
}

/** The label is defined in the thread and the next instruction after it is a load or store. */
function checkLabelledAccess(ctx: Context, scope: ThreadScope, thread: number, label: Token, role: string, anyAccess = false): void {
  const th = scope.threads[thread]!;
  const { found, next } = instrAfterLabel(th, label.text);
  if (!found) {
    ctx.report('semantic', `label '${label.text}' is not defined in ${th.name}`, label.start, label.end);
    return;
  }
  if (next === undefined) ctx.report('semantic', `label '${label.text}' in ${th.name} labels no instruction`, label.start, label.end);
  else if (anyAccess ? !MEMORY_INSTRUCTIONS.has(next.kind) : next.kind !== 'load' && next.kind !== 'store') ctx.report('semantic', `label '${label.text}' in ${th.name} must mark ${anyAccess ? 'a memory access' : 'a load or store'}, the access that ${role}`, label.start, label.end);
}
