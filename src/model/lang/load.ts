/**
 * A model file as a model module: parsed once, compiled once per set of assumptions (they decide
 * its `if "variant"` terms), prepared once per candidate execution (static terms), then checked
 * after every choice of the search (the pruning checks) and on complete executions (all checks).
 */
import { error, type Diagnostic, type Span } from '../../syntax/diagnostics.js';
import { ASSUMPTION_NAMES, assumptionSettings, formatAssumptions, type Assumptions } from '../assumptions.js';
import type { Execution } from '../../execution/execution.js';
import type { Dynamic, ModelModule, PreparedModule } from '../model.js';
import { EventSet, Relation, ScratchRelation } from '../../execution/relation.js';
import type { ModelFile, Statement } from './ast.js';
import { Compiler, type CompiledCheck, type CompiledModel, type Frame, type Value } from './compile.js';
import { parseModel } from './parse.js';
import { orientationCount } from './orientations.js';

/** Where included files come from: their text, or undefined when there is none by that name. */
export type IncludeReader = (file: string) => string | undefined;

export interface LoadedModel {
  readonly module: ModelModule | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

/** A diagnostic of an included file, located in it. */
export interface IncludedDiagnostic extends Diagnostic {
  readonly file?: string;
}

const MAX_INCLUDE_DEPTH = 16;

/** `if "name"` on the assumptions: boolean ones by name, the others as name=value. */
export function variantsOf(a: Assumptions): (name: string) => boolean | undefined {
  const settings = assumptionSettings(a);
  return (name) => {
    const [key, value] = name.includes('=') ? name.split('=', 2) as [string, string] : [name, undefined];
    const known = Object.values(ASSUMPTION_NAMES).find((n) => n.name === key);
    if (!known) return undefined;
    const current = settings[key];
    if (value === undefined) return known.values.includes('on') ? current === 'on' : undefined;
    return known.values.includes(value) ? current === value : undefined;
  };
}

/**
 * Load a model from its text. Errors (syntax, names, types, includes) are located; a model with
 * errors gives no module. Compiling under the default assumptions reports the errors of the
 * branches they choose; `prepare` compiles again for other assumptions, once per set.
 */
export function loadModel(name: string, text: string, readInclude: IncludeReader, defaults: Assumptions): LoadedModel {
  const diagnostics: IncludedDiagnostic[] = [];
  const parsed = parseModel(text);
  diagnostics.push(...parsed.diagnostics);
  if (diagnostics.length > 0) return { module: undefined, diagnostics };
  const compile = (a: Assumptions, sink: IncludedDiagnostic[]): CompiledModel => {
    const c = new Compiler(variantsOf(a), sink, includer(readInclude, sink));
    c.statements(parsed.file.statements);
    return c.result();
  };
  const first = compile(defaults, diagnostics);
  if (diagnostics.length > 0) return { module: undefined, diagnostics };
  return { module: moduleOf(name, parsed.file, first, defaults, compile, text, readInclude), diagnostics };
}

/** Included files, parsed; errors in them are reported with their file name. */
function includer(read: IncludeReader, sink: IncludedDiagnostic[]) {
  return (file: string, span: Span, stack: readonly string[]): readonly Statement[] | undefined => {
    if (stack.includes(file)) return void sink.push(error('semantic', `include "${file}" includes itself (${[...stack, file].join(' -> ')})`, span));
    if (stack.length >= MAX_INCLUDE_DEPTH) return void sink.push(error('semantic', `includes nested deeper than ${MAX_INCLUDE_DEPTH}`, span));
    const text = read(file);
    if (text === undefined) return void sink.push(error('semantic', `cannot include "${file}": no such model file`, span));
    const parsed = parseModel(text);
    for (const d of parsed.diagnostics) sink.push({ ...d, file });
    return parsed.diagnostics.length > 0 ? undefined : parsed.file.statements;
  };
}

function moduleOf(name: string, file: ModelFile, first: CompiledModel, defaults: Assumptions, compile: (a: Assumptions, sink: Diagnostic[]) => CompiledModel, text: string, readInclude: IncludeReader): ModelModule {
  const byAssumptions = new Map<string, CompiledModel>([[formatAssumptions(defaults), first]]);
  const compiledFor = (a: Assumptions): CompiledModel => {
    const key = formatAssumptions(a);
    let c = byAssumptions.get(key);
    if (!c) {
      const sink: Diagnostic[] = [];
      c = compile(a, sink);
      // Another branch of an `if` may hold an error the defaults did not reach.
      if (sink.length > 0) throw new RangeError(`model ${name} under ${key}: ${sink[0]!.span.line}:${sink[0]!.span.col}: ${sink[0]!.message}`);
      byAssumptions.set(key, c);
    }
    return c;
  };
  const seen = new Set<string>();
  // Each check's rule is its statement as written, and where: what an explanation can cite.
  const statement = (c: CompiledCheck) => {
    const source = c.file === undefined ? text : (readInclude(c.file) ?? '');
    const lines = source.split('\n').slice(c.span.line - 1, c.span.endLine);
    const written = lines.join(' ').replace(/\s+/g, ' ').trim();
    return `${written} (${c.file ?? name}, line ${c.span.line})`;
  };
  const axioms = first.checks.filter((c) => !c.flag && !seen.has(c.name) && seen.add(c.name)).map((c) => ({ name: c.name, rule: statement(c) }));
  return { name: file.title ?? name, axioms, uses: first.uses, prepare: (x, a, alternative) => prepared(compiledFor(a), x, alternative ?? 0) };
}

function prepared(model: CompiledModel, x: Execution, alternative: number): PreparedModule {
  const statics = new Array<Value | undefined>(model.statics.length);
  const emptySlots = new Array<boolean | undefined>(model.statics.length);
  const none = { rel: Relation.empty(x.n), set: EventSet.empty(x.n) };
  const scratch = new ScratchRelation(x.n);
  const buffers: (Value | undefined)[] = new Array<Value | undefined>(model.bufferCount);
  const lists = new Array<Int32Array | undefined>(model.listCount);
  const frame: Frame = { x, d: undefined, round: 0, statics, dynamics: new Array<Value | undefined>(model.dynamicCount), emptySlots, none, scratch, buffers, lists, choice: [] };
  // The `with` statements' alternatives: their counts, and this alternative's digit for each.
  let alternatives = 1;
  for (const c of model.choosers) {
    const count = orientationCount(c.pairs.run(frame) as Relation, c.order.run(frame) as Relation);
    frame.choice.push(Math.floor(alternative / alternatives) % count);
    alternatives *= count;
  }
  const pruning = model.checks.filter((c) => c.prunes);
  const flagChecks = model.checks.filter((c) => c.flag);
  const all = model.checks.filter((c) => !c.flag);
  /** A check round: the choices so far, and fresh memos for the dynamic definitions (one frame, reused). */
  const round = (d: Dynamic): Frame => {
    frame.d = d;
    frame.round++;
    frame.dynamics.fill(undefined);
    return frame;
  };
  const first = (checks: readonly CompiledCheck[], d: Dynamic): string | undefined => {
    const f = round(d);
    for (const c of checks) if (!passes(c, f)) return c.name;
    return undefined;
  };
  return {
    alternatives,
    check: (d) => first(pruning, d),
    checkComplete: (d) => first(all, d),
    // A flag is raised where its test holds (`flag ~empty e`: where e has a pair). A model with
    // no flag checks has no `flags`: the search then asks nothing per execution.
    flags: flagChecks.length === 0 ? undefined : (d: Dynamic) => {
      const f = round(d);
      return flagChecks.filter((c) => passes(c, f)).map((c) => c.name);
    },
    violated(d: Dynamic, name: string) {
      const f = round(d);
      const c = model.checks.find((k) => k.name === name && !k.flag && !passes(k, f));
      return c === undefined ? undefined : (c.code.run(f) as Relation).or(f.none.rel);
    },
    relations(d: Dynamic) {
      const f = round(d);
      const out: Record<string, Relation> = {};
      // Copies: a dynamic term's value lives in storage the next check round overwrites.
      for (const [k, c] of model.definitions) if (c.type === 'rel') out[k] = (c.run(f) as Relation).or(f.none.rel);
      return out;
    },
  };
}

/** Whether check c's test (negated if it says so) holds in the frame. */
function passes(c: CompiledCheck, f: Frame): boolean {
  let ok: boolean;
  if (c.holds) ok = c.holds(f);
  else {
    const r = c.code.run(f) as Relation;
    ok = c.test === 'acyclic' ? r.isAcyclic() : c.test === 'irreflexive' ? r.isIrreflexive() : r.isEmpty();
  }
  return c.negated ? !ok : ok;
}
