/** Helpers shared by the syntax tests: parse litmus text and look at the test or the diagnostics. */
import assert from 'node:assert/strict';
import { parseLitmus, type Diagnostic, type Instr, type LitmusTest } from '../src/syntax/index.js';

/** Parse and require success (the diagnostics are shown as `line:col: message` when not). */
export function ok(text: string): LitmusTest {
  const r = parseLitmus(text);
  assert.deepEqual(r.diagnostics.map((d) => `${d.span.line}:${d.span.col}: ${d.message}`), [], 'no diagnostics expected');
  assert.ok(r.test);
  return r.test;
}

/** Parse, require failure, and give the diagnostics as `line:col code`, their messages, and themselves. */
export function diags(text: string): { at: string[]; messages: string[]; all: readonly Diagnostic[] } {
  const r = parseLitmus(text);
  assert.equal(r.test, undefined, 'a text with errors must not yield a test');
  return {
    at: r.diagnostics.map((d) => `${d.span.line}:${d.span.col} ${d.code}`),
    messages: r.diagnostics.map((d) => d.message),
    all: r.diagnostics,
  };
}

/** An instruction without its span and text, so instructions compare structurally. */
export function bare(i: Instr): Record<string, unknown> {
  const { span: _span, asm: _asm, ...rest } = i;
  return rest;
}

/** X<index>, a 64-bit register operand. */
export const X = (index: number) => ({ index, wide: true });
/** W<index>, a 32-bit register operand. */
export const W = (index: number) => ({ index, wide: false });
