/**
 * The final section: `locations [ref; ...]` (optional), then the condition
 * `exists P`, `~exists P` or `forall P`.
 *
 * Propositions, loosest first: `=>` (right associative, read as `~a \/ b`), `\/`, `/\`, then
 * `~` (or `not`); atoms `ref = value`, `ref != value` (or `<>`), `true`, `false`, `( P )`. `filter` clauses and
 * herd's VMSA atoms (`fault(...)`) are diagnosed as unsupported.
 * @internal
 */
import type { Condition, Prop, StateRef } from '../ast.js';
import { Abort, type Context } from './source.js';
import { Cursor, tokenize } from './tokens.js';
import { failCall, parseStateRef, parseValue } from './values.js';

export interface ConditionSection {
  readonly locations: readonly StateRef[];
  readonly condition: Condition | undefined;
}

/** Parse [start, end) of the source. On an error, what was parsed before it is returned. */
export function parseConditionSection(ctx: Context, start: number, end: number): ConditionSection {
  const tokens = tokenize(ctx.src.text, start, end);
  const cur = new Cursor(ctx, tokens, tokens.length > 0 ? tokens[tokens.length - 1]!.end : end);
  const locations: StateRef[] = [];
  let condition: Condition | undefined;
  try {
    if (cur.isWord('locations')) {
      cur.next('locations');
      cur.expectPunct('[');
      while (!cur.eatPunct(']')) {
        locations.push(parseStateRef(cur));
        if (!cur.isPunct(']')) cur.expectPunct(';');
      }
      cur.eatPunct(';'); // herd tolerates `locations [...];`
    }
    const t = cur.peek();
    if (t !== undefined && cur.isWord('filter')) cur.failCode('unsupported', t, "'filter' clauses are not supported yet");
    if (t !== undefined) condition = parseCondition(cur);
    cur.eatPunct(';'); // herd tolerates a ';' after the condition
    const extra = cur.peek();
    if (extra !== undefined) cur.failAt(extra, `unexpected ${cur.describe(extra)} after the condition`);
  } catch (e) {
    if (e !== Abort.instance) throw e;
  }
  return { locations, condition };
}

function parseCondition(cur: Cursor): Condition {
  const first = cur.next('exists, ~exists or forall');
  let quantifier: Condition['quantifier'];
  if (first.kind === 'punct' && first.text === '~') {
    const t = cur.next("'exists'");
    if (t.text !== 'exists') cur.failAt(t, `expected 'exists' after '~', found '${t.text}'`);
    quantifier = 'notExists';
  } else if (first.text === 'exists') quantifier = 'exists';
  else if (first.text === 'forall') quantifier = 'forall';
  else cur.failAt(first, `expected exists, ~exists or forall, found '${first.text}'`);
  const prop = parseImplies(cur);
  return { quantifier, prop, span: cur.ctx.src.span(first.start, cur.lastEnd(first.end)) };
}

function parseImplies(cur: Cursor): Prop {
  const lhs = parseOr(cur);
  if (!cur.eatPunct('=>')) return lhs;
  const rhs = parseImplies(cur);
  return { kind: 'or', args: [{ kind: 'not', arg: lhs }, rhs] };
}

function parseOr(cur: Cursor): Prop {
  let p = parseAnd(cur);
  while (cur.eatPunct('\\/')) p = { kind: 'or', args: [p, parseAnd(cur)] };
  return p;
}

function parseAnd(cur: Cursor): Prop {
  let p = parseNot(cur);
  while (cur.eatPunct('/\\')) p = { kind: 'and', args: [p, parseNot(cur)] };
  return p;
}

function parseNot(cur: Cursor): Prop {
  // `not` is herd's spelling of `~`, unless it names a location (`not=1`).
  if (cur.eatPunct('~') || (cur.isWord('not') && !cur.isPunct('=', 1) && !cur.isPunct('!=', 1) && cur.next('not'))) {
    return { kind: 'not', arg: parseNot(cur) };
  }
  return parseAtom(cur);
}

function parseAtom(cur: Cursor): Prop {
  const t = cur.peek();
  if (t === undefined) return cur.failAt(undefined, `expected a condition, found ${cur.endName}`);
  if (t.kind === 'punct' && t.text === '(') {
    cur.next('(');
    const p = parseImplies(cur);
    cur.expectPunct(')');
    return p;
  }
  if (t.kind === 'ident') {
    // `true`/`false` are keywords unless used as a location (`true=1`).
    if ((t.text === 'true' || t.text === 'false') && !cur.isPunct('=', 1) && !cur.isPunct('!=', 1)) {
      cur.next(t.text);
      return { kind: t.text };
    }
    if (cur.isPunct('(', 1)) failCall(cur, t);
  }
  const lhs = parseStateRef(cur);
  const op = cur.peek();
  let kind: 'eq' | 'ne';
  if (cur.eatPunct('=')) kind = 'eq';
  else if (cur.eatPunct('!=') || cur.eatPunct('<>')) kind = 'ne';
  else cur.failAt(op, `expected '=' or '!=', found ${cur.describe(op)}`);
  const rhs = parseValue(cur);
  return { kind, lhs, rhs, span: cur.ctx.src.span(t.start, cur.lastEnd(t.end)) };
}
