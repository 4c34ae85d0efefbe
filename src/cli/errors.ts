import type { FileReport } from '../report/file-report.js';

/**
 * A user mistake on the command line (unknown flag value, bad number): the CLI prints its
 * message on one line and exits with status 2, never a stack trace.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The report of a problem with a whole input rather than a place in it: it could not be read
 * (`read`), or the thread checking it failed (`internal`). One `FILE: message` line on stderr; in
 * --json, line and col are 0. Like any error in a file, it gives exit status 1 and the others run.
 */
export function wholeFileError(file: string, code: 'read' | 'internal', message: string): FileReport {
  return {
    file,
    text: undefined,
    json: undefined,
    errorLines: [`${file}: ${message}`],
    errors: [{ file, line: 0, col: 0, code, message }],
    partial: false,
    mismatch: false,
    dot: undefined,
    name: undefined,
    explanation: undefined,
  };
}
