/**
 * Run one litmus file's text and render everything the CLI may print for it. Pure apart from the
 * clock: it runs the same in the main thread and in a worker, and returns plain data.
 */
import { checkText, type CheckOptions } from '../search/check.js';
import { formatDiagnostic } from '../syntax/diagnostics.js';
import { formatHerdResult, herdFlags } from '../report/herd-text.js';
import { toJsonResult, type JsonError, type JsonResult } from '../report/json.js';
import { witnessDot } from '../report/dot.js';
import { formatExplanation, witnessTimelines } from '../report/timeline.js';
import { nowMs } from './output.js';

export interface RunOptions {
  readonly timeoutMs: number | undefined;
  readonly maxExecutions: number | undefined;
  readonly unroll: number;
  readonly dot: boolean;
  /** Add the witness's device timeline (`--explain`). */
  readonly explain: boolean;
  /** `--assume` settings. */
  readonly assume: string | undefined;
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
}

export function runFile(file: string, source: string, options: RunOptions): FileReport {
  const started = nowMs();
  const opts: CheckOptions = { unroll: options.unroll, timeoutMs: options.timeoutMs, maxExecutions: options.maxExecutions, now: () => nowMs(), assume: options.assume };
  let outcome;
  try {
    outcome = checkText(source, opts);
  } catch (e) {
    // A bug of ours must not take the other tests down: report it against the file.
    const message = `internal error while checking this test: ${e instanceof Error ? e.message : String(e)}`;
    return { file, text: undefined, json: undefined, errorLines: [`${file}:1:1: ${message}`], errors: [{ file, line: 1, col: 1, code: 'internal', message }], dot: undefined, name: undefined, explanation: undefined };
  }
  const errs = outcome.diagnostics.filter((d) => d.severity === 'error');
  const errorLines = outcome.diagnostics.map((d) => formatDiagnostic(file, d));
  if (outcome.ok) for (const w of outcome.result.warnings) errorLines.push(`${file}: warning: ${w}`);
  const errors = errs.map((d) => ({ file, line: d.span.line, col: d.span.col, code: d.code, message: d.message }));
  if (!outcome.ok) return { file, text: undefined, json: undefined, errorLines, errors, dot: undefined, name: undefined, explanation: undefined };
  const ms = nowMs() - started;
  const r = outcome.result;
  return {
    file,
    text: formatHerdResult(r, ms / 1000, herdFlags(outcome.program)),
    json: options.explain ? { ...toJsonResult(r, file, ms), timeline: r.witness ? witnessTimelines(outcome.program, r, r.witness) : null, cuts: r.stats.cuts } : toJsonResult(r, file, ms),
    explanation: options.explain ? formatExplanation(outcome.program, r) : undefined,
    errorLines,
    errors,
    dot: options.dot && r.witness ? witnessDot(outcome.program, outcome.model, r.witness, r.assumptions) : undefined,
    name: r.name,
  };
}
