/** A seeded mutation fuzzer for the litmus front ends, shared by their tests. */
import assert from 'node:assert/strict';
import type { ParseResult } from '../src/syntax/index.js';

/** mulberry32: a small seeded PRNG so the fuzz run is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One fuzz run: `runs` texts, each a seed text (in turn) with 1 to 4 random one-character edits. */
export interface FuzzRun {
  /** The PRNG seed. */
  readonly seed: number;
  readonly runs: number;
  /** Valid texts to mutate. */
  readonly texts: readonly string[];
  /** The characters an edit inserts or writes over. */
  readonly alphabet: string;
  readonly parse: (text: string) => ParseResult;
  /** The mutations must actually exercise the error paths: more texts than this must have errors. */
  readonly minWithErrors: number;
}

/**
 * Parse every mutated text and require that it does not throw, that every diagnostic has a
 * position inside the text and a message, and that a test comes back exactly when no diagnostic
 * is an error.
 */
export function fuzzParser(run: FuzzRun): void {
  const rand = rng(run.seed);
  const { alphabet } = run;
  let withErrors = 0;
  for (let n = 0; n < run.runs; n++) {
    let s = run.texts[n % run.texts.length]!;
    const edits = 1 + Math.floor(rand() * 4);
    for (let e = 0; e < edits; e++) {
      const at = Math.floor(rand() * (s.length + 1));
      const ch = alphabet[Math.floor(rand() * alphabet.length)]!;
      const op = rand();
      if (op < 0.33) s = s.slice(0, at) + s.slice(at + 1);
      else if (op < 0.66) s = s.slice(0, at) + ch + s.slice(at);
      else s = s.slice(0, at) + ch + s.slice(at + 1);
    }
    const lines = s.split('\n').length;
    const r = run.parse(s);
    for (const d of r.diagnostics) {
      assert.ok(d.span.line >= 1 && d.span.col >= 1, `bad position in ${JSON.stringify(d)} for ${JSON.stringify(s)}`);
      assert.ok(d.span.line <= lines && d.span.endLine >= d.span.line, `span out of the text: ${JSON.stringify(d)}`);
      assert.ok(d.message.length > 0);
    }
    const hasError = r.diagnostics.some((d) => d.severity === 'error');
    assert.equal(r.test === undefined, hasError);
    if (hasError) withErrors++;
  }
  assert.ok(withErrors > run.minWithErrors, `only ${withErrors} mutated texts had errors`);
}
