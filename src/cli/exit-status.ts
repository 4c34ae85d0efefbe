/**
 * The exit statuses of every command (docs/cli.md, "Exit status"). When several apply, the
 * highest in this list that happened wins: usage, then input errors, then mismatches, then
 * partial results — a script sees the worst first.
 */
export const EXIT = {
  /** Everything ran to the end; every result is complete (and, for matrix, as expected). */
  ok: 0,
  /** A file had an error (syntax, unsupported, semantic, unreadable, internal); the others still ran. */
  inputError: 1,
  /** A usage error: bad option value, missing path. Nothing ran. */
  usage: 2,
  /** Some result is partial: a bound (time, executions, paths) stopped its search. */
  partial: 3,
  /** A verdict differs from the expected one (`matrix`'s expectations, a test's `Result:` comment). */
  mismatch: 4,
  /** A bug of iolitmus outside any one test. */
  internal: 70,
  /** The output could not be written (disk full, closed descriptor; a closed pipe ends quietly with 0). */
  output: 74,
} as const;

/** The status of a run from what happened in it. */
export function exitStatus(what: { readonly errors: boolean; readonly mismatches?: boolean; readonly partial: boolean }): number {
  if (what.errors) return EXIT.inputError;
  if (what.mismatches) return EXIT.mismatch;
  return what.partial ? EXIT.partial : EXIT.ok;
}
