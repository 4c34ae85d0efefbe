/**
 * The edge vocabulary of `iolitmus gen`, as data: one row per kind of relaxation edge, spelled
 * as herd's diy7 spells it (`diy7 -arch AArch64 -list`). A row says how the edge's name goes on
 * after its stem, which accesses it joins, how tests name it, and what code it produces. New
 * kinds (device accesses, say) are new rows.
 */
import { annotRank, annotSuffix, splitAnnots, type Annot, type Dir } from './annotations.js';

export type { Dir } from './annotations.js';

/** The communication relation of a communication edge. */
export type Com = 'Rf' | 'Fr' | 'Co';

/**
 * What an edge is, for the rules that combine edges and for naming.
 * - `external`: communication between threads (Rfe, Fre, Coe): a thread boundary
 * - `internal`: communication inside a thread (Rfi, Fri, Coi)
 * - `po`: program order alone (Pod**, Pos**)
 * - `dep`: a dependency from a read (DpAddr, DpData, DpCtrl, DpCtrlIsb)
 * - `fence`: program order with a barrier between the accesses
 * - `rmw`: the read and the write of one atomic update (Amo.*, LxSx)
 */
export type EdgeClass = 'external' | 'internal' | 'po' | 'dep' | 'fence' | 'rmw';

/** The LSE atomic instructions an `Amo.*` edge produces. */
export type AmoOp = 'SWP' | 'CAS' | 'LDADD' | 'LDEOR' | 'LDSET' | 'LDCLR' | 'STADD' | 'STEOR' | 'STSET' | 'STCLR';

/** The code an edge puts between its two accesses (or, for `rmw`, the one instruction both are). */
export type EdgeCode =
  | { readonly kind: 'none' }
  | { readonly kind: 'fence'; readonly insn: string }
  | { readonly kind: 'dep'; readonly dep: 'addr' | 'data' | 'ctrl' | 'ctrlisb' }
  | { readonly kind: 'amo'; readonly op: AmoOp }
  | { readonly kind: 'lxsx' };

/**
 * One kind of edge. The name is the stem, then (by `shape`) nothing, `s`/`d` (same or different
 * location) and two directions (`PodWR`), or `s`/`d` and the target direction (`DpAddrdR`), then
 * optionally two annotation letters (`PodWRPA`).
 */
export interface EdgeKind {
  readonly stem: string;
  readonly cls: EdgeClass;
  readonly shape: 'fixed' | 'sd-dirs' | 'sd-target';
  /** Directions and location of `fixed` kinds; `src` also for `sd-target` kinds. */
  readonly src?: Dir;
  readonly tgt?: Dir;
  readonly sameLoc?: boolean;
  /** The target directions an `sd-target` kind allows (a data dependency targets writes only). */
  readonly targets?: readonly Dir[];
  readonly com?: Com;
  /** How test names write the edge (`po`, `addr`, `dmb.sy`, `amo.swp`). */
  readonly short: string;
  /** Position in diy's order of edges, used to choose among rotations of a cycle. */
  readonly rank: number;
  readonly code: EdgeCode;
}

/** One edge of a cycle: a kind with its directions, location change and annotations. */
export interface Edge {
  readonly kind: EdgeKind;
  readonly src: Dir;
  readonly tgt: Dir;
  /** Whether both accesses are to the same location. */
  readonly sameLoc: boolean;
  readonly a1: Annot;
  readonly a2: Annot;
}

const NONE: EdgeCode = { kind: 'none' };

function com(stem: string, cls: EdgeClass, c: Com, rank: number): EdgeKind {
  const [src, tgt]: [Dir, Dir] = c === 'Rf' ? ['W', 'R'] : c === 'Fr' ? ['R', 'W'] : ['W', 'W'];
  return { stem, cls, shape: 'fixed', src, tgt, sameLoc: true, com: c, short: stem.toLowerCase(), rank, code: NONE };
}

function fence(stem: string, insn: string, rank: number): EdgeKind {
  return { stem, cls: 'fence', shape: 'sd-dirs', short: stem.toLowerCase(), rank, code: { kind: 'fence', insn } };
}

function dep(stem: string, d: 'addr' | 'data' | 'ctrl' | 'ctrlisb', rank: number): EdgeKind {
  const targets: Dir[] = d === 'data' ? ['W'] : ['R', 'W'];
  return { stem, cls: 'dep', shape: 'sd-target', src: 'R', targets, short: d, rank, code: { kind: 'dep', dep: d } };
}

function amo(stem: string, op: AmoOp, rank: number): EdgeKind {
  const code: EdgeCode = { kind: 'amo', op };
  return { stem, cls: 'rmw', shape: 'fixed', src: 'R', tgt: 'W', sameLoc: true, short: stem.toLowerCase(), rank, code };
}

/**
 * Every edge kind. Ranks follow the order diy7's output shows (it is not an obvious one): Fri
 * and Fre, Rfe, Coe, then barriers (ISB, DMB.LD, DMB.ST, DMB.SY, then DSB), Rfi, Coi,
 * dependencies (addr, data, ctrl), program order, then atomic updates (LxSx, Amo.Swp, Amo.Cas ...).
 */
export const EDGE_KINDS: readonly EdgeKind[] = Object.freeze([
  com('Rfe', 'external', 'Rf', 52),
  com('Fre', 'external', 'Fr', 51),
  com('Coe', 'external', 'Co', 54),
  com('Rfi', 'internal', 'Rf', 100),
  com('Fri', 'internal', 'Fr', 50),
  com('Coi', 'internal', 'Co', 104),
  { stem: 'Po', cls: 'po', shape: 'sd-dirs', short: 'po', rank: 300, code: NONE },
  dep('DpAddr', 'addr', 200),
  dep('DpData', 'data', 201),
  dep('DpCtrl', 'ctrl', 202),
  dep('DpCtrlIsb', 'ctrlisb', 203),
  fence('ISB', 'ISB', 60),
  fence('DMB.LD', 'DMB LD', 61),
  fence('DMB.ST', 'DMB ST', 62),
  fence('DMB.SY', 'DMB SY', 63),
  fence('DSB.LD', 'DSB LD', 64),
  fence('DSB.ST', 'DSB ST', 65),
  fence('DSB.SY', 'DSB SY', 66),
  // Inner-shareable barriers: not in diy7's AArch64 vocabulary, named the same way.
  fence('DMB.ISHLD', 'DMB ISHLD', 67),
  fence('DMB.ISHST', 'DMB ISHST', 68),
  fence('DMB.ISH', 'DMB ISH', 69),
  fence('DSB.ISHLD', 'DSB ISHLD', 70),
  fence('DSB.ISHST', 'DSB ISHST', 71),
  fence('DSB.ISH', 'DSB ISH', 72),
  amo('Amo.Swp', 'SWP', 410),
  amo('Amo.Cas', 'CAS', 411),
  amo('Amo.LdAdd', 'LDADD', 412),
  amo('Amo.LdEor', 'LDEOR', 413),
  amo('Amo.LdSet', 'LDSET', 414),
  amo('Amo.LdClr', 'LDCLR', 415),
  amo('Amo.StAdd', 'STADD', 416),
  amo('Amo.StEor', 'STEOR', 417),
  amo('Amo.StSet', 'STSET', 418),
  amo('Amo.StClr', 'STCLR', 419),
  { stem: 'LxSx', cls: 'rmw', shape: 'fixed', src: 'R', tgt: 'W', sameLoc: true, short: 'rmw', rank: 400, code: { kind: 'lxsx' } },
]);

/** diy's other spellings of communication edges. */
const ALIASES: Readonly<Record<string, string>> = Object.freeze({ Wse: 'Coe', Wsi: 'Coi' });

const DIRS = /^[RW]$/;

/** The name of an edge as diy7 writes it (`PodWR`, `DMB.SYdWW`, `RfeLA`, `Amo.SwpAL`). */
export function edgeName(e: Edge): string {
  const k = e.kind;
  const sd = e.sameLoc ? 's' : 'd';
  const body = k.shape === 'fixed' ? '' : k.shape === 'sd-dirs' ? sd + e.src + e.tgt : sd + e.tgt;
  return k.stem + body + annotSuffix(e.a1, e.a2);
}

/** Parse one edge name (`PodWR`, `DpAddrdR`, `RfeLA`, `Amo.Cas`); a RangeError names a bad one. */
export function parseEdge(text: string): Edge {
  const name = ALIASES[text] ?? text;
  // Stems can be prefixes of others (DpCtrl / DpCtrlIsb, DMB.ISH / DMB.ISHST): try the longest first.
  const kinds = EDGE_KINDS.filter((k) => name.startsWith(k.stem)).sort((a, b) => b.stem.length - a.stem.length);
  for (const k of kinds) {
    const e = parseRest(k, name.slice(k.stem.length));
    if (e) return e;
  }
  throw new RangeError(`unknown edge '${text}' (see docs/gen.md for the vocabulary)`);
}

/** The edge of kind `k` whose name continues with `rest`, or undefined. */
function parseRest(k: EdgeKind, rest: string): Edge | undefined {
  let src = k.src, tgt = k.tgt, sameLoc = k.sameLoc;
  let tail = rest;
  if (k.shape !== 'fixed') {
    const sd = rest[0];
    if (sd !== 's' && sd !== 'd') return undefined;
    sameLoc = sd === 's';
    const width = k.shape === 'sd-dirs' ? 2 : 1;
    const dirs = rest.slice(1, 1 + width);
    if (dirs.length !== width || ![...dirs].every((d) => DIRS.test(d))) return undefined;
    if (k.shape === 'sd-dirs') src = dirs[0] as Dir;
    tgt = dirs[width - 1] as Dir;
    if (k.targets && !k.targets.includes(tgt)) return undefined;
    tail = rest.slice(1 + width);
  }
  const annots = tail === '' ? (['P', 'P'] as const) : splitAnnots(tail);
  if (!annots || src === undefined || tgt === undefined || sameLoc === undefined) return undefined;
  return { kind: k, src, tgt, sameLoc, a1: annots[0], a2: annots[1] };
}

/**
 * Parse a list of edges separated by spaces or commas. A `*` in place of a direction stands for
 * both (`Pod**` is PodWW PodWR PodRW PodRR, `DMB.SYd*R` is DMB.SYdWR DMB.SYdRR).
 */
export function parseEdgeList(text: string): Edge[] {
  const out: Edge[] = [];
  for (const word of text.split(/[\s,]+/).filter((w) => w !== '')) {
    if (!word.includes('*')) {
      out.push(parseEdge(word));
      continue;
    }
    // A pattern keeps the directions that make an edge (DpDatad* is DpDatadW alone).
    const edges = expandStars(word).flatMap((w) => (tryParse(w) ?? []));
    if (edges.length === 0) throw new RangeError(`no edge matches '${word}'`);
    out.push(...edges);
  }
  return out;
}

function tryParse(word: string): Edge | undefined {
  try {
    return parseEdge(word);
  } catch {
    return undefined;
  }
}

/** The words a `*` pattern stands for, in diy's order (W before R). */
function expandStars(word: string): string[] {
  const i = word.indexOf('*');
  if (i < 0) return [word];
  return ['W', 'R'].flatMap((d) => expandStars(word.slice(0, i) + d + word.slice(i + 1)));
}

/** The same edge with other annotations. */
export function withAnnots(e: Edge, a1: Annot, a2: Annot): Edge {
  return a1 === e.a1 && a2 === e.a2 ? e : { ...e, a1, a2 };
}

/** Whether the edge is a thread boundary. */
export function isExternal(e: Edge): boolean {
  return e.kind.cls === 'external';
}

/**
 * diy's order on edges (kind, then same location before different, then W before R at the
 * source and at the target, then annotations): the tie-breaker between rotations of a cycle.
 */
export function compareEdges(a: Edge, b: Edge): number {
  return (
    a.kind.rank - b.kind.rank ||
    Number(!a.sameLoc) - Number(!b.sameLoc) ||
    dirRank(a.src) - dirRank(b.src) ||
    dirRank(a.tgt) - dirRank(b.tgt) ||
    annotRank(a.a1) - annotRank(b.a1) ||
    annotRank(a.a2) - annotRank(b.a2)
  );
}

function dirRank(d: Dir): number {
  return d === 'W' ? 0 : 1;
}
