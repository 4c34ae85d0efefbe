/**
 * Access annotations, spelled as diy7 spells them: two letters after an edge name give the
 * annotation of the edge's source access and of its target access (`PodWWPL`: plain store, then
 * release store; `RfeLA`: a release store read by an acquire load).
 */
/** Direction of an access: read or write. */
export type Dir = 'R' | 'W';

/**
 * The annotation of one access.
 * - `P` plain (LDR/STR)
 * - `A` acquire load (LDAR), `Q` acquire-PC load (LDAPR), `L` release store (STLR)
 * - `X` exclusive (an LDXR/STXR pair), `XA` acquire exclusive load (LDAXR), `XL` release
 *   exclusive store (STLXR)
 */
export type Annot = 'P' | 'A' | 'Q' | 'L' | 'X' | 'XA' | 'XL';

/** Every annotation, in diy's order (the order used to break ties between cycles). */
export const ANNOTS: readonly Annot[] = Object.freeze(['P', 'A', 'Q', 'L', 'X', 'XA', 'XL']);

const LONGEST_FIRST: readonly Annot[] = [...ANNOTS].sort((a, b) => b.length - a.length);

/** The annotations an access of each direction may carry. */
const VALID: Readonly<Record<Dir, readonly Annot[]>> = Object.freeze({
  R: ['P', 'A', 'Q', 'X', 'XA'],
  W: ['P', 'L', 'X', 'XL'],
});

/** Whether an access of direction `dir` may carry `a`. */
export function validFor(a: Annot, dir: Dir): boolean {
  return VALID[dir].includes(a);
}

/** The rank of an annotation in diy's order. */
export function annotRank(a: Annot): number {
  return ANNOTS.indexOf(a);
}

/** Whether `a` is an exclusive annotation (the access becomes an LDXR/STXR pair). */
export function isExclusive(a: Annot): boolean {
  return a === 'X' || a === 'XA' || a === 'XL';
}

/**
 * Split an annotation suffix (`PL`, `XAP`, `XXL`) into source and target annotations, or
 * undefined when it is not two annotations. Ambiguous spellings take the longer first part,
 * so `XAL` reads as `XA` then `L`.
 */
export function splitAnnots(suffix: string): readonly [Annot, Annot] | undefined {
  for (const first of LONGEST_FIRST) {
    if (!suffix.startsWith(first)) continue;
    const rest = suffix.slice(first.length) as Annot;
    if (ANNOTS.includes(rest)) return [first, rest];
  }
  return undefined;
}

/**
 * Combine the annotations two edges give one access. Plain gives way to anything (diy combines
 * `Fre` with `PodWRLP` into `FrePL PodWRLP`); two different non-plain annotations clash.
 */
export function mergeAnnots(a: Annot, b: Annot): Annot | undefined {
  if (a === 'P') return b;
  if (b === 'P' || a === b) return a;
  return undefined;
}

/** The suffix diy writes after an edge: nothing when both accesses are plain. */
export function annotSuffix(a1: Annot, a2: Annot): string {
  return a1 === 'P' && a2 === 'P' ? '' : a1 + a2;
}
