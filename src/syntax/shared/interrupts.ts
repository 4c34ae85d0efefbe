/**
 * Init items for a device's requests upstream:
 *
 *   irq = msi(P1);           writes to irq by a device are MSIs (posted writes to the interrupt
 *                            controller); CPU thread P1 is the handler they start
 *   nic:L1 tlp:(ro, ido, fn=1);  TLP attributes of the access labelled L1 in device column
 *                            nic: Relaxed Ordering, ID-based Ordering, the requesting function
 *
 * Parsed here; resolved against the threads (resolveInterrupts) once they are known.
 * @internal
 */
import type { MsiDecl, TlpAttrDecl } from '../ast.js';
import { instrAfterLabel } from './condition-grammar.js';
import type { Context } from './source.js';
import { THREAD_NAME, type ThreadScope } from './thread-scope.js';
import type { Cursor, Token } from './tokens.js';
import { functionNumber } from './devices.js';

export interface ParsedMsi {
  readonly loc: Token;
  readonly handler: Token;
}

export interface ParsedTlp {
  readonly column: Token;
  readonly label: Token;
  readonly ro: boolean;
  readonly ido: boolean;
  readonly fn: number | undefined;
}

/** `irq = msi(P1)`. */
export function parseMsi(cur: Cursor): ParsedMsi {
  const loc = cur.next('a location');
  cur.expectPunct('=');
  cur.next('msi');
  cur.expectPunct('(');
  const handler = cur.next('the handler thread');
  if (handler.kind !== 'ident' || !THREAD_NAME.test(handler.text)) cur.failAt(handler, `expected the handler's CPU thread (P1), found '${handler.text}'`);
  cur.expectPunct(')');
  cur.expectEnd("the MSI (missing ';'?)");
  return { loc, handler };
}

/** `nic:L1 tlp:(ro, ido)`: each attribute at most once; `ns` (No Snoop) is not modelled. */
export function parseTlp(cur: Cursor): ParsedTlp {
  const column = cur.next('a device column');
  cur.expectPunct(':');
  const label = cur.next('a label');
  cur.next('tlp');
  cur.expectPunct(':');
  cur.expectPunct('(');
  const seen = new Set<string>();
  let fn: number | undefined;
  do {
    const a = cur.next('a TLP attribute');
    if (a.text === 'ns') cur.failCode('unsupported', a, "unsupported: No Snoop ('ns'): iolitmus models coherent DMA only");
    if (a.text !== 'ro' && a.text !== 'ido' && a.text !== 'fn') cur.failAt(a, `expected a TLP attribute (ro, ido, fn=N), found '${a.text}'`);
    if (seen.has(a.text)) cur.failCode('semantic', a, `TLP attribute '${a.text}' is given twice`);
    seen.add(a.text);
    if (a.text === 'fn') {
      cur.expectPunct('=');
      fn = functionNumber(cur);
    }
  } while (cur.eatPunct(','));
  cur.expectPunct(')');
  cur.expectEnd("the TLP attributes (missing ';'?)");
  return { column, label, ro: seen.has('ro'), ido: seen.has('ido'), fn };
}

const span = (ctx: Context, from: Token, to: Token) => ctx.src.span(from.start, to.end);

/**
 * The MSIs and TLP attributes with their threads resolved: a handler is a CPU thread with one
 * MSI; attributes name a label of a device column that marks a load or store (a DMA access, or
 * a write to an MSI location).
 */
export function resolveInterrupts(ctx: Context, msis: readonly ParsedMsi[], tlps: readonly ParsedTlp[], scope: ThreadScope): { msis: MsiDecl[]; tlpAttrs: TlpAttrDecl[] } {
  const out: MsiDecl[] = [];
  for (const m of msis) {
    const n = Number(m.handler.text.slice(1));
    if (n >= scope.cpuCount) ctx.report('semantic', `handler thread '${m.handler.text}' does not exist`, m.handler.start, m.handler.end);
    else if (out.some((o) => o.handler === n)) ctx.report('semantic', `${m.handler.text} already handles an MSI (one MSI per handler thread)`, m.handler.start, m.handler.end);
    else if (out.some((o) => o.loc === m.loc.text)) ctx.report('semantic', `'${m.loc.text}' is already an MSI`, m.loc.start, m.loc.end);
    else out.push({ loc: m.loc.text, handler: n, span: span(ctx, m.loc, m.handler) });
  }
  const attrs: TlpAttrDecl[] = [];
  for (const t of tlps) {
    const thread = scope.devices.get(t.column.text);
    if (thread === undefined) {
      ctx.report('semantic', `'${t.column.text}' is not a device column: TLP attributes are given to a device's requests (a root port's options set the CPU's)`, t.column.start, t.column.end);
      continue;
    }
    const { found, next } = instrAfterLabel(scope.threads[thread]!, t.label.text);
    if (!found) ctx.report('semantic', `label '${t.label.text}' is not defined in ${t.column.text}`, t.label.start, t.label.end);
    else if (next === undefined || (next.kind !== 'load' && next.kind !== 'store')) ctx.report('semantic', `label '${t.label.text}' in ${t.column.text} must mark a load or store (the request the attributes are set on)`, t.label.start, t.label.end);
    else attrs.push({ thread, label: t.label.text, ro: t.ro, ido: t.ido, ...(t.fn === undefined ? {} : { fn: t.fn }), span: span(ctx, t.column, t.label) });
  }
  return { msis: out, tlpAttrs: attrs };
}
