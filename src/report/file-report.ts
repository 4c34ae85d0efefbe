/**
 * Run one litmus file's text and render everything the CLI may print for it. Pure apart from the
 * clock: it runs the same in the main thread and in a worker, and returns plain data.
 */
import { checkText, type CheckOptions, type CheckOutcome } from '../pipeline/check.js';
import { error, formatDiagnostic, spanAt, type Diagnostic } from '../syntax/diagnostics.js';
import { formatHerdResult, herdFlags } from './herd-text.js';
import { herdHash } from './herd-hash.js';
import { toJsonResult, type JsonError, type JsonResult } from './json.js';
import { witnessDot } from './dot.js';
import { ruledOutExample, type RuledOutSearch, type TestResult } from '../search/outcomes.js';
import { ruledOutCycle } from '../search/ruled-out-cycle.js';
import { formatCondition } from './herd-text.js';
import { formatExplanation, witnessTimelines } from './timeline.js';
import { modelOf, type ModelSpec } from '../model/lang/index.js';
import type { MappingOverrides } from '../events/topology.js';

export interface RunOptions {
  readonly timeoutMs: number | undefined;
  readonly maxExecutions: number | undefined;
  readonly unroll: number;
  readonly dot: boolean;
  /** Add the witness's device timeline (`--explain`). */
  readonly explain: boolean;
  /** `--assume` settings. */
  readonly assume: string | undefined;
  /** `--model`: the model that answers instead of the built-in one. */
  readonly model?: ModelSpec | undefined;
  /** `--variant`: herd's variants for every test (vmsa, fatal, mixed). */
  readonly variants?: readonly string[] | undefined;
  /** `--kvm`, `--fwb`: the kernel and FWB of the test's stage-2 mappings. */
  readonly overrides?: MappingOverrides | undefined;
}

export interface FileReport {
  readonly file: string;
  /** herd-layout block, when the test ran. */
  readonly text: string | undefined;
  readonly json: JsonResult | undefined;
  /** `file:line:col: message` lines, and their JSON form. */
  readonly errorLines: readonly string[];
  readonly errors: readonly JsonError[];
  readonly dot: string | undefined;
  readonly name: string | undefined;
  /** `--explain` text, when asked for. */
  readonly explanation: string | undefined;
  /** The test ran, but a bound stopped its search: its result is partial. */
  readonly partial: boolean;
  /** The observation contradicts the verdict the test's `Result:` comment states. */
  readonly mismatch: boolean;
}

/** `progress` is told how many candidates a long search has examined (not part of the options: they cross to worker threads as data). */
export function runFile(file: string, source: string, options: RunOptions, progress?: (examined: number) => void): FileReport {
  const started = Date.now();
  const opts: CheckOptions = { ...(progress ? { progress } : {}), unroll: options.unroll, timeoutMs: options.timeoutMs, maxExecutions: options.maxExecutions, now: () => Date.now(), assume: options.assume, ...(options.variants ? { variants: options.variants } : {}), ...(options.overrides ? { overrides: options.overrides } : {}), ...(options.model ? { model: modelOf(options.model) } : {}) };
  const outcome = checkText(source, opts);
  const errorLines = outcome.diagnostics.map((d) => formatDiagnostic(file, d));
  const errors = outcome.diagnostics.filter((d) => d.severity === 'error').map((d) => jsonError(file, d));
  if (!outcome.ok) return { ...NOTHING, file, errorLines, errors };
  for (const w of outcome.result.warnings) errorLines.push(`${file}: warning: ${w}`);
  const judged = judge(outcome);
  if (judged.mismatch) errorLines.push(formatDiagnostic(file, judged.mismatch));
  try {
    const rendered = render(outcome, file, source, Date.now() - started, options);
    const json = rendered.json && { ...rendered.json, expected: judged.expected, matches: judged.matches };
    return { ...rendered, json, errorLines, errors, mismatch: judged.mismatch !== undefined };
  } catch (e) {
    // A bug of ours in the output must not take the other tests down: report it against the test.
    const d = error('internal', `internal error while reporting test ${outcome.result.name}: ${e instanceof Error ? e.message : String(e)}`, outcome.program.test.nameSpan ?? spanAt(1, 1));
    return { ...NOTHING, file, errorLines: [...errorLines, formatDiagnostic(file, d)], errors: [...errors, jsonError(file, d)] };
  }
}

const NOTHING = { text: undefined, json: undefined, dot: undefined, name: undefined, explanation: undefined, partial: false, mismatch: false } as const;

function jsonError(file: string, d: Diagnostic): JsonError {
  return { file, line: d.span.line, col: d.span.col, code: d.code, message: d.message };
}

/**
 * The test's observation against the verdict its `Result:` comment states: a partial result
 * cannot be judged (its exit status says so already).
 */
function judge(outcome: Extract<CheckOutcome, { ok: true }>): { expected: string | null; matches: boolean | null; mismatch: Diagnostic | undefined } {
  const stated = outcome.program.test.stated;
  const r = outcome.result;
  if (!stated) return { expected: null, matches: null, mismatch: undefined };
  // An LKMM verdict is not judged against the arm64 answer asked for (check.ts says so in a warning).
  if (r.partial !== undefined || outcome.lkmmAsArm64) return { expected: stated.verdict, matches: null, mismatch: undefined };
  // Under the LKMM the data-race flag is judged too: DATARACE stated exactly when it is raised.
  const race = outcome.lkmm ? r.flags.includes('data-race') : stated.datarace;
  const deadlock = r.positive + r.negative === 0;
  const verdictHolds = stated.verdict === 'DEADLOCK' ? deadlock : r.observation === stated.verdict;
  const matches = verdictHolds && race === stated.datarace;
  const observed = deadlock ? `${r.observation}, with no execution at all` : r.observation;
  const mismatch = matches ? undefined
    : !verdictHolds ? error('semantic', `Result: ${stated.verdict}${stated.datarace ? ' DATARACE' : ''} is stated, but the observation is ${observed}`, stated.span)
    : error('semantic', race ? `Result: ${stated.verdict} is stated without DATARACE, but the LKMM flags a data race` : `Result: ${stated.verdict} DATARACE is stated, but the LKMM flags no data race`, stated.span);
  return { expected: stated.verdict, matches, mismatch };
}

/** The graph of a test: its witness, or the ruled-out execution of a Never with its cycle. */
function graph(outcome: Extract<CheckOutcome, { ok: true }>, r: TestResult, search: RuledOutSearch | undefined, source: string): string | undefined {
  const ruled = search?.example;
  const condition = r.condition ? formatCondition(r.condition, (id) => r.threadNames.get(id)) : undefined;
  if (r.witness) return witnessDot(outcome.program, r.witness, { condition, observation: r.observation, source });
  if (!ruled) return undefined;
  const cycle = ruledOutCycle(ruled)?.events;
  return witnessDot(outcome.program, ruled.candidate, { condition, observation: r.observation, ruledOutBy: ruled.check, cycle, source });
}

/** Everything printed for a test that ran: herd text, JSON, graph, explanation. */
function render(outcome: Extract<CheckOutcome, { ok: true }>, file: string, source: string, ms: number, options: RunOptions): Omit<FileReport, 'errorLines' | 'errors' | 'mismatch'> {
  const r = outcome.result;
  // A Never is explained (and drawn) by an execution with the outcome, ruled out by a check.
  const ruled = (options.explain || options.dot) && !r.witness && r.partial === undefined && r.condition
    ? ruledOutExample(outcome.program, outcome.model, { assumptions: r.assumptions, timeoutMs: options.timeoutMs, now: () => Date.now() })
    : undefined;
  return {
    file,
    text: formatHerdResult(r, ms / 1000, herdFlags(outcome.program), herdHash(outcome.program.test, source)),
    json: options.explain ? { ...toJsonResult(r, file, ms), timeline: r.witness ? witnessTimelines(outcome.program, r, r.witness) : null, cuts: r.stats.cuts } : toJsonResult(r, file, ms),
    explanation: options.explain ? formatExplanation(outcome.program, r, outcome.model.modules.flatMap((m) => m.axioms), ruled, source) : undefined,
    dot: options.dot ? graph(outcome, r, ruled, source) : undefined,
    name: r.name,
    partial: r.partial !== undefined,
  };
}
