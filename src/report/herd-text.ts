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
 *   Hash=a735239fa71dfc335518f44444d05ce4
 *
 * The Hash line (herd-hash.ts) is there when the test has one or iolitmus can compute herd's.
 */
import type { Condition, Prop, Value } from '../syntax/ast.js';
import { chainOperands } from '../syntax/prop.js';
import type { TestResult } from '../search/outcomes.js';
import { accessAtomKey, refKey } from '../search/outcomes.js';
import type { StateRef } from '../syntax/ast.js';
import type { Program } from '../events/program.js';
import { formatAssumptions } from '../model/assumptions.js';
import { descriptorText, pteOf } from '../syntax/shared/vmsa-syntax.js';

/** herd writes memory locations in brackets (`[x]`) and registers as `1:X0`. */
export function herdKey(r: StateRef, threadName?: (id: number) => string | undefined): string {
  return r.kind === 'loc' && r.index === undefined ? `[${r.loc}]` : refKey(r, threadName);
}

export function formatValue(v: Value): string {
  switch (v.kind) {
    case 'int':
      // herd prints a condition's integer as a signed 64-bit value, whatever its spelling.
      return String(BigInt.asIntN(64, v.value));
    case 'addr':
      return v.offset ? `${v.loc}+${v.offset}` : v.loc;
    case 'label':
      return `P${v.thread}:${v.label}`;
    case 'array':
      return `{${v.values.join(',')}}`;
    case 'pa':
      return `PA(${v.loc})`;
    case 'pte':
      return descriptorText(v.oa, v.fields);
  }
}

/** A descriptor compared with entry PTE(x) has output address PA(x) unless it says (herd fills it in). */
function withOutputAddress(v: Value, lhs: StateRef): Value {
  if (v.kind !== 'pte' || v.oa !== undefined || lhs.kind !== 'loc') return v;
  const of = pteOf(lhs.loc);
  return of === undefined ? v : { ...v, oa: of };
}

/** A proposition as herd prints it: atoms `1:X0=1`, `/\`, `\/`, `~`, parenthesised operands. */
export function formatProp(p: Prop, names?: (id: number) => string | undefined): string {
  switch (p.kind) {
    case 'true':
      return 'true';
    case 'false':
      return 'false';
    case 'eq':
      return `${herdKey(p.lhs, names)}=${formatValue(withOutputAddress(p.rhs, p.lhs))}`;
    case 'ne':
      return `${herdKey(p.lhs, names)}!=${formatValue(withOutputAddress(p.rhs, p.lhs))}`;
    case 'arrived':
    case 'fault':
    case 'before':
    case 'gathered':
      return accessAtomKey(p, names);
    case 'not':
      // herd prints negation as `not (p)`.
      return `not (${formatProp(p.arg, names)})`;
    // A chain prints flat, `a /\ b /\ c`, however it is grouped; it is taken whole, so the
    // recursion goes as deep as the condition nests, not as long as the chain is.
    case 'and':
      return chainOperands(p).map((q) => wrapIn(q, 'and', names)).join(' /\\ ');
    case 'or':
      return chainOperands(p).map((q) => wrapIn(q, 'or', names)).join(' \\/ ');
    case 'implies':
      return `${wrapIn(p.args[0], 'implies', names)} => ${wrapIn(p.args[1], 'implies', names)}`;
  }
}

/** herd parenthesises a disjunction inside a conjunction only (/\ binds tighter than \/). */
function wrapIn(p: Prop, parent: 'and' | 'or' | 'implies', names?: (id: number) => string | undefined): string {
  const binary = p.kind === 'and' || p.kind === 'or' || p.kind === 'implies';
  const paren = parent === 'implies' ? binary : p.kind === 'implies' || (p.kind === 'or' && parent === 'and');
  return paren ? `(${formatProp(p, names)})` : formatProp(p, names);
}


export function formatCondition(c: Condition, names?: (id: number) => string | undefined): string {
  const q = c.quantifier === 'exists' ? 'exists' : c.quantifier === 'notExists' ? '~exists' : 'forall';
  return `${q} (${formatProp(c.prop, names)})`;
}

/**
 * One test's block in herd's layout. `timeSeconds` is printed as herd does (two decimals);
 * `hash`, when given, is printed last as herd's `Hash=` line.
 */
export function formatHerdResult(r: TestResult, timeSeconds: number, flags: readonly string[] = [], hash?: string): string {
  const lines: string[] = [];
  // herd reads a test without a condition as `forall (true)`.
  const q = r.condition?.quantifier ?? 'forall';
  lines.push(`Test ${r.name} ${q === 'forall' ? 'Required' : q === 'notExists' ? 'Forbidden' : 'Allowed'}`);
  lines.push(`States ${r.states.length}`);
  for (const s of r.states) lines.push(r.observables.map((o, i) => `${o.ref?.kind === 'loc' && !o.ref.index && !('bare' in o && o.bare) ? `[${o.key}]` : o.key}=${s.text[i]};`).join(' ') + (s.faults ?? ''));
  // herd says `Loop Ok` / `Loop No` when the unrolling bound cut some executions.
  // A partial search that did not settle the verdict says Unknown, never Ok or No.
  lines.push(`${r.loopCut ? 'Loop ' : ''}${r.ok === undefined ? 'Unknown' : r.ok ? 'Ok' : 'No'}`);
  lines.push('Witnesses');
  lines.push(`Positive: ${r.positive} Negative: ${r.negative}`);
  for (const f of [...flags, ...r.flags]) lines.push(`Flag ${f}`);
  lines.push(`Condition ${r.condition ? formatCondition(r.condition, (id) => r.threadNames.get(id)) : 'forall (true)'}`);
  lines.push(`Observation ${r.name} ${r.observation} ${r.propTrue} ${r.propFalse}`);
  if (r.devices) lines.push(`Assumptions ${r.name} ${formatAssumptions(r.assumptions)}`);
  lines.push(`Model ${r.name} ${r.model}`);
  if (r.partial) lines.push(partialLine(r));
  lines.push(`Time ${r.name} ${timeSeconds.toFixed(2)}`);
  if (hash !== undefined) lines.push(`Hash=${hash}`);
  return lines.join('\n') + '\n';
}

/** What a partial result explored, and that its counts are lower bounds. */
export function partialLine(r: TestResult): string {
  const ruledOut = r.stats.pruned + r.stats.valueMismatches;
  const verdict = r.ok === undefined ? 'the verdict is unknown' : `the verdict (${r.ok ? 'Ok' : 'No'}) is settled by what was found`;
  return `Partial ${r.name} ${r.partial}: stopped after ${r.stats.executions} consistent and ${ruledOut} ruled-out candidate executions; States and counts are lower bounds; ${verdict}`;
}

/**
 * herd's `Flag` lines that apply: our model, like herd's, puts every observer in one Inner
 * Shareable domain, and says so when a test uses ISH or OSH barrier options.
 */
export function herdFlags(program: Program): string[] {
  for (const paths of program.threads)
    for (const p of paths)
      for (const e of p.events)
        if (e.kind === 'F' && (e.fence.domain === 'ISH' || e.fence.domain === 'OSH')) return ['Assuming-common-inner-shareable-domain'];
  return [];
}
