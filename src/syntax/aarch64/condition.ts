/**
 * The final section: `locations [ref; ...]` (optional), then the condition
 * `exists P`, `~exists P` or `forall P`.
 *
 * Propositions, loosest first: `=>` (right associative, read as `~a \/ b`), `\/`, `/\`, then
 * `~` (or `not`); atoms `ref = value`, `ref != value` (or `<>`), `true`, `false`, `( P )`, and
 * what devices observed (docs/language.md, "Devices"): `arrived(T:L)`, `before(T:L, T:L)`,
 * `gathered(T:L, T:L)`; and herd's `fault(P1:L1)`, `fault(P1:L1,x)` (the access at P1:L1
 * faulted, docs/language.md "TLB invalidation and faults"). `filter` clauses are diagnosed as
 * unsupported.
 * @internal
 */
import type { Condition, InstrRef, Prop, StateRef } from '../ast.js';
import { registerFromName } from './registers.js';
import { Abort, type Context } from './source.js';
import { THREAD_NAME, cpuRangeText, type ThreadScope } from './thread-scope.js';
import { Cursor, tokenize, type Token } from './tokens.js';
import { failCall, parseStateRef, parseValue } from './values.js';

/** Atoms about what a device observed, by name. */
const DEVICE_ATOMS: ReadonlySet<string> = new Set(['arrived', 'before', 'gathered']);

export interface ConditionSection {
  readonly locations: readonly StateRef[];
  readonly condition: Condition | undefined;
}

/** Parse [start, end) of the source. On an error, what was parsed before it is returned. */
export function parseConditionSection(ctx: Context, start: number, end: number, scope: ThreadScope): ConditionSection {
  const tokens = tokenize(ctx.src.text, start, end);
  const cur = new Cursor(ctx, tokens, tokens.length > 0 ? tokens[tokens.length - 1]!.end : end);
  const locations: StateRef[] = [];
  let condition: Condition | undefined;
  try {
    if (cur.isWord('locations')) {
      cur.next('locations');
      cur.expectPunct('[');
      while (!cur.eatPunct(']')) {
        locations.push(parseStateRef(cur, scope, 'locations'));
        if (!cur.isPunct(']')) cur.expectPunct(';');
      }
      cur.eatPunct(';'); // herd tolerates `locations [...];`
    }
    const t = cur.peek();
    if (t !== undefined && cur.isWord('filter')) cur.failCode('unsupported', t, "'filter' clauses are not supported yet");
    if (t !== undefined) condition = parseCondition(cur, scope);
    cur.eatPunct(';'); // herd tolerates a ';' after the condition
    const extra = cur.peek();
    if (extra !== undefined) cur.failAt(extra, `unexpected ${cur.describe(extra)} after the condition`);
  } catch (e) {
    if (e !== Abort.instance) throw e;
  }
  return { locations, condition };
}

function parseCondition(cur: Cursor, scope: ThreadScope): Condition {
  const first = cur.next('exists, ~exists or forall');
  let quantifier: Condition['quantifier'];
  if (first.kind === 'punct' && first.text === '~') {
    const t = cur.next("'exists'");
    if (t.text !== 'exists') cur.failAt(t, `expected 'exists' after '~', found '${t.text}'`);
    quantifier = 'notExists';
  } else if (first.text === 'exists') quantifier = 'exists';
  else if (first.text === 'forall') quantifier = 'forall';
  else cur.failAt(first, `expected exists, ~exists or forall, found '${first.text}'`);
  const prop = parseImplies(cur, scope);
  return { quantifier, prop, span: cur.ctx.src.span(first.start, cur.lastEnd(first.end)) };
}

function parseImplies(cur: Cursor, scope: ThreadScope): Prop {
  const lhs = parseOr(cur, scope);
  if (!cur.eatPunct('=>')) return lhs;
  const rhs = parseImplies(cur, scope);
  return { kind: 'or', args: [{ kind: 'not', arg: lhs }, rhs] };
}

function parseOr(cur: Cursor, scope: ThreadScope): Prop {
  let p = parseAnd(cur, scope);
  while (cur.eatPunct('\\/')) p = { kind: 'or', args: [p, parseAnd(cur, scope)] };
  return p;
}

function parseAnd(cur: Cursor, scope: ThreadScope): Prop {
  let p = parseNot(cur, scope);
  while (cur.eatPunct('/\\')) p = { kind: 'and', args: [p, parseNot(cur, scope)] };
  return p;
}

function parseNot(cur: Cursor, scope: ThreadScope): Prop {
  // `not` is herd's spelling of `~`, unless it names a location (`not=1`).
  if (cur.eatPunct('~') || (cur.isWord('not') && !cur.isPunct('=', 1) && !cur.isPunct('!=', 1) && cur.next('not'))) {
    return { kind: 'not', arg: parseNot(cur, scope) };
  }
  return parseAtom(cur, scope);
}

function parseAtom(cur: Cursor, scope: ThreadScope): Prop {
  const t = cur.peek();
  if (t === undefined) return cur.failAt(undefined, `expected a condition, found ${cur.endName}`);
  if (t.kind === 'punct' && t.text === '(') {
    cur.next('(');
    const p = parseImplies(cur, scope);
    cur.expectPunct(')');
    return p;
  }
  if (t.kind === 'ident') {
    // `true`/`false` are keywords unless used as a location (`true=1`).
    if ((t.text === 'true' || t.text === 'false') && !cur.isPunct('=', 1) && !cur.isPunct('!=', 1)) {
      cur.next(t.text);
      return { kind: t.text };
    }
    if (cur.isPunct('(', 1)) {
      if (DEVICE_ATOMS.has(t.text)) return parseDeviceAtom(cur, scope);
      if (t.text === 'fault') return parseFaultAtom(cur, scope);
      failCall(cur, t);
    }
  }
  const lhs = parseStateRef(cur, scope, 'the condition');
  const op = cur.peek();
  let kind: 'eq' | 'ne';
  if (cur.eatPunct('=')) kind = 'eq';
  else if (cur.eatPunct('!=') || cur.eatPunct('<>')) kind = 'ne';
  else cur.failAt(op, `expected '=' or '!=', found ${cur.describe(op)}`);
  const rhs = parseValue(cur);
  return { kind, lhs, rhs, span: cur.ctx.src.span(t.start, cur.lastEnd(t.end)) };
}

/** `arrived(T:L)`, `before(T:L, T:L)`, `gathered(T:L, T:L)`. */
function parseDeviceAtom(cur: Cursor, scope: ThreadScope): Prop {
  const name = cur.next('a condition');
  cur.expectPunct('(');
  const first = parseInstrRef(cur, scope);
  if (name.text === 'arrived') {
    cur.expectPunct(')');
    return { kind: 'arrived', write: first, span: cur.ctx.src.span(name.start, cur.lastEnd(name.end)) };
  }
  cur.expectPunct(',');
  const second = parseInstrRef(cur, scope);
  cur.expectPunct(')');
  if (first.thread >= 0 && first.thread === second.thread && first.label === second.label) {
    cur.ctx.diagnostics.push({ code: 'semantic', severity: 'error', message: `'${name.text}' needs two different accesses, but both are ${scope.threads[first.thread]!.name}:${first.label}`, span: second.span });
  }
  const kind = name.text === 'before' ? 'before' : 'gathered';
  return { kind, first, second, span: cur.ctx.src.span(name.start, cur.lastEnd(name.end)) };
}

/**
 * herd's `fault(P1:L1)` and `fault(P1:L1,x)`: the access at P1:L1 faulted (on location x). Only
 * a CPU thread's accesses go through a stage-1/stage-2 translation that a TLBI can remove; a
 * device column's DMA does not, so naming one is a semantic error.
 */
function parseFaultAtom(cur: Cursor, scope: ThreadScope): Prop {
  const name = cur.next('fault');
  cur.expectPunct('(');
  const access = parseInstrRef(cur, scope, 'faults', true);
  let loc: string | undefined;
  if (cur.eatPunct(',')) loc = expectLocationName(cur);
  cur.expectPunct(')');
  return { kind: 'fault', access, loc, span: cur.ctx.src.span(name.start, cur.lastEnd(name.end)) };
}

/** A location's name (`x`): an identifier that is not a register, and not a call like `PTE(x)`. */
function expectLocationName(cur: Cursor): string {
  const t = cur.next('a location');
  if (t.kind !== 'ident') cur.failAt(t, `expected a location, found '${t.text}'`);
  if (registerFromName(t.text) !== undefined) cur.failAt(t, `expected a location, found the register '${t.text}'`);
  if (cur.isPunct('(')) failCall(cur, t);
  return t.text;
}

/**
 * `P0:L1` or `nic:L0`: the memory access a label marks in a CPU or device column (a CPU column
 * only when `cpuOnly`). The label must be defined in that column and be followed by a load or
 * store; `role` says what the access does, for messages ("the access that arrives").
 */
function parseInstrRef(cur: Cursor, scope: ThreadScope, role = 'arrives', cpuOnly = false): InstrRef {
  const t = cur.next('a thread and label (P0:L1)');
  if (t.kind !== 'ident') cur.failAt(t, `expected a thread and label like P0:L1, found '${t.text}'`);
  cur.expectPunct(':');
  const label = cur.next('a label');
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
  checkLabelledAccess(cur.ctx, scope, thread, label, role);
  return { thread, label: label.text, span };
}

/** The label is defined in the thread and the next instruction after it is a load or store. */
function checkLabelledAccess(ctx: Context, scope: ThreadScope, thread: number, label: Token, role: string): void {
  const th = scope.threads[thread]!;
  const at = th.code.findIndex((ins) => ins.kind === 'label' && ins.name === label.text);
  if (at < 0) {
    ctx.report('semantic', `label '${label.text}' is not defined in ${th.name}`, label.start, label.end);
    return;
  }
  const next = th.code.slice(at + 1).find((ins) => ins.kind !== 'label');
  if (next === undefined) ctx.report('semantic', `label '${label.text}' in ${th.name} labels no instruction`, label.start, label.end);
  else if (next.kind !== 'load' && next.kind !== 'store') ctx.report('semantic', `label '${label.text}' in ${th.name} must mark a load or store, the access that ${role}`, label.start, label.end);
}
