/**
 * The model language (docs/models.md): the compiler's shortcuts answer as plain evaluation of the
 * built-in model files, a user's variant of a model changes the verdict its change implies, and a
 * broken model file gives located errors, never a model.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkText } from '../src/pipeline/index.js';
import { DEFAULT_ASSUMPTIONS } from '../src/model/assumptions.js';
import type { Model } from '../src/model/model.js';
import { builtinModelText, builtinModule, loadModel } from '../src/model/lang/index.js';
import { Compiler } from '../src/model/lang/compile.js';
import { parseModel } from '../src/model/lang/parse.js';
import { variantsOf } from '../src/model/lang/load.js';
import { rng } from './fuzz.js';
import { outsideText } from './mutate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/iolitmus.js');
const TMP = mkdtempSync(join(tmpdir(), 'iolitmus-model-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const ARM_TEXT = builtinModelText('aarch64')!;
const fileModel: Model = { name: 'aarch64', modules: [builtinModule('aarch64')] };

/** States, counts and Observation: what must not change between two models that are the same. */
function answerOf(out: ReturnType<typeof checkText>): string {
  if (!out.ok) return `error ${out.diagnostics[0]!.message}`;
  const r = out.result;
  return JSON.stringify([r.states.map((s) => s.text.join(' ')).sort(), r.positive, r.negative, r.observation, r.partial ?? null]);
}

function litmusFiles(dir: string, every = 1): string[] {
  const all = readdirSync(join(ROOT, dir), { recursive: true }).map(String).filter((f) => f.endsWith('.litmus')).sort();
  return all.filter((_, i) => i % every === 0).map((f) => join(ROOT, dir, f));
}

/**
 * A built-in model with every check written so the compiler takes none of its shortcuts (no
 * depth-first acyclicity, no split of irreflexive a; b or empty a & b, no search along r for a & r+):
 * `acyclic e` becomes `irreflexive (e)+ | 0`, any other test `T (e) | 0`. Includes likewise.
 */
function plainModel(name: string): Model {
  const plain = (text: string) =>
    text.replace(/^(acyclic|irreflexive|empty) (.*) as (\S+)$/gm, (_, test: string, e: string, n: string) =>
      test === 'acyclic' ? `irreflexive (${e})+ | 0 as ${n}` : `${test} (${e}) | 0 as ${n}`);
  const loaded = loadModel(name, plain(builtinModelText(name)!), (f) => plain(builtinModelText(f)!), DEFAULT_ASSUMPTIONS);
  assert.deepEqual(loaded.diagnostics, []);
  return { name, modules: [loaded.module!] };
}

test('the compiler\'s shortcuts answer as plain evaluation: catalogue, corpus and device scenarios under assumptions', () => {
  const files = [...litmusFiles('catalogue'), ...litmusFiles('corpus/generated', 10)];
  assert.ok(files.length > 400, `${files.length} files`);
  // A TLB invalidation with no endpoint (aarch64+tlbi): the host invalidates, the user stores.
  // P1 is a user process (ASID 5): the host flushes its mapping and reads x through its own.
  const tlbi = 'AArch64 tlbi-then-read\n{ P1: asid:5; 0:X8=0x5000000000000; 0:X1=x; 1:X1=x; }\n P0 | P1 ;\n ADD X9,X1,X8 | MOV W0,#1 ;\n TLBI VAE1IS,X9 | L1: STR W0,[X1] ;\n DSB ISH | ;\n LDR W2,[X1] | ;\nexists (0:X2=0 /\\ ~fault(P1:L1))\n';
  const plain = new Map<string, Model>();
  for (const f of [...files, tlbi]) {
    const text = f === tlbi ? tlbi : readFileSync(f, 'utf8');
    const first = checkText(text);
    if (!first.ok) continue;
    const name = first.model.name;
    if (!plain.has(name)) plain.set(name, plainModel(name));
    const settings = name === 'aarch64+devices' ? ['', 'fabric=architecture', 'rc-order=off relaxed-ordering', 'id-ordering ne-honoured=all'] : [''];
    for (const assume of settings) {
      const shortcut = checkText(text, { assume });
      const slow = checkText(text, { assume, model: plain.get(name)! });
      assert.equal(answerOf(slow), answerOf(shortcut), `${f} ${assume}`);
    }
  }
  assert.deepEqual([...plain.keys()].sort(), ['aarch64', 'aarch64+devices', 'aarch64+tlbi', 'lkmm', 'vmsa']);
});

test('a user model without the DMB ST clause of barrier-ordered-before allows MP with DMB ISHST', () => {
  const mp = readFileSync(join(ROOT, 'catalogue/aarch64/MP+dmb.ishst+addr-x.litmus'), 'utf8');
  const clause = '  | [W]; po; [DMB.st | DSB.st]; po; [W]\n';
  assert.ok(ARM_TEXT.includes(clause));
  const loaded = loadModel('no-dmb-st', ARM_TEXT.replace(clause, '\n'), () => undefined, DEFAULT_ASSUMPTIONS);
  assert.ok(loaded.module, loaded.diagnostics.map((d) => d.message).join('\n'));
  const without = checkText(mp, { model: { name: 'no-dmb-st', modules: [loaded.module] } });
  const with_ = checkText(mp, { model: fileModel });
  assert.ok(without.ok && with_.ok);
  // Nothing else orders the two writes of P0: the message-passing outcome appears.
  assert.equal(with_.result.observation, 'Never');
  assert.equal(without.result.observation, 'Sometimes');
  assert.equal(without.result.model, 'no-dmb-st');
});

/** The located errors of a model text (with `files` to include), as `line:col message`. */
function modelErrors(text: string, files: Record<string, string> = {}): string[] {
  const r = loadModel('m', text, (f) => files[f], DEFAULT_ASSUMPTIONS);
  assert.equal(r.module, undefined, 'expected errors');
  return r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`);
}

test('a broken model gives located errors: syntax, names, types, order of definitions, variants, includes', () => {
  assert.deepEqual(modelErrors('let a = po |\n'), ["2:1 expected a set or relation, found the end of the file"]);
  assert.deepEqual(modelErrors('acyclic po; nonsense as x\n'), ["1:13 unknown name 'nonsense' (not defined, and no primitive set or relation: docs/models.md lists them)"]);
  assert.deepEqual(modelErrors('acyclic R as x\n'), ["1:9 'acyclic' checks a relation, and this is a set (use [S] for the identity on it)"]);
  assert.deepEqual(modelErrors('let a = po; W\n'), ["1:13 ';' sequences relations; this is a set (use [S])"]);
  assert.deepEqual(modelErrors('let a = b\nlet b = po\n'), ["1:9 'b' is defined later (line 2): a definition can use only earlier ones (or define them together with let rec ... and ...)"]);
  assert.deepEqual(modelErrors('let a = R | po\n'), ["1:9 '|' needs two sets or two relations: the left is a set, the right a relation"]);
  assert.deepEqual(modelErrors('let rec a = po \\ a\n'), ["1:9 'a': a recursive definition may use a only where adding pairs cannot remove any (not right of '\\')"]);
  assert.deepEqual(modelErrors('let a = if "warp-drive" then po else 0\n'), ['1:12 unknown variant "warp-drive": a variant is an assumption name (rc-order, relaxed-ordering, ...) or name=value (fabric=architecture)']);
  // The branch of an `if` the defaults do not take is checked too: other settings take it.
  assert.deepEqual(modelErrors('let a = if "relaxed-ordering" then nonsense else po\n'), ["1:36 unknown name 'nonsense' (not defined, and no primitive set or relation: docs/models.md lists them)"]);
  assert.deepEqual(modelErrors('let a = if "rc-order" then po else if "bogus" then po else po\n'), ['1:39 unknown variant "bogus": a variant is an assumption name (rc-order, relaxed-ordering, ...) or name=value (fabric=architecture)']);
  assert.deepEqual(modelErrors('include "nowhere.model"\n'), ['1:1 cannot include "nowhere.model": no such model file']);
  assert.deepEqual(modelErrors('include "a"\n', { a: 'include "a"\n' }), ['1:1 include "a" includes itself (a -> a)']);
  assert.deepEqual(modelErrors('(* never closed\nlet a = po\n'), ['1:1 comment never closed: (* needs a matching *)']);
  assert.deepEqual(modelErrors(`let a = ${'('.repeat(200)}po${')'.repeat(200)}\n`), ['1:137 expression nested deeper than 128 levels']);
});

test('definitions, let rec, variants, domain/range, products and flags mean what docs/models.md says', () => {
  const mp = readFileSync(join(ROOT, 'catalogue/aarch64/MP+dmb.ishst+addr-x.litmus'), 'utf8');
  // A model of sequential consistency: po and the communication relations are acyclic.
  const sc = 'let rec hb = po | rf | co | fr | hb; hb\nacyclic hb as sc\n';
  const scModel = loadModel('sc', sc, () => undefined, DEFAULT_ASSUMPTIONS).module!;
  const r = checkText(mp, { model: { name: 'sc', modules: [scModel] } });
  assert.ok(r.ok);
  assert.equal(r.result.observation, 'Never');
  // A recursive definition without rf, co or fr is solved once per execution: po's closure has no cycle.
  const staticRec = loadModel('r', 'let rec r = po | r; r\nacyclic r as order\n', () => undefined, DEFAULT_ASSUMPTIONS).module!;
  const sr = checkText(mp, { model: { name: 'r', modules: [staticRec] } });
  assert.ok(sr.ok, sr.ok ? '' : sr.diagnostics[0]!.message);
  assert.equal(sr.result.states.length, 4);
  // `if "variant"` is decided by the assumptions: relaxed-ordering=on removes the only check.
  const v = 'acyclic if "relaxed-ordering" then 0 else (po | rf | co | fr) as sc\n';
  const vModel: Model = { name: 'v', modules: [loadModel('v', v, () => undefined, DEFAULT_ASSUMPTIONS).module!] };
  const strict = checkText(mp, { model: vModel });
  assert.ok(strict.ok);
  assert.equal(strict.result.observation, 'Never');
  const relaxed = checkText(mp, { model: vModel, assume: 'relaxed-ordering=on' });
  assert.ok(relaxed.ok);
  assert.equal(relaxed.result.observation, 'Sometimes');
  // Sets, domain, range and products: only reads read from a write, and edges out of the
  // initial writes (which nothing precedes) close no cycle.
  const sets = 'empty [range(rf) \\ R] as reads\nempty [domain(rf) \\ W] as writes\nacyclic po | rf | co | fr | IW * (M \\ IW) as sc\n';
  const setModel = loadModel('s', sets, () => undefined, DEFAULT_ASSUMPTIONS);
  assert.ok(setModel.module, setModel.diagnostics.map((d) => d.message).join());
  const s = checkText(mp, { model: { name: 's', modules: [setModel.module] } });
  assert.ok(s.ok);
  assert.equal(s.result.observation, 'Never');
  assert.equal(s.result.states.length, 3);
  // A flag rejects nothing.
  const flagged = loadModel('f', 'flag ~empty rf as reads\nacyclic po | rf | co | fr as sc\n', () => undefined, DEFAULT_ASSUMPTIONS).module!;
  const f = checkText(mp, { model: { name: 'f', modules: [flagged] } });
  assert.ok(f.ok);
  assert.equal(f.result.observation, 'Never');
  // ... and is reported when some allowed execution raises it (every MP execution has reads-from).
  assert.deepEqual(f.result.flags, ['reads']);
  const never = loadModel('g', 'flag ~empty rf & po as po-reads\n', () => undefined, DEFAULT_ASSUMPTIONS).module!;
  const g = checkText(mp, { model: { name: 'g', modules: [never] } });
  assert.ok(g.ok);
  assert.deepEqual(g.result.flags, []);
});

test('checks are classified: monotone ones prune, a difference with a dynamic right side waits for complete executions', () => {
  const parsed = parseModel('acyclic po | rf as a\nempty rmw & (fr; co) \\ (fr; co) as b\nflag ~empty co as c\nempty po \\ id as d\n');
  assert.deepEqual(parsed.diagnostics, []);
  const c = new Compiler(variantsOf(DEFAULT_ASSUMPTIONS), [], () => undefined);
  c.statements(parsed.file.statements);
  assert.deepEqual(c.result().checks.map((k) => [k.name, k.prunes]), [['a', true], ['b', false], ['c', false], ['d', true]]);
});

test('the embedded model texts are the files of models/', async () => {
  const { embeddedModels } = (await import(join(ROOT, 'scripts/embed-models.mjs'))) as { embeddedModels: () => string };
  assert.equal(readFileSync(join(ROOT, 'src/model/lang/builtin-texts.ts'), 'utf8'), embeddedModels());
});

/** Run the CLI. */
function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('CLI: --model FILE (and herd\'s -cat) answers with the file and says so; a broken model is exit 2 with located errors', () => {
  const mp = join(ROOT, 'catalogue/aarch64/MP+dmb.ishst+addr-x.litmus');
  const file = join(TMP, 'no-dmb-st.model');
  writeFileSync(file, ARM_TEXT.replace('  | [W]; po; [DMB.st | DSB.st]; po; [W]\n', '\n'));
  for (const flag of ['--model', '-cat', '-model']) {
    const r = cli('check', flag, file, mp);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Observation MP\+dmb\.ishst\+addr-x Sometimes /m);
    assert.match(r.stdout, new RegExp(`^Model MP\\+dmb\\.ishst\\+addr-x ${file.replace(/[.+]/g, '\\$&')}$`, 'm'));
  }
  // A model file may include a built-in by name and add to it.
  const extended = join(TMP, 'extended.model');
  writeFileSync(extended, 'include "aarch64.model"\nacyclic po | rf | co | fr as sc\n');
  const e = cli('check', '--model', extended, mp);
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /^Observation MP\+dmb\.ishst\+addr-x Never /m);
  const builtin = cli('check', '--json', '--model', 'aarch64', mp);
  assert.equal(JSON.parse(builtin.stdout).results[0].model, 'aarch64');
  assert.equal(JSON.parse(builtin.stdout).results[0].observation, 'Never');
  const broken = join(TMP, 'broken.model');
  writeFileSync(broken, 'let a = po\nacyclic a | nonsense as x\n');
  const b = cli('check', '--model', broken, mp);
  assert.equal(b.status, 2);
  assert.equal(b.stdout, '');
  assert.ok(b.stderr.includes(`${broken}:2:13: unknown name 'nonsense'`), b.stderr);
  const missing = cli('check', '--model', join(TMP, 'absent.model'), mp);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /neither a readable model file .* nor a built-in model \(aarch64, aarch64\+devices, aarch64\+tlbi, lkmm, tlbi, vmsa\)/);
  // A test with devices needs a model that speaks of them: unsupported, at its name.
  const device = cli('check', '--model', 'aarch64', join(ROOT, 'catalogue/thread/doorbell-wmb.litmus'));
  assert.equal(device.status, 1);
  assert.match(device.stderr, /doorbell-wmb\.litmus:1:9: unsupported: model aarch64 has no rules for devices/);
});

/** Two Device-nGnRE stores of one CPU to one platform endpoint, with nothing between them. */
const TWO_NGNRE_STORES = `AArch64 two-nGnRE-stores
{
dev: platform;
r0 = dev.mmio:0x0;
r1 = dev.mmio:0x8;
P0:r0 attrs:(Device-nGnRE);
P0:r1 attrs:(Device-nGnRE);
0:X1=r0; 0:X2=r1;
}
 P0 ;
 MOV W0,#1 ;
 L1: STR W0,[X1] ;
 L2: STR W0,[X2] ;
exists (before(P0:L2,P0:L1))
`;

test('CLI: a device model file without B2.4.1 rule 1 lets two nGnRE stores arrive out of program order', () => {
  const testFile = join(TMP, 'two-stores.litmus');
  writeFileSync(testFile, TWO_NGNRE_STORES);
  // Arm ARM B2.4.1 rule 1: Device-nGnRE accesses to one peripheral arrive in program order.
  const builtin = cli('check', '--model', 'aarch64+devices', testFile);
  assert.equal(builtin.status, 0, builtin.stderr);
  assert.match(builtin.stdout, /^Observation two-nGnRE-stores Never /m);
  assert.match(builtin.stdout, /^Model two-nGnRE-stores aarch64\+devices$/m);
  // The same model with rule 1 taken out: nothing else orders two stores with no barrier.
  const text = builtinModelText('aarch64+devices')!;
  const withoutRule1 = text.replace(/let peripheral-rule1 = [^\n]*\n/, 'let peripheral-rule1 = 0\n');
  assert.notEqual(withoutRule1, text);
  const variant = join(TMP, 'no-rule1.model');
  writeFileSync(variant, withoutRule1);
  const r = cli('check', '--model', variant, testFile);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^Observation two-nGnRE-stores Sometimes /m);
});

test('fuzzed model files: never a throw, every error inside the text, and a model that loads can run', () => {
  const rand = rng(17);
  const alphabet = 'RWMpo-loc;|&\\*+?^-1[]()=~ \nletrecandasacyclicirreflexiveemptyflagincludeif"then"else0domainrange';
  const mp = readFileSync(join(ROOT, 'catalogue/aarch64/MP+dmb.ishst+addr-x.litmus'), 'utf8');
  let loaded = 0;
  for (let n = 0; n < 300; n++) {
    let s = ARM_TEXT;
    for (let e = 1 + Math.floor(rand() * 4); e > 0; e--) {
      const at = Math.floor(rand() * (s.length + 1));
      const ch = alphabet[Math.floor(rand() * alphabet.length)]!;
      const op = rand();
      s = op < 0.33 ? s.slice(0, at) + s.slice(at + 1) : op < 0.66 ? s.slice(0, at) + ch + s.slice(at) : s.slice(0, at) + ch + s.slice(at + 1);
    }
    const r = loadModel('fuzzed', s, () => undefined, DEFAULT_ASSUMPTIONS);
    for (const d of r.diagnostics) assert.equal(outsideText(d.span, s), undefined, `${d.span.line}:${d.span.col} ${d.message}`);
    if (r.module) {
      loaded++;
      const out = checkText(mp, { model: { name: 'fuzzed', modules: [r.module] } });
      assert.ok(out.ok || out.diagnostics.every((d) => d.code !== 'internal'), JSON.stringify(out.diagnostics));
    }
  }
  assert.ok(loaded > 20 && loaded < 280, `${loaded} of 300 loaded`);
});
