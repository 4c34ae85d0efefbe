/**
 * The text being parsed, with comments blanked out, plus offset -> line/col conversion and the
 * diagnostic sink shared by the section parsers.
 *
 * Every parser works on character offsets into one string and converts to 1-based line/col
 * only when it builds a span, so the hot path never tracks columns by hand.
 * @internal
 */
import type { Diagnostic, DiagnosticCode, Span } from '../diagnostics.js';
import { MAX_DIAGNOSTICS } from '../limits.js';

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

/**
 * The source and the diagnostics found so far. At most MAX_DIAGNOSTICS are kept: a file of junk
 * can have a problem per token, and past the cap the rest are only counted (not stored, no span
 * computed), so memory stays bounded and time linear in the text.
 */
export class Context {
  private readonly kept: Diagnostic[] = [];
  /** Diagnostics past the cap: how many errors and warnings, and where the first one was. */
  private droppedErrors = 0;
  private droppedWarnings = 0;
  private firstDropped: Span | undefined;
  private anyError = false;

  constructor(readonly src: Source) {}

  /** Record a diagnostic (counted only, once MAX_DIAGNOSTICS are kept). */
  add(d: Diagnostic): void {
    if (this.count(d.severity)) this.kept.push(d);
    else this.firstDropped ??= d.span;
  }

  /** Record an error covering [start, end). */
  report(code: DiagnosticCode, message: string, start: number, end: number): void {
    this.record(code, 'error', message, start, end);
  }

  /** Record a warning covering [start, end): the input is read, but the user should know. */
  warn(code: DiagnosticCode, message: string, start: number, end: number): void {
    this.record(code, 'warning', message, start, end);
  }

  /** Record an error and abandon the current item. */
  fail(code: DiagnosticCode, message: string, start: number, end: number): never {
    this.report(code, message, start, end);
    throw Abort.instance;
  }

  /** True once any error has been recorded (kept or only counted). */
  get hasErrors(): boolean {
    return this.anyError;
  }

  /** The kept diagnostics sorted by position, then one saying how many more there were. */
  sorted(): Diagnostic[] {
    const out = [...this.kept].sort((a, b) => a.span.line - b.span.line || a.span.col - b.span.col);
    if (this.firstDropped !== undefined) out.push(this.summary(this.firstDropped));
    return out;
  }

  private record(code: DiagnosticCode, severity: Diagnostic['severity'], message: string, start: number, end: number): void {
    // Past the cap only the first dropped one needs its span (the summary points there).
    if (this.count(severity)) this.kept.push({ code, severity, message, span: this.src.span(start, end) });
    else this.firstDropped ??= this.src.span(start, end);
  }

  /** Count a diagnostic of `severity`; true when it is to be kept. */
  private count(severity: Diagnostic['severity']): boolean {
    if (severity === 'error') this.anyError = true;
    if (this.kept.length < MAX_DIAGNOSTICS) return true;
    if (severity === 'error') this.droppedErrors++;
    else this.droppedWarnings++;
    return false;
  }

  /** `... and 999900 more errors`, at the first diagnostic that was not kept. */
  private summary(span: Span): Diagnostic {
    const plural = (n: number, what: string) => `${n} more ${what}${n === 1 ? '' : 's'}`;
    const parts = [];
    if (this.droppedErrors > 0) parts.push(plural(this.droppedErrors, 'error'));
    if (this.droppedWarnings > 0) parts.push(plural(this.droppedWarnings, 'warning'));
    const message = `... and ${parts.join(' and ')} (only the first ${MAX_DIAGNOSTICS} are listed)`;
    return { code: 'syntax', severity: this.droppedErrors > 0 ? 'error' : 'warning', message, span };
  }
}

/** Is the character code a space, tab, carriage return or newline? */
export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === NEWLINE || c === 11 || c === 12;
}
