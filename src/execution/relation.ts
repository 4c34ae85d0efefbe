/**
 * Binary relations and sets over the events of one execution, as bit matrices.
 *
 * Events are numbered 0..n-1. A set is a bit vector of `w = ceil(n/32)` words; a relation is n
 * such rows (row i = the successors of event i). Litmus executions are small (tens of events), so
 * a row is usually one word and every operation is a short loop over typed arrays: no objects per
 * edge, no garbage per edge. Relations are immutable once built; operations return new ones.
 */

/** Bit rows: 32-bit words (signed, as JS bitwise operators produce them). */
export type Bits = Int32Array;

/** Zeroed storage for `len` words. @internal */
export function allocWords(len: number): Bits {
  return new Int32Array(len);
}

function copyWords(src: Bits): Bits {
  return src.slice();
}

/**
 * a ∪ b, a ∩ b, a \ b word by word (sets and relations alike), into `out`: a new array unless
 * the caller passes storage it owns (never one of the operands).
 */
function orWords(a: Bits, b: Bits, out: Bits = allocWords(a.length)): Bits {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! | b[i]!;
  return out;
}

function andWords(a: Bits, b: Bits, out: Bits = allocWords(a.length)): Bits {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! & b[i]!;
  return out;
}

function andNotWords(a: Bits, b: Bits, out: Bits = allocWords(a.length)): Bits {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! & ~b[i]!;
  return out;
}

/** The result of an operation: a new relation, or `into` (storage the caller owns) overwritten. */
const target = (n: number, into: Relation | undefined): Relation => into ?? Relation.empty(n);

/** Transitive closure of an n × n bit matrix of w words per row, in place (Warshall). */
function closeWords(b: Bits, n: number, w: number): void {
  for (let k = 0; k < n; k++) {
    const rk = k * w;
    const kw = k >>> 5;
    const kb = 1 << (k & 31);
    for (let a = 0; a < n; a++) {
      const ra = a * w;
      if ((b[ra + kw]! & kb) === 0) continue;
      for (let j = 0; j < w; j++) b[ra + j]! |= b[rk + j]!;
    }
  }
}

function allZero(a: Bits): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== 0) return false;
  return true;
}

/** A set of events. */
export class EventSet {
  /** @internal */
  constructor(
    readonly n: number,
    /** @internal */ readonly bits: Bits,
  ) {}

  static empty(n: number): EventSet {
    return new EventSet(n, allocWords(words(n)));
  }

  static of(n: number, members: Iterable<number>): EventSet {
    const bits = allocWords(words(n));
    for (const m of members) bits[m >>> 5]! |= 1 << (m & 31);
    return new EventSet(n, bits);
  }

  static where(n: number, pred: (e: number) => boolean): EventSet {
    const bits = allocWords(words(n));
    for (let e = 0; e < n; e++) if (pred(e)) bits[e >>> 5]! |= 1 << (e & 31);
    return new EventSet(n, bits);
  }

  has(e: number): boolean {
    return (this.bits[e >>> 5]! & (1 << (e & 31))) !== 0;
  }

  union(o: EventSet): EventSet {
    return new EventSet(this.n, orWords(this.bits, o.bits));
  }

  intersect(o: EventSet): EventSet {
    return new EventSet(this.n, andWords(this.bits, o.bits));
  }

  minus(o: EventSet): EventSet {
    return new EventSet(this.n, andNotWords(this.bits, o.bits));
  }

  isEmpty(): boolean {
    return allZero(this.bits);
  }

  *[Symbol.iterator](): IterableIterator<number> {
    for (let e = 0; e < this.n; e++) if (this.has(e)) yield e;
  }
}

/** Number of 32-bit words for n bits. */
function words(n: number): number {
  return Math.max(1, (n + 31) >>> 5);
}

/** A binary relation over events 0..n-1. */
export class Relation {
  /** Words per row. */
  readonly w: number;

  /** @internal */
  constructor(
    readonly n: number,
    /** @internal Row-major: row i occupies words [i*w, (i+1)*w). */
    readonly bits: Bits,
  ) {
    this.w = words(n);
  }

  static empty(n: number): Relation {
    return new Relation(n, allocWords(n * words(n)));
  }

  /** The relation of the given pairs. */
  static of(n: number, pairs: Iterable<readonly [number, number]>): Relation {
    const r = Relation.empty(n);
    for (const [a, b] of pairs) r.bits[a * r.w + (b >>> 5)]! |= 1 << (b & 31);
    return r;
  }

  /** { (a,b) | pred(a,b) }. */
  static where(n: number, pred: (a: number, b: number) => boolean): Relation {
    const r = Relation.empty(n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (pred(a, b)) r.bits[a * r.w + (b >>> 5)]! |= 1 << (b & 31);
    return r;
  }

  /** [S]: the identity on a set. */
  static identity(s: EventSet): Relation {
    const r = Relation.empty(s.n);
    for (const e of s) r.bits[e * r.w + (e >>> 5)]! |= 1 << (e & 31);
    return r;
  }

  /** S × T. */
  static product(s: EventSet, t: EventSet): Relation {
    const r = Relation.empty(s.n);
    for (const a of s) r.bits.set(t.bits, a * r.w);
    return r;
  }

  has(a: number, b: number): boolean {
    return (this.bits[a * this.w + (b >>> 5)]! & (1 << (b & 31))) !== 0;
  }

  /** A mutable copy with one more pair: for builders only. @internal */
  withPair(a: number, b: number): Relation {
    const bits = copyWords(this.bits);
    bits[a * this.w + (b >>> 5)]! |= 1 << (b & 31);
    return new Relation(this.n, bits);
  }

  union(...others: Relation[]): Relation {
    if (others.length === 0) return this;
    // One copy for all the operands.
    const b = copyWords(this.bits);
    for (const o of others) for (let i = 0; i < b.length; i++) b[i]! |= o.bits[i]!;
    return new Relation(this.n, b);
  }

  /** this ∪ o (into `into` when given: see `target`). */
  or(o: Relation, into?: Relation): Relation {
    const r = target(this.n, into);
    orWords(this.bits, o.bits, r.bits);
    return r;
  }

  intersect(o: Relation, into?: Relation): Relation {
    const r = target(this.n, into);
    andWords(this.bits, o.bits, r.bits);
    return r;
  }

  minus(o: Relation, into?: Relation): Relation {
    const r = target(this.n, into);
    andNotWords(this.bits, o.bits, r.bits);
    return r;
  }

  /** r⁻¹. */
  inverse(into?: Relation): Relation {
    const r = target(this.n, into);
    if (into) r.bits.fill(0);
    const { n, w, bits } = this;
    for (let a = 0; a < n; a++)
      for (let j = 0; j < w; j++)
        for (let word = bits[a * w + j]!; word !== 0; word &= word - 1) {
          const b = j * 32 + (31 - Math.clz32(word & -word));
          r.bits[b * w + (a >>> 5)]! |= 1 << (a & 31);
        }
    return r;
  }

  /** this ; o (relational composition). */
  seq(o: Relation, into?: Relation): Relation {
    const { n, w, bits } = this;
    const r = target(n, into);
    const out = r.bits;
    if (into) out.fill(0);
    for (let a = 0; a < n; a++) {
      const ra = a * w;
      for (let j = 0; j < w; j++)
        for (let word = bits[ra + j]!; word !== 0; word &= word - 1) {
          const rk = (j * 32 + (31 - Math.clz32(word & -word))) * w;
          for (let i = 0; i < w; i++) out[ra + i]! |= o.bits[rk + i]!;
        }
    }
    return r;
  }

  /** [S]; this: keep pairs whose source is in S. */
  domainIn(s: EventSet, into?: Relation): Relation {
    const r = target(this.n, into);
    const { n, w } = this;
    for (let a = 0; a < n; a++) {
      const keep = s.has(a);
      for (let j = 0; j < w; j++) r.bits[a * w + j] = keep ? this.bits[a * w + j]! : 0;
    }
    return r;
  }

  /** this; [S]: keep pairs whose target is in S. */
  rangeIn(s: EventSet, into?: Relation): Relation {
    const r = target(this.n, into);
    const { n, w } = this;
    for (let a = 0; a < n; a++) for (let j = 0; j < w; j++) r.bits[a * w + j] = this.bits[a * w + j]! & s.bits[j]!;
    return r;
  }

  /** [S]; this; [T]. */
  restrict(s: EventSet, t: EventSet): Relation {
    return this.domainIn(s).rangeIn(t);
  }

  /** The sources of some pair. */
  domain(): EventSet {
    return EventSet.where(this.n, (a) => {
      for (let j = 0; j < this.w; j++) if (this.bits[a * this.w + j] !== 0) return true;
      return false;
    });
  }

  /** The targets of some pair. */
  range(): EventSet {
    const b = allocWords(this.w);
    for (let a = 0; a < this.n; a++) for (let j = 0; j < this.w; j++) b[j]! |= this.bits[a * this.w + j]!;
    return new EventSet(this.n, b);
  }

  /** r⁺ (Warshall over bit rows). */
  closure(into?: Relation): Relation {
    const r = target(this.n, into);
    r.bits.set(this.bits);
    closeWords(r.bits, this.n, this.w);
    return r;
  }

  isEmpty(): boolean {
    return allZero(this.bits);
  }

  /**
   * Whether some pair of row `a` of `targets` is in this⁺: a search from `a` along this relation's
   * rows, O(n + pairs), for when only a few rows of the closure are asked for.
   */
  reachesRow(a: number, targets: Relation): boolean {
    const { n, w, bits } = this;
    const seen = cycleState(n);
    const stack = cycleStack(n);
    let size = 1;
    stack[0] = a;
    while (size > 0) {
      const v = stack[--size]!;
      for (let j = 0; j < w; j++)
        for (let word = bits[v * w + j]!; word !== 0; word &= word - 1) {
          const b = j * 32 + (31 - Math.clz32(word & -word));
          if (seen[b] !== 0) continue;
          if (targets.has(a, b)) return true;
          seen[b] = 1;
          stack[size++] = b;
        }
    }
    return false;
  }

  /** Whether row a has a pair. */
  rowHasPairs(a: number): boolean {
    for (let j = 0; j < this.w; j++) if (this.bits[a * this.w + j] !== 0) return true;
    return false;
  }

  /** Whether this and o share a pair. */
  meets(o: Relation): boolean {
    for (let i = 0; i < this.bits.length; i++) if ((this.bits[i]! & o.bits[i]!) !== 0) return true;
    return false;
  }

  /** No event related to itself. */
  isIrreflexive(): boolean {
    for (let a = 0; a < this.n; a++) if (this.has(a, a)) return false;
    return true;
  }

  /** No cycle: r⁺ is irreflexive. */
  isAcyclic(): boolean {
    return this.closure().isIrreflexive();
  }

  /** The pairs, in order (for reports and tests). */
  pairs(): [number, number][] {
    const out: [number, number][] = [];
    for (let a = 0; a < this.n; a++) for (let b = 0; b < this.n; b++) if (this.has(a, b)) out.push([a, b]);
    return out;
  }

  /** A cycle through r, as a list of events, or undefined (for explanations). */
  findCycle(): number[] | undefined {
    const c = this.closure();
    for (let s = 0; s < this.n; s++) {
      if (!c.has(s, s)) continue;
      // Walk r-edges that stay on a path back to s.
      const path = [s];
      let cur = s;
      for (let guard = 0; guard <= this.n; guard++) {
        let next = -1;
        for (let b = 0; b < this.n; b++) if (this.has(cur, b) && (b === s || c.has(b, s))) { next = b; break; }
        if (next === s || next < 0) return path;
        path.push(next);
        cur = next;
      }
      return path;
    }
    return undefined;
  }
}

/**
 * A reusable bit matrix for the search's hot loop: built in place, closed in place, tested, then
 * overwritten for the next candidate. Nothing is allocated per check.
 */
let stateBuf = new Uint8Array(64);
let stackBuf = new Int32Array(128);

/** Zeroed node states for a search over n nodes (one buffer, reused). */
function cycleState(n: number): Uint8Array {
  if (stateBuf.length < n) stateBuf = new Uint8Array(2 * n);
  stateBuf.fill(0, 0, n);
  return stateBuf;
}

/** A stack of (node, next bit) pairs for n nodes (one buffer, reused). */
function cycleStack(n: number): Int32Array {
  if (stackBuf.length < 2 * n) stackBuf = new Int32Array(4 * n);
  return stackBuf;
}

export class ScratchRelation {
  readonly w: number;
  readonly bits: Bits;

  /** A zeroed matrix, or one over `bits` (storage the caller owns, n × w words). */
  constructor(readonly n: number, bits?: Bits) {
    this.w = words(n);
    this.bits = bits ?? allocWords(n * this.w);
  }

  clear(): this {
    this.bits.fill(0);
    return this;
  }

  /** this := r. */
  copy(r: Relation | ScratchRelation): this {
    this.bits.set(r.bits);
    return this;
  }

  /** Row a := row b of r. */
  copyRow(a: number, r: Relation | ScratchRelation, b: number): void {
    const w = this.w;
    if (w === 1) this.bits[a] = r.bits[b]!;
    else this.bits.set(r.bits.subarray(b * w, (b + 1) * w), a * w);
  }

  /** this := this ∪ r. */
  or(r: Relation | ScratchRelation): this {
    const b = this.bits;
    const o = r.bits;
    for (let i = 0; i < b.length; i++) b[i]! |= o[i]!;
    return this;
  }

  /** this := this ∪ (r ∩ mask). */
  orMasked(r: Relation | ScratchRelation, mask: Relation): this {
    const b = this.bits;
    const o = r.bits;
    const m = mask.bits;
    for (let i = 0; i < b.length; i++) b[i]! |= o[i]! & m[i]!;
    return this;
  }

  add(a: number, b: number): void {
    this.bits[a * this.w + (b >>> 5)]! |= 1 << (b & 31);
  }

  /** Row a := row a ∪ (row b of r ∩ row b of mask). */
  orRowMasked(a: number, r: Relation | ScratchRelation, b: number, mask: Relation): void {
    const w = this.w;
    const o = r.bits;
    const m = mask.bits;
    for (let j = 0; j < w; j++) this.bits[a * w + j]! |= o[b * w + j]! & m[b * w + j]!;
  }

  has(a: number, b: number): boolean {
    return (this.bits[a * this.w + (b >>> 5)]! & (1 << (b & 31))) !== 0;
  }

  /** this := this⁺ (Warshall, in place). */
  close(): this {
    closeWords(this.bits, this.n, this.w);
    return this;
  }

  /**
   * Whether the relation has a cycle: a depth-first search over the bit rows, O(n + pairs), where
   * closing the matrix would cost O(n²). The matrix is left as it is.
   */
  hasCycle(): boolean {
    const { n, w, bits } = this;
    // 0: not visited, 1: on the current path, 2: done (no cycle through it).
    const state = cycleState(n);
    const stack = cycleStack(n);
    for (let root = 0; root < n; root++) {
      if (state[root] !== 0) continue;
      // Each stack entry is a node and the next bit index of its row to look at.
      let top = 0;
      stack[0] = root;
      stack[1] = 0;
      state[root] = 1;
      while (top >= 0) {
        const a = stack[2 * top]!;
        let next = -1;
        for (let b = stack[2 * top + 1]!; b < n; ) {
          const word = bits[a * w + (b >>> 5)]! >>> (b & 31);
          if (word === 0) {
            b = ((b >>> 5) + 1) << 5;
            continue;
          }
          b += 31 - Math.clz32(word & -word);
          if (b >= n) break;
          if (state[b] === 1) return true;
          if (state[b] === 0) {
            next = b;
            stack[2 * top + 1] = b + 1;
            break;
          }
          b++;
        }
        if (next < 0) {
          state[a] = 2;
          top--;
        } else {
          top++;
          stack[2 * top] = next;
          stack[2 * top + 1] = 0;
          state[next] = 1;
        }
      }
    }
    return false;
  }

  isEmpty(): boolean {
    return allZero(this.bits);
  }

  /** An immutable copy. */
  freeze(): Relation {
    return new Relation(this.n, copyWords(this.bits));
  }
}
