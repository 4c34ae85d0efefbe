/**
 * From a parsed model file to code over one execution: names resolved (each to a primitive or an
 * earlier definition), types checked (event set or relation), `if "variant"` decided by the
 * assumptions, and every term classified:
 * - static (no rf, co or fr in it): evaluated once per candidate execution, when it is prepared;
 * - dynamic and monotone (rf, co, fr under union, intersection, sequence, closures, and only on
 *   the left of a difference): a check on it stays violated as the search adds choices, so it
 *   prunes, checked after every choice;
 * - dynamic and not monotone: its checks wait for complete executions.
 * Static parts of dynamic terms are hoisted: a check computes only what depends on the choices.
 */
import { error, type Diagnostic, type Span } from '../../syntax/diagnostics.js';
import type { Execution } from '../../execution/execution.js';
import type { Dynamic } from '../model.js';
import { EventSet, Relation, ScratchRelation } from '../../execution/relation.js';
import type { BinaryOp, Binding, CheckKind, Expr, Statement } from './ast.js';
import { DYNAMIC_PRIMITIVES, STATIC_PRIMITIVES, type Type } from './primitives.js';
import { orientation } from './orientations.js';

export type Value = EventSet | Relation;

/** What code evaluates in: the execution, the choices so far (none while preparing), the slots. */
export interface Frame {
  readonly x: Execution;
  /** The choices of the current check round (undefined while preparing). */
  d: Dynamic | undefined;
  /** Counts the check rounds (a round's memos are valid in it only). */
  round: number;
  /** Static values, computed on first use in the prepared execution (undefined: not yet). */
  readonly statics: (Value | undefined)[];
  /** Dynamic definitions' values in the current check round (undefined: not computed yet). */
  readonly dynamics: (Value | undefined)[];
  /** Which static slots are empty (a term with an empty operand is known without the choices). */
  readonly emptySlots: (boolean | undefined)[];
  /** The empty relation and set of this execution (values are never changed in place). */
  readonly none: { readonly rel: Relation; readonly set: EventSet };
  /** A matrix the acyclicity checks build and close in place. */
  readonly scratch: ScratchRelation;
  /**
   * Storage of the dynamic terms, one relation per term, kept for the prepared execution and
   * overwritten each check round: a check round allocates nothing.
   */
  readonly buffers: (Value | undefined)[];
  /** Static relations as flat lists of pairs (a0, b0, a1, b1, ...), made on first use. */
  readonly lists: (Int32Array | undefined)[];
  /** The alternative of each `with` statement this frame evaluates (orientations.ts). */
  readonly choice: number[];
}

/** Term i's storage in this frame (a relation). */
function buffer(f: Frame, i: number): Relation {
  return storage(f, i, 'rel') as Relation;
}

/** Term i's storage in this frame, of the term's type. */
function storage(f: Frame, i: number, type: Type): Value {
  return f.buffers[i] ?? (f.buffers[i] = type === 'rel' ? Relation.empty(f.x.n) : EventSet.empty(f.x.n));
}

export interface Code {
  readonly type: Type;
  readonly dynamic: boolean;
  readonly monotone: boolean;
  readonly run: (f: Frame) => Value;
  /** The static slot holding this term's value, if it has one. */
  readonly slot: number | undefined;
  /** For a union: its operands (an acyclicity check ORs them into one matrix, with no copies). */
  readonly parts: readonly Code[] | undefined;
  /** OR this relation into a scratch matrix without building it (unions, `dynamic & static`). */
  readonly orInto: ((f: Frame, s: ScratchRelation) => void) | undefined;
  /** For `[S]`: the code of S (a sequence with it restricts instead of composing). */
  readonly identityOf: Code | undefined;
  /** For `r+` of a dynamic r: the code of r (a check asking for a few rows of r+ searches r). */
  readonly closureOf: Code | undefined;
}

type CodeInit = Pick<Code, 'type' | 'dynamic' | 'monotone' | 'run'> & Partial<Code>;

/**
 * A term's code. Every Code has the same fields in the same order, so the calls a check round
 * makes through them (`run`, `orInto`) see one object shape and stay fast.
 */
function code(c: CodeInit): Code {
  return { type: c.type, dynamic: c.dynamic, monotone: c.monotone, run: c.run, slot: c.slot, parts: c.parts, orInto: c.orInto, identityOf: c.identityOf, closureOf: c.closureOf };
}

export interface CompiledCheck {
  readonly name: string;
  readonly test: CheckKind;
  readonly negated: boolean;
  readonly flag: boolean;
  /** Checked after every choice of the search (monotone, not a flag). */
  readonly prunes: boolean;
  readonly code: Code;
  /** Whether the check's test holds, faster than testing the value of `code` (irreflexive a; b). */
  readonly holds?: (f: Frame) => boolean;
  readonly span: Span;
  /** The included file the check is written in (undefined: the model's own file). */
  readonly file: string | undefined;
}


export interface CompiledModel {
  /** Static slots, in order (definitions and hoisted terms): evaluated by `prepare`. */
  readonly statics: readonly Code[];
  /** How many dynamic definitions there are (each memoised per check round). */
  readonly dynamicCount: number;
  /** How many dynamic terms have their own storage (Frame.buffers). */
  readonly bufferCount: number;
  /** How many static relations are kept as pair lists (Frame.lists). */
  readonly listCount: number;
  readonly checks: readonly CompiledCheck[];
  /** Every definition by name, as it stands at the end of the file (for graphs and explanations). */
  readonly definitions: ReadonlyMap<string, Code>;
  /** The primitives the model names (a test's devices need a model that speaks of them). */
  readonly uses: ReadonlySet<string>;
  /** The `with ... from orientations(P, L)` statements: their pairs and orders (static relations). */
  readonly choosers: readonly Chooser[];
}

export interface Chooser {
  readonly pairs: Code;
  readonly order: Code;
}

/** Decides `if "variant"`: true or false, or undefined for a name no assumption has. */
export type Variants = (name: string) => boolean | undefined;

class CompileError extends Error {}

const isRel = (v: Value): v is Relation => v instanceof Relation;

export class Compiler {
  private readonly env = new Map<string, Code>();
  private readonly statics: Code[] = [];
  private dynamicCount = 0;
  private bufferCount = 0;
  private listCount = 0;
  private readonly checks: CompiledCheck[] = [];
  /** Where each name is first defined in the file (to say "defined later" for early uses). */
  private readonly definedAt = new Map<string, Span>();
  /** The slot of each static primitive named so far. */
  private readonly primitives = new Map<string, Code>();
  private readonly uses = new Set<string>();
  private readonly choosers: Chooser[] = [];
  /** Compiling the bodies of a `let rec`: nothing is hoisted, since the bodies are iterated. */
  private inRec = false;

  constructor(
    private readonly variants: Variants,
    private readonly diagnostics: Diagnostic[],
    /** The statements of an included file (parsed, errors reported), or undefined when it cannot be had. */
    private readonly include: (file: string, span: Span, stack: readonly string[]) => readonly Statement[] | undefined,
  ) {}

  /** The files being included, outermost first (to refuse a file that includes itself). */
  private readonly including: string[] = [];

  /** Compile statements (of a file, or of an included file, in order). */
  statements(stmts: readonly Statement[]): void {
    for (const s of stmts) if (s.kind === 'let') for (const b of s.bindings) if (!this.definedAt.has(b.name)) this.definedAt.set(b.name, b.span);
    for (const s of stmts) if (s.kind === 'with' && !this.definedAt.has(s.name)) this.definedAt.set(s.name, s.nameSpan);
    for (const s of stmts) {
      try {
        if (s.kind === 'let') this.letStatement(s.rec, s.bindings);
        else if (s.kind === 'with') this.withStatement(s);
        else if (s.kind === 'check') this.check(s);
        else {
          const included = this.include(s.file, s.span, this.including);
          if (included) {
            this.including.push(s.file);
            try {
              this.statements(included);
            } finally {
              this.including.pop();
            }
          }
        }
      } catch (e) {
        if (!(e instanceof CompileError)) throw e;
      }
    }
  }

  result(): CompiledModel {
    return { statics: this.statics, dynamicCount: this.dynamicCount, bufferCount: this.bufferCount, listCount: this.listCount, checks: this.checks, definitions: new Map(this.env), uses: this.uses, choosers: this.choosers };
  }

  /** `with NAME from orientations(P, L)`: NAME is the frame's chosen orientation (orientations.ts). */
  private withStatement(s: Extract<Statement, { kind: 'with' }>): void {
    const pairs = this.slot(this.expr(s.pairs));
    const order = this.slot(this.expr(s.order));
    if (pairs.type !== 'rel' || order.type !== 'rel') this.fail('orientations(P, L) takes two relations', s.span);
    if (pairs.dynamic || order.dynamic) this.fail('orientations(P, L) takes relations that do not depend on rf, co or fr', s.span);
    const index = this.choosers.push({ pairs, order }) - 1;
    const run = (f: Frame): Value => orientation(pairs.run(f) as Relation, order.run(f) as Relation, f.choice[index] ?? 0);
    this.env.set(s.name, this.slot(code({ type: 'rel', dynamic: false, monotone: true, run })));
  }

  private fail(message: string, span: Span): never {
    this.diagnostics.push(error('semantic', message, span));
    throw new CompileError(message);
  }

  private letStatement(rec: boolean, bindings: readonly Binding[]): void {
    if (rec) return this.recursive(bindings);
    // `let a = ... and b = ...`: every body sees the definitions before this statement only.
    const codes = bindings.map((b) => this.slot(this.expr(b.body)));
    bindings.forEach((b, i) => this.env.set(b.name, codes[i]!));
  }

  /** A term's value computed once: in a static slot, or memoised per check round. */
  private slot(c: Code): Code {
    if (c.slot !== undefined) return c;
    if (!c.dynamic) {
      const i = this.statics.push(c) - 1;
      // Computed on first use: a term no check reaches in an execution costs nothing there.
      return code({ ...c, slot: i, run: (f) => f.statics[i] ?? (f.statics[i] = c.run(f)) });
    }
    const i = this.dynamicCount++;
    return code({ ...c, run: (f) => f.dynamics[i] ?? (f.dynamics[i] = c.run(f)) });
  }

  /**
   * `let rec`: the least fixpoint, by iteration from empty relations. Each body must be monotone
   * in the names being defined, or the iteration need not converge to a least solution.
   */
  private recursive(bindings: readonly Binding[]): void {
    const current: Relation[] = [];
    const names = bindings.map((b) => b.name);
    bindings.forEach((b, i) => this.env.set(b.name, code({ type: 'rel', dynamic: false, monotone: true, run: () => current[i]! })));
    this.inRec = true;
    let bodies: Code[];
    try {
      bodies = bindings.map((b) => this.expr(b.body));
    } finally {
      this.inRec = false;
    }
    bodies.forEach((c, i) => {
      if (c.type !== 'rel') this.fail(`'${bindings[i]!.name}': a recursive definition must be a relation`, bindings[i]!.span);
      if (mentionsNonMonotonically(bindings[i]!.body, new Set(names))) this.fail(`'${bindings[i]!.name}': a recursive definition may use ${names.join(', ')} only where adding pairs cannot remove any (not right of '\\')`, bindings[i]!.span);
    });
    const dynamic = bodies.some((c) => c.dynamic);
    const monotone = bodies.every((c) => c.monotone);
    const fixpoint = (f: Frame): Relation[] => {
      bodies.forEach((_, i) => (current[i] = Relation.empty(f.x.n)));
      for (let changed = true; changed; ) {
        changed = false;
        bodies.forEach((c, i) => {
          const next = c.run(f) as Relation;
          if (!sameRelation(next, current[i]!)) {
            current[i] = next;
            changed = true;
          }
        });
      }
      return current.slice();
    };
    // One fixpoint for the group, per prepared execution (static) or per check round (dynamic):
    // the prepared execution's array of static values identifies it.
    const solved = new WeakMap<object, { round: number; v: Relation[] }>();
    const values = (f: Frame): Relation[] => {
      const round = dynamic ? f.round : -1;
      let s = solved.get(f.statics);
      if (!s || s.round !== round) solved.set(f.statics, (s = { round, v: fixpoint(f) }));
      return s.v;
    };
    bindings.forEach((b, i) => this.env.set(b.name, this.slot(code({ type: 'rel', dynamic, monotone, run: (f) => values(f)[i]! }))));
  }

  private check(s: Extract<Statement, { kind: 'check' }>): void {
    const e = s.expr;
    // irreflexive(a; b) is tested without the product, empty(a & b) without the intersection;
    // a and b are compiled once, for the test and for the check's value alike.
    const split = e.kind === 'binary' && ((s.test === 'irreflexive' && e.op === 'seq') || (s.test === 'empty' && e.op === 'inter')) ? e : undefined;
    let sides: readonly [Code, Code] | undefined;
    let code: Code;
    if (split?.op === 'seq') {
      // irreflexive(a; b; ...): the static prefix (composed once) against the rest.
      const chain = this.seqCodes(split);
      if (chain.length > 1) sides = [this.operand(chain[0]!), this.operand(this.foldSeq(chain.slice(1)))];
      code = sides ? this.seqPair(sides[0], sides[1]) : chain[0]!;
    } else if (split) {
      // empty(a & b & ...): the operands in order, a closure kept for last (searched by rows).
      const operands = chainOperands(split, 'inter').map((x) => ({ x, c: this.expr(x) }));
      const k = operands.findIndex((o) => o.c.closureOf !== undefined);
      const last = k >= 0 ? operands.splice(k, 1)[0]! : operands.pop()!;
      const type = last.c.type;
      for (const o of operands) if (o.c.type !== type) this.fail(`'&' needs two sets or two relations: here a ${o.c.type === 'set' ? 'set' : 'relation'} meets a ${type === 'set' ? 'set' : 'relation'}`, o.x.span);
      const left = operands.slice(1).reduce((acc, o) => this.combined('inter', acc, o.c), operands[0]!.c);
      sides = [this.operand(left), this.operand(last.c)];
      code = this.combined('inter', sides[0], sides[1]);
    } else code = this.expr(e);
    if (code.type !== 'rel') this.fail(`'${s.test}' checks a relation, and this is a set (use [S] for the identity on it)`, e.span);
    const prunes = !s.flag && !s.negated && code.monotone;
    const holds = sides ? (split!.op === 'seq' ? this.irreflexiveSeq(sides[0], sides[1]) : this.disjoint(sides[0], sides[1])) : s.test === 'acyclic' ? acyclicIn(code) : undefined;
    this.checks.push({ name: s.name, test: s.test, negated: s.negated, flag: s.flag, prunes, code: code.dynamic ? code : this.slot(code), span: s.span, file: this.including[this.including.length - 1], ...(holds ? { holds } : {}) });
  }

  /**
   * empty(a & b) without building a & b; b only when a has a pair. When b is r+ (dynamic), only
   * the rows of r+ that a has pairs in are searched for, along r: no closure of the whole matrix.
   */
  private disjoint(left: Code, right: Code): (f: Frame) => boolean {
    const a = this.operand(left);
    const b = this.operand(right);
    const base = b.closureOf;
    return (f) => {
      if (isEmptySlot(a, f) || isEmptySlot(b, f)) return true;
      const l = a.run(f) as Relation;
      if (l.isEmpty()) return true;
      if (!base) return !l.meets(b.run(f) as Relation);
      const r = base.run(f) as Relation;
      for (let i = 0; i < l.n; i++) if (l.rowHasPairs(i) && r.reachesRow(i, l)) return false;
      return true;
    };
  }

  /** irreflexive(a; b) without computing a; b: no pair a(x, y) with b(y, x). */
  private irreflexiveSeq(left: Code, right: Code): (f: Frame) => boolean {
    const a = this.operand(left);
    const b = this.operand(right);
    if (!a.dynamic) {
      // A static left side: its pairs listed once per execution, then only they are looked at.
      const list = this.listCount++;
      return (f) => {
        if (isEmptySlot(a, f) || isEmptySlot(b, f)) return true;
        const pairs = f.lists[list] ?? (f.lists[list] = pairList(a.run(f) as Relation));
        const r = b.run(f) as Relation;
        for (let k = 0; k < pairs.length; k += 2) if (r.has(pairs[k + 1]!, pairs[k]!)) return false;
        return true;
      };
    }
    return (f) => {
      if (isEmptySlot(a, f) || isEmptySlot(b, f)) return true;
      const l = a.run(f) as Relation;
      const r = b.run(f) as Relation;
      // Walk the set bits of each row of l (most rows are empty or sparse).
      const { n, w, bits } = l;
      for (let x = 0; x < n; x++)
        for (let j = 0; j < w; j++)
          for (let word = bits[x * w + j]!; word !== 0; word &= word - 1) {
            const y = j * 32 + (31 - Math.clz32(word & -word));
            if (r.has(y, x)) return false;
          }
      return true;
    };
  }

  /**
   * Compile `e` for its errors only (the branch of an `if` these assumptions do not take: other
   * assumptions take it, and its errors must show whatever the run's settings), then drop the
   * slots it made.
   */
  private checkOnly(e: Expr): void {
    const statics = this.statics.length;
    const dynamics = this.dynamicCount;
    const primitives = new Map(this.primitives);
    this.expr(e);
    this.statics.length = statics;
    this.dynamicCount = dynamics;
    this.primitives.clear();
    for (const [k, c] of primitives) this.primitives.set(k, c);
  }

  /** A static operand of a dynamic term is hoisted into a slot (so its emptiness is known). */
  private operand(c: Code): Code {
    return c.dynamic || this.inRec ? c : this.slot(c);
  }

  expr(e: Expr): Code {
    switch (e.kind) {
      case 'name':
        return this.name(e.name, e.span);
      case 'empty':
        return code({ type: 'rel', dynamic: false, monotone: true, run: (f) => Relation.empty(f.x.n) });
      case 'if': {
        const v = this.variants(e.variant);
        if (v === undefined) this.fail(`unknown variant "${e.variant}": a variant is an assumption name (rc-order, relaxed-ordering, ...) or name=value (fabric=architecture)`, e.variantSpan);
        this.checkOnly(v ? e.else : e.then);
        return this.expr(v ? e.then : e.else);
      }
      case 'identity': {
        const s = this.expr(e.arg);
        if (s.type !== 'set') this.fail('[...] takes a set of events, and this is a relation', e.arg.span);
        return code({ ...this.lift('rel', [s], ([a]) => Relation.identity(a as EventSet)), identityOf: s });
      }
      case 'call': {
        const r = this.expr(e.arg);
        if (r.type !== 'rel') this.fail(`${e.fn}(...) takes a relation, and this is a set`, e.arg.span);
        return this.lift('set', [r], ([a]) => (e.fn === 'domain' ? (a as Relation).domain() : (a as Relation).range()));
      }
      case 'postfix':
        return this.postfix(e);
      case 'binary':
        return e.op === 'union' ? this.union(e) : e.op === 'seq' ? this.foldSeq(this.seqCodes(e)) : this.binary(e.op, e.left, e.right, e.span);
    }
  }

  /** A chain of `|`, flat: each operand compiled once, then folded; the operands are kept. */
  private union(e: Expr): Code {
    const codes = chainOperands(e, 'union').map((x) => this.expr(x));
    const type = codes[0]!.type;
    for (const c of codes) {
      if (c.type !== type) this.fail(`'|' needs two sets or two relations: the left is a ${type === 'set' ? 'set' : 'relation'}, the right a ${c.type === 'set' ? 'set' : 'relation'}`, e.span);
    }
    // The static operands first, folded into one static term: a check round ORs only the others.
    const fixed = codes.filter((c) => !c.dynamic);
    const varying = codes.filter((c) => c.dynamic);
    const staticPart = fixed.length > 0 ? this.operand(fixed.length === 1 ? fixed[0]! : staticUnion(type, fixed)) : undefined;
    const parts = staticPart ? [staticPart, ...varying] : varying;
    const folded = parts.slice(1).reduce((acc, c) => this.combined('union', acc, c), parts[0]!);
    if (type !== 'rel' || !folded.dynamic) return code({ ...folded, parts });
    return code({ ...folded, parts, orInto: (f, s) => orParts(parts, f, s) });
  }

  private name(name: string, span: Span): Code {
    const known = this.env.get(name);
    if (known) return known;
    const p = STATIC_PRIMITIVES.get(name);
    if (p || DYNAMIC_PRIMITIVES.has(name)) this.uses.add(name);
    if (p) {
      // One slot per primitive, however often the model names it.
      let c = this.primitives.get(name);
      if (!c) this.primitives.set(name, (c = this.slot(code({ type: p.type, dynamic: false, monotone: true, run: (f) => p.of(f.x) }))));
      return c;
    }
    const d = DYNAMIC_PRIMITIVES.get(name);
    if (d) {
      // rf, co, fr are views of the search's buffers; the others are computed once per check round.
      if (d.view) return code({ type: d.type, dynamic: true, monotone: true, run: (f) => d.of(f.d!, f.none.rel) });
      let c = this.primitives.get(name);
      if (!c) {
        const out = this.bufferCount++;
        this.primitives.set(name, (c = this.slot(code({ type: d.type, dynamic: true, monotone: true, run: (f) => d.of(f.d!, storage(f, out, d.type)) }))));
      }
      return c;
    }
    const later = this.definedAt.get(name);
    if (later) this.fail(`'${name}' is defined later (line ${later.line}): a definition can use only earlier ones (or define them together with let rec ... and ...)`, span);
    this.fail(`unknown name '${name}' (not defined, and no primitive set or relation: docs/models.md lists them)`, span);
  }

  private postfix(e: Extract<Expr, { kind: 'postfix' }>): Code {
    const r = this.expr(e.arg);
    const sym = { plus: '+', star: '*', opt: '?', inverse: '^-1' }[e.op];
    if (r.type !== 'rel') this.fail(`'${sym}' applies to a relation, and this is a set`, e.arg.span);
    const id = (n: number) => Relation.identity(EventSet.where(n, () => true));
    const op: (a: Relation) => Relation =
      e.op === 'plus' ? (a) => a.closure() : e.op === 'star' ? (a) => a.closure().union(id(a.n)) : e.op === 'opt' ? (a) => a.union(id(a.n)) : (a) => a.inverse();
    if (!r.dynamic || this.inRec) return this.lift('rel', [r], ([a]) => op(a as Relation));
    const arg = this.operand(r);
    const out = this.bufferCount++;
    // (a | b | ...)+ of a dynamic union: the parts ORed into the term's storage and closed in place.
    if (e.op === 'plus' && r.parts) {
      const parts = r.parts;
      const base = this.bufferCount++;
      const edges = code({ ...r, run: (f) => orPartsInto(parts, f, buffer(f, base)) });
      return code({
        type: 'rel', dynamic: true, monotone: r.monotone, closureOf: edges,
        run: (f) => {
          const into = buffer(f, out);
          orPartsInto(parts, f, into);
          closeInPlace(into);
          return into;
        },
      });
    }
    if (e.op === 'plus') {
      const closed = code({ type: 'rel', dynamic: true, monotone: r.monotone, run: (f) => (arg.run(f) as Relation).closure(buffer(f, out)) });
      return code({ ...closed, closureOf: arg });
    }
    const inPlace: (a: Relation, into: Relation) => Relation = e.op === 'inverse' ? (a, into) => a.inverse(into) : (a) => op(a);
    return code({ type: 'rel', dynamic: true, monotone: r.monotone, run: (f) => inPlace(arg.run(f) as Relation, buffer(f, out)) });
  }

  private binary(op: BinaryOp, left: Expr, right: Expr, span: Span): Code {
    return this.binaryOf(op, left, right, this.expr(left), this.expr(right), span);
  }

  /** `left op right`, its operands compiled to a and b. */
  private binaryOf(op: BinaryOp, left: Expr, right: Expr, a: Code, b: Code, span: Span): Code {
    const sym = { union: '|', inter: '&', diff: '\\', seq: ';', product: '*' }[op];
    if (op === 'product') {
      if (a.type !== 'set' || b.type !== 'set') this.fail(`'S * T' is the product of two sets; the ${a.type !== 'set' ? 'left' : 'right'} side is a relation`, a.type !== 'set' ? left.span : right.span);
      return this.lift('rel', [a, b], ([s, t]) => Relation.product(s as EventSet, t as EventSet));
    }
    if (op === 'seq' && (a.type !== 'rel' || b.type !== 'rel')) this.fail(`';' sequences relations; this is a set (use [S])`, a.type !== 'rel' ? left.span : right.span);
    if (a.type !== b.type) this.fail(`'${sym}' needs two sets or two relations: the left is a ${a.type === 'set' ? 'set' : 'relation'}, the right a ${b.type === 'set' ? 'set' : 'relation'}`, span);
    const result = op === 'seq' ? this.seqPair(a, b) : this.combined(op, a, b);
    // Removing something that grows with the choices can shrink the result: not monotone.
    return op === 'diff' && b.dynamic ? code({ ...result, monotone: false }) : result;
  }

  /**
   * The operands of a chain of `;` (however the parser grouped it: `;` is associative), with each
   * run of static operands composed into one term, so a check round composes only the rest.
   */
  private seqCodes(e: Expr): Code[] {
    const out: Code[] = [];
    for (const x of chainOperands(e, 'seq')) {
      const c = this.expr(x);
      if (c.type !== 'rel') this.fail(`';' sequences relations; this is a set (use [S])`, x.span);
      const last = out[out.length - 1];
      if (last && !last.dynamic && !c.dynamic) out[out.length - 1] = this.seqPair(last, c);
      else out.push(c);
    }
    return out;
  }

  /** a1; a2; ... from left to right. */
  private foldSeq(codes: readonly Code[]): Code {
    return codes.slice(1).reduce((acc, c) => this.seqPair(acc, c), codes[0]!);
  }

  /** a; b, where `[S]; r` and `r; [S]` keep the pairs of r that start (end) in S: no product of matrices. */
  private seqPair(a: Code, b: Code): Code {
    if ((a.identityOf && b.identityOf) || (!a.identityOf && !b.identityOf)) return this.combined('seq', a, b);
    const onLeft = a.identityOf !== undefined;
    const dynamic = a.dynamic || b.dynamic;
    // Static operands of a dynamic term are hoisted; a static term is computed at once.
    const hoist = (c: Code) => (dynamic ? this.operand(c) : c);
    const set = hoist(onLeft ? a.identityOf! : b.identityOf!);
    const r = hoist(onLeft ? b : a);
    const out = dynamic && !this.inRec ? this.bufferCount++ : -1;
    const run = (f: Frame): Value => {
      if (isEmptySlot(set, f) || isEmptySlot(r, f)) return f.none.rel;
      const rel = r.run(f) as Relation;
      const on = set.run(f) as EventSet;
      // A static term with an empty side is the empty relation, with nothing computed.
      if (!dynamic && (rel.isEmpty() || on.isEmpty())) return f.none.rel;
      const into = out >= 0 ? buffer(f, out) : undefined;
      return onLeft ? rel.domainIn(on, into) : rel.rangeIn(on, into);
    };
    return code({ type: 'rel', dynamic, monotone: set.monotone && r.monotone, run });
  }

  /** A binary term; a dynamic one skips work when a static operand (or its left value) is empty. */
  private combined(op: Exclude<BinaryOp, 'product'>, a: Code, b: Code): Code {
    const type = a.type;
    const dynamic = a.dynamic || b.dynamic;
    const monotone = a.monotone && b.monotone;
    if (!dynamic || this.inRec) {
      // An empty left side of `;` or `&` decides the term: the right side is not computed
      // (`rmw & (int; [W]; (loc \ id))` costs nothing in a test without atomics).
      const decides = op === 'seq' || op === 'inter';
      const run = (f: Frame): Value => {
        const first = a.run(f);
        if (decides && first.isEmpty()) return type === 'rel' ? f.none.rel : f.none.set;
        const second = b.run(f);
        // An empty right side decides `;` and `&` too (`lws; sca` in a test with no exclusives).
        return decides && second.isEmpty() ? (type === 'rel' ? f.none.rel : f.none.set) : combine(op, first, second);
      };
      return code({ type, dynamic, monotone, run });
    }
    const x = this.operand(a);
    const y = this.operand(b);
    const none = (f: Frame) => (type === 'rel' ? f.none.rel : f.none.set);
    // `rf & ext`: ORed into a matrix as rf masked by ext, no intersection built.
    const masked = op === 'inter' && type === 'rel' && x.dynamic !== y.dynamic ? (x.dynamic ? [x, y] : [y, x]) : undefined;
    const orInto = masked
      ? (f: Frame, s: ScratchRelation) => {
          if (!isEmptySlot(masked[1]!, f)) s.orMasked(masked[0]!.run(f) as Relation, masked[1]!.run(f) as Relation);
        }
      : undefined;
    const out = type === 'rel' ? this.bufferCount++ : -1;
    const both = (f: Frame, first: Value): Value => combine(op, first, y.run(f), out >= 0 ? buffer(f, out) : undefined);
    const run = (f: Frame): Value => {
      const ex = isEmptySlot(x, f);
      const ey = isEmptySlot(y, f);
      if (op === 'union') return ex ? y.run(f) : ey ? x.run(f) : both(f, x.run(f));
      if (op === 'diff') return ex ? none(f) : ey ? x.run(f) : both(f, x.run(f));
      if (ex || ey) return none(f);
      const first = x.run(f);
      return first.isEmpty() ? none(f) : both(f, first);
    };
    return code({ type, dynamic, monotone, run, orInto });
  }

  /** A node over its operands: static if they all are, else dynamic with static operands hoisted. */
  private lift(type: Type, args: readonly Code[], f: (vs: Value[]) => Value): Code {
    const dynamic = args.some((c) => c.dynamic);
    const monotone = args.every((c) => c.monotone);
    if (!dynamic || this.inRec) return code({ type, dynamic, monotone, run: (fr) => f(args.map((c) => c.run(fr))) });
    const ready = args.map((c) => this.operand(c));
    return code({ type, dynamic, monotone, run: (fr) => f(ready.map((c) => c.run(fr))) });
  }
}

/** The union of static terms, built in one new value (no intermediate unions). */
function staticUnion(type: Type, operands: readonly Code[]): Code {
  const run = (f: Frame): Value => {
    if (type === 'set') return operands.slice(1).reduce((acc: EventSet, c) => acc.union(c.run(f) as EventSet), operands[0]!.run(f) as EventSet);
    const out = Relation.empty(f.x.n);
    for (const c of operands) out.or(c.run(f) as Relation, out);
    return out;
  };
  return code({ type, dynamic: false, monotone: operands.every((c) => c.monotone), run });
}

/** The pairs of r, flat: a0, b0, a1, b1, ... */
function pairList(r: Relation): Int32Array {
  const out: number[] = [];
  const { n, w, bits } = r;
  for (let x = 0; x < n; x++)
    for (let j = 0; j < w; j++)
      for (let word = bits[x * w + j]!; word !== 0; word &= word - 1) out.push(x, j * 32 + (31 - Math.clz32(word & -word)));
  return Int32Array.from(out);
}

/** The operands of a chain of one associative operator, in order, however the parser grouped them. */
function chainOperands(e: Expr, op: 'union' | 'seq' | 'inter'): Expr[] {
  const operands: Expr[] = [];
  const stack = [e];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.kind === 'binary' && x.op === op) stack.push(x.right, x.left);
    else operands.push(x);
  }
  return operands;
}

/** Whether c is a static slot whose value is empty (computing the value if no one has yet). */
function isEmptySlot(c: Code, f: Frame): boolean {
  if (c.slot === undefined) return false;
  const known = f.emptySlots[c.slot];
  return known ?? (f.emptySlots[c.slot] = c.run(f).isEmpty());
}

/** OR the (non-empty) parts of a union into s, each without building it where it can. */
function orParts(parts: readonly Code[], f: Frame, s: ScratchRelation): void {
  for (const p of parts) {
    if (isEmptySlot(p, f)) continue;
    if (p.orInto) p.orInto(f, s);
    else {
      const v = p.run(f) as Relation;
      if (v !== f.none.rel) s.or(v);
    }
  }
}

/** The union of the parts, into `into` (cleared first). */
function orPartsInto(parts: readonly Code[], f: Frame, into: Relation): Relation {
  into.bits.fill(0);
  orParts(parts, f, new ScratchRelation(f.x.n, into.bits));
  return into;
}

/** r := r+, in its own storage. */
function closeInPlace(r: Relation): void {
  new ScratchRelation(r.n, r.bits).close();
}

/** acyclic(e) in the frame's scratch matrix: a union's operands ORed in, then closed in place. */
function acyclicIn(code: Code): (f: Frame) => boolean {
  const parts = code.parts ?? [code];
  return (f) => {
    const s = f.scratch.clear();
    orParts(parts, f, s);
    return !s.hasCycle();
  };
}

/** a op b; relations into `into` when given (storage the caller owns). */
function combine(op: Exclude<BinaryOp, 'product'>, a: Value, b: Value, into?: Relation): Value {
  if (isRel(a)) {
    const r = b as Relation;
    return op === 'union' ? a.or(r, into) : op === 'inter' ? a.intersect(r, into) : op === 'diff' ? a.minus(r, into) : a.seq(r, into);
  }
  const s = b as EventSet;
  return op === 'union' ? a.union(s) : op === 'inter' ? a.intersect(s) : a.minus(s);
}

function sameRelation(a: Relation, b: Relation): boolean {
  for (let i = 0; i < a.bits.length; i++) if (a.bits[i] !== b.bits[i]) return false;
  return true;
}

/** Whether `e` uses one of `names` on the right of a difference (where growth removes pairs). */
function mentionsNonMonotonically(e: Expr, names: ReadonlySet<string>, right = false): boolean {
  switch (e.kind) {
    case 'name':
      return right && names.has(e.name);
    case 'empty':
      return false;
    case 'binary':
      return mentionsNonMonotonically(e.left, names, right) || mentionsNonMonotonically(e.right, names, right || e.op === 'diff');
    case 'postfix':
    case 'identity':
    case 'call':
      return mentionsNonMonotonically(e.arg, names, right);
    case 'if':
      return mentionsNonMonotonically(e.then, names, right) || mentionsNonMonotonically(e.else, names, right);
  }
}
