/**
 * The verdict matrix: each scenario under each assumption set that matters for it — fabric
 * (PCIe as declared, or architecture-only), FWB on or off for stage-2 mappings — plus the
 * assumption sets its expected verdicts name. One row per run, with the verdict and a one-line
 * reason (the witness, or the check that rules out an execution with the outcome, and its cycle).
 */
import { regimeText } from '../events/topology.js';
import type { LitmusTest } from '../syntax/ast.js';
import type { Program } from '../events/program.js';
import type { Model } from '../model/model.js';
import { ruledOutExample, type TestResult } from '../search/outcomes.js';
import { ruledOutCycle } from '../search/ruled-out-cycle.js';
import { checkParsed, parseText, type CheckOptions, type ParsedText } from './check.js';
import { lkmmQuestion } from './lkmm-choice.js';
import { builtinModel } from '../model/index.js';

export type Verdict = 'allowed' | 'forbidden';

/** An expected verdict under an assumption setting (`--assume` syntax; empty = defaults). */
export interface Expectation {
  readonly assume: string;
  readonly verdict: Verdict;
}

export interface MatrixRow {
  readonly scenario: string;
  /**
   * The model that answered: `lkmm` or `aarch64` for a kernel C test of CPUs and memory (a row
   * for each, so what the LKMM allows and arm64 never does shows side by side), else the model
   * the test's declarations pick.
   */
  readonly model: string;
  readonly assumptions: { readonly fabric: string; readonly kvm: string | null; readonly fwb: boolean | null; readonly extra: string | null };
  readonly verdict: Verdict | 'error' | 'partial';
  /** herd's Observation word for a complete run (Never, Sometimes, Always), else null. */
  readonly observation: string | null;
  readonly reason: string;
  /** The expected verdict for this row, when the scenario's expectations name its assumptions. */
  readonly expected: Verdict | null;
  /** What the scenario asks: the test's quoted description, or null. */
  readonly question: string | null;
  /**
   * Each CPU thread's translation regime (`P0 host (EL2&0 under VHE); P1 guest (EL1&0), VMID 1`)
   * when the test has guests or TLB invalidations, else null.
   */
  readonly regime?: string | null;
}

interface RunSpec {
  readonly fabric: 'declared' | 'architecture';
  readonly kvm: string | undefined;
  readonly fwb: boolean | undefined;
  readonly extra: string | undefined;
  /** Answer for arm64 (a kernel C test the LKMM answers by default). */
  readonly arm64?: true;
}

/** Which dimensions a test has: PCIe endpoints, KVM mappings, stage-2 mappings. */
function dimensions(test: LitmusTest) {
  const kvmMapping = test.mappings.find((m) => m.s2?.kind === 'kvm');
  const s2Mapping = test.mappings.find((m) => m.s2 !== undefined);
  return {
    pcie: test.topology.some((d) => d.kind === 'endpoint' && d.bus === 'pcie'),
    kvm: kvmMapping !== undefined,
    s2: s2Mapping !== undefined,
    /** What the file states, which its expectations are written for. */
    statedKvm: kvmMapping?.s2?.kind === 'kvm' ? kvmMapping.s2.kernel.replace(/^v/, '') : undefined,
    statedFwb: s2Mapping?.fwb,
  };
}

/** The rows of one scenario. `options` (limits) apply to every run. */
export function matrixRows(scenario: string, text: string, expectations: readonly Expectation[] = [], options: CheckOptions = {}): MatrixRow[] {
  // Parsed once: every row runs the same test under other settings.
  const once = parseText(text);
  const parsed = once.parsed;
  if (!parsed.test) {
    const d = parsed.diagnostics[0];
    return [{ scenario, model: '-', assumptions: { fabric: '-', kvm: null, fwb: null, extra: null }, verdict: 'error', observation: null, reason: d ? `${d.span.line}:${d.span.col}: ${d.message}` : 'does not parse', expected: null, question: null }];
  }
  const dims = dimensions(parsed.test);
  // Without expectations from outside, a `Result:` comment in the file is the expectation for the
  // test as written (Never: forbidden; Sometimes or Always: allowed).
  const stated = parsed.test.stated;
  if (expectations.length === 0 && stated) expectations = [{ assume: '', verdict: stated.verdict === 'Never' || stated.verdict === 'DEADLOCK' ? 'forbidden' : 'allowed' }];
  const specs: RunSpec[] = [];
  const fabricName = (f: RunSpec['fabric']) => (f === 'architecture' ? 'architecture' : dims.pcie ? 'pcie' : 'platform');
  // Without PCIe endpoints the declared fabric is the architecture-only platform bus: one column.
  for (const fabric of dims.pcie ? (['declared', 'architecture'] as const) : (['declared'] as const))
    // A KVM mapping names its kernel (`kvm-6.8`): that is the question the file asks, so the
    // version is not varied (a file per version, or --assume kvm=, asks the other).
    for (const kvm of [dims.statedKvm])
      for (const fwb of dims.s2 ? [true, false] : [undefined]) specs.push({ fabric, kvm, fwb, extra: undefined });
  // A kernel C test of CPUs and memory: the LKMM's row, then arm64's.
  if (lkmmQuestion(parsed.test)) specs.push({ fabric: 'declared', kvm: undefined, fwb: undefined, extra: undefined, arm64: true });
  // Settings the expectations name beyond these (e.g. relaxed-ordering=on) get rows of their own.
  for (const e of expectations) {
    const extra = e.assume.split(/[,\s]+/).filter((p) => p && !p.startsWith('fabric=')).join(' ');
    if (extra) specs.push({ fabric: 'declared', kvm: undefined, fwb: undefined, extra });
  }
  const question = parsed.test.doc ?? null;
  // Expectations (a Result: line) are the LKMM's for a kernel C test: the arm64 row has none.
  return specs.map((s) => ({ ...runRow(scenario, once, s, fabricName(s.fabric), s.kvm === dims.statedKvm && s.fwb === dims.statedFwb && !s.arm64 ? expectations : [], options), question }));
}

function runRow(scenario: string, text: ParsedText, s: RunSpec, fabric: string, expectations: readonly Expectation[], options: CheckOptions): Omit<MatrixRow, 'question'> {
  const assume = [`fabric=${s.fabric}`, s.extra ?? ''].join(' ').trim();
  const out = checkParsed(text, { ...options, assume, overrides: { kvm: s.kvm, fwb: s.fwb }, ...(s.arm64 ? { model: builtinModel('aarch64') } : {}) });
  const assumptions = { fabric, kvm: s.kvm ?? null, fwb: s.fwb ?? null, extra: s.extra ?? null };
  const expected = expectedFor(expectations, s);
  if (!out.ok) {
    const d = out.diagnostics.find((x) => x.severity === 'error');
    return { scenario, model: s.arm64 ? 'aarch64' : '-', assumptions, verdict: 'error', observation: null, reason: d ? `${d.span.line}:${d.span.col}: ${d.message}` : 'error', expected };
  }
  const r = out.result;
  const regime = regimeLine(out.program);
  const row = { scenario, model: out.model.name, assumptions, expected, ...(regime === null ? {} : { regime }) };
  if (r.partial) return { ...row, verdict: 'partial', observation: null, reason: `search stopped early (${r.partial})` };
  if (r.observation === 'Never') return { ...row, verdict: 'forbidden', observation: r.observation, reason: neverReason(out.program, out.model, r, options, text.text) };
  const state = r.states.find((st) => st.satisfies);
  const shown = state ? r.observables.map((o, i) => `${o.key}=${state.text[i]}`).join(' ') : '';
  return { ...row, verdict: 'allowed', observation: r.observation, reason: `witness: ${shown || 'found'}` };
}

/** The CPU threads' translation regimes, for a test whose verdict may turn on them (guests, TLBIs). */
function regimeLine(program: Program): string | null {
  const t = program.topology;
  const tlbi = program.threads.some((ps) => ps.some((p) => p.events.some((e) => e.kind === 'F' && e.fence.op === 'TLBI')));
  if (t.guests.size === 0 && !tlbi) return null;
  const cpus = program.test.threads.filter((th) => th.agent === 'cpu');
  return cpus.map((th) => `${th.name} ${regimeText(t, th.id)}`).join('; ');
}

/**
 * Why a Never: the check that rules out an execution with the outcome, and its cycle edge by edge
 * (`endpoint-order: P0 STR W0,[X1] -bob-> ...`); not every check that pruned some candidate.
 */
function neverReason(program: Program, model: Model, r: TestResult, options: CheckOptions, source: string): string {
  const { example, partial } = ruledOutExample(program, model, { ...options, assumptions: r.assumptions });
  if (!example) return partial ? `no execution with the outcome found before the search stopped (${partial})` : 'no candidate execution has these values';
  const what = (i: number) => {
    const e = example.candidate.x.events[i]!;
    const agent = e.thread >= 0 ? (program.test.threads.find((t) => t.id === e.thread)?.name ?? `P${e.thread}`) : 'at endpoint';
    // A kernel C test names the C statement an instruction comes from as well.
    const line = program.test.arch === 'C' && e.span ? source.split('\n')[e.span.line - 1]?.trim().replace(/\s+/g, ' ') : undefined;
    // Under the LKMM the event is already named by its statement: only the line is added.
    if (line !== undefined && line.includes(e.text)) return `${agent} ${e.text} (line ${e.span!.line})`;
    return `${agent} ${e.text}${line ? ` (line ${e.span!.line}: ${line})` : ''}`;
  };
  const cycle = ruledOutCycle(example);
  if (!cycle) {
    // An `empty` check: the pair it forbids (two writes that arrived out of order, ...).
    const pair = example.relation?.pairs()[0];
    if (!pair) return `ruled out by ${example.check}`;
    return `ruled out by ${example.check}, which forbids ${pair[0] === pair[1] ? `what this execution does at ${what(pair[0])}` : `the pair ${what(pair[0])} → ${what(pair[1])}`}`;
  }
  return `ruled out by ${example.check}: ${cycle.events.map((a, k) => `${what(a)} -${cycle.edges[k]}-> `).join('')}${what(cycle.events[0]!)}`;
}

/**
 * The expectation that matches a run: its settings must be exactly the run's non-default ones
 * (fabric=architecture, or its extra setting). Expectations are written for the mappings as the
 * file states them, so runs with another KVM version or FWB setting get none (the caller passes
 * an empty list for those).
 */
function expectedFor(expectations: readonly Expectation[], s: RunSpec): Verdict | null {
  const want = [s.fabric === 'architecture' ? 'fabric=architecture' : '', s.extra ?? ''].filter(Boolean).sort().join(' ');
  const e = expectations.find((x) => x.assume.split(/[,\s]+/).filter(Boolean).sort().join(' ') === want);
  return e?.verdict ?? null;
}
