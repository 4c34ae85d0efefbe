/**
 * Enumeration of cycles, as diy7 does it: every cycle of at most `size` edges drawn from the
 * relaxed and safe edges, using at least one relaxed edge, with at most `nprocs` threads and at
 * most `ins` accesses per thread, each cycle once up to rotation. Without `mix`, each relaxed edge
 * is tried on its own with the safe ones; with `mix`, relaxed edges may appear together.
 * The order is deterministic: relaxed edges in the order given, then depth-first by edge list
 * position.
 */
import { canFollow } from './adjacency.js';
import { canonicalRotation, cycleText } from './canonical.js';
import { layoutCycle, resolveEdges, type Cycle } from './cycle.js';
import { edgeName, isExternal, type Edge } from './edges.js';

/** What to enumerate. */
export interface EnumerateOptions {
  /** Maximal number of edges in a cycle. */
  readonly size: number;
  /** Maximal number of threads. */
  readonly nprocs: number;
  /** Maximal number of accesses in one thread (diy's -ins, default 4). */
  readonly ins: number;
  readonly relax: readonly Edge[];
  readonly safe: readonly Edge[];
  /** Allow several different relaxed edges in one cycle. */
  readonly mix: boolean;
}

/** One enumerated cycle: its canonical rotation, and the relaxed and safe edges it uses. */
export interface FoundCycle {
  readonly edges: readonly Edge[];
  readonly relax: readonly string[];
  readonly safe: readonly string[];
}

/** One search: the edges it may use and those of which it needs at least one. */
interface Search {
  readonly alphabet: readonly Edge[];
  readonly required: ReadonlySet<number>;
}

/** Every cycle the options describe, canonical and without repeats. */
export function enumerateCycles(opts: EnumerateOptions): FoundCycle[] {
  if (opts.size < 2 || opts.nprocs < 2 || opts.ins < 1) return [];
  const seen = new Set<string>();
  const out: FoundCycle[] = [];
  const relaxNames = new Set(opts.relax.map(edgeName));
  for (const search of searches(opts)) {
    walk(search, opts, (indices) => {
      const edges = accept(indices.map((i) => search.alphabet[i]!));
      if (!edges) return;
      const key = cycleText(edges);
      if (seen.has(key)) return;
      seen.add(key);
      out.push(describe(indices.map((i) => search.alphabet[i]!), edges, relaxNames));
    });
  }
  return out;
}

/** The searches of a run: one per relaxed edge, or one for all of them with `mix`. */
function searches(opts: EnumerateOptions): Search[] {
  const make = (relax: readonly Edge[]): Search => {
    const alphabet = unique([...relax, ...opts.safe]);
    const names = new Set(relax.map(edgeName));
    const required = new Set(alphabet.flatMap((e, i) => (names.has(edgeName(e)) ? [i] : [])));
    return { alphabet, required };
  };
  if (opts.relax.length === 0) return [{ alphabet: unique(opts.safe), required: new Set() }];
  if (opts.mix) return [make(opts.relax)];
  return opts.relax.map((r) => make([r]));
}

function unique(edges: readonly Edge[]): Edge[] {
  const names = new Set<string>();
  return edges.filter((e) => !names.has(edgeName(e)) && names.add(edgeName(e)));
}

/**
 * Depth-first search over index sequences that start with their smallest index (so that each
 * cycle is met in few rotations), calling `found` for each closed sequence that is its own
 * smallest rotation and uses a required edge.
 */
function walk(search: Search, opts: EnumerateOptions, found: (indices: readonly number[]) => void): void {
  const { alphabet, required } = search;
  const seq: number[] = [];
  const extend = (threads: number, run: number): void => {
    const last = alphabet[seq[seq.length - 1]!]!;
    if (seq.length >= 2 && canFollow(last, alphabet[seq[0]!]!) && closes(seq, alphabet, opts, required)) found(seq);
    if (seq.length === opts.size) return;
    for (let j = seq[0]!; j < alphabet.length; j++) {
      const e = alphabet[j]!;
      if (!canFollow(last, e)) continue;
      const ext = isExternal(e);
      if (ext ? threads + 1 > opts.nprocs : run + 1 >= opts.ins) continue;
      seq.push(j);
      extend(ext ? threads + 1 : threads, ext ? 0 : run + 1);
      seq.pop();
    }
  };
  for (let i = 0; i < alphabet.length; i++) {
    seq.push(i);
    const ext = isExternal(alphabet[i]!);
    extend(ext ? 1 : 0, ext ? 0 : 1);
    seq.pop();
  }
}

/** Final checks on a closed sequence: smallest rotation, a required edge, thread bounds. */
function closes(seq: readonly number[], alphabet: readonly Edge[], opts: EnumerateOptions, required: ReadonlySet<number>): boolean {
  if (required.size > 0 && !seq.some((i) => required.has(i))) return false;
  if (!smallestRotation(seq)) return false;
  const edges = seq.map((i) => alphabet[i]!);
  const threads = edges.filter(isExternal).length;
  return threads >= 2 && threads <= opts.nprocs && longestThread(edges) <= opts.ins;
}

function smallestRotation(seq: readonly number[]): boolean {
  const n = seq.length;
  for (let s = 1; s < n; s++) {
    for (let k = 0; k < n; k++) {
      const d = seq[(s + k) % n]! - seq[k]!;
      if (d < 0) return false;
      if (d > 0) break;
    }
  }
  return true;
}

/** The largest number of accesses in one thread (the first and last runs are one thread). */
function longestThread(edges: readonly Edge[]): number {
  const first = edges.findIndex(isExternal);
  let longest = 0, run = 0;
  for (let k = 1; k <= edges.length; k++) {
    const e = edges[(first + k) % edges.length]!;
    if (isExternal(e)) {
      longest = Math.max(longest, run + 1);
      run = 0;
    } else run++;
  }
  return longest;
}

/** The canonical rotation of a sequence that makes a valid cycle diy would generate, or undefined. */
function accept(edges: readonly Edge[]): Edge[] | undefined {
  let canonical: Edge[];
  try {
    canonical = canonicalRotation(resolveEdges(edges));
  } catch (e) {
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  return diyShape(layoutCycle(canonical)) ? canonical : undefined;
}

/**
 * diy7 leaves out cycles where a location is written more than twice, or where a thread comes
 * back to a location after accessing another one.
 */
function diyShape(cycle: Cycle): boolean {
  const writes = new Map<number, number>();
  for (const a of cycle.accesses) if (a.dir === 'W') writes.set(a.loc, (writes.get(a.loc) ?? 0) + 1);
  if ([...writes.values()].some((w) => w > 2)) return false;
  return cycle.threads.every((thread) => {
    const left = new Set<number>();
    return thread.every((i, k) => {
      const loc = cycle.accesses[i]!.loc, prev = k > 0 ? cycle.accesses[thread[k - 1]!]!.loc : loc;
      if (loc !== prev) left.add(prev);
      return !left.has(loc);
    });
  });
}

/** A found cycle, with the relaxed and safe edges (as the user wrote them) it was built from. */
function describe(used: readonly Edge[], edges: readonly Edge[], relaxNames: ReadonlySet<string>): FoundCycle {
  const names = unique(used).map(edgeName);
  return { edges, relax: names.filter((n) => relaxNames.has(n)), safe: names.filter((n) => !relaxNames.has(n)) };
}
