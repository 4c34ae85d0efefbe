/**
 * What every front end returns.
 */
import type { LitmusTest } from './ast.js';
import type { Diagnostic } from './diagnostics.js';

/**
 * The parsed test and the diagnostics, sorted by position; past MAX_DIAGNOSTICS (limits.ts) a
 * last one counts those not listed. `test` is undefined exactly when some diagnostic has
 * severity 'error', so a consumer never sees a half-parsed test.
 */
export interface ParseResult {
  readonly test: LitmusTest | undefined;
  readonly diagnostics: readonly Diagnostic[];
}
