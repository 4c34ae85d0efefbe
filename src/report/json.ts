/**
 * The `--json` result schema (stable; documented in docs/cli.md):
 *
 *   { "results": [ { "name", "file", "states": [{"1:X0": 1, "x": 2}], "ok", "positive", "negative",
 *                    "condition", "observation", "partial", "complete", "ruledOut", "warnings",
 *                    "executions", "timeMs",
 *                    "assumptions" (+ "timeline", "cuts" with --explain) } ],
 *     "errors": [ { "file", "line", "col", "code", "message" } ] }
 *
 * A value that is an address prints as the location's name (a string); others are numbers.
 */
import type { Observation, TestResult } from '../search/outcomes.js';
import { formatCondition } from './herd-text.js';
import { assumptionSettings } from '../model/assumptions.js';

export interface JsonState {
  readonly [key: string]: number | string;
}

export interface JsonResult {
  readonly name: string;
  readonly file: string;
  readonly states: readonly JsonState[];
  /** null when a partial search did not settle it. */
  readonly ok: boolean | null;
  readonly positive: number;
  readonly negative: number;
  readonly condition: string | null;
  readonly observation: Observation;
  /** Why the search stopped early (`timeout`, `max-executions`, `paths`), or null when complete. */
  readonly partial: string | null;
  /** Whether every execution was explored: only then are Never/Always and the counts exact. */
  readonly complete: boolean;
  /** Candidate executions ruled out (by an axiom, or by values). */
  readonly ruledOut: number;
  readonly warnings: readonly string[];
  readonly executions: number;
  readonly timeMs: number;
  /** With --explain: the witness's device timelines and the axioms that cut candidates. */
  readonly timeline?: unknown;
  readonly cuts?: Readonly<Record<string, number>>;
  /** The platform assumptions of the verdict, for tests with devices (null otherwise). */
  readonly assumptions: Readonly<Record<string, string>> | null;
  /** The model that answered. */
  readonly model: string;
  /** The verdict the test's `Result:` comment states (null without one), and whether the observation is it (null: none stated, or partial). */
  readonly expected?: string | null;
  readonly matches?: boolean | null;
}

export interface JsonError {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly code: string;
  readonly message: string;
}

export function toJsonResult(r: TestResult, file: string, timeMs: number): JsonResult {
  return {
    name: r.name,
    file,
    states: r.states.map((s) => {
      const o: Record<string, number | string> = {};
      r.observables.forEach((ob, i) => {
        // Integers are JSON numbers where exact; larger ones, addresses and arrays are strings.
        const text = s.text[i]!;
        o[ob.key] = /^-?\d+$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : text;
      });
      // Under VMSA the faults are part of the state, as herd prints them.
      if (s.faults !== undefined) o['faults'] = s.faults.trim();
      return o;
    }),
    ok: r.ok ?? null,
    positive: r.positive,
    negative: r.negative,
    condition: r.condition ? formatCondition(r.condition, (id) => r.threadNames.get(id)) : null,
    observation: r.observation,
    partial: r.partial ?? null,
    complete: r.partial === undefined,
    ruledOut: r.stats.pruned + r.stats.valueMismatches,
    warnings: r.warnings,
    executions: r.stats.executions,
    assumptions: r.devices ? assumptionSettings(r.assumptions) : null,
    model: r.model,
    timeMs: Math.round(timeMs * 1000) / 1000,
  };
}
