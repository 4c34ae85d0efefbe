/**
 * herd's VMSA page-table entries in the init section, in the subset iolitmus models:
 *
 *   [PTE(x)]=(oa:PA(x), attrs:(Normal,iNC,oNC))     the two fields in any order, oa optional
 *   [PTE(x)]=(attrs:(Device-GRE))
 *
 * An entry that maps x to its own physical page only says which stage-1 attribute x has (the
 * MAIR_ELx byte its descriptor's AttrIndx selects, Arm ARM D8, stage-1 memory attributes), so
 * it is a mapping of x for every CPU thread: resolveMappings (device-checks.ts) gives it to each
 * CPU thread that has no `P<n>:x attrs:(...)` of its own. The rest of herd's VMSA forms change
 * what the model would have to walk (aliases, invalid or not-yet-accessed entries, dirty state)
 * and are reported as 'unsupported' at the token that asks for them.
 * @internal
 */
import type { ParsedMapping } from './devices.js';
import { parseStage1Text } from './devices.js';
import { expectLocation, type Cursor, type Token } from './tokens.js';

/**
 * Does an init item start like `[PTE(` and give attributes? Without `attrs` it is herd's VMSA
 * descriptor, the initial value of the entry as a location (init.ts, vmsa-syntax.ts).
 */
export function isPageTableItem(tokens: readonly Token[]): boolean {
  const [open, pte, paren] = tokens;
  const attrs = tokens.some((t) => t.kind === 'ident' && t.text === 'attrs');
  return attrs && isPunct(open, '[') && pte !== undefined && pte.kind === 'ident' && pte.text === 'PTE' && isPunct(paren, '(');
}

function isPunct(t: Token | undefined, text: string): boolean {
  return t !== undefined && t.kind === 'punct' && t.text === text;
}

/**
 * `[PTE(x)]=(FIELD, ...)`: a mapping of x without a thread. The span is the whole item, so every
 * mapping it becomes points at it.
 */
export function parsePageTableEntry(cur: Cursor): ParsedMapping {
  const open = cur.expectPunct('[');
  const pte = cur.next('PTE');
  cur.expectPunct('(');
  const loc = expectLocation(cur);
  cur.expectPunct(')');
  cur.expectPunct(']');
  cur.expectPunct('=');
  const valueOpen = cur.peek();
  if (valueOpen === undefined || !isPunct(valueOpen, '(')) {
    // `[PTE(x)]=PTE(y)` copies another entry: an alias of y's page.
    if (valueOpen !== undefined && valueOpen.kind === 'ident') {
      cur.failCode('unsupported', valueOpen, `unsupported page-table entry value '${valueOpen.text}': write [PTE(${loc.text})]=(oa:PA(${loc.text}), attrs:(...))`);
    }
    cur.failAt(valueOpen, `expected a descriptor '(attrs:(...))' after '[PTE(${loc.text})]=', found ${cur.describe(valueOpen)}`);
  }
  cur.next('(');
  let s1: string | undefined;
  let oa: Token | undefined;
  while (true) {
    const field = cur.next('a page-table field');
    if (field.kind !== 'ident') cur.failAt(field, `expected a page-table field (attrs or oa), found '${field.text}'`);
    if (field.text !== 'attrs' && field.text !== 'oa') {
      // herd's valid, af, db, dbm, el0...: faulting and access/dirty-flag walks are not modelled.
      cur.failCode('unsupported', field, `unsupported page-table field '${field.text}' (only attrs and oa:PA(${loc.text}))`);
    }
    if ((field.text === 'attrs' && s1 !== undefined) || (field.text === 'oa' && oa !== undefined)) {
      cur.failCode('semantic', field, `page-table field '${field.text}' is given twice`);
    }
    cur.expectPunct(':');
    if (field.text === 'attrs') s1 = parseStage1Text(cur);
    else oa = parseOutputAddress(cur, loc);
    if (cur.eatPunct(')')) break;
    cur.expectPunct(',');
  }
  cur.expectEnd("the page-table entry (missing ';'?)");
  if (s1 === undefined) {
    cur.failCode('unsupported', pte, `a page-table entry without attrs:(...) is not supported: give ${loc.text}'s stage-1 attribute, e.g. [PTE(${loc.text})]=(oa:PA(${loc.text}), attrs:(Normal,iWB,oWB))`);
  }
  return { thread: undefined, loc, s1, s2: undefined, fwb: false, span: cur.ctx.src.span(open.start, cur.lastEnd(open.end)) };
}

/** `PA(x)`, x being the entry's own location; returns the `x` token. */
function parseOutputAddress(cur: Cursor, loc: Token): Token {
  const pa = cur.next('PA(...)');
  if (pa.kind !== 'ident' || pa.text !== 'PA' || !cur.isPunct('(')) {
    cur.failCode('unsupported', pa, `unsupported output address '${pa.text}' (only oa:PA(${loc.text}), ${loc.text}'s own physical page)`);
  }
  cur.next('(');
  const target = expectLocation(cur);
  // Two virtual addresses for one physical page would need a location model by physical address.
  if (target.text !== loc.text) {
    cur.failCode('unsupported', target, `unsupported aliasing: PTE(${loc.text}) maps PA(${target.text}) (only oa:PA(${loc.text}), ${loc.text}'s own physical page)`);
  }
  cur.expectPunct(')');
  return target;
}
