/**
 * The final section of a C litmus test: `locations [...]`, then `exists P`, `~exists P` or
 * `forall P`, with herd's propositions (`/\`, `\/`, `~`, `=>`, parentheses, `true`, `false`).
 *
 * Atoms name C variables: `0:r0=1` (CPU thread 0's local r0; also `P0:r0`), `nic:r1=0` (a
 * device function's local), `x=1` or `[x]=1` (a location); each local resolves to the register
 * lowering gave it, and the StateRef keeps the C name so outputs print `0:r0`. The device atoms
 * of the AArch64 front end (`arrived(P0:L1)`, `before(T:L, T:L)`, `gathered(T:L, T:L)`) and
 * herd's `fault(P0:L1)` / `fault(P0:L1, x)` name labelled statements (lowering put each label
 * before its statement's first access). The grammar itself is shared with the AArch64 front end
 * (shared/condition-grammar.ts); this file supplies C's references.
 * @internal
 */
import type { InstrRef, Reg, StateRef } from '../ast.js';
import { indexedLabel, instrAfterLabel, parseConditionSectionWith, type ConditionSection } from '../shared/condition-grammar.js';
import type { Context } from '../shared/source.js';
import { THREAD_NAME, cpuThreadProblem, deviceColumnProblem, type ThreadScope } from '../shared/thread-scope.js';
import type { Cursor, Token } from '../shared/tokens.js';
import { failCall, numberValue } from '../shared/values.js';

/** The threads a condition can name, and each one's locals. */
export interface CScope extends ThreadScope {
  /** Locals by name, indexed by thread id. */
  readonly locals: readonly ReadonlyMap<string, Reg>[];
}

/** The parsed final section of a C test. */
export type CConditionSection = ConditionSection;

/** Parse [start, end) of the source. On an error, what was parsed before it is returned. */
export function parseCConditionSection(ctx: Context, start: number, end: number, scope: CScope): CConditionSection {
  return parseConditionSectionWith(ctx, start, end, {
    threads: scope.threads,
    stateRef: (cur) => parseRef(cur, scope),
    instrRef: (cur) => parseInstrRef(cur, scope),
    faultLocation,
  });
}

/** `0:r0`, `P0:r0`, `nic:r0` (a local), or `x` / `[x]` (a location). */
function parseRef(cur: Cursor, scope: CScope): StateRef {
  const t = cur.next('a variable or location');
  if (t.kind === 'punct' && t.text === '[') {
    const name = cur.next('a location');
    if (name.kind !== 'ident') cur.failAt(name, `expected a location, found '${name.text}'`);
    const close = cur.expectPunct(']');
    return { kind: 'loc', loc: name.text, span: cur.ctx.src.span(t.start, close.end) };
  }
  if (cur.isPunct(':') && (t.kind === 'number' || t.kind === 'ident')) {
    const thread = threadOf(cur, scope, t);
    cur.next(':');
    const v = cur.next('a variable');
    if (v.kind !== 'ident') cur.failAt(v, `expected a variable name, found '${v.text}'`);
    const span = cur.ctx.src.span(t.start, v.end);
    const reg = scope.locals[thread]?.get(v.text);
    if (reg === undefined) cur.failCode('semantic', v, `${scope.threads[thread]!.name} has no local variable '${v.text}' (declare it: int ${v.text};)`);
    return { kind: 'reg', thread, reg, span, name: v.text };
  }
  if (t.kind === 'ident') {
    if (cur.isPunct('(')) failCall(cur, t);
    return { kind: 'loc', loc: t.text, span: cur.ctx.src.span(t.start, t.end) };
  }
  cur.failAt(t, `expected a variable like 0:r0 or a location, found '${t.text}'`);
}

/** The thread a `T:` prefix names: `0`, `P0` (CPU threads) or a device function's name. */
function threadOf(cur: Cursor, scope: CScope, t: Token): number {
  let problem: string | undefined;
  if (t.kind === 'number' || THREAD_NAME.test(t.text)) {
    const n = numberValue(t.kind === 'number' ? t.text : t.text.slice(1));
    if (n === undefined) cur.failAt(t, `bad thread number '${t.text}'`);
    problem = cpuThreadProblem(scope, n, 'the condition');
    if (problem === undefined) return n;
  } else {
    problem = deviceColumnProblem(scope, t.text);
    if (problem === undefined) return scope.devices.get(t.text)!;
  }
  cur.failCode('semantic', t, problem);
}

/** The location of `fault(T:L, x)`: any identifier (C locations may look like AArch64 registers). */
function faultLocation(cur: Cursor): string {
  const l = cur.next('a location');
  if (l.kind !== 'ident') cur.failAt(l, `expected a location, found '${l.text}'`);
  return l.text;
}

/** `P0:L1` (also `0:L1`) or `nic:L1`: a label of that function marking a load or store. */
function parseInstrRef(cur: Cursor, scope: CScope): InstrRef {
  const t = cur.next('a thread and label (P0:L1)');
  if (t.kind !== 'ident' && t.kind !== 'number') cur.failAt(t, `expected a thread and label like P0:L1, found '${t.text}'`);
  if (!cur.isPunct(':')) cur.failAt(cur.peek(), `expected ':' and a label after '${t.text}' (P0:L1), found ${cur.describe(cur.peek())}`);
  const thread = threadOf(cur, scope, t);
  cur.next(':');
  const label = cur.next('a label');
  if (label.kind !== 'ident') cur.failAt(label, `expected a label, found '${label.text}'`);
  const th = scope.threads[thread]!;
  const { found, next } = instrAfterLabel(th, label.text);
  if (!found) cur.failCode('semantic', label, `label '${label.text}' is not defined in ${th.name}`);
  if (next === undefined || (next.kind !== 'load' && next.kind !== 'store')) {
    cur.failCode('semantic', label, `label '${label.text}' in ${th.name} labels no memory access (label a statement that reads or writes)`);
  }
  // `L1[3]`: the fourth access of the labelled statement (a store of __iowrite64_copy).
  const indexed = indexedLabel(cur, th, label);
  return { thread, label: indexed.text, span: cur.ctx.src.span(t.start, indexed.end) };
}
