/**
 * The verdict a test states for itself, by the Linux kernel's convention for litmus tests
 * (tools/memory-model/litmus-tests): a comment line `Result: Never`, `Result: Sometimes` or
 * `Result: Always`, judged against the Observation (what herd7 prints and the kernel's
 * judgelitmus.sh compares), and `DATARACE` after it where the LKMM must flag a data race (a
 * test without it must not be flagged). The same comment works in AArch64 tests.
 * @internal
 */
import type { Span } from '../diagnostics.js';
import { stripComments } from './comments.js';
import { Source } from './source.js';

/** DEADLOCK: no execution at all (every one would deadlock: judgelitmus.sh). */
export type StatedVerdict = 'Never' | 'Sometimes' | 'Always' | 'DEADLOCK';

export interface StatedResult {
  readonly verdict: StatedVerdict;
  /** `Result: Sometimes DATARACE`: the LKMM is expected to flag a data race (judgelitmus.sh). */
  readonly datarace: boolean;
  /** Where the `Result:` is written. */
  readonly span: Span;
}

const RESULT = /\bResult:[ \t]*(Never|Sometimes|Always|DEADLOCK)\b([^\n]*)/g;

/** The first `Result:` line inside a comment, if the text has one. */
export function statedResult(text: string): StatedResult | undefined {
  if (!text.includes('Result:')) return undefined;
  const blanked = stripComments(text).text;
  for (const m of text.matchAll(RESULT)) {
    const end = m.index + m[0].length - m[2]!.length;
    // Inside a comment: blanking turned every character of the match into a space.
    if (blanked.slice(m.index, end).trim() !== '') continue;
    return { verdict: m[1] as StatedVerdict, datarace: /\bDATARACE\b/.test(m[2]!), span: new Source(text).span(m.index, end) };
  }
  return undefined;
}
