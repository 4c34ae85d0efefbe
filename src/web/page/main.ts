/**
 * The playground page: an editor, the catalogue, the models, the assumptions, and every result
 * `iolitmus check` gives (herd's layout, the witness or ruled-out graph, mappings and timelines),
 * the matrix view and the attrs/map calculators. The core runs in workers (workers.ts); the state
 * can be shared as a link (share.ts).
 */
import type { EditorView } from '@codemirror/view';
import { createEditor, setText } from './editor.js';
import { WorkerClient } from './workers.js';
import { decodeShare, encodeShare } from './share.js';
import type { CheckSettings, Reply } from '../protocol.js';
import type { Expectation } from '../../pipeline/matrix.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const checker = new WorkerClient('./worker.js');
const linter = new WorkerClient('./worker.js');

interface Catalogue {
  readonly tests: Readonly<Record<string, string>>;
  readonly models: readonly string[];
  /** A scenario's expected verdicts per assumption set (catalogue/FOLDER/expected.json). */
  readonly expectations: Readonly<Record<string, readonly Expectation[]>>;
}

let catalogue: Catalogue;

const DEFAULT_TEST = `AArch64 MP+dmb.st+addr
"Message passing: a DMB ST orders the writes, an address dependency the reads."
{ 0:X1=x; 0:X3=y; 1:X1=y; 1:X3=x; }
 P0          | P1                  ;
 MOV W0,#1   | LDR W0,[X1]         ;
 STR W0,[X1] | EOR W2,W0,W0        ;
 DMB ISHST   | LDR W4,[X3,W2,SXTW] ;
 MOV W2,#1   |                     ;
 STR W2,[X3] |                     ;
exists (1:X0=1 /\\ 1:X4=0)
`;

let editor: EditorView;
let userModel: { name: string; text: string } | undefined;

function settings(): CheckSettings {
  const choice = $<HTMLSelectElement>('model').value;
  const model = choice === '' ? undefined : choice === 'file' && userModel ? { kind: 'file' as const, name: userModel.name, text: userModel.text, includes: {} } : { kind: 'builtin' as const, name: choice };
  const kvm = $<HTMLSelectElement>('kvm').value;
  const fwb = $<HTMLSelectElement>('fwb').value;
  // The CLI's limits (--timeout, --max-executions, --unroll): a bound reached makes the result partial.
  const count = (id: string, fallback: number | undefined) => {
    const v = Number.parseInt($<HTMLInputElement>(id).value, 10);
    return Number.isFinite(v) && v >= 0 ? v : fallback;
  };
  return { model, assume: assumeText(), timeoutMs: (count('timeout', 60) || 60) * 1000, maxExecutions: count('max-executions', undefined) || undefined, unroll: count('unroll', 2)!, kvm: kvm === '' ? undefined : kvm, fwb: fwb === '' ? undefined : fwb === 'on' };
}

/** The assumption pickers and the free text, as `--assume` takes them. */
function assumeText(): string {
  const picked = [...document.querySelectorAll<HTMLSelectElement>('select.assume')].filter((s) => s.value !== '').map((s) => `${s.name}=${s.value}`);
  return [...picked, $<HTMLInputElement>('assume').value.trim()].filter(Boolean).join(' ');
}

function testName(): string {
  return /^\s*\S+\s+(\S+)/.exec(editor.state.doc.toString())?.[1] ?? 'test';
}

function show(id: string, text: string): void {
  $(id).textContent = text;
}

async function run(): Promise<void> {
  const started = performance.now();
  $('status').textContent = 'running…';
  $('status').className = 'running';
  let examined = 0;
  checker.onProgress = (n) => (examined = n);
  const timer = setInterval(() => ($('status').textContent = `running… ${((performance.now() - started) / 1000).toFixed(1)} s${examined ? `, ${examined.toLocaleString('en')} executions examined` : ''}`), 100);
  $<HTMLButtonElement>('stop').disabled = false;
  try {
    const r = await checker.request({ kind: 'check', name: testName(), text: editor.state.doc.toString(), settings: settings() });
    if (r.kind !== 'check') return;
    show('out', r.text ?? '');
    show('errors', r.errors.join('\n'));
    show('explain', r.explanation ?? '');
    $('graph').innerHTML = '';
    $('status').textContent = r.observation ? `${r.observation} (${r.ms} ms)` : r.errors.length ? 'error' : 'done';
    $('status').className = r.observation ?? 'error';
    if (r.dot !== undefined) void drawGraph(r.dot);
  } catch (e) {
    $('status').textContent = (e as Error).message;
    $('status').className = 'stopped';
  } finally {
    clearInterval(timer);
    $<HTMLButtonElement>('stop').disabled = true;
  }
}

async function drawGraph(dot: string): Promise<void> {
  const r = await checker.request({ kind: 'svg', dot });
  if (r.kind === 'svg') $('graph').innerHTML = r.svg;
}

async function matrix(): Promise<void> {
  $('status').textContent = 'matrix…';
  show('matrix-out', '');
  selectTab('matrix');
  try {
    // A catalogue scenario's expected verdicts, while its text is the catalogue's.
    const open = $<HTMLSelectElement>('catalogue').value;
    const text = editor.state.doc.toString();
    const expectations = open !== '' && catalogue.tests[open] === text ? catalogue.expectations[open] ?? [] : [];
    const r = await checker.request({ kind: 'matrix', name: testName(), text, settings: settings(), expectations });
    if (r.kind === 'matrix') show('matrix-out', `${r.summary}\n${r.table}`);
    $('status').textContent = 'matrix done';
  } catch (e) {
    $('status').textContent = (e as Error).message;
  }
}

async function calculator(kind: 'attrs' | 'map'): Promise<void> {
  const r: Reply = kind === 'attrs'
    ? await checker.request({ kind: 'attrs', s1: $<HTMLInputElement>('attrs-s1').value, s2: $<HTMLInputElement>('attrs-s2').value, fwb: $<HTMLInputElement>('attrs-fwb').checked })
    : await checker.request({ kind: 'map', kernel: $<HTMLInputElement>('map-kernel').value, source: $<HTMLSelectElement>('map-source').value, guestS1: $<HTMLInputElement>('map-guest').value, fwb: $<HTMLInputElement>('map-fwb').checked, dic: $<HTMLInputElement>('map-dic').checked });
  if (r.kind === 'text') {
    show(`${kind}-out`, r.text);
    $(`${kind}-out`).className = r.error ? 'error' : '';
  }
}

function selectTab(name: string): void {
  for (const t of document.querySelectorAll<HTMLElement>('[data-tab]')) t.classList.toggle('active', t.dataset['tab'] === name);
  for (const p of document.querySelectorAll<HTMLElement>('.pane')) p.hidden = p.id !== `pane-${name}`;
}

async function share(): Promise<void> {
  const model = $<HTMLSelectElement>('model').value;
  const fragment = await encodeShare({ text: editor.state.doc.toString(), model: model === 'file' ? '' : model, assume: assumeText(), kvm: $<HTMLSelectElement>('kvm').value, fwb: $<HTMLSelectElement>('fwb').value });
  history.replaceState(null, '', fragment);
  $<HTMLInputElement>('share-link').value = location.href;
  $('share-link').hidden = false;
}

async function loadUserModel(file: File): Promise<void> {
  const text = await file.text();
  const r = await checker.request({ kind: 'model', name: file.name, text });
  if (r.kind !== 'text') return;
  show('errors', r.text);
  if (r.error) return;
  userModel = { name: file.name.replace(/\.(model|cat)$/, ''), text };
  const opt = $<HTMLSelectElement>('model').querySelector<HTMLOptionElement>('option[value=file]')!;
  opt.textContent = `file: ${file.name}`;
  opt.hidden = false;
  $<HTMLSelectElement>('model').value = 'file';
}

/** The text changed: a shared link no longer holds it, and the results shown are of the text before. */
function edited(): void {
  $('share-link').hidden = true;
  const status = $('status');
  if (status.textContent !== '' && !status.textContent!.endsWith('(before the last edit)') && !status.textContent!.startsWith('running')) status.textContent += ' (before the last edit)';
}

async function start(): Promise<void> {
  catalogue = (await (await fetch('./catalogue.json')).json()) as Catalogue;
  const pick = $<HTMLSelectElement>('catalogue');
  for (const name of Object.keys(catalogue.tests)) pick.add(new Option(name, name));
  for (const m of catalogue.models) $<HTMLSelectElement>('model').add(new Option(m, m));
  const shared = await decodeShare(location.hash);
  const lint = async (text: string) => {
    const r = await linter.request({ kind: 'lint', text });
    return r.kind === 'lint' ? r.diagnostics : [];
  };
  void checker.request({ kind: 'warm' }).catch(() => undefined);
  editor = createEditor($('editor'), shared?.text ?? DEFAULT_TEST, lint, edited);
  if (shared) {
    $<HTMLSelectElement>('model').value = shared.model;
    $<HTMLInputElement>('assume').value = shared.assume;
    $<HTMLSelectElement>('kvm').value = shared.kvm;
    $<HTMLSelectElement>('fwb').value = shared.fwb;
  }
  pick.onchange = () => {
    if (!pick.value) return;
    setText(editor, catalogue.tests[pick.value]!);
    for (const id of ['out', 'errors', 'explain', 'matrix-out']) show(id, '');
    $('graph').innerHTML = '';
    $('status').textContent = '';
  };
  $('run').onclick = () => void run();
  $('stop').onclick = () => checker.restart('stopped');
  $('matrix').onclick = () => void matrix();
  $('share').onclick = () => void share();
  $('attrs-go').onclick = () => void calculator('attrs');
  $('map-go').onclick = () => void calculator('map');
  $<HTMLInputElement>('model-file').onchange = (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (f) void loadUserModel(f);
  };
  for (const t of document.querySelectorAll<HTMLElement>('[data-tab]')) t.onclick = () => selectTab(t.dataset['tab']!);
  selectTab('result');
  document.body.dataset['ready'] = 'true';
}

void start();
