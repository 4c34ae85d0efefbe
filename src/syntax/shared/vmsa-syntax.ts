/**
 * herd's VMSA forms in values and state references: a location's translation table entry
 * (`PTE(x)`, old syntax `pte_x`), a physical address (`PA(x)`, `phy_x`) and a descriptor
 * `(oa:PA(y), valid:0, af:0, db:0, dbm:1, el0:0)`. They are parsed here; whether a test may use
 * them is decided when the program is built (events/vmsa-forms.ts: not yet).
 * @internal
 */
import type { Value } from '../ast.js';
import { expectLocation, type Cursor, type Token } from './tokens.js';

/**
 * The name of x's translation table entry as a location: its stage-1 entry `PTE(x)` (what herd
 * prints), or with `written` 'S2PTE' the stage-2 entry of x's intermediate physical address
 * (iolitmus's `S2PTE(x)`, for tests with guests).
 */
export function pteLocation(x: string, written = 'PTE'): string {
  return written === 'S2PTE' ? `S2PTE(${x})` : `PTE(${x})`;
}

/** herd reads `TTD(x)` as `PTE(x)`: both name x's translation table entry; `S2PTE(x)` its stage-2 entry. */
export function isEntryName(text: string): boolean {
  return text === 'PTE' || text === 'TTD' || text === 'S2PTE';
}

/** The location whose entry (of either stage) `name` is, for a name made by pteLocation; undefined otherwise. */
export function pteOf(name: string): string | undefined {
  return /^(?:S2)?PTE\((.+)\)$/.exec(name)?.[1];
}

/** Whether `name` is a stage-2 entry `S2PTE(x)`. */
export function isStage2Entry(name: string): boolean {
  return name.startsWith('S2PTE(');
}

/** herd's old names: `pte_x` is PTE(x), `phy_x` is PA(x). */
export function oldVmsaName(text: string): { kind: 'pte' | 'pa'; loc: string } | undefined {
  const m = /^(pte|phy)_(.+)$/.exec(text);
  if (!m) return undefined;
  return { kind: m[1] === 'pte' ? 'pte' : 'pa', loc: m[2]! };
}

/** `(x)` after PTE or PA: the location token. */
export function parenLocation(cur: Cursor): Token {
  cur.expectPunct('(');
  const loc = expectLocation(cur);
  cur.expectPunct(')');
  return loc;
}

const FIELDS: ReadonlySet<string> = new Set(['valid', 'af', 'db', 'dbm', 'el0']);

/** An output address: `PA(y)` or `phy_y`. */
function outputAddress(cur: Cursor): string {
  const t = cur.next('an output address');
  if (t.kind === 'ident' && t.text === 'PA' && cur.isPunct('(')) return parenLocation(cur).text;
  const old = t.kind === 'ident' ? oldVmsaName(t.text) : undefined;
  if (old?.kind === 'pa') return old.loc;
  return cur.failCode('unsupported', t, `unsupported output address '${t.text}' (expected PA(x) or phy_x)`);
}

/** A descriptor `(field:value, ...)`, from its '('. `attrs` is left to page-table.ts. */
export function parseDescriptor(cur: Cursor): Value {
  cur.expectPunct('(');
  let oa: string | undefined;
  const fields: Record<string, number> = {};
  const seen = new Set<string>();
  do {
    const f = cur.next('a descriptor field');
    if (f.kind !== 'ident' || (f.text !== 'oa' && !FIELDS.has(f.text))) {
      if (f.text === 'attrs') cur.failCode('unsupported', f, "unsupported: 'attrs' in a descriptor value (only in an init item [PTE(x)]=(oa:PA(x), attrs:(...)))");
      cur.failAt(f, `expected a descriptor field (oa, valid, af, db, dbm, el0), found '${f.text}'`);
    }
    if (seen.has(f.text)) cur.failCode('semantic', f, `descriptor field '${f.text}' is given twice`);
    seen.add(f.text);
    cur.expectPunct(':');
    if (f.text === 'oa') oa = outputAddress(cur);
    else {
      const v = cur.next('0 or 1');
      if (v.text !== '0' && v.text !== '1') cur.failAt(v, `descriptor field '${f.text}' is 0 or 1, found '${v.text}'`);
      fields[f.text] = Number(v.text);
    }
  } while (cur.eatPunct(','));
  cur.expectPunct(')');
  return { kind: 'pte', oa, fields };
}

/**
 * A descriptor as herd prints it: the output address, then the fields that differ from their
 * defaults (valid:1, af:1, db:1, dbm:0, el0:1) in herd's order af, db, dbm, valid, el0. Used for
 * descriptors as written (a condition's) and as computed (a final state's).
 */
export function descriptorText(oa: string | undefined, fields: Readonly<Partial<Record<string, number>>>): string {
  const defaults: Record<string, number> = { af: 1, db: 1, dbm: 0, valid: 1, el0: 1 };
  const shown = Object.keys(defaults).filter((f) => fields[f] !== undefined && fields[f] !== defaults[f]).map((f) => `${f}:${fields[f]}`);
  return `(${[`oa:PA(${oa ?? ''})`, ...shown].join(', ')})`;
}
