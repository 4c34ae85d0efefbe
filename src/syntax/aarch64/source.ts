/**
 * The text being parsed, with comments blanked out, plus offset -> line/col conversion and the
 * diagnostic sink shared by the section parsers.
 *
 * Every parser works on character offsets into one string and converts to 1-based line/col
 * only when it builds a span, so the hot path never tracks columns by hand.
 * @internal
 */
import { error, type Diagnostic, type DiagnosticCode, type Span } from '../diagnostics.js';

/** Thrown (never past a section parser) to abandon the current item after a diagnostic. */
export class Abort {
  private constructor() {}
  /** The one instance: throwing a shared object costs no stack capture. */
  static readonly instance = new Abort();
}

const NEWLINE = 10;

/** The source text and where its lines start. */
export class Source {
  /** Start offset of each line (line 1 starts at 0). */
  private readonly lineStarts: readonly number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
    this.lineStarts = starts;
  }

  /** Number of lines (a final line without a newline counts). */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** Offset where 0-based line `i` starts. */
  lineStart(i: number): number {
    return this.lineStarts[i]!;
  }

  /** Offset just past the last character of 0-based line `i` (its '\n' excluded). */
  lineEnd(i: number): number {
    return i + 1 < this.lineStarts.length ? this.lineStarts[i + 1]! - 1 : this.text.length;
  }

  /** 0-based line holding `offset` (binary search: lines are sorted). */
  lineIndexOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The 1-based span of the characters [start, end). An empty range still covers one column. */
  span(start: number, end: number): Span {
    const line = this.lineIndexOf(start);
    const col = start - this.lineStarts[line]! + 1;
    if (end <= start) return { line: line + 1, col, endLine: line + 1, endCol: col + 1 };
    const endLineIdx = this.lineIndexOf(end - 1);
    const endCol = end - this.lineStarts[endLineIdx]! + 1;
    return { line: line + 1, col, endLine: endLineIdx + 1, endCol };
  }
}

/** The source and the diagnostics found so far. */
export class Context {
  readonly diagnostics: Diagnostic[] = [];
  constructor(readonly src: Source) {}

  /** Record an error covering [start, end). */
  report(code: DiagnosticCode, message: string, start: number, end: number): void {
    this.diagnostics.push(error(code, message, this.src.span(start, end)));
  }

  /** Record a warning covering [start, end): the input is read, but the user should know. */
  warn(code: DiagnosticCode, message: string, start: number, end: number): void {
    this.diagnostics.push({ code, severity: 'warning', message, span: this.src.span(start, end) });
  }

  /** Record an error and abandon the current item. */
  fail(code: DiagnosticCode, message: string, start: number, end: number): never {
    this.report(code, message, start, end);
    throw Abort.instance;
  }

  /** True once any error has been recorded. */
  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }
}

/** Is the character code a space, tab, carriage return or newline? */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === NEWLINE || c === 11 || c === 12;
}
