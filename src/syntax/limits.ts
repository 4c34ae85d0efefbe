/**
 * Limits on what one litmus file may ask of the parser (docs/language.md, "Limits").
 *
 * The parsers and every later walk of the syntax tree recurse once per level of nesting, and
 * the stack they run on depends on the caller: Node's main thread, a worker thread with its own
 * `stackSizeMb`, a browser. A nesting limit far below what the smallest of these stacks holds
 * makes a file give the same answer, a located error, wherever it runs.
 * @internal
 */

/**
 * Deepest nesting accepted: parentheses, `~` and `=>` in a condition; in a C body, nested
 * statements (`if`, `else`, blocks, labels) and, in an expression, parentheses, calls and the
 * operators of a chain (`a + b + c` is two levels deep: C evaluates it one operator at a time).
 * Real tests nest a handful of levels. 128 levels of the deepest construct take about 120 KB of
 * stack, parsing and every walk included, far below the 1 MB of Node's main thread (a worker
 * gets 4 MB by default); test/syntax-limits.test.ts runs them in a worker with 0.5 MB.
 */
export const MAX_NESTING = 128;

/**
 * Diagnostics kept per file. A file of junk can have one problem per token; past this many, the
 * rest are only counted and one last diagnostic says how many there were.
 */
export const MAX_DIAGNOSTICS = 100;

/**
 * Longest text accepted, in characters: a litmus test is a few KiB, and the work and memory of
 * parsing grow with the text (a 165 MB text exhausted a worker's heap). The CLI refuses files
 * over 1 MiB before reading them; this bounds what reaches the core any other way.
 */
export const MAX_TEXT_CHARS = 1024 * 1024;

/** The message of a nesting error, the same for every construct that nests (`what`). */
export function nestingMessage(what: string): string {
  return `${what} nested deeper than ${MAX_NESTING} levels`;
}
