/**
 * The device items of the init section (docs/language.md, "Devices"): topology declarations
 * `nic: pcie(rp0)`, MMIO register bindings `db = nic.bar0:0x800 (attrs)` and per-thread mappings
 * `P0:db attrs:(ioremap_wc) s2:(kvm-6.9, vfio-pci, fwb)`.
 *
 * This file only parses one item at a time; checks that relate items to each other (declared
 * endpoints, buses, duplicates) and to the table are in device-checks.ts. Each parsed item keeps
 * the tokens those checks point at.
 * @internal
 */
import type { MappingDecl, RegisterAttrs, RegisterDecl, Stage2Source, TopologyDecl } from '../ast.js';
import type { Cursor, Token } from './tokens.js';
import { expectNumber } from './values.js';
import { expectLocation } from './tokens.js';

/** The words after `name:` that declare a topology node. */
export const TOPOLOGY_KINDS: ReadonlySet<string> = new Set(['pcie', 'switch', 'rootport', 'platform']);

/** A topology declaration and the tokens checks point at. */
export interface ParsedTopology {
  readonly decl: TopologyDecl;
  readonly name: Token;
  readonly parent: Token | undefined;
}

/** How a register's space was written: `barN`, `cfg` or `mmio` (which bus each belongs to is checked later). */
export type SpaceWord = 'bar' | 'cfg' | 'mmio';

/** A register binding and the tokens checks point at. */
export interface ParsedRegister {
  readonly decl: RegisterDecl;
  readonly loc: Token;
  /** The `nic` and `bar0` parts of `nic.bar0`. */
  readonly endpoint: Token;
  readonly space: Token;
  readonly spaceWord: SpaceWord;
  /** The endpoint named by `resets=`. */
  readonly resets: Token | undefined;
}

/**
 * A mapping whose thread is resolved once the table is known. A page-table entry
 * `[PTE(x)]=(attrs:(...))` (page-table.ts) has no thread: it maps x for every CPU thread that
 * does not map x itself.
 */
export interface ParsedMapping {
  readonly thread: Token | undefined;
  readonly loc: Token;
  readonly s1: string;
  readonly s2: Stage2Source | undefined;
  readonly fwb: boolean;
  readonly span: MappingDecl['span'];
}

/** A sub-token: part of `nic.bar0`, or a group of tokens `kvm-6.9`, for precise diagnostics. */
function piece(text: string, start: number, end: number): Token {
  return { kind: 'ident', text, start, end };
}

/** `name: pcie(parent)`, `name: switch(parent)`, `name: rootport[(ro, ido)]`, `name: platform`. */
export function parseTopology(cur: Cursor): ParsedTopology {
  const name = cur.next('a name');
  cur.expectPunct(':');
  const kind = cur.next('pcie, switch, rootport or platform');
  const spanNow = () => cur.ctx.src.span(name.start, cur.lastEnd(name.end));
  switch (kind.text) {
    case 'pcie':
    case 'switch': {
      cur.expectPunct('(');
      const parent = cur.next('the parent root port or switch');
      if (parent.kind !== 'ident') cur.failAt(parent, `expected the parent root port or switch, found '${parent.text}'`);
      cur.expectPunct(')');
      cur.expectEnd(`'${kind.text}(${parent.text})' (missing ';'?)`);
      const decl: TopologyDecl = kind.text === 'pcie'
        ? { kind: 'endpoint', name: name.text, bus: 'pcie', parent: parent.text, span: spanNow() }
        : { kind: 'switch', name: name.text, parent: parent.text, span: spanNow() };
      return { decl, name, parent };
    }
    case 'platform':
      cur.expectEnd("'platform' (missing ';'?)");
      return { decl: { kind: 'endpoint', name: name.text, bus: 'platform', parent: undefined, span: spanNow() }, name, parent: undefined };
    case 'rootport': {
      const opts = { ro: false, ido: false };
      if (cur.eatPunct('(')) {
        parseList(cur, () => {
          const o = cur.next("'ro' or 'ido'");
          // PCIe Base Spec 2.4.1: Relaxed Ordering and ID-based Ordering let the port pass posted writes.
          if (o.text !== 'ro' && o.text !== 'ido') cur.failAt(o, `unknown root port option '${o.text}': expected ro or ido`);
          if (opts[o.text]) cur.ctx.report('semantic', `root port option '${o.text}' is given twice`, o.start, o.end);
          opts[o.text] = true;
        });
      }
      cur.expectEnd("the root port (missing ';'?)");
      return { decl: { kind: 'rootport', name: name.text, ro: opts.ro, ido: opts.ido, span: spanNow() }, name, parent: undefined };
    }
    default:
      cur.failAt(kind, `unknown topology kind '${kind.text}': expected pcie(...), switch(...), rootport or platform`);
  }
}

/** Items separated by ',' up to ')' (already past '('); `()` is an empty list. */
function parseList(cur: Cursor, item: () => void): void {
  if (cur.eatPunct(')')) return;
  while (true) {
    item();
    if (cur.eatPunct(')')) return;
    cur.expectPunct(',');
  }
}

const BAR = /^bar([0-9]+)$/;
/** PCI Local Bus 3.0 §6.2.5: a type-0 header has six Base Address Registers. */
const BAR_COUNT = 6;

const DEFAULT_ATTRS: RegisterAttrs = { reset: 0, readClear: false, flr: false, resets: undefined, selfReset: false };

/** `loc = endpoint.space:offset [(attr, ...)]`; the dispatcher saw `ident = ident-with-dot`. */
export function parseRegister(cur: Cursor): ParsedRegister {
  const loc = cur.next('a location');
  cur.expectPunct('=');
  const target = cur.next('endpoint.space');
  const dot = target.text.indexOf('.');
  const endpoint = piece(target.text.slice(0, dot), target.start, target.start + dot);
  const space = piece(target.text.slice(dot + 1), target.start + dot + 1, target.end);
  const bar = BAR.exec(space.text);
  let spaceWord: SpaceWord;
  let barNumber: number | undefined;
  if (bar !== null && bar[1]!.length === 1 && Number(bar[1]) < BAR_COUNT) {
    spaceWord = 'bar';
    barNumber = Number(bar[1]);
  } else if (space.text === 'cfg' || space.text === 'mmio') spaceWord = space.text;
  else cur.failAt(space, `bad register space '${space.text}': expected bar0..bar5, cfg or mmio`);
  cur.expectPunct(':');
  const offset = expectNumber(cur, 'a register offset', false);
  let attrs = DEFAULT_ATTRS;
  let resets: Token | undefined;
  if (cur.eatPunct('(')) ({ attrs, resets } = parseRegisterAttrs(cur, spaceWord));
  cur.expectEnd("the register (missing ';'?)");
  const decl: RegisterDecl = {
    kind: 'register',
    loc: loc.text,
    endpoint: endpoint.text,
    space: spaceWord === 'cfg' ? 'cfg' : 'mem',
    bar: barNumber,
    offset,
    attrs,
    span: cur.ctx.src.span(loc.start, cur.lastEnd(loc.end)),
  };
  return { decl, loc, endpoint, space, spaceWord, resets };
}

/** An attribute name, dashes included (`read-clear`), as one piece. */
function attrName(cur: Cursor): Token {
  const first = cur.next('a register attribute');
  if (first.kind !== 'ident') cur.failAt(first, `expected a register attribute, found '${first.text}'`);
  let text = first.text;
  let end = first.end;
  while (cur.isPunct('-') && cur.peek(1)?.kind === 'ident') {
    cur.next('-');
    const t = cur.next('a register attribute');
    text += `-${t.text}`;
    end = t.end;
  }
  return piece(text, first.start, end);
}

/** `reset=N`, `read-clear`, `flr`, `resets=NAME`, `self-reset`, comma separated, up to ')'. */
function parseRegisterAttrs(cur: Cursor, space: SpaceWord): { attrs: RegisterAttrs; resets: Token | undefined } {
  let reset = 0;
  let readClear = false;
  let flr = false;
  let selfReset = false;
  let resets: Token | undefined;
  let fn: number | undefined;
  const seen = new Set<string>();
  let effect: Token | undefined;
  parseList(cur, () => {
    const key = attrName(cur);
    if (seen.has(key.text)) cur.ctx.report('semantic', `register attribute '${key.text}' is given twice`, key.start, key.end);
    seen.add(key.text);
    const noValue = (): void => {
      if (cur.isPunct('=')) cur.failAt(cur.peek(), `register attribute '${key.text}' takes no value`);
    };
    switch (key.text) {
      case 'reset':
        cur.expectPunct('=');
        reset = expectNumber(cur, 'a reset value', false);
        return;
      case 'read-clear':
        noValue();
        readClear = true;
        return;
      case 'fn':
        cur.expectPunct('=');
        fn = functionNumber(cur);
        return;
      case 'flr':
        noValue();
        // PCIe Base Spec 6.6.2: FLR is started by the Initiate FLR bit of the Device Control
        // register, which lives in configuration space.
        if (space !== 'cfg') cur.ctx.report('semantic', "'flr' needs a configuration-space register (endpoint.cfg:OFFSET)", key.start, key.end);
        flr = true;
        break;
      case 'self-reset':
        noValue();
        selfReset = true;
        break;
      case 'resets': {
        cur.expectPunct('=');
        const target = cur.next('the endpoint to reset');
        if (target.kind !== 'ident') cur.failAt(target, `expected the endpoint to reset, found '${target.text}'`);
        resets = target;
        break;
      }
      default:
        cur.failAt(key, `unknown register attribute '${key.text}': expected reset=N, read-clear, fn=N, flr, resets=NAME or self-reset`);
    }
    // A write has one reset effect; two on one register would leave the model to pick one.
    if (effect !== undefined && effect.text !== key.text) {
      cur.ctx.report('semantic', `a register has at most one reset effect: '${effect.text}' and '${key.text}'`, key.start, key.end);
    }
    effect ??= key;
  });
  return { attrs: { reset, readClear, flr, resets: resets?.text, selfReset, ...(fn === undefined ? {} : { fn }) }, resets };
}

/** A function number of a multi-function endpoint, 0 to 7 (PCIe: 3 bits of the Routing ID without ARI). */
export function functionNumber(cur: Cursor): number {
  const t = cur.peek();
  const n = expectNumber(cur, 'a function number', false);
  if (!Number.isInteger(n) || n < 0 || n > 7) cur.failAt(t!, `a function number is 0 to 7, not ${n}`);
  return n;
}

/** Host mapping sources KVM's stage-2 policy distinguishes: platform/vfio.ts's HOST_MAPPING_SOURCES,
 * repeated because the syntax layer depends on no other layer (docs/kvm.md). */
const HOST_SOURCES: ReadonlySet<string> = new Set(['vfio-pci', 'vfio-platform', 'resource', 'resource_wc']);

/** The tokens of one comma-separated group, as one whitespace-free piece. */
function groupPiece(cur: Cursor, tokens: readonly Token[]): Token {
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  return piece(cur.ctx.src.text.slice(first.start, last.end).replace(/\s+/g, ''), first.start, last.end);
}

/** Comma-separated groups up to the ')' matching an already consumed '(' (nested parens kept). */
function parseGroups(cur: Cursor): { groups: Token[]; close: Token } {
  const groups: Token[] = [];
  let group: Token[] = [];
  let depth = 0;
  while (true) {
    const t = cur.next("')'");
    const isClose = t.kind === 'punct' && t.text === ')' && depth === 0;
    if ((t.kind === 'punct' && t.text === ',' && depth === 0) || isClose) {
      if (group.length === 0 && !(isClose && groups.length === 0)) cur.failAt(t, `expected an item before '${t.text}'`);
      if (group.length > 0) groups.push(groupPiece(cur, group));
      group = [];
      if (isClose) return { groups, close: t };
      continue;
    }
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth--;
    group.push(t);
  }
}

/**
 * `thread:loc attrs:(S1) [s2:(ITEMS)]`. The stage-1 text is kept whole (whitespace removed) for
 * the platform layer to parse. s2 ITEMS: `kvm-VERSION, HOST` or one MemAttr, and `fwb` anywhere.
 */
export function parseMapping(cur: Cursor): ParsedMapping {
  const thread = cur.next('a thread');
  cur.expectPunct(':');
  const loc = expectLocation(cur);
  cur.next('attrs');
  cur.expectPunct(':');
  const s1 = parseStage1Text(cur);
  const { s2, fwb } = cur.isWord('s2') ? parseStage2Clause(cur) : { s2: undefined, fwb: false };
  cur.expectEnd("the mapping (missing ';'?)");
  return { thread, loc, s1, s2, fwb, span: cur.ctx.src.span(thread.start, cur.lastEnd(thread.end)) };
}

/** `P0: s2:(ITEMS)`: the stage 2 of every mapping of thread P0 that states none (a guest's VM). */
export interface ThreadStage2 {
  readonly thread: Token;
  readonly s2: Stage2Source;
  readonly fwb: boolean;
}

/**
 * `P1: vmid:2;`: a guest's VMID, or for a host thread the VMID its guest invalidations name.
 * `P2: asid:5;`: P2 is a user process with that ASID, its translations not global.
 */
export interface ThreadTag {
  readonly thread: Token;
  readonly key: 'vmid' | 'asid';
  readonly value: number;
  readonly at: Token;
}

export function parseThreadTag(cur: Cursor): ThreadTag {
  const thread = cur.next('a thread');
  cur.expectPunct(':');
  const key = cur.next("'vmid' or 'asid'").text === 'asid' ? 'asid' : 'vmid';
  cur.expectPunct(':');
  const at = cur.next(`a${key === 'asid' ? 'n ASID' : ' VMID'}`);
  const value = at.kind === 'number' ? Number(at.text) : NaN;
  // VTTBR_EL2.VMID and the ASID are 8 or 16 bits (FEAT_VMID16, TCR_ELx.AS).
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) cur.failAt(at, `a${key === 'asid' ? 'n ASID' : ' VMID'} is a number from 0 to 65535, not ${cur.describe(at)}`);
  // Linux keeps ASID 0 for the kernel (arch/arm64/mm/context.c); a TLBI without ASID bits names it.
  if (key === 'asid' && value === 0) cur.failAt(at, 'a process has an ASID from 1 to 65535: ASID 0 is the kernel\'s (what a TLBI without ASID bits names)');
  cur.expectEnd(`the thread's ${key.toUpperCase()} (missing ';'?)`);
  return { thread, key, value, at };
}

export function parseThreadStage2(cur: Cursor): ThreadStage2 {
  const thread = cur.next('a thread');
  cur.expectPunct(':');
  const { s2, fwb } = parseStage2Clause(cur);
  cur.expectEnd("the thread's stage 2 (missing ';'?)");
  return { thread, s2, fwb };
}

/**
 * The `(S1)` of `attrs:(S1)`, parentheses included: the text between them, whitespace removed,
 * for the platform layer to parse (herd's `Normal,iNC,oNC`, `Device-GRE`, a Linux API name).
 */
export function parseStage1Text(cur: Cursor): string {
  const open = cur.expectPunct('(');
  const { groups, close } = parseGroups(cur);
  if (groups.length === 0) cur.failAt(close, "expected a stage-1 attribute in 'attrs:(...)'");
  return cur.ctx.src.text.slice(open.end, close.start).replace(/\s+/g, '');
}

/** `s2:( ... )`, from the word `s2`. */
function parseStage2Clause(cur: Cursor): { s2: Stage2Source; fwb: boolean } {
  cur.next('s2');
  cur.expectPunct(':');
  cur.expectPunct('(');
  return parseStage2(cur);
}

/** The inside of `s2:( ... )`, up to and including ')'. */
function parseStage2(cur: Cursor): { s2: Stage2Source; fwb: boolean } {
  const { groups, close } = parseGroups(cur);
  let fwb = false;
  const rest: Token[] = [];
  for (const g of groups) {
    if (g.text !== 'fwb') rest.push(g);
    else if (fwb) cur.ctx.report('semantic', "'fwb' is given twice", g.start, g.end);
    else fwb = true;
  }
  const first = rest[0];
  if (first === undefined) cur.failAt(close, "expected a MemAttr or 'kvm-VERSION, HOST' in 's2:(...)'");
  if (first.text === 'kvm' || first.text.startsWith('kvm-')) {
    const kernel = first.text.slice(4);
    if (kernel === '') cur.failAt(first, "expected a kernel version after 'kvm-' (e.g. kvm-6.9)");
    const host = rest[1];
    const hosts = 'vfio-pci, vfio-platform, resource or resource_wc';
    if (host === undefined) cur.failAt(close, `expected the host mapping source after '${first.text}': ${hosts}`);
    if (!HOST_SOURCES.has(host.text)) cur.failAt(host, `unknown host mapping source '${host.text}': expected ${hosts}`);
    if (rest[2] !== undefined) cur.failAt(rest[2], `unexpected '${rest[2].text}' in 's2:(...)' after the host mapping source`);
    return { s2: { kind: 'kvm', kernel, host: host.text }, fwb };
  }
  if (rest[1] !== undefined) cur.failAt(rest[1], `unexpected '${rest[1].text}' in 's2:(...)': give one MemAttr, or 'kvm-VERSION, HOST'`);
  return { s2: { kind: 'memattr', text: first.text }, fwb };
}
