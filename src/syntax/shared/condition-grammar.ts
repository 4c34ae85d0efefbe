/**
 * The grammar of a litmus test's final section, shared by the AArch64 and the kernel C front
 * ends: `locations [ref; ...]` (optional), then `exists P`, `~exists P` or `forall P`.
 *
 * Propositions, loosest first: `=>` (right associative, read as `~a \/ b`), `\/`, `/\`, then
 * `~` (or `not`); atoms `ref = value`, `ref != value` (or `<>`), `true`, `false`, `( P )`, what
 * devices observed (docs/language.md, "Devices"): `arrived(T:L)`, `before(T:L, T:L)`,
 * `gathered(T:L, T:L)`, and herd's `fault(T:L)`, `fault(T:L, x)` (the access at T:L faulted,
 * docs/language.md "TLB invalidation and faults"). `filter` clauses are diagnosed as unsupported.
 *
 * Chains of `\/` and of `/\` become balanced trees, and parentheses, `~` and `=>` nest at most
 * MAX_NESTING levels (limits.ts): neither the parser nor any walk of its result recurses deeper
 * than the limit allows, on any thread's stack.
 *
 * Only the references differ between the languages (an AArch64 `1:X0` names a register, a C
 * `1:r0` a local that lowering put in a register; C also writes threads as `0:`), so each front
 * end passes its own reference parsers as a `ConditionRefs`.
 * @internal
 */
import { isEntryName } from './vmsa-syntax.js';
import type { Condition, Instr, InstrRef, Prop, StateRef, Thread } from '../ast.js';
import { MAX_NESTING, nestingMessage } from '../limits.js';
import { balancedChain } from '../prop.js';
import { Abort, type Context } from './source.js';
import { Cursor, tokenize, type Token } from './tokens.js';
import { failCall, parseValue } from './values.js';

/** The atoms written as a call `name(...)`, each naming labelled accesses. */
export type AccessAtomName = 'arrived' | 'before' | 'gathered' | 'fault';

const ACCESS_ATOMS: ReadonlySet<string> = new Set<AccessAtomName>(['arrived', 'before', 'gathered', 'fault']);

/** How one front end reads the references inside a condition section. */
export interface ConditionRefs {
  /** The test's threads (for messages naming one by id). */
  readonly threads: readonly Thread[];
  /** A register or location: an entry of `locations [...]`, or the left side of `ref = value`. */
  readonly stateRef: (cur: Cursor, where: 'locations' | 'the condition') => StateRef;
  /**
   * `T:L`, the labelled access an access atom names (`atom`). A reference that could not be
   * resolved but was only reported (parsing goes on) has thread -1.
   */
  readonly instrRef: (cur: Cursor, atom: AccessAtomName) => InstrRef;
  /** The location `x` of `fault(T:L, x)`. */
  readonly faultLocation: (cur: Cursor) => string;
}

/** The parsed final section. */
export interface ConditionSection {
  readonly locations: readonly StateRef[];
  /** herd's fault atoms among `locations [...]` (shown, not tested). */
  readonly locationFaults: readonly Extract<Prop, { kind: 'fault' }>[];
  readonly condition: Condition | undefined;
  /** herd's `filter p`: only the executions whose final state satisfies p count at all. */
  readonly filter?: Prop;
}

/** Parse [start, end) of the source. On an error, what was parsed before it is returned. */
export function parseConditionSectionWith(ctx: Context, start: number, end: number, refs: ConditionRefs): ConditionSection {
  const tokens = tokenize(ctx.src.text, start, end);
  const cur = new Cursor(ctx, tokens, tokens.length > 0 ? tokens[tokens.length - 1]!.end : end);
  const locations: StateRef[] = [];
  const locationFaults: Extract<Prop, { kind: 'fault' }>[] = [];
  let condition: Condition | undefined;
  let filter: Prop | undefined;
  try {
    if (cur.isWord('locations')) {
      cur.next('locations');
      cur.expectPunct('[');
      while (!cur.eatPunct(']')) {
        const atom = cur.peek();
        // herd's `locations [fault(P0:L0,x);]`: the faults it matches are shown in each state.
        if ((atom?.text === 'fault' || atom?.text === 'Fault') && cur.isPunct('(', 1)) {
          locationFaults.push(parseAccessAtom(cur, refs) as Extract<Prop, { kind: 'fault' }>);
          if (!cur.isPunct(']')) cur.expectPunct(';');
          continue;
        }
        locations.push(refs.stateRef(cur, 'locations'));
        // herd lets an entry name the type it prints as (`0:X2 ins_t`): not modelled.
        const typed = cur.peek();
        if (typed?.kind === 'ident') cur.failCode('unsupported', typed, `unsupported: a type ('${typed.text}') on a 'locations' entry`);
        if (!cur.isPunct(']')) cur.expectPunct(';');
      }
      cur.eatPunct(';'); // herd tolerates `locations [...];`
    }
    const t = cur.peek();
    if (t !== undefined && cur.isWord('filter')) {
      cur.next('filter');
      filter = parseProp(cur, refs, 0);
      if (filter.kind === 'arrived' || filter.kind === 'before' || filter.kind === 'gathered' || filter.kind === 'fault') cur.failCode('unsupported', t, "unsupported: a 'filter' on device observations or faults (it tests final values)");
    }
    if (cur.peek() !== undefined) condition = parseCondition(cur, refs);
    cur.eatPunct(';'); // herd tolerates a ';' after the condition
    const extra = cur.peek();
    if (extra !== undefined) cur.failAt(extra, `unexpected ${cur.describe(extra)} after the condition`);
  } catch (e) {
    if (e !== Abort.instance) throw e;
  }
  return { locations, locationFaults, condition, ...(filter !== undefined ? { filter } : {}) };
}

/**
 * The instruction after label `label` in `thread`: `found` is false when the thread defines no
 * such label, `next` undefined when the label is followed by no instruction.
 */
export function instrAfterLabel(thread: Thread, label: string): { readonly found: boolean; readonly next: Instr | undefined } {
  const at = thread.code.findIndex((ins) => ins.kind === 'label' && ins.name === label);
  if (at < 0) return { found: false, next: undefined };
  return { found: true, next: thread.code.slice(at + 1).find((ins) => ins.kind !== 'label') };
}

/**
 * `[k]` after a label in an access reference (`P0:L1[3]`): the k-th memory access (from 0) from
 * the label on, before the next label: one store of a lowered accessor such as
 * `__iowrite64_copy`. Returns the reference's label text (`L1[3]`), checked against the code.
 */
export function indexedLabel(cur: Cursor, thread: Thread, label: Token): { text: string; end: number } {
  if (!cur.isPunct('[')) return { text: label.text, end: label.end };
  cur.next('[');
  const n = cur.next('an access index');
  if (n.kind !== 'number' || !/^\d+$/.test(n.text)) cur.failAt(n, `expected an access index (0, 1, ...), found '${n.text}'`);
  const close = cur.expectPunct(']');
  const k = Number(n.text);
  const count = accessesAfterLabel(thread, label.text);
  if (k >= count) cur.failCode('semantic', n, `${thread.name}:${label.text}[${k}]: the code from label '${label.text}' to the next label has ${count} memory access${count === 1 ? '' : 'es'}`);
  return { text: `${label.text}[${k}]`, end: close.end };
}

const ACCESS_KINDS: ReadonlySet<string> = new Set(['load', 'store', 'loadPair', 'storePair', 'swp', 'ldop', 'cas', 'casp']);

/** The memory access instructions from a label to the next label. */
function accessesAfterLabel(thread: Thread, label: string): number {
  const at = thread.code.findIndex((ins) => ins.kind === 'label' && ins.name === label);
  if (at < 0) return 0;
  let count = 0;
  for (const ins of thread.code.slice(at + 1)) {
    if (ins.kind === 'label') break;
    if (ACCESS_KINDS.has(ins.kind)) count++;
  }
  return count;
}

function parseCondition(cur: Cursor, refs: ConditionRefs): Condition {
  const first = cur.next('exists, ~exists or forall');
  let quantifier: Condition['quantifier'];
  if (first.kind === 'punct' && first.text === '~') {
    const t = cur.next("'exists'");
    if (t.text !== 'exists') cur.failAt(t, `expected 'exists' after '~', found '${t.text}'`);
    quantifier = 'notExists';
  } else if (first.text === 'exists') quantifier = 'exists';
  else if (first.text === 'forall') quantifier = 'forall';
  else cur.failAt(first, `expected exists, ~exists or forall, found '${first.text}'`);
  const prop = parseProp(cur, refs, 0);
  return { quantifier, prop, span: cur.ctx.src.span(first.start, cur.lastEnd(first.end)) };
}

/**
 * The proposition inside `level` parentheses, `~` and `=>`: its operands and connectives are
 * read in one loop, then grouped by precedence, so a parenthesis costs the stack two frames
 * (this and parseOperand), whatever the precedence levels in between. Chains of `/\` and of `\/`
 * become balanced trees (prop.ts). `a => b => c` is `a => (b => c)`: an implication is not
 * associative, so its chain stays nested (and prints nested), the side after the k-th `=>` k
 * levels deeper.
 */
function parseProp(cur: Cursor, refs: ConditionRefs, level: number): Prop {
  // The sides of the `=>`s, each a list of `\/` operands, each a list of `/\` operands.
  const sides: Prop[][][] = [[[]]];
  while (true) {
    const ors = sides[sides.length - 1]!;
    ors[ors.length - 1]!.push(parseOperand(cur, refs, level + sides.length - 1));
    if (cur.eatPunct('/\\')) continue;
    if (cur.eatPunct('\\/')) ors.push([]);
    else if (cur.isPunct('=>')) {
      deeper(cur, cur.next('=>'), level + sides.length);
      sides.push([[]]);
    } else break;
  }
  const grouped = sides.map((ors) => balancedChain('or', ors.map((ands) => balancedChain('and', ands))));
  return grouped.reduceRight((rhs: Prop, lhs: Prop): Prop => ({ kind: 'implies', args: [lhs, rhs] }));
}

/** An atom or a parenthesised proposition, after any number of `~`, each one level deeper. */
function parseOperand(cur: Cursor, refs: ConditionRefs, level: number): Prop {
  let nots = 0;
  for (let t = cur.peek(); t !== undefined && isNegation(cur); t = cur.peek()) {
    cur.next(t.text);
    nots++;
    deeper(cur, t, level + nots);
  }
  let p: Prop;
  const open = cur.peek();
  if (open?.kind === 'punct' && open.text === '(') {
    cur.next('(');
    p = parseProp(cur, refs, deeper(cur, open, level + nots + 1));
    cur.expectPunct(')');
  } else p = parseAtom(cur, refs);
  for (; nots > 0; nots--) p = { kind: 'not', arg: p };
  return p;
}

/** Is the next token a negation? `not` is herd's spelling of `~`, unless it names a location (`not=1`). */
function isNegation(cur: Cursor): boolean {
  return cur.isPunct('~') || (cur.isWord('not') && !cur.isPunct('=', 1) && !cur.isPunct('!=', 1));
}

/** `level`, after checking that the token `at` that opens it is within MAX_NESTING. */
function deeper(cur: Cursor, at: Token, level: number): number {
  if (level > MAX_NESTING) cur.failAt(at, nestingMessage('condition'));
  return level;
}

/** `true`, `false`, an access atom or a comparison `ref = value`. */
function parseAtom(cur: Cursor, refs: ConditionRefs): Prop {
  const t = cur.peek();
  if (t === undefined) return cur.failAt(undefined, `expected a condition, found ${cur.endName}`);
  if (t.kind === 'ident') {
    // `true`/`false` are keywords unless used as a location (`true=1`).
    if ((t.text === 'true' || t.text === 'false') && !cur.isPunct('=', 1) && !cur.isPunct('!=', 1)) {
      cur.next(t.text);
      return { kind: t.text };
    }
    if (cur.isPunct('(', 1)) {
      if (ACCESS_ATOMS.has(t.text) || t.text === 'Fault') return parseAccessAtom(cur, refs);
      // herd's `PTE(x)=(...)`: an entry compared, like `[PTE(x)]`.
      if (!isEntryName(t.text)) failCall(cur, t);
    }
  }
  const lhs = refs.stateRef(cur, 'the condition');
  const op = cur.peek();
  let kind: 'eq' | 'ne';
  if (cur.eatPunct('=')) kind = 'eq';
  else if (cur.eatPunct('!=') || cur.eatPunct('<>')) kind = 'ne';
  else cur.failAt(op, `expected '=' or '!=', found ${cur.describe(op)}`);
  const rhs = parseValue(cur, true);
  return { kind, lhs, rhs, span: cur.ctx.src.span(t.start, cur.lastEnd(t.end)) };
}

/** `arrived(T:L)`, `before(T:L, T:L)`, `gathered(T:L, T:L)`, `fault(T:L)`, `fault(T:L, x)`. */
function parseAccessAtom(cur: Cursor, refs: ConditionRefs): Prop {
  const name = cur.next('a condition');
  // herd prints faults as `Fault(...)` and reads either spelling.
  const atom = (name.text === 'Fault' ? 'fault' : name.text) as AccessAtomName;
  cur.expectPunct('(');
  const first = refs.instrRef(cur, atom);
  const spanNow = () => cur.ctx.src.span(name.start, cur.lastEnd(name.end));
  if (atom === 'arrived') {
    cur.expectPunct(')');
    return { kind: 'arrived', write: first, span: spanNow() };
  }
  if (atom === 'fault') {
    // fault(P1,MMU:Translation), fault(P1,UndefinedInstruction): a type without a location.
    const typeOnly = cur.isPunct(',') && (((cur.peek(1)?.text === 'MMU' || cur.peek(1)?.text === 'S2') && cur.isPunct(':', 2)) || cur.peek(1)?.text === UNDEFINED_INSTRUCTION);
    const loc = !typeOnly && cur.eatPunct(',') ? refs.faultLocation(cur) : undefined;
    const faultType = (typeOnly || loc !== undefined) && cur.eatPunct(',') ? parseFaultType(cur) : undefined;
    cur.expectPunct(')');
    return { kind: 'fault', access: first, loc, ...(faultType === undefined ? {} : { faultType }), span: spanNow() };
  }
  cur.expectPunct(',');
  const second = refs.instrRef(cur, atom);
  cur.expectPunct(')');
  // An order or a gathering relates two accesses; thread -1 was already reported.
  if (first.thread >= 0 && first.thread === second.thread && first.label === second.label) {
    cur.ctx.add({ code: 'semantic', severity: 'error', message: `'${atom}' needs two different accesses, but both are ${refs.threads[first.thread]!.name}:${first.label}`, span: second.span });
  }
  return { kind: atom, first, second, span: spanNow() };
}

/** herd's fault types in VMSA: `MMU:Translation`, `MMU:AccessFlag`, `MMU:Permission`, `UndefinedInstruction` (UDF); a guest's stage-2 faults `S2:Translation`, ... (iolitmus). */
const FAULT_TYPES: ReadonlySet<string> = new Set(['MMU:Translation', 'MMU:AccessFlag', 'MMU:Permission', 'S2:Translation', 'S2:AccessFlag', 'S2:Permission']);
const UNDEFINED_INSTRUCTION = 'UndefinedInstruction';

/** The third argument of `fault(P1:L0, x, MMU:Translation)`. */
function parseFaultType(cur: Cursor): string {
  if (cur.peek()?.text === UNDEFINED_INSTRUCTION) return cur.next('a fault type').text;
  const kind = cur.next('a fault type');
  cur.expectPunct(':');
  const sub = cur.next('a fault type');
  const text = `${kind.text}:${sub.text}`;
  if (!FAULT_TYPES.has(text)) cur.failCode('unsupported', kind, `unsupported fault type '${text}' (${[...FAULT_TYPES].join(', ')})`);
  return text;
}
