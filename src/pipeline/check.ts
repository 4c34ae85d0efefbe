/**
 * One call from litmus text to results: parse, build, search. The core entry point that the CLI,
 * the worker threads and the browser share.
 */
import { assumptionScopeDiagnostics } from './assumption-scope.js';
import { lkmmQuestion, speaksLkmm } from './lkmm-choice.js';
import { parseLitmus, type ParseResult } from '../syntax/index.js';
import type { Diagnostic, Span } from '../syntax/diagnostics.js';
import { buildProgram, DEFAULT_THREAD_OPTIONS } from '../events/program.js';
import { builtinModel, modelFor, parseAssumptions, DEFAULT_ASSUMPTIONS } from '../model/index.js';
import { error } from '../syntax/diagnostics.js';
import type { Model } from '../model/model.js';
import type { SearchLimits } from '../search/enumerate.js';
import { runProgram, type TestResult } from '../search/outcomes.js';
import type { Program } from '../events/program.js';
import type { MappingOverrides } from '../events/topology.js';
import { ValueError } from '../events/value.js';
import { metaValue } from '../syntax/shared/header.js';

export interface CheckOptions extends SearchLimits {
  readonly model?: Model;
  /** Times each backward branch may be taken (herd's -unroll). */
  readonly unroll?: number;
  /** Assumption settings (`relaxed-ordering=on fabric=architecture`), over the test's `Assume=` line. */
  readonly assume?: string;
  /** Replace the KVM version / FWB of the test's mappings. */
  readonly overrides?: MappingOverrides;
  /** herd's variants for the test, beyond its `Variant=` line (`vmsa`, `fatal`, `mixed`). */
  readonly variants?: readonly string[];
}

export type CheckOutcome =
  | {
      readonly ok: true; readonly result: TestResult; readonly program: Program; readonly model: Model; readonly diagnostics: readonly Diagnostic[];
      /** A test for the LKMM answered for arm64 on request: its `Result:` (an LKMM verdict) is not judged against it. */
      readonly lkmmAsArm64?: true;
      /** Answered under the Linux kernel memory model (its events, an LKMM model). */
      readonly lkmm?: true;
    }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/**
 * Parse and run one litmus test. Never throws: bad text gives located diagnostics, and a bug of
 * ours an `internal` diagnostic that names the test and the phase it happened in.
 */
export function checkText(text: string, options: CheckOptions = {}): CheckOutcome {
  return guarded(text, (enter) => checkPhases(parseLitmus(text), options, enter));
}

/** A text parsed once (the matrix runs it under several settings). */
export interface ParsedText {
  readonly text: string;
  readonly parsed: ParseResult;
}

export function parseText(text: string): ParsedText {
  return { text, parsed: parseLitmus(text) };
}

/** checkText on a text already parsed: the same outcome, without parsing again. */
export function checkParsed(p: ParsedText, options: CheckOptions = {}): CheckOutcome {
  return guarded(p.text, (enter) => checkPhases(p.parsed, options, enter));
}

/** Run the phases; a bug of ours becomes an internal diagnostic naming the phase it happened in. */
function guarded(text: string, phases: (enter: (phase: Phase, at?: Span) => void) => CheckOutcome): CheckOutcome {
  let phase: Phase = 'parsing';
  let where: Span | undefined;
  try {
    return phases((p, span) => {
      phase = p;
      where = span ?? where;
    });
  } catch (e) {
    return { ok: false, diagnostics: [internalError(text, phase, where, e)] };
  }
}

/** The steps of checkText, in order; `enter` is told each phase as it starts. */
type Phase = 'parsing' | 'building the paths of' | 'searching the executions of';

function checkPhases(parsed: ParseResult, options: CheckOptions, enter: (phase: Phase, at?: Span) => void): CheckOutcome {
  const written = parsed.test;
  if (!written || parsed.diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics: parsed.diagnostics };
  // A kernel C test of CPUs and memory is a question for the Linux kernel memory model: its
  // threads as the LKMM sees them, unless the model asked for speaks of arm64 instructions.
  const lkmmAsked = lkmmQuestion(written);
  const useLkmm = lkmmAsked && (options.model === undefined || speaksLkmm(options.model));
  const ownErrors = useLkmm ? written.lkmm!.errors : written.arm64Errors ?? [];
  if (ownErrors.length > 0) return { ok: false, diagnostics: [...parsed.diagnostics, ...ownErrors] };
  const test = useLkmm ? { ...written, threads: written.lkmm!.threads, init: written.lkmm!.init } : written;
  enter('building the paths of', test.nameSpan);
  // One deadline for the whole test: building its paths counts too.
  const now = options.now ?? Date.now;
  const deadline = options.timeoutMs !== undefined ? now() + options.timeoutMs : Infinity;
  const expired = () => now() > deadline;
  const built = buildProgram(test, { ...DEFAULT_THREAD_OPTIONS, unroll: options.unroll ?? DEFAULT_THREAD_OPTIONS.unroll, expired }, options.overrides, { variants: options.variants ?? [] });
  if (!built.program) return { ok: false, diagnostics: [...parsed.diagnostics, ...built.diagnostics] };
  // A test may state assumptions (`Assume=relaxed-ordering`); the caller's come on top.
  let assumptions = DEFAULT_ASSUMPTIONS;
  const stated = metaValue(test.meta, 'Assume');
  try {
    if (stated !== undefined) assumptions = parseAssumptions(stated, assumptions);
    if (options.assume !== undefined) assumptions = parseAssumptions(options.assume, assumptions);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return { ok: false, diagnostics: [error('semantic', e.message, { line: 1, col: 1, endLine: 1, endCol: 2 })] };
  }
  const outOfScope = assumptionScopeDiagnostics(built.program, assumptions);
  if (outOfScope.length > 0) return { ok: false, diagnostics: [...parsed.diagnostics, ...built.diagnostics, ...outOfScope] };
  const hasTlbi = built.program.threads.some((paths) => paths.some((p) => p.events.some((e) => e.kind === 'F' && e.fence.op === 'TLBI')));
  const vmsa = built.program.vmsa !== undefined;
  const own = useLkmm ? builtinModel('lkmm') : modelFor(built.program.topology, hasTlbi, vmsa);
  // A model answers a test with devices or TLBI only if it speaks of them: one that does not
  // would leave arrivals or invalidations unconstrained and answer wrongly.
  const missing = options.model === undefined ? undefined : unspokenFeature(options.model, built.program.topology.endpoints.size > 0, hasTlbi, vmsa);
  if (missing !== undefined) {
    const message = `unsupported: model ${options.model!.name} has no rules for ${missing}; this test needs a model that does (the built-in ${own.name}, or one that includes it)`;
    return { ok: false, diagnostics: [...parsed.diagnostics, ...built.diagnostics, error('unsupported', message, test.nameSpan ?? { line: 1, col: 1, endLine: 1, endCol: 2 })] };
  }
  const model = options.model ?? own;
  let result;
  enter('searching the executions of');
  try {
    result = runProgram(built.program, model, { ...options, assumptions, timeoutMs: options.timeoutMs === undefined ? undefined : Math.max(0, deadline - now()) });
  } catch (e) {
    // An execution computed what the model has no meaning for (arithmetic on an address, a
    // mixed-size access): the test is rejected, at its name, as herd rejects it.
    if (!(e instanceof ValueError)) throw e;
    const message = e.message.startsWith('unsupported') ? e.message : `unsupported: ${e.message}`;
    return { ok: false, diagnostics: [...parsed.diagnostics, ...built.diagnostics, error('unsupported', message, test.nameSpan ?? { line: 1, col: 1, endLine: 1, endCol: 2 })] };
  }
  if (lkmmAsked && !useLkmm) {
    const note = test.stated === undefined ? [] : [{ code: 'semantic' as const, severity: 'warning' as const, message: `Result: ${test.stated.verdict} is the Linux kernel memory model's verdict; this answer is arm64's (--model), so it is not judged against it`, span: test.stated.span }];
    return { ok: true, result, program: built.program, model, diagnostics: [...parsed.diagnostics, ...built.diagnostics, ...note], lkmmAsArm64: true };
  }
  return { ok: true, result, program: built.program, model, diagnostics: [...parsed.diagnostics, ...built.diagnostics], ...(useLkmm ? { lkmm: true as const } : {}) };
}

/** A bug of ours, reported against the test (at its name) with the phase it hit. */
function internalError(text: string, phase: Phase, at: Span | undefined, e: unknown): Diagnostic {
  const named = testName(text);
  const what = e instanceof RangeError && /call stack/i.test(e.message) ? 'the input is nested too deeply' : e instanceof Error ? e.message : String(e);
  const subject = `${phase} ${named === undefined ? 'the test' : `test ${named.name}`}`;
  return error('internal', `internal error while ${subject}: ${what}`, at ?? named?.span ?? { line: 1, col: 1, endLine: 1, endCol: 2 });
}

/** The test's name (the second word of its first line) and where it is, read without the parser. */
function testName(text: string): { name: string; span: Span } | undefined {
  const m = /^(\uFEFF?\s*)(\S+)([ \t]+)(\S+)/.exec(text);
  if (!m) return undefined;
  const offset = m[1]!.length + m[2]!.length + m[3]!.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const col = offset - before.lastIndexOf('\n');
  return { name: m[4]!, span: { line, col, endLine: line, endCol: col + m[4]!.length } };
}

/** What a test needs that a chosen model does not name: endpoints (`arr`), TLB invalidation (`tlbi-covers`). */
function unspokenFeature(model: Model, endpoints: boolean, tlbi: boolean, vmsa: boolean): string | undefined {
  const speaks = (p: string) => model.modules.some((m) => m.uses === undefined || m.uses.has(p));
  if (vmsa && !speaks('tr-ib')) return 'VMSA translation (it never names tr-ib)';
  if (endpoints && !speaks('arr')) return 'devices (it never names arr, the arrival order at endpoints)';
  if (tlbi && !vmsa && !speaks('tlbi-covers')) return 'TLB invalidation (it never names tlbi-covers)';
  return undefined;
}
