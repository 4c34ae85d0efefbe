/**
 * A user mistake on the command line (unknown flag value, bad number): the CLI prints its
 * message on one line and exits with status 2, never a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
