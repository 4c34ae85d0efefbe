/**
 * Diagnostics: errors in user text are data, never exceptions.
 *
 * A front end returns `{ test, diagnostics }`; the CLI prints each diagnostic as
 * `file:line:col: message`. Lines and columns are 1-based, as editors show them.
 */

/** A position range in the source text (1-based line and column; `end` exclusive). */
export interface Span {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

/** Error kinds, so tools and tests can tell them apart without parsing messages. */
export type DiagnosticCode =
  /** The text does not follow the grammar. */
  | 'syntax'
  /** Well-formed, but names something the tool does not implement (an instruction, a construct). */
  | 'unsupported'
  /** Well-formed but meaningless: an undefined label, a register of a missing thread, a type clash. */
  | 'semantic'
  /** A bug of iolitmus met while checking this test (named, with the phase it happened in). */
  | 'internal';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly span: Span;
}

/** A span covering `length` characters of one line. */
export function spanAt(line: number, col: number, length = 1): Span {
  return { line, col, endLine: line, endCol: col + Math.max(length, 1) };
}

export function error(code: DiagnosticCode, message: string, span: Span): Diagnostic {
  return { code, severity: 'error', message, span };
}

/** `file:line:col: message`, the form compilers use and editors understand. */
export function formatDiagnostic(file: string, d: Diagnostic): string {
  const prefix = d.severity === 'warning' ? 'warning: ' : '';
  // An unsupported construct says so, so that it is never mistaken for a mistake in the test.
  const kind = d.code === 'unsupported' && !d.message.startsWith('unsupported') ? 'unsupported: ' : '';
  return `${file}:${d.span.line}:${d.span.col}: ${prefix}${kind}${d.message}`;
}
