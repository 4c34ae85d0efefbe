/**
 * The verdict matrix: each scenario under each assumption set that matters for it — fabric
 * (PCIe as declared, or architecture-only), the KVM version of its guest mappings (6.8 / 6.9),
 * FWB on or off — plus the assumption sets its expected verdicts name. One row per run, with the
 * verdict and a one-line reason (the witness, or the axioms that ruled every candidate out).
 */
import type { LitmusTest } from '../syntax/ast.js';
import { checkParsed, parseText, type CheckOptions, type ParsedText } from './check.js';

export type Verdict = 'allowed' | 'forbidden';

/** An expected verdict under an assumption setting (`--assume` syntax; empty = defaults). */
export interface Expectation {
  readonly assume: string;
  readonly verdict: Verdict;
}

export interface MatrixRow {
  readonly scenario: string;
  readonly assumptions: { readonly fabric: string; readonly kvm: string | null; readonly fwb: boolean | null; readonly extra: string | null };
  readonly verdict: Verdict | 'error' | 'partial';
  /** herd's Observation word for a complete run (Never, Sometimes, Always), else null. */
  readonly observation: string | null;
  readonly reason: string;
  /** The expected verdict for this row, when the scenario's expectations name its assumptions. */
  readonly expected: Verdict | null;
  /** What the scenario asks: the test's quoted description, or null. */
  readonly question: string | null;
}

interface RunSpec {
  readonly fabric: 'declared' | 'architecture';
  readonly kvm: string | undefined;
  readonly fwb: boolean | undefined;
  readonly extra: string | undefined;
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
    return [{ scenario, assumptions: { fabric: '-', kvm: null, fwb: null, extra: null }, verdict: 'error', observation: null, reason: d ? `${d.span.line}:${d.span.col}: ${d.message}` : 'does not parse', expected: null, question: null }];
  }
  const dims = dimensions(parsed.test);
  // Without expectations from outside, a `Result:` comment in the file is the expectation for the
  // test as written (Never: forbidden; Sometimes or Always: allowed).
  const stated = parsed.test.stated;
  if (expectations.length === 0 && stated) expectations = [{ assume: '', verdict: stated.verdict === 'Never' ? 'forbidden' : 'allowed' }];
  const specs: RunSpec[] = [];
  const fabricName = (f: RunSpec['fabric']) => (f === 'architecture' ? 'architecture' : dims.pcie ? 'pcie' : 'platform');
  // Without PCIe endpoints the declared fabric is the architecture-only platform bus: one column.
  for (const fabric of dims.pcie ? (['declared', 'architecture'] as const) : (['declared'] as const))
    for (const kvm of dims.kvm ? ['6.8', '6.9'] : [undefined])
      for (const fwb of dims.s2 ? [true, false] : [undefined]) specs.push({ fabric, kvm, fwb, extra: undefined });
  // Settings the expectations name beyond these (e.g. relaxed-ordering=on) get rows of their own.
  for (const e of expectations) {
    const extra = e.assume.split(/[,\s]+/).filter((p) => p && !p.startsWith('fabric=')).join(' ');
    if (extra) specs.push({ fabric: 'declared', kvm: undefined, fwb: undefined, extra });
  }
  const question = parsed.test.doc ?? null;
  return specs.map((s) => ({ ...runRow(scenario, once, s, fabricName(s.fabric), s.kvm === dims.statedKvm && s.fwb === dims.statedFwb ? expectations : [], options), question }));
}

function runRow(scenario: string, text: ParsedText, s: RunSpec, fabric: string, expectations: readonly Expectation[], options: CheckOptions): Omit<MatrixRow, 'question'> {
  const assume = [`fabric=${s.fabric}`, s.extra ?? ''].join(' ').trim();
  const out = checkParsed(text, { ...options, assume, overrides: { kvm: s.kvm, fwb: s.fwb } });
  const assumptions = { fabric, kvm: s.kvm ?? null, fwb: s.fwb ?? null, extra: s.extra ?? null };
  const expected = expectedFor(expectations, s);
  if (!out.ok) {
    const d = out.diagnostics.find((x) => x.severity === 'error');
    return { scenario, assumptions, verdict: 'error', observation: null, reason: d ? `${d.span.line}:${d.span.col}: ${d.message}` : 'error', expected };
  }
  const r = out.result;
  if (r.partial) return { scenario, assumptions, verdict: 'partial', observation: null, reason: `search stopped early (${r.partial})`, expected };
  if (r.observation === 'Never') {
    const cuts = Object.entries(r.stats.cuts).sort((a, b) => b[1] - a[1]).map(([k]) => k);
    return { scenario, assumptions, verdict: 'forbidden', observation: r.observation, reason: cuts.length ? `ruled out by ${cuts.join(', ')}` : 'no execution reaches the condition', expected };
  }
  const state = r.states.find((st) => st.satisfies);
  const shown = state ? r.observables.map((o, i) => `${o.key}=${state.text[i]}`).join(' ') : '';
  return { scenario, assumptions, verdict: 'allowed', observation: r.observation, reason: `witness: ${shown || 'found'}`, expected };
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
