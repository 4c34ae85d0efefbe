/**
 * The playground's checker: a Web Worker running the core on the page's requests
 * (protocol.ts). It renders results exactly as the CLI does (report/file-report.ts: herd's
 * layout, the witness graph, `--explain`), with the graph drawn to SVG by Graphviz in WebAssembly
 * (@viz-js/viz, loaded on first use). The page stops a check by terminating this worker.
 */
import { runFile } from '../report/file-report.js';
import { parseLitmus } from '../syntax/index.js';
import { matrixRows } from '../pipeline/matrix.js';
import { formatMatrix } from '../report/matrix-text.js';
import { formatMatrixSummary } from '../report/matrix-summary.js';
import { loadModel } from '../model/lang/load.js';
import { BUILTIN_MODEL_NAMES, builtinModelText, builtinModule } from '../model/lang/builtin.js';
import { DEFAULT_ASSUMPTIONS } from '../model/assumptions.js';
import { combine, parseStage1, parseStage2 } from '../platform/attrs/index.js';
import { formatAttrsText } from '../report/attrs-text.js';
import { hostMapping, isHostMappingSource, kvmStage2Decision, parseKernelVersion, HOST_MAPPING_SOURCES } from '../platform/index.js';
import { mapJson } from '../report/map-json.js';
import { formatMapText } from '../report/map-text.js';
import type { CheckSettings, Reply, Request } from './protocol.js';

type Viz = { renderString(dot: string, options: { format: 'svg' }): string };
let viz: Promise<Viz> | undefined;

async function svgOf(dot: string): Promise<string> {
  viz ??= import('@viz-js/viz').then((m) => (m as unknown as { instance: () => Promise<Viz> }).instance());
  return (await viz).renderString(dot, { format: 'svg' });
}

const post = (r: Reply): void => (self as unknown as { postMessage(m: Reply): void }).postMessage(r);

/** A loaded model file includes built-in models by name (`include "aarch64.model"`); the page has no others. */
function withIncludes(model: CheckSettings['model']): CheckSettings['model'] {
  if (model?.kind !== 'file') return model;
  return { ...model, includes: Object.fromEntries(BUILTIN_MODEL_NAMES.map((n) => [`${n}.model`, builtinModelText(n)!])) };
}

function runOptions(s: CheckSettings) {
  const overrides = { ...(s.kvm !== undefined ? { kvm: s.kvm } : {}), ...(s.fwb !== undefined ? { fwb: s.fwb } : {}) };
  return { timeoutMs: s.timeoutMs, maxExecutions: s.maxExecutions, unroll: s.unroll, dot: true, explain: true, assume: s.assume || undefined, model: withIncludes(s.model), overrides };
}

function check(r: Extract<Request, { kind: 'check' }>): void {
  const started = Date.now();
  const report = runFile(r.name, r.text, runOptions(r.settings), (examined) => post({ id: r.id, kind: 'progress', examined }));
  const observation = report.text === undefined ? undefined : /^Observation \S+ (\S+)/m.exec(report.text)?.[1];
  post({ id: r.id, kind: 'check', text: report.text, errors: report.errorLines, dot: report.dot, explanation: report.explanation, observation, ms: Date.now() - started });
}

/** The models the catalogue's tests use, compiled before the first check; then Graphviz. */
function warm(id: number): void {
  for (const name of ['aarch64', 'aarch64+devices', 'aarch64+tlbi', 'lkmm']) builtinModule(name);
  void svgOf('digraph{}').then(() => post({ id, kind: 'text', text: 'warm', error: false }));
}

function lint(r: Extract<Request, { kind: 'lint' }>): void {
  const parsed = parseLitmus(r.text);
  const test = parsed.test;
  // The errors a check would report first: the parse's, then those of the lowering it would use.
  const lowering = test?.lkmm !== undefined ? test.lkmm.errors : test?.arm64Errors ?? [];
  const diagnostics = [...parsed.diagnostics, ...lowering].map((d) => ({ line: d.span.line, col: d.span.col, endLine: d.span.endLine, endCol: d.span.endCol, severity: d.severity, message: `${d.code}: ${d.message}` }));
  post({ id: r.id, kind: 'lint', diagnostics });
}

function matrix(r: Extract<Request, { kind: 'matrix' }>): void {
  const rows = matrixRows(r.name, r.text, r.expectations, { timeoutMs: r.settings.timeoutMs, maxExecutions: r.settings.maxExecutions, unroll: r.settings.unroll });
  post({ id: r.id, kind: 'matrix', table: formatMatrix(rows), summary: formatMatrixSummary(rows) });
}

function attrs(r: Extract<Request, { kind: 'attrs' }>): string {
  const s1 = parseStage1(r.s1);
  const s2 = parseStage2(r.s2, r.fwb);
  return formatAttrsText(s1, s2, r.fwb, combine(s1, s2, r.fwb));
}

function map(r: Extract<Request, { kind: 'map' }>): string {
  const kernel = parseKernelVersion(r.kernel);
  if (!isHostMappingSource(r.source)) throw new RangeError(`unknown mapping source '${r.source}' (known: ${HOST_MAPPING_SOURCES.join(', ')})`);
  const host = hostMapping(r.source, kernel);
  const decision = kvmStage2Decision({ kernel, vma: host.vmaFlags, pfn: 'device', hostS1: host.s1Attr, fwb: r.fwb, dic: r.dic, exec: false, dirtyLog: false, memslotChecked: true });
  return formatMapText(mapJson(decision, r.guestS1.trim() === '' ? undefined : parseStage1(r.guestS1)));
}

function model(r: Extract<Request, { kind: 'model' }>): string {
  const loaded = loadModel(r.name, r.text, builtinModelText, DEFAULT_ASSUMPTIONS);
  if (loaded.module) return `model ${r.name}: ok`;
  throw new RangeError(loaded.diagnostics.map((d) => `${r.name}:${d.span.line}:${d.span.col}: ${d.message}`).join('\n'));
}

/** A calculator's answer, or its error as text (a bad MAIR byte, an unknown kernel version). */
function text(id: number, f: () => string): void {
  try {
    post({ id, kind: 'text', text: f(), error: false });
  } catch (e) {
    post({ id, kind: 'text', text: e instanceof Error ? e.message : String(e), error: true });
  }
}

self.onmessage = (e: MessageEvent<Request>) => {
  const r = e.data;
  switch (r.kind) {
    case 'lint': return lint(r);
    case 'check': return check(r);
    case 'svg': return void svgOf(r.dot).then((svg) => post({ id: r.id, kind: 'svg', svg }));
    case 'warm': return warm(r.id);
    case 'matrix': return matrix(r);
    case 'attrs': return text(r.id, () => attrs(r));
    case 'map': return text(r.id, () => map(r));
    case 'model': return text(r.id, () => model(r));
  }
};
