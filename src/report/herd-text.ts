/**
 * Results in herd7's text layout, so scripts that read herd7's output keep working:
 *
 *   Test MP Allowed
 *   States 4
 *   1:X0=0; 1:X2=0;
 *   ...
 *   Ok
 *   Witnesses
 *   Positive: 1 Negative: 3
 *   Condition exists (1:X0=1 /\ 1:X2=0)
 *   Observation MP Sometimes 1 3
 *   Time MP 0.00
 */
import type { Condition, Prop, Value } from '../syntax/ast.js';
import type { TestResult } from '../search/outcomes.js';
import { refKey } from '../search/outcomes.js';

export function formatValue(v: Value): string {
  return v.kind === 'int' ? String(v.value) : v.loc;
}

/** A proposition as herd prints it: atoms `1:X0=1`, `/\`, `\/`, `~`, parenthesised operands. */
export function formatProp(p: Prop): string {
  switch (p.kind) {
    case 'true':
      return 'true';
    case 'false':
      return 'false';
    case 'eq':
      return `${refKey(p.lhs)}=${formatValue(p.rhs)}`;
    case 'ne':
      return `${refKey(p.lhs)}!=${formatValue(p.rhs)}`;
    case 'not':
      return `~${wrap(p.arg)}`;
    case 'and':
      return `${wrapIn(p.args[0], 'and')} /\\ ${wrapIn(p.args[1], 'and')}`;
    case 'or':
      return `${wrapIn(p.args[0], 'or')} \\/ ${wrapIn(p.args[1], 'or')}`;
  }
}

function wrap(p: Prop): string {
  return p.kind === 'eq' || p.kind === 'ne' || p.kind === 'true' || p.kind === 'false' ? formatProp(p) : `(${formatProp(p)})`;
}

function wrapIn(p: Prop, parent: 'and' | 'or'): string {
  return p.kind === parent || p.kind === 'eq' || p.kind === 'ne' || p.kind === 'not' || p.kind === 'true' || p.kind === 'false' ? formatProp(p) : `(${formatProp(p)})`;
}

export function formatCondition(c: Condition): string {
  const q = c.quantifier === 'exists' ? 'exists' : c.quantifier === 'notExists' ? '~exists' : 'forall';
  return `${q} (${formatProp(c.prop)})`;
}

/** One test's block in herd's layout. `timeSeconds` is printed as herd does (two decimals). */
export function formatHerdResult(r: TestResult, timeSeconds: number): string {
  const lines: string[] = [];
  const kind = r.condition?.quantifier === 'forall' ? 'Required' : 'Allowed';
  lines.push(`Test ${r.name} ${kind}`);
  lines.push(`States ${r.states.length}`);
  for (const s of r.states) lines.push(r.observables.map((o, i) => `${o.key}=${s.text[i]};`).join(' ') + (r.observables.length ? '' : ''));
  lines.push(r.ok ? 'Ok' : 'No');
  lines.push('Witnesses');
  lines.push(`Positive: ${r.positive} Negative: ${r.negative}`);
  if (r.condition) lines.push(`Condition ${formatCondition(r.condition)}`);
  lines.push(`Observation ${r.name} ${r.observation} ${r.positive} ${r.negative}`);
  if (r.partial) lines.push(`Partial ${r.name} ${r.partial}`);
  for (const w of r.warnings) lines.push(`Warning ${r.name} ${w}`);
  lines.push(`Time ${r.name} ${timeSeconds.toFixed(2)}`);
  return lines.join('\n') + '\n';
}
