/**
 * The limits that make a file's answer independent of the stack it runs on (docs/language.md,
 * "Limits"): long chains of `/\` and `\/` are answered, nesting past MAX_NESTING is one located
 * error, diagnostics are capped per file, and a worker thread with a small stack answers every
 * one of these files exactly as the main thread does. Long computations on a loaded value (a
 * chain of 30,000 additions, a value doubled 100 times, which shares every operand) are values
 * like any other, whatever their depth.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { parseLitmus } from '../src/syntax/index.js';
import { checkText } from '../src/pipeline/index.js';
import { builtinModel } from '../src/model/index.js';
import { formatCondition } from '../src/report/herd-text.js';
import { MAX_DIAGNOSTICS, MAX_NESTING, MAX_TEXT_CHARS } from '../src/syntax/limits.js';

/** Each front end wraps a condition (on line `line`) into a trivial test where x stays 0. */
const FRONT_ENDS = [
  { name: 'AArch64', line: 5, text: (cond: string) => `AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\n${cond}\n` },
  { name: 'C', line: 8, text: (cond: string) => `C T\n{}\nP0(int *x)\n{\nint r0;\nr0 = READ_ONCE(*x);\n}\n${cond}\n` },
];

/** A kernel C test whose body ends with `body` (on line 7). */
const cBody = (body: string) => `C T\n{}\nP0(int *x)\n{\nint r0;\nr0 = READ_ONCE(*x);\n${body}\n}\nexists (x=0)\n`;

/** `atom op atom op ...`, n atoms. */
const chain = (n: number, op: string, atom = 'x=0') => Array<string>(n).fill(atom).join(` ${op} `);

/** A kernel C test of CPUs and memory asks for the LKMM (not implemented yet): these ask for the arm64 answer. */
const ARM64 = { model: builtinModel('aarch64') };
const asArm64 = (text: string) => (text.startsWith('C ') ? ARM64 : {});

/** The test's Observation (Always, Sometimes, Never); the text must check without errors. */
function observation(text: string): string {
  const out = checkText(text, asArm64(text));
  assert.ok(out.ok, out.ok ? '' : out.diagnostics.map((d) => `${d.span.line}:${d.span.col}: ${d.message}`).join('\n'));
  return out.result.observation;
}

/** The diagnostics of a text that must not parse, as `line:col code: message`. */
function errorsOf(text: string): string[] {
  const r = parseLitmus(text);
  assert.equal(r.test, undefined);
  return r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.code}: ${d.message}`);
}

const TOO_DEEP = `condition nested deeper than ${MAX_NESTING} levels`;

for (const fe of FRONT_ENDS) {
  test(`${fe.name}: 5,000-atom chains of /\\ and \\/ are answered, and printed flat as herd prints them`, () => {
    for (const op of ['/\\', '\\/']) {
      const out = checkText(fe.text(`exists (${chain(5000, op)})`), asArm64(fe.text('')));
      assert.ok(out.ok);
      assert.equal(out.result.observation, 'Always');
      assert.equal(formatCondition(out.result.condition!), `exists (${chain(5000, op, '[x]=0')})`);
    }
    // The last atom decides.
    assert.equal(observation(fe.text(`exists (${chain(4999, '/\\')} /\\ x=1)`)), 'Never');
    assert.equal(observation(fe.text(`exists (${chain(4999, '\\/', 'x=1')} \\/ x=0)`)), 'Always');
    // Chains nest in each other and in parentheses as before: `\/` inside `/\` is parenthesised.
    const mixed = checkText(fe.text(`exists (${chain(3, '/\\')} /\\ (x=1 \\/ ${chain(3, '/\\')}) \\/ x=1)`), asArm64(fe.text('')));
    assert.ok(mixed.ok);
    assert.equal(formatCondition(mixed.result.condition!), 'exists ([x]=0 /\\ [x]=0 /\\ [x]=0 /\\ ([x]=1 \\/ [x]=0 /\\ [x]=0 /\\ [x]=0) \\/ [x]=1)');
  });

  test(`${fe.name}: parentheses, ~ and => nest ${MAX_NESTING} levels; past that, one error at the token that opens level ${MAX_NESTING + 1}`, () => {
    // 'exists ' takes columns 1-7: the k-th `(` or `~` is at column 7 + k.
    const at = `${fe.line}:${7 + MAX_NESTING + 1} syntax: ${TOO_DEEP}`;
    const parens = (n: number) => `exists ${'('.repeat(n)}x=0${')'.repeat(n)}`;
    assert.equal(observation(fe.text(parens(MAX_NESTING))), 'Always');
    assert.deepEqual(errorsOf(fe.text(parens(1500))), [at]);
    const nots = (n: number) => `exists ${'~'.repeat(n)}x=0`;
    assert.equal(observation(fe.text(nots(MAX_NESTING))), 'Always');
    assert.equal(observation(fe.text(nots(MAX_NESTING - 1))), 'Never');
    assert.deepEqual(errorsOf(fe.text(nots(5000))), [at]);
    // Both count towards one limit: the 65th `~(` opens level 129 at its `~`.
    const both = (n: number) => `exists ${'~('.repeat(n)}x=0${')'.repeat(n)}`;
    assert.equal(observation(fe.text(both(MAX_NESTING / 2))), 'Always');
    assert.deepEqual(errorsOf(fe.text(both(MAX_NESTING / 2 + 1))), [at]);
    // `a => b => c` is `a => (b => c)`: the k-th `=>` is at column 8 + 7 (k - 1) + 4.
    const arrows = (n: number) => `exists ${chain(n + 1, '=>')}`;
    assert.equal(observation(fe.text(arrows(MAX_NESTING))), 'Always');
    assert.deepEqual(errorsOf(fe.text(arrows(5000))), [`${fe.line}:${8 + 7 * MAX_NESTING + 4} syntax: ${TOO_DEEP}`]);
  });
}

test(`C: statements nest ${MAX_NESTING} levels; a statement nested deeper is one error at its first token`, () => {
  const statementTooDeep = `statement nested deeper than ${MAX_NESTING} levels`;
  // Each `if (r0 == 0) ` is 13 columns: the statement inside 129 of them is the 130th `if`.
  const ifs = (n: number) => cBody(`${'if (r0 == 0) '.repeat(n)}r0 = 1;`);
  assert.equal(observation(ifs(MAX_NESTING)), 'Always');
  assert.deepEqual(errorsOf(ifs(1500)), [`7:${1 + 13 * (MAX_NESTING + 1)} syntax: ${statementTooDeep}`]);
  const blocks = (n: number) => cBody(`${'{'.repeat(n)}r0 = 1;${'}'.repeat(n)}`);
  assert.equal(observation(blocks(MAX_NESTING)), 'Always');
  assert.deepEqual(errorsOf(blocks(1500)), [`7:${MAX_NESTING + 2} syntax: ${statementTooDeep}`]);
  // An else-if chain nests too: the k-th `if` is k - 1 levels deep, its statements k, so the
  // error is at the `r0` of the 129th `if` (columns: 21 for the first `if`, 26 for each `else if`).
  // The abandoned `if` takes its `else` branches with it: no "'else' without an 'if'" follows.
  const elseIfs = (n: number) => cBody(`if (r0 == 1) r0 = 1; ${'else if (r0 == 1) r0 = 1; '.repeat(n - 1)}`);
  assert.equal(observation(elseIfs(MAX_NESTING)), 'Always');
  assert.deepEqual(errorsOf(elseIfs(1500)), [`7:${1 + 21 + 26 * (MAX_NESTING - 1) + 18} syntax: ${statementTooDeep}`]);
});

test(`C: expressions nest ${MAX_NESTING} levels (parentheses, calls, operators of a chain)`, () => {
  const expressionTooDeep = `expression nested deeper than ${MAX_NESTING} levels`;
  // 'r0 = ' takes columns 1-5: the k-th `(` is at column 5 + k.
  const parens = (n: number) => cBody(`r0 = ${'('.repeat(n)}r0${')'.repeat(n)};`);
  assert.equal(observation(parens(MAX_NESTING)), 'Always');
  assert.deepEqual(errorsOf(parens(1500)), [`7:${5 + MAX_NESTING + 1} syntax: ${expressionTooDeep}`]);
  const calls = (n: number) => cBody(`r0 = ${'READ_ONCE('.repeat(n)}*x${')'.repeat(n)};`);
  assert.deepEqual(errorsOf(calls(1500)), [`7:${6 + 10 * MAX_NESTING} syntax: ${expressionTooDeep}`]);
  // A chain of 5,000 `+` (in an assignment, and in an if, whose width check walks it): the error
  // is at the 129th `+`, operand k (from 0) being at column 6 + 5k, or 5 + 5k after 'if ('.
  assert.deepEqual(errorsOf(cBody(`r0 = ${chain(5000, '+', 'r0')};`)), [`7:${6 + 5 * MAX_NESTING + 3} syntax: ${expressionTooDeep}`]);
  assert.deepEqual(errorsOf(cBody(`if (${chain(5000, '+', 'r0')} == 0) r0 = 1;`)), [`7:${5 + 5 * MAX_NESTING + 3} syntax: ${expressionTooDeep}`]);
  // A chain within the limit means what it says.
  assert.equal(observation(cBody(`r0 = r0 + ${chain(20, '+', '1')};\nWRITE_ONCE(*x, r0);`).replace('exists (x=0)', 'exists (x=20)')), 'Always');
});

test(`a text longer than ${MAX_TEXT_CHARS.toLocaleString('en')} characters is one error at 1:1, parsed no further`, () => {
  const body = 'AArch64 T\n{ 0:X1=x; }\n P0 ;\n LDR W0,[X1] ;\nexists (x=0)\n';
  const padded = (n: number) => body + ' '.repeat(n - body.length);
  assert.equal(observation(padded(MAX_TEXT_CHARS)), 'Always');
  assert.deepEqual(errorsOf(padded(MAX_TEXT_CHARS + 1)), [`1:1 syntax: the text has 1,048,577 characters; a litmus test may have at most 1,048,576`]);
  // 165 MB of conditions, which once exhausted a worker's heap, ends at once.
  const huge = body + `exists (${chain(20_000, '/\\')})\n`.repeat(1000);
  assert.equal(errorsOf(huge).length, 1);
});

/** An AArch64 test: load x, then `n` times `op`, store the result to y. */
const aarch64Chain = (n: number, op: string, cond: string) =>
  `AArch64 T\n{ 0:X1=x; 0:X2=y; }\n P0 ;\n LDR X0,[X1] ;\n${` ${op} ;\n`.repeat(n)} STR X0,[X2] ;\nexists (${cond})\n`;
/** A kernel C test: read x, then `n` times `stmt`, write the result to x. */
const cChain = (n: number, stmt: string, cond: string) =>
  `C T\n{}\nP0(int *x)\n{\nint r0;\nr0 = READ_ONCE(*x);\n${`${stmt}\n`.repeat(n)}WRITE_ONCE(*x, r0);\n}\nexists (${cond})\n`;

const LONG_VALUES = [
  // x is 0, so 30,000 additions of 1 give 30,000, and any number of doublings gives 0.
  { text: aarch64Chain(30_000, 'ADD X0,X0,#1', '0:X0=30000 /\\ y=30000'), observation: 'Always' },
  { text: aarch64Chain(100, 'ADD X0,X0,X0', 'y=0'), observation: 'Always' },
  { text: cChain(30_000, 'r0 = r0 + 1;', '0:r0=30000 /\\ x=30000'), observation: 'Always' },
  { text: cChain(100, 'r0 = r0 + r0;', 'x=0'), observation: 'Always' },
  { text: cChain(100, 'r0 = r0 + r0;', 'x=1'), observation: 'Never' },
];

test('long computations on a loaded value: 30,000 chained additions, a value doubled 100 times', () => {
  for (const { text, observation: expected } of LONG_VALUES) assert.equal(observation(text), expected);
});

test(`at most ${MAX_DIAGNOSTICS} diagnostics per file, then one that counts the rest`, () => {
  const table = (row: string) => `AArch64 T\n{ 0:X1=x; }\n P0 | P1 ;\n${row}\n`;
  // One line of a million ';': a million rows of one cell, for two threads.
  const r = parseLitmus(table(';'.repeat(1_000_000)));
  assert.equal(r.test, undefined);
  assert.equal(r.diagnostics.length, MAX_DIAGNOSTICS + 1);
  assert.deepEqual(r.diagnostics.slice(0, 2).map((d) => `${d.span.line}:${d.span.col} ${d.message}`), ['4:1 row has 1 cell but there are 2 threads', '4:2 row has 1 cell but there are 2 threads']);
  const last = r.diagnostics[MAX_DIAGNOSTICS]!;
  assert.deepEqual([last.severity, `${last.span.line}:${last.span.col}`, last.message], ['error', `4:${MAX_DIAGNOSTICS + 1}`, `... and ${1_000_000 - MAX_DIAGNOSTICS} more errors (only the first ${MAX_DIAGNOSTICS} are listed)`]);
  // Exactly the cap: every one listed, no summary.
  assert.equal(parseLitmus(table(';'.repeat(MAX_DIAGNOSTICS))).diagnostics.length, MAX_DIAGNOSTICS);
  // A kernel C body of 100,000 bad lines: each line is one error (the parser goes on after each).
  const c = parseLitmus(cBody('@;\n'.repeat(100_000)));
  assert.equal(c.diagnostics.length, MAX_DIAGNOSTICS + 1);
  assert.equal(c.diagnostics[0]!.message, "expected a statement, found '@'");
  assert.equal(c.diagnostics[MAX_DIAGNOSTICS]!.message, `... and ${100_000 - MAX_DIAGNOSTICS} more errors (only the first ${MAX_DIAGNOSTICS} are listed)`);
  // A million '|' and a 1 MB token are one row each: a couple of diagnostics, not one per character.
  assert.ok(parseLitmus(table('|'.repeat(1_000_000))).diagnostics.length <= 2);
  assert.ok(parseLitmus(table('a'.repeat(1_000_000))).diagnostics.length <= 2);
});

/** The library a thread needs to answer for a text. */
interface Lib {
  readonly checkText: typeof checkText;
  readonly formatCondition: typeof formatCondition;
}

/**
 * What a thread answers for a text: the Observation and the Condition line's length, or the
 * diagnostics. It uses only its arguments, so its own source runs inside the worker too.
 */
function summarise(lib: Lib, text: string): string {
  try {
    const out = lib.checkText(text);
    if (!out.ok) return out.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.message}`).join('\n');
    return `${out.result.observation} ${lib.formatCondition(out.result.condition!).length}`;
  } catch (e) {
    return `threw ${String(e)}`;
  }
}

/** `summarise` of each text in a worker thread with a stack of `stackSizeMb`. */
function inWorker(texts: readonly string[], stackSizeMb: number): Promise<string[]> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const summarise = ${summarise.toString()};
    Promise.all([import(workerData.search), import(workerData.report)]).then(([search, report]) => {
      const lib = { checkText: search.checkText, formatCondition: report.formatCondition };
      parentPort.postMessage(workerData.texts.map((t) => summarise(lib, t)));
    });`;
  const url = (path: string) => new URL(path, import.meta.url).href;
  const workerData = { texts, search: url('../src/pipeline/index.js'), report: url('../src/report/herd-text.js') };
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true, workerData, resourceLimits: { stackSizeMb } });
    w.once('message', (m: string[]) => {
      resolve(m);
      void w.terminate();
    });
    w.once('error', reject);
  });
}

test('a worker thread with a small stack answers every one of these files as the main thread does', async () => {
  const texts: string[] = [];
  for (const fe of FRONT_ENDS) {
    for (const n of [MAX_NESTING, 1500, 10_000]) {
      texts.push(fe.text(`exists ${'('.repeat(n)}x=0${')'.repeat(n)}`), fe.text(`exists ${'~'.repeat(n)}x=0`), fe.text(`exists ${chain(n + 1, '=>')}`));
    }
    texts.push(fe.text(`exists (${chain(5000, '/\\')})`), fe.text(`exists (${chain(5000, '\\/')})`));
    texts.push(fe.text(`exists ${'(x=1 \\/ ~'.repeat(MAX_NESTING / 2)}x=0${')'.repeat(MAX_NESTING / 2)}`));
  }
  for (const n of [MAX_NESTING, 1500]) {
    texts.push(cBody(`${'if (r0 == 0) '.repeat(n)}r0 = 1;`), cBody(`${'{'.repeat(n)}r0 = 1;${'}'.repeat(n)}`), cBody(`r0 = ${'('.repeat(n)}r0${')'.repeat(n)};`));
  }
  texts.push(...LONG_VALUES.map((v) => v.text));
  const main = texts.map((t) => summarise({ checkText, formatCondition }, t));
  for (const answer of main) assert.doesNotMatch(answer, /^threw/);
  // 0.5 MB: Node keeps 192 KB of it in reserve, so the worker's JS has about a third of the main thread's stack.
  assert.deepEqual(await inWorker(texts, 0.5), main);
});
