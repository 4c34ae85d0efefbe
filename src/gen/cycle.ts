/**
 * A cycle of edges made concrete: which accesses it has, in which threads, to which locations,
 * with which values. Edge i goes from access i to access i+1 (access 0 follows the last edge).
 * Threads split at external edges; each edge that changes location starts a new location; the
 * writes to a location get increasing values in the order the cycle visits them, which is their
 * coherence order, and each read gets the value it must see for the cycle to happen.
 */
import { isExclusive, mergeAnnots, validFor, type Annot } from './annotations.js';
import { edgeName, isExternal, withAnnots, type AmoOp, type Dir, type Edge } from './edges.js';

/** One access of the cycle. */
export interface Access {
  readonly dir: Dir;
  readonly annot: Annot;
  readonly thread: number;
  /** Location index: 0 is `x`, 1 `y`, ... in order of first access. */
  readonly loc: number;
  /** A write: the value stored. A read: the value it must read. */
  readonly value: number;
  /** The value the location holds just before this access (what an exclusive store's LDXR reads). */
  readonly before: number;
  /** The operand register value of an atomic update's write (the value moved into it). */
  readonly operand: number;
}

/** A cycle laid out as a test: accesses, threads, and the final values worth checking. */
export interface Cycle {
  /** The edges, starting at a thread boundary, each with the annotations of its two accesses. */
  readonly edges: readonly Edge[];
  readonly accesses: readonly Access[];
  /** Access indices of each thread, in program order. */
  readonly threads: readonly (readonly number[])[];
  readonly locations: number;
  /** Locations written more than once, with the value of the coherence-last write. */
  readonly finals: readonly { readonly loc: number; readonly value: number }[];
}

/**
 * Check that the edges chain (each edge starts with the direction the previous one ends with,
 * cyclically), and move annotations onto accesses so both edges at an access agree. Returns the
 * edges with the resolved annotations; a RangeError says what is wrong, naming the edges.
 */
export function resolveEdges(edges: readonly Edge[]): Edge[] {
  const n = edges.length;
  if (n < 2) throw new RangeError('a cycle needs at least two edges');
  const annots: Annot[] = [];
  for (let i = 0; i < n; i++) {
    const prev = edges[(i + n - 1) % n]!, next = edges[i]!;
    if (prev.tgt !== next.src) {
      throw new RangeError(
        `edge ${edgeName(prev)} ends at a ${word(prev.tgt)} but the next edge ${edgeName(next)} starts from a ${word(next.src)}`,
      );
    }
    const a = mergeAnnots(prev.a2, next.a1);
    if (a === undefined || !validFor(a, next.src)) {
      throw new RangeError(`edges ${edgeName(prev)} and ${edgeName(next)} give their shared ${word(next.src)} incompatible annotations`);
    }
    annots.push(a);
  }
  const out = edges.map((e, i) => withAnnots(e, annots[i]!, annots[(i + 1) % n]!));
  checkRmw(out);
  checkShape(out);
  return out;
}

function word(d: Dir): string {
  return d === 'R' ? 'read' : 'write';
}

/**
 * An atomic update's read may be acquire and its write release; nothing else, and never
 * exclusive. The ST* atomics (STADD ...) have no acquire form.
 */
function checkRmw(edges: readonly Edge[]): void {
  for (const e of edges) {
    if (e.kind.cls !== 'rmw') continue;
    const okRead = e.a1 === 'P' || e.a1 === 'A', okWrite = e.a2 === 'P' || e.a2 === 'L';
    if (!okRead || !okWrite) throw new RangeError(`${edgeName(e)}: an atomic update takes only A on its read and L on its write`);
    const code = e.kind.code;
    if (e.a1 === 'A' && code.kind === 'amo' && code.op.startsWith('ST')) throw new RangeError(`${edgeName(e)}: ${code.op} has no acquire form`);
  }
}

/** At least two threads, and at least two location changes (one alone cannot close the cycle). */
function checkShape(edges: readonly Edge[]): void {
  const text = edges.map(edgeName).join(' ');
  if (edges.filter(isExternal).length < 2) {
    throw new RangeError(`cycle '${text}' has fewer than two external edges (Rfe, Fre, Coe): it needs two threads at least`);
  }
  const changes = edges.filter((e) => !e.sameLoc).length;
  if (changes === 0) throw new RangeError(`cycle '${text}' accesses a single location (no edge changes location)`);
  if (changes === 1) throw new RangeError(`cycle '${text}' changes location once only, so it cannot come back to its first location`);
}

/** Lay out resolved edges that start at a thread boundary (the previous edge is external). */
export function layoutCycle(edges: readonly Edge[]): Cycle {
  const n = edges.length;
  if (!isExternal(edges[n - 1]!)) throw new Error('layoutCycle: the cycle must start at a thread boundary');
  const thread: number[] = [];
  const threads: number[][] = [];
  for (let i = 0, t = 0; i < n; i++) {
    if (i > 0 && isExternal(edges[i - 1]!)) t++;
    thread.push(t);
    (threads[t] ??= []).push(i);
  }
  const loc = locations(edges);
  const { values, finals } = assignValues(edges, loc);
  const accesses = edges.map((e, i) => ({
    dir: e.src,
    annot: e.a1,
    thread: thread[i]!,
    loc: loc[i]!,
    ...values[i]!,
  }));
  return { edges, accesses, threads, locations: Math.max(...loc) + 1, finals };
}

/** Location of each access: a new one after each edge that changes location, numbered by first use. */
function locations(edges: readonly Edge[]): number[] {
  const n = edges.length;
  const raw = [0];
  for (let i = 1; i < n; i++) raw.push(edges[i - 1]!.sameLoc ? raw[i - 1]! : raw[i - 1]! + 1);
  // The last run of accesses joins the first when the closing edge keeps the location.
  const last = raw[n - 1]!;
  const joined = edges[n - 1]!.sameLoc ? raw.map((l) => (l === last ? 0 : l)) : raw;
  const names = new Map<number, number>();
  return joined.map((l) => names.get(l) ?? names.set(l, names.size).get(l)!);
}

interface Values {
  readonly value: number;
  readonly before: number;
  readonly operand: number;
}

/**
 * Walk each location's run of accesses in cycle order (its coherence order): a write stores a
 * fresh value, larger than any before; a read sees the latest write (or the initial 0).
 */
function assignValues(edges: readonly Edge[], loc: readonly number[]) {
  const n = edges.length;
  const values: Values[] = new Array(n);
  const finals: { loc: number; value: number }[] = [];
  for (const start of runStarts(edges)) {
    let current = 0, highest = 0, writes = 0;
    for (let i = start, first = true; first || i !== start; i = (i + 1) % n, first = false) {
      const e = edges[i]!, into = edges[(i + n - 1) % n]!;
      if (!first && !into.sameLoc) break;
      const before = current;
      let operand = 0;
      if (e.src === 'W') {
        operand = highest + 1;
        current = into.kind.code.kind === 'amo' ? amoResult(into.kind.code.op, before, operand) : operand;
        highest = Math.max(highest, operand, current);
        writes++;
      }
      // An exclusive pair counts as one more write (diy checks the final value): a load's STXR
      // writes back what it read.
      if (isExclusive(e.a1)) writes++;
      values[i] = { value: e.src === 'W' ? current : before, before, operand };
    }
    if (writes > 1) finals.push({ loc: loc[start]!, value: current });
  }
  finals.sort((a, b) => a.loc - b.loc);
  return { values, finals };
}

/** Accesses where a location's run begins: those reached by an edge that changes location. */
function runStarts(edges: readonly Edge[]): number[] {
  const n = edges.length;
  return edges.flatMap((_, i) => (edges[(i + n - 1) % n]!.sameLoc ? [] : [i]));
}

/** The value an atomic update leaves in memory, given the value it read and its operand. */
export function amoResult(op: AmoOp, read: number, operand: number): number {
  switch (op) {
    case 'LDADD':
    case 'STADD':
      return read + operand;
    case 'LDEOR':
    case 'STEOR':
      return read ^ operand;
    case 'LDSET':
    case 'STSET':
      return read | operand;
    case 'LDCLR':
    case 'STCLR':
      return read & ~operand;
    case 'SWP':
    case 'CAS':
      return operand;
  }
}
