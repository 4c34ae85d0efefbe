/**
 * The init section `{ ... }`: items separated by ';' (the last one optional), each
 * `[type] ref [= value]` where ref is `T:Reg`, `x` or `[x]`, and type is a C-like prefix
 * (`int`, `uint64_t`, `unsigned long`, `int *`). A declaration without a value starts at 0,
 * as in herd. A bad item is diagnosed and skipped; the others are still parsed.
 *
 * The device extensions (devices.ts) are told apart by their first tokens:
 *   `name : pcie|switch|rootport|platform ...`   topology (any non-register word after ':')
 *   `loc = endpoint.space : offset ...`          a register binding (a dotted name after '=')
 *   `thread : loc attrs : (...)`                 a mapping
 *   `[PTE(x)] = (...)`                           herd's page-table entry: a mapping for every CPU thread
 * A device column's register `nic:X1=desc` is a herd item whose thread is a name, resolved
 * once the table is known.
 * @internal
 */
import type { InitItem, Reg, Value } from '../ast.js';
import type { Span } from '../diagnostics.js';
import { TOPOLOGY_KINDS, parseMapping, parseRegister, parseThreadStage2, parseThreadTag, parseTopology, type ParsedMapping, type ParsedRegister, type ParsedTopology, type ThreadStage2, type ThreadTag } from './devices.js';
import { isPageTableItem, parsePageTableEntry } from './page-table.js';
import { parseMsi, parseTlp, type ParsedMsi, type ParsedTlp } from './interrupts.js';
import { registerFromName } from './registers.js';
import { Abort, type Context } from './source.js';
import { THREAD_NAME } from './thread-scope.js';
import { Cursor, type Token } from './tokens.js';
import { parseRef, parseValue } from './values.js';

/** A device column's register in the init section, `nic:X1=desc`, before its column id is known. */
export interface DeviceInitItem {
  readonly kind: 'device';
  readonly device: Token;
  readonly reg: Reg;
  readonly value: Value;
  readonly type: string | undefined;
  readonly span: Span;
}

/** The init section, parsed: herd items (in order) and the device extensions. */
export interface InitSection {
  readonly items: readonly (InitItem | DeviceInitItem)[];
  readonly topology: readonly ParsedTopology[];
  readonly registers: readonly ParsedRegister[];
  /** `P0:x attrs:(...)` mappings and `[PTE(x)]=(...)` entries (no thread), in order. */
  readonly mappings: readonly ParsedMapping[];
  /** The threads a `P1: s2:(...)` line declares guests, as written. */
  readonly guestThreads: readonly Token[];
  /** `P1: vmid:2;` and `P2: asid:5;` lines. */
  readonly tags: readonly ThreadTag[];
  /** `irq = msi(P1);` and `nic:L1 tlp:(ro);` items (interrupts.ts). */
  readonly msis: readonly ParsedMsi[];
  readonly tlps: readonly ParsedTlp[];
}

/** Parse the items of an init section whose tokens (braces excluded) are given. */
export function parseInit(ctx: Context, tokens: readonly Token[]): InitSection {
  const items: (InitItem | DeviceInitItem)[] = [];
  const topology: ParsedTopology[] = [];
  const registers: ParsedRegister[] = [];
  const mappings: ParsedMapping[] = [];
  /** `P0: s2:(...)`: the stage 2 of every mapping of P0 that states none. */
  const guests = new Map<string, ThreadStage2>();
  const tags: ThreadTag[] = [];
  const msis: ParsedMsi[] = [];
  const tlps: ParsedTlp[] = [];
  for (const itemTokens of splitItems(tokens)) {
    const cur = new Cursor(ctx, itemTokens, itemTokens[itemTokens.length - 1]!.end);
    try {
      switch (itemKind(itemTokens)) {
        case 'topology':
          topology.push(parseTopology(cur));
          break;
        case 'register':
          registers.push(parseRegister(cur));
          break;
        case 'mapping':
          mappings.push(parseMapping(cur));
          break;
        case 'guest-stage2': {
          const g = parseThreadStage2(cur);
          if (guests.has(g.thread.text)) cur.failAt(g.thread, `${g.thread.text} already has a stage 2 ('${g.thread.text}: s2:(...)' once per thread)`);
          guests.set(g.thread.text, g);
          break;
        }
        case 'thread-tag': {
          const v = parseThreadTag(cur);
          const what = v.key.toUpperCase();
          if (tags.some((w) => w.thread.text === v.thread.text && w.key === v.key)) cur.failAt(v.thread, `${v.thread.text} already has a${v.key === 'asid' ? 'n' : ''} ${what} ('${v.thread.text}: ${v.key}:N' once per thread)`);
          tags.push(v);
          break;
        }
        case 'page-table':
          mappings.push(parsePageTableEntry(cur));
          break;
        case 'msi':
          msis.push(parseMsi(cur));
          break;
        case 'tlp':
          tlps.push(parseTlp(cur));
          break;
        default:
          items.push(parseItem(cur));
      }
    } catch (e) {
      if (e !== Abort.instance) throw e;
    }
  }
  const withGuests = mappings.map((m) => {
    const g = m.thread && m.s2 === undefined ? guests.get(m.thread.text) : undefined;
    return g ? { ...m, s2: g.s2, fwb: g.fwb } : m;
  });
  return { items, topology, registers, mappings: withGuests, guestThreads: [...guests.values()].map((g) => g.thread), tags, msis, tlps };
}

function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === text;
}

/** Which parser an item's first tokens call for. */
function itemKind(t: readonly Token[]): 'topology' | 'register' | 'mapping' | 'guest-stage2' | 'thread-tag' | 'page-table' | 'msi' | 'tlp' | 'herd' {
  if (isPageTableItem(t)) return 'page-table';
  const [a, b, c, d] = t;
  if (a === undefined || a.kind !== 'ident' || c === undefined || c.kind !== 'ident') return 'herd';
  if (isPunct(b, '=') && c.text === 'msi' && isPunct(d, '(')) return 'msi';
  if (isPunct(b, ':') && d !== undefined && d.text === 'tlp' && isPunct(t[4], ':')) return 'tlp';
  if (isPunct(b, ':')) {
    if (d !== undefined && d.kind === 'ident' && d.text === 'attrs') return 'mapping';
    if (c.text === 's2' && isPunct(d, ':') && THREAD_NAME.test(a.text)) return 'guest-stage2';
    if ((c.text === 'vmid' || c.text === 'asid') && isPunct(d, ':') && THREAD_NAME.test(a.text)) return 'thread-tag';
    // `P3: platform` is a topology item too, so the clash with a thread name is reported as such.
    if (TOPOLOGY_KINDS.has(c.text) || (!THREAD_NAME.test(a.text) && registerFromName(c.text) === undefined)) return 'topology';
  }
  if (isPunct(b, '=') && c.text.includes('.')) return 'register';
  return 'herd';
}

/** Split at ';' outside parentheses and brackets (herd's descriptor values nest commas and colons). */
function splitItems(tokens: readonly Token[]): Token[][] {
  const out: Token[][] = [];
  let depth = 0;
  let item: Token[] = [];
  for (const t of tokens) {
    if (t.kind === 'punct') {
      if (t.text === '(' || t.text === '[') depth++;
      else if ((t.text === ')' || t.text === ']') && depth > 0) depth--;
      else if (t.text === ';' && depth === 0) {
        if (item.length > 0) out.push(item);
        item = [];
        continue;
      }
    }
    item.push(t);
  }
  if (item.length > 0) out.push(item);
  return out;
}

/** Is the token at k a possible start of a ref after a type word (ident, `*`, thread number)? */
function continuesType(cur: Cursor, k: number): boolean {
  const t = cur.peek(k);
  if (t === undefined) return false;
  return t.kind === 'ident' || t.kind === 'number' || (t.kind === 'punct' && t.text === '*');
}

function parseItem(cur: Cursor): InitItem | DeviceInitItem {
  const first = cur.peek()!;
  // Type words: every identifier or '*' that is followed by something that can still be the ref.
  let type = '';
  while (true) {
    const t = cur.peek();
    if (t === undefined) break;
    if (t.kind === 'punct' && t.text === '*') {
      if (type === '') cur.failAt(t, "expected a type, register or location, found '*'");
      cur.next('*');
      type += '*';
    } else if (t.kind === 'ident' && continuesType(cur, 1)) {
      cur.next('a type');
      type += type === '' ? t.text : ` ${t.text}`;
    } else break;
  }
  const ref = parseRef(cur);
  let value = { kind: 'int' as const, value: 0n } as InitItem['value'];
  if (!cur.atEnd) {
    cur.expectPunct('=');
    value = parseValue(cur, true);
    const extra = cur.peek();
    if (extra !== undefined) cur.failAt(extra, `unexpected '${extra.text}' after the value (missing ';'?)`);
  }
  const span = cur.ctx.src.span(first.start, cur.lastEnd(first.end));
  const typ = type === '' ? undefined : type;
  switch (ref.kind) {
    case 'reg':
      return { kind: 'reg', thread: ref.thread, reg: ref.reg, value, type: typ, span };
    case 'device':
      return { kind: 'device', device: ref.device, reg: ref.reg, value, type: typ, span };
    default:
      // `int x[4]` declares an array of 4 elements.
      if (ref.index !== undefined) {
        if (typ === undefined) cur.failAt(first, `array '${ref.loc}[${ref.index}]' needs a type (e.g. 'int ${ref.loc}[${ref.index}]')`);
        if (ref.index < 1 || ref.index > 4096) cur.failAt(first, `array '${ref.loc}' must have 1 to 4096 elements`);
        return { kind: 'loc', loc: ref.loc, value, type: typ, count: ref.index, span };
      }
      if (value.kind === 'array') cur.failAt(first, `'${ref.loc}' is not an array: declare it as 'int ${ref.loc}[${value.values.length}]'`);
      return { kind: 'loc', loc: ref.loc, value, type: typ, span };
  }
}
