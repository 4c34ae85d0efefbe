/**
 * The final section of a C litmus test: `locations [...]`, then `exists P`, `~exists P` or
 * `forall P`, with herd's propositions (`/\`, `\/`, `~`, `=>`, parentheses, `true`, `false`).
 *
 * Atoms name C variables: `0:r0=1` (CPU thread 0's local r0; also `P0:r0`), `nic:r1=0` (a
 * device function's local), `x=1` or `[x]=1` (a location); each local resolves to the register
 * lowering gave it, and the StateRef keeps the C name so outputs print `0:r0`. The device atoms
 * of the AArch64 front end (`arrived(P0:L1)`, `before(T:L, T:L)`, `gathered(T:L, T:L)`) and
 * herd's `fault(P0:L1)` / `fault(P0:L1, x)` name labelled statements (lowering put each label
 * before its statement's first access).
 * @internal
 */
import type { Condition, InstrRef, Prop, Reg, StateRef } from '../ast.js';
import { Abort, type Context } from '../aarch64/source.js';
import { THREAD_NAME, cpuThreadProblem, deviceColumnProblem, type ThreadScope } from '../aarch64/thread-scope.js';
import { Cursor, tokenize, type Token } from '../aarch64/tokens.js';
import { failCall, numberValue, parseValue } from '../aarch64/values.js';

/** The threads a condition can name, and each one's locals. */
export interface CScope extends ThreadScope {
  /** Locals by name, indexed by thread id. */
  readonly locals: readonly ReadonlyMap<string, Reg>[];
}

export interface CConditionSection {
  readonly locations: readonly StateRef[];
  readonly condition: Condition | undefined;
}

const ATOMS: ReadonlySet<string> = new Set(['arrived', 'before', 'gathered', 'fault']);

/** Parse [start, end) of the source. On an error, what was parsed before it is returned. */
export function parseCConditionSection(ctx: Context, start: number, end: number, scope: CScope): CConditionSection {
  const tokens = tokenize(ctx.src.text, start, end);
  const cur = new Cursor(ctx, tokens, tokens.length > 0 ? tokens[tokens.length - 1]!.end : end);
  const locations: StateRef[] = [];
  let condition: Condition | undefined;
  try {
    if (cur.isWord('locations')) {
      cur.next('locations');
      cur.expectPunct('[');
      while (!cur.eatPunct(']')) {
        locations.push(parseRef(cur, scope));
        if (!cur.isPunct(']')) cur.expectPunct(';');
      }
      cur.eatPunct(';');
    }
    const t = cur.peek();
    if (t !== undefined && cur.isWord('filter')) cur.failCode('unsupported', t, "'filter' clauses are not supported yet");
    if (t !== undefined) condition = parseCondition(cur, scope);
    cur.eatPunct(';');
    const extra = cur.peek();
    if (extra !== undefined) cur.failAt(extra, `unexpected ${cur.describe(extra)} after the condition`);
  } catch (e) {
    if (e !== Abort.instance) throw e;
  }
  return { locations, condition };
}

function parseCondition(cur: Cursor, scope: CScope): Condition {
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

function parseImplies(cur: Cursor, scope: CScope): Prop {
  const lhs = parseOr(cur, scope);
  if (!cur.eatPunct('=>')) return lhs;
  return { kind: 'or', args: [{ kind: 'not', arg: lhs }, parseImplies(cur, scope)] };
}

function parseOr(cur: Cursor, scope: CScope): Prop {
  let p = parseAnd(cur, scope);
  while (cur.eatPunct('\\/')) p = { kind: 'or', args: [p, parseAnd(cur, scope)] };
  return p;
}

function parseAnd(cur: Cursor, scope: CScope): Prop {
  let p = parseNot(cur, scope);
  while (cur.eatPunct('/\\')) p = { kind: 'and', args: [p, parseNot(cur, scope)] };
  return p;
}

function parseNot(cur: Cursor, scope: CScope): Prop {
  if (cur.eatPunct('~') || (cur.isWord('not') && !cur.isPunct('=', 1) && !cur.isPunct('!=', 1) && cur.next('not'))) {
    return { kind: 'not', arg: parseNot(cur, scope) };
  }
  return parseAtom(cur, scope);
}

function parseAtom(cur: Cursor, scope: CScope): Prop {
  const t = cur.peek();
  if (t === undefined) return cur.failAt(undefined, `expected a condition, found ${cur.endName}`);
  if (t.kind === 'punct' && t.text === '(') {
    cur.next('(');
    const p = parseImplies(cur, scope);
    cur.expectPunct(')');
    return p;
  }
  if (t.kind === 'ident') {
    if ((t.text === 'true' || t.text === 'false') && !cur.isPunct('=', 1) && !cur.isPunct('!=', 1)) {
      cur.next(t.text);
      return { kind: t.text };
    }
    if (cur.isPunct('(', 1)) {
      if (ATOMS.has(t.text)) return parseAccessAtom(cur, scope);
      failCall(cur, t);
    }
  }
  const lhs = parseRef(cur, scope);
  const op = cur.peek();
  let kind: 'eq' | 'ne';
  if (cur.eatPunct('=')) kind = 'eq';
  else if (cur.eatPunct('!=') || cur.eatPunct('<>')) kind = 'ne';
  else cur.failAt(op, `expected '=' or '!=', found ${cur.describe(op)}`);
  const rhs = parseValue(cur);
  return { kind, lhs, rhs, span: cur.ctx.src.span(t.start, cur.lastEnd(t.end)) };
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

/** `arrived(T:L)`, `before(T:L, T:L)`, `gathered(T:L, T:L)`, `fault(T:L)`, `fault(T:L, x)`. */
function parseAccessAtom(cur: Cursor, scope: CScope): Prop {
  const name = cur.next('a condition');
  cur.expectPunct('(');
  const first = parseInstrRef(cur, scope);
  const spanNow = () => cur.ctx.src.span(name.start, cur.lastEnd(name.end));
  if (name.text === 'arrived') {
    cur.expectPunct(')');
    return { kind: 'arrived', write: first, span: spanNow() };
  }
  if (name.text === 'fault') {
    let loc: string | undefined;
    if (cur.eatPunct(',')) {
      const l = cur.next('a location');
      if (l.kind !== 'ident') cur.failAt(l, `expected a location, found '${l.text}'`);
      loc = l.text;
    }
    cur.expectPunct(')');
    return { kind: 'fault', access: first, loc, span: spanNow() };
  }
  cur.expectPunct(',');
  const second = parseInstrRef(cur, scope);
  cur.expectPunct(')');
  if (first.thread === second.thread && first.label === second.label) {
    cur.ctx.diagnostics.push({ code: 'semantic', severity: 'error', message: `'${name.text}' needs two different accesses, but both are ${scope.threads[first.thread]!.name}:${first.label}`, span: second.span });
  }
  return { kind: name.text === 'before' ? 'before' : 'gathered', first, second, span: spanNow() };
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
  const at = th.code.findIndex((ins) => ins.kind === 'label' && ins.name === label.text);
  if (at < 0) cur.failCode('semantic', label, `label '${label.text}' is not defined in ${th.name}`);
  const next = th.code.slice(at + 1).find((ins) => ins.kind !== 'label');
  if (next === undefined || (next.kind !== 'load' && next.kind !== 'store')) {
    cur.failCode('semantic', label, `label '${label.text}' in ${th.name} labels no memory access (label a statement that reads or writes)`);
  }
  return { thread, label: label.text, span: cur.ctx.src.span(t.start, label.end) };
}
