/**
 * One call from litmus text to results: parse, build, search. The core entry point that the CLI,
 * the worker threads and the browser share.
 */
import { parseLitmus } from '../syntax/index.js';
import type { Diagnostic } from '../syntax/diagnostics.js';
import { buildProgram, DEFAULT_THREAD_OPTIONS } from '../events/program.js';
import { modelFor, parseAssumptions, DEFAULT_ASSUMPTIONS } from '../model/index.js';
import { error } from '../syntax/diagnostics.js';
import type { Model } from '../model/model.js';
import type { SearchLimits } from './enumerate.js';
import { runProgram, type TestResult } from './outcomes.js';
import type { Program } from '../events/program.js';
import type { MappingOverrides } from '../events/topology.js';
import { ValueError } from '../events/value.js';

export interface CheckOptions extends SearchLimits {
  readonly model?: Model;
  /** Times each backward branch may be taken (herd's -unroll). */
  readonly unroll?: number;
  /** Assumption settings (`relaxed-ordering=on fabric=architecture`), over the test's `Assume=` line. */
  readonly assume?: string;
  /** Replace the KVM version / FWB of the test's mappings. */
  readonly overrides?: MappingOverrides;
}

export type CheckOutcome =
  | { readonly ok: true; readonly result: TestResult; readonly program: Program; readonly model: Model; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Parse and run one litmus test. Never throws on bad text: errors come back as diagnostics. */
export function checkText(text: string, options: CheckOptions = {}): CheckOutcome {
  const parsed = parseLitmus(text);
  if (!parsed.test || parsed.diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics: parsed.diagnostics };
  // One deadline for the whole test: building its paths counts too.
  const now = options.now ?? Date.now;
  const deadline = options.timeoutMs !== undefined ? now() + options.timeoutMs : Infinity;
  const expired = () => now() > deadline;
  const built = buildProgram(parsed.test, { ...DEFAULT_THREAD_OPTIONS, unroll: options.unroll ?? DEFAULT_THREAD_OPTIONS.unroll, expired }, options.overrides);
  if (!built.program) return { ok: false, diagnostics: [...parsed.diagnostics, ...built.diagnostics] };
  // A test may state assumptions (`Assume=relaxed-ordering`); the caller's come on top.
  let assumptions = DEFAULT_ASSUMPTIONS;
  const stated = parsed.test.meta['Assume'];
  try {
    if (stated !== undefined) assumptions = parseAssumptions(stated, assumptions);
    if (options.assume !== undefined) assumptions = parseAssumptions(options.assume, assumptions);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { ok: false, diagnostics: [error('semantic', e.message, { line: 1, col: 1, endLine: 1, endCol: 2 })] };
  }
  const hasTlbi = built.program.threads.some((paths) => paths.some((p) => p.events.some((e) => e.kind === 'F' && e.fence.op === 'TLBI')));
  const model = options.model ?? modelFor(built.program.topology, hasTlbi);
  let result;
  try {
    result = runProgram(built.program, model, { ...options, assumptions, timeoutMs: options.timeoutMs === undefined ? undefined : Math.max(0, deadline - now()) });
  } catch (e) {
    // An execution computed what the model has no meaning for (arithmetic on an address, a
    // mixed-size access): the test is rejected, at its name, as herd rejects it.
    if (!(e instanceof ValueError)) throw e;
    const message = e.message.startsWith('unsupported') ? e.message : `unsupported: ${e.message}`;
    return { ok: false, diagnostics: [...parsed.diagnostics, ...built.diagnostics, error('unsupported', message, parsed.test.nameSpan ?? { line: 1, col: 1, endLine: 1, endCol: 2 })] };
  }
  return { ok: true, result, program: built.program, model, diagnostics: [...parsed.diagnostics, ...built.diagnostics] };
}
