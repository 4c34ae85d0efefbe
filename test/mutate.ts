/**
 * Mutators for whole-pipeline fuzzing: each turns a valid litmus text into one a user, a
 * generator or a broken editor could hand us. The cheap ones edit characters; the others build
 * what broke the checker before: deep and long conditions, duplicated lines, huge numbers,
 * truncated files, long separator lines and bytes that are not text. Shared by the seeded fuzz
 * test and scripts/fuzz-campaign.mjs.
 */
import { rng } from './fuzz.js';

export type Rand = () => number;
export type Mutator = (text: string, rand: Rand) => string;

const pick = <T>(xs: readonly T[], rand: Rand): T => xs[Math.floor(rand() * xs.length)]!;
const int = (lo: number, hi: number, rand: Rand) => lo + Math.floor(rand() * (hi - lo + 1));

/** Characters that mean something to one of the front ends, and some that mean nothing. */
const ALPHABET = 'PXWxyz0123456789 ;|{}[]()=:,.#-+*&!~/\\<>@\n\t"\'_';

/** 1 to 4 one-character deletions, insertions or overwrites. */
const charEdits: Mutator = (text, rand) => {
  let s = text;
  for (let e = int(1, 4, rand); e > 0; e--) {
    const at = int(0, s.length, rand);
    const ch = pick([...ALPHABET], rand);
    const op = rand();
    s = op < 0.33 ? s.slice(0, at) + s.slice(at + 1) : op < 0.66 ? s.slice(0, at) + ch + s.slice(at) : s.slice(0, at) + ch + s.slice(at + 1);
  }
  return s;
};

/**
 * How big the generated pieces get. The seeded test keeps to sizes that run in milliseconds;
 * the campaign (scripts/fuzz-campaign.mjs) goes ten times further.
 */
export interface Sizes {
  /** Nesting depths: around the limit and far past it. */
  readonly depths: readonly number[];
  /** Lengths of `/\`, `\/`, `=>` chains. */
  readonly lengths: readonly number[];
  /** Copies of a duplicated line. */
  readonly copies: readonly number[];
  /** Characters of an inserted long line. */
  readonly widths: readonly number[];
}

export const SMALL: Sizes = { depths: [1, 64, 127, 128, 129, 1500], lengths: [2, 128, 129, 5000], copies: [1, 2, 10, 50], widths: [100, 10_000] };
export const LARGE: Sizes = { depths: [...SMALL.depths, 20_000], lengths: [...SMALL.lengths, 50_000], copies: [...SMALL.copies, 200, 2000], widths: [...SMALL.widths, 200_000] };

/** The text's final condition split off (`exists (...)`, `~exists`, `forall`), or undefined. */
function splitCondition(text: string): { head: string; quantifier: string; body: string } | undefined {
  const m = [...text.matchAll(/~?exists|forall/g)].at(-1);
  if (m === undefined) return undefined;
  return { head: text.slice(0, m.index), quantifier: m[0], body: text.slice(m.index! + m[0].length).trim() };
}

/** An atom of the text's condition (`0:X0=1`, `x=2`), or a location everyone has. */
function atomOf(body: string, rand: Rand): string {
  const atoms = body.match(/[\w:[\].]+\s*=\s*-?\w+/g);
  return atoms ? pick(atoms, rand).replace(/\s+/g, '') : 'x=0';
}

/** Replace the condition by a deep or long one built from its own atoms. */
const deepCondition = (sizes: Sizes): Mutator => (text, rand) => {
  const c = splitCondition(text);
  if (!c) return text;
  const atom = atomOf(c.body, rand);
  const n = pick(sizes.depths, rand);
  const shape = int(0, 5, rand);
  const body =
    shape === 0 ? `${'('.repeat(n)}${atom}${')'.repeat(n)}`
    : shape === 1 ? `(${'~'.repeat(n)}${atom})`
    : shape === 2 ? `(${'~('.repeat(n)}${atom}${')'.repeat(n)})`
    : shape === 3 ? `(${Array<string>(pick(sizes.lengths, rand)).fill(atom).join(pick([' /\\ ', ' \\/ ', ' => '], rand))})`
    : shape === 4 ? `(${'('.repeat(n)}${atom}` // unbalanced
    : `(${Array.from({ length: pick(sizes.lengths, rand) }, (_, k) => (k % 2 ? `(${atom} \\/ ~${atom})` : atom)).join(' /\\ ')})`;
  return `${c.head}${c.quantifier} ${body}\n`;
};

/** Duplicate one line (rows of code, init entries, thread headers). */
const duplicateLine = (sizes: Sizes): Mutator => (text, rand) => {
  const lines = text.split('\n');
  const at = int(0, lines.length - 1, rand);
  const copies = pick(sizes.copies, rand);
  lines.splice(at, 0, ...Array<string>(copies).fill(lines[at]!));
  return lines.join('\n');
};

/** Replace a number by one past every width: 40 decimal digits, 30 hex digits, negative ones. */
const hugeNumber: Mutator = (text, rand) => {
  const numbers = [...text.matchAll(/\b\d+\b/g)];
  if (numbers.length === 0) return text;
  const m = pick(numbers, rand);
  const digits = (n: number, set: string) => Array.from({ length: n }, () => pick([...set], rand)).join('');
  const big = pick([`9${digits(39, '0123456789')}`, `0x${digits(30, '0123456789abcdef')}`, `-${digits(25, '0123456789')}`, '18446744073709551616', '4294967296', '-0x8000000000000001'], rand);
  return text.slice(0, m.index) + big + text.slice(m.index! + m[0].length);
};

/** Cut the file anywhere. */
const truncate: Mutator = (text, rand) => text.slice(0, int(0, text.length, rand));

/** A line of thousands of `;`, `|`, `,` or one long token inserted before some line. */
const longLine = (sizes: Sizes): Mutator => (text, rand) => {
  const lines = text.split('\n');
  const n = pick(sizes.widths, rand);
  const line = pick([';', '|', ',', 'a', ' |;'], rand).repeat(n);
  lines.splice(int(0, lines.length, rand), 0, line);
  return lines.join('\n');
};

/** Bytes that are not text: NUL, CR, lone surrogates, control and wide characters. */
const randomBytes: Mutator = (text, rand) => {
  const junk = ['\0', '\r', '\r\n', '\ud800', '\udfff', '\u00a0', '\ufeff', '\u2028', '\x1b[2J', '\x7f', 'é', '𝕏', '\uffff'];
  let s = text;
  for (let e = int(1, 8, rand); e > 0; e--) {
    const at = int(0, s.length, rand);
    s = s.slice(0, at) + pick(junk, rand) + s.slice(at);
  }
  return s;
};

/** Lines of another test spliced in: valid pieces in the wrong place. */
function crossover(others: readonly string[]): Mutator {
  return (text, rand) => {
    const lines = text.split('\n');
    const donor = pick(others, rand).split('\n');
    const from = int(0, donor.length - 1, rand);
    const piece = donor.slice(from, from + int(1, 4, rand));
    lines.splice(int(0, lines.length, rand), pick([0, 1], rand), ...piece);
    return lines.join('\n');
  };
}

/** Where a diagnostic's position is, if it is not inside the text (else undefined). */
export function outsideText(span: { readonly line: number; readonly col: number }, text: string): string | undefined {
  const lines = text.split('\n');
  const { line, col } = span;
  if (line < 1 || line > lines.length) return `line ${line} of ${lines.length}`;
  const width = lines[line - 1]!.length;
  if (col < 1 || col > width + 1) return `column ${col} of a line of ${width}`;
  return undefined;
}

/** Every mutator, by name (crossover needs the seed texts). */
export function mutators(seeds: readonly string[], sizes: Sizes = SMALL): ReadonlyMap<string, Mutator> {
  return new Map<string, Mutator>([
    ['char-edits', charEdits],
    ['deep-condition', deepCondition(sizes)],
    ['duplicate-line', duplicateLine(sizes)],
    ['huge-number', hugeNumber],
    ['truncate', truncate],
    ['long-line', longLine(sizes)],
    ['random-bytes', randomBytes],
    ['crossover', crossover(seeds)],
  ]);
}

/** One fuzzed input: its number, the mutator that made it, its seed and its text. */
export interface Fuzzed {
  readonly index: number;
  readonly mutator: string;
  readonly seed: number;
  readonly text: string;
}

/**
 * `count` fuzzed inputs from `seeds`, reproducible from `seed`: input i takes seed text i mod
 * seeds and mutator i mod mutators (so every mutator meets every seed), and sometimes a second
 * mutator on top.
 */
export function* fuzzInputs(seeds: readonly string[], count: number, seed: number, sizes: Sizes = SMALL): Generator<Fuzzed> {
  const rand = rng(seed);
  const all = [...mutators(seeds, sizes)];
  for (let i = 0; i < count; i++) {
    const [name, mutate] = all[i % all.length]!;
    let text = mutate(seeds[Math.floor(i / all.length) % seeds.length]!, rand);
    let mutator = name;
    if (rand() < 0.25) {
      const [second, again] = pick(all, rand);
      text = again(text, rand);
      mutator += `+${second}`;
    }
    yield { index: i, mutator, seed: Math.floor(i / all.length) % seeds.length, text };
  }
}
