/**
 * What a model is: named modules of axioms over a candidate execution.
 *
 * A module is prepared once per static execution (it may precompute relations that do not depend
 * on reads-from and coherence), then asked, many times during the search, whether a partial
 * choice of rf and co already violates one of its axioms. The axioms `check` tests are monotone
 * (acyclicity, irreflexivity, emptiness of relations built from rf, co and fr by union and
 * sequence), so a violation by a partial choice stays a violation in every completion: the search
 * prunes there. An axiom that is not monotone (one with a difference) waits for `checkComplete`.
 */
import type { Execution } from '../execution/execution.js';
import type { Relation } from '../execution/relation.js';
import type { Assumptions } from './assumptions.js';

/** The dynamic part of a candidate execution, possibly partial during the search. */
export interface Dynamic {
  /** reads-from: write -> read. */
  readonly rf: Relation;
  /** coherence order: write -> write, transitive over what has been decided. */
  readonly co: Relation;
  /** from-reads: rf⁻¹; co. */
  readonly fr: Relation;
  /**
   * Arrival order at endpoints: a -> b when both are placed at the same endpoint and a's slot
   * comes first (events of one slot — a gathered transaction — are unordered by it).
   */
  readonly arr: Relation;
  /** Slot of each placed endpoint event (unique across endpoints), -1 when not placed (yet). */
  readonly slotOf: readonly number[];
  /** Arrivals dropped by the endpoint (e.g. during an FLR): no effect, never "arrived". */
  readonly discarded: readonly boolean[];
}

/** An axiom's name (printed when it rejects an execution) and the rule it implements. */
export interface AxiomInfo {
  readonly name: string;
  readonly rule: string;
}

export interface PreparedModule {
  /** How many alternatives the module has for this execution (its `with` choices; 1 without). */
  readonly alternatives: number;
  /** The first axiom the (partial) dynamic part violates, or undefined. Monotone: a violation stays. */
  check(d: Dynamic): string | undefined;
  /** The axioms that can only be judged on a complete execution (default: `check` again). */
  checkComplete?(d: Dynamic): string | undefined;
  /** The flags (model files' `flag` checks) a complete consistent execution raises. */
  flags?(d: Dynamic): readonly string[];
  /** Named relations for witness graphs and explanations (e.g. `ob`). */
  relations(d: Dynamic): Readonly<Record<string, Relation>>;
  /**
   * The relation of the check `name` when it fails on `d` (for acyclic: the relation with the
   * cycle; irreflexive, empty: the relation with the offending pairs), else undefined.
   */
  violated?(d: Dynamic, name: string): Relation | undefined;
}

export interface ModelModule {
  readonly name: string;
  readonly axioms: readonly AxiomInfo[];
  /** The primitives a model file names (undefined: a module written in code, which knows its scope). */
  readonly uses?: ReadonlySet<string>;
  /**
   * Prepare for execution x. A module with `with ... from orientations(...)` has several
   * alternatives per execution (PreparedModule.alternatives), each a candidate of its own:
   * `alternative` picks one (default 0).
   */
  prepare(x: Execution, assumptions: Assumptions, alternative?: number): PreparedModule;
}

/** A model: its modules, all of whose axioms must hold. */
export interface Model {
  readonly name: string;
  readonly modules: readonly ModelModule[];
}
