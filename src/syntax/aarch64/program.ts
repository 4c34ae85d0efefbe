/**
 * The thread table: a header row `P0 | P1 | ... ;`, then rows with one cell per thread,
 * cells split by '|' and rows ended by ';'. Each cell holds labels (`L0:`) and at most one
 * instruction. herd's tests write one row per line, so a line whose row is not closed by ';'
 * is diagnosed there ("missing ';'") instead of silently merging it with the next line.
 *
 * The header names the CPU columns `P0..Pn` first, then any device columns, each named after a
 * declared endpoint (docs/language.md, "Devices"); every column's id is its index.
 * @internal
 */
import type { Instr, Thread } from '../ast.js';
import type { Span } from '../diagnostics.js';
import type { NodeKind } from '../shared/device-checks.js';
import { parseInstruction } from './instructions.js';
import { Abort, type Context } from '../shared/source.js';
import { THREAD_NAME } from '../shared/thread-scope.js';
import { Cursor, tokenize, type Token } from '../shared/tokens.js';
/** herd's fault-handler column `P0.F` (VMSA/KVM tests). */
const FAULT_HANDLER = /^P\d+\.F$/i;

/** A cell's tokens and the token that ends it ('|' or ';'; undefined at the end of a line). */
interface Cell {
  readonly tokens: Token[];
  readonly end: Token | undefined;
}

/** A row being collected: its cells and where it starts. */
interface Row {
  readonly cells: Cell[];
  readonly start: number;
}

/** A header cell. */
interface Column {
  readonly name: string;
  readonly agent: Thread['agent'];
  readonly span: Span;
  /** herd's `P0.F`: the fault handler of CPU thread 0 (its code is that thread's, not a thread). */
  readonly handlerOf?: number;
}

/**
 * Parse the table in [start, end); `nodes` gives the kind of each declared topology name, so
 * device columns can be checked. Returns undefined when there is no header row at all.
 */
export function parseProgram(ctx: Context, start: number, end: number, nodes: ReadonlyMap<string, NodeKind>): readonly Thread[] | undefined {
  const { src } = ctx;
  let header: Column[] | undefined;
  let code: Instr[][] = [];
  const targets: { thread: number; token: Token }[] = [];
  const text = src.text;

  const finishRow = (row: Row, rowEnd: number): void => {
    if (header === undefined) {
      header = parseHeader(ctx, row, nodes);
      code = header.map(() => []);
      return;
    }
    const n = header.length;
    if (row.cells.length !== n) {
      ctx.report('syntax', `row has ${row.cells.length} cell${row.cells.length === 1 ? '' : 's'} but there ${n === 1 ? 'is 1 thread' : `are ${n} threads`}`, row.start, rowEnd);
      return;
    }
    for (let t = 0; t < n; t++) {
      for (const p of parseCell(ctx, row.cells[t]!)) {
        code[t]!.push(p.instr);
        if (p.target !== undefined) targets.push({ thread: t, token: p.target });
      }
    }
  };

  const first = src.lineIndexOf(start);
  const last = src.lineIndexOf(Math.max(start, end - 1));
  for (let li = first; li <= last; li++) {
    const ls = Math.max(src.lineStart(li), start);
    const le = Math.min(src.lineEnd(li), end);
    const tokens = tokenize(text, ls, le);
    let row: Row | undefined;
    let cell: Token[] = [];
    for (const t of tokens) {
      row ??= { cells: [], start: t.start };
      if (t.kind === 'punct' && (t.text === '|' || t.text === ';')) {
        row.cells.push({ tokens: cell, end: t });
        cell = [];
        if (t.text === ';') {
          finishRow(row, t.end);
          row = undefined;
        }
      } else cell.push(t);
    }
    if (row !== undefined) {
      const lastTok = tokens[tokens.length - 1]!;
      ctx.report('syntax', "missing ';' at the end of the row", lastTok.end, lastTok.end + 1);
      row.cells.push({ tokens: cell, end: undefined });
      finishRow(row, lastTok.end);
    }
  }
  if (header === undefined) return undefined;
  const columns: Column[] = header;
  checkLabels(ctx, code, targets, columns);
  return threadsOf(ctx, columns, code);
}

/** The columns as threads: a handler column's code goes to the thread it handles faults of. */
function threadsOf(ctx: Context, columns: readonly Column[], code: readonly Instr[][]): Thread[] {
  const threads = columns.flatMap((c, k) => (c.handlerOf === undefined ? [{ column: k, c }] : []));
  const out: Thread[] = threads.map(({ column, c }, id) => ({ id, name: c.name, agent: c.agent, code: code[column]!, span: c.span }));
  columns.forEach((c, k) => {
    if (c.handlerOf === undefined) return;
    const owner = out.find((t) => t.agent === 'cpu' && t.id === c.handlerOf);
    if (owner === undefined) ctx.add({ code: 'semantic', severity: 'error', message: `fault handler '${c.name}' of a thread the table does not have`, span: c.span });
    else if (owner.handler !== undefined) ctx.add({ code: 'semantic', severity: 'error', message: `a second fault handler for ${owner.name}`, span: c.span });
    else out[owner.id] = { ...owner, handler: code[k]! };
  });
  return out;
}

/**
 * The header row: CPU columns `P0..Pn` in order (herd numbers threads by column), then device
 * columns named after declared endpoints.
 */
function parseHeader(ctx: Context, row: Row, nodes: ReadonlyMap<string, NodeKind>): Column[] {
  const columns: Column[] = [];
  // Fault-handler columns do not count as threads, so P1 after P0.F is still expected as P1.
  let handlers = 0;
  let cpus = 0;
  let firstDevice: string | undefined;
  const devices = new Set<string>();
  row.cells.forEach(({ tokens: cell }, i) => {
    const want = `P${i - handlers}`;
    const t = cell[0];
    let agent: Thread['agent'] = 'cpu';
    if (t === undefined) {
      ctx.report('syntax', firstDevice === undefined ? `expected thread name '${want}' in column ${i + 1} of the header row` : `expected a device column name in column ${i + 1} of the header row`, row.start, row.start + 1);
    } else if (t.kind === 'ident' && FAULT_HANDLER.test(t.text)) {
      handlers++;
    } else if (t.kind === 'ident' && THREAD_NAME.test(t.text)) {
      if (firstDevice !== undefined) ctx.report('syntax', `CPU column '${t.text}' after the device column '${firstDevice}': CPU columns come first`, t.start, t.end);
      else if (t.text !== want) ctx.report('syntax', `threads must be P0..Pn in order: expected '${want}', found '${t.text}'`, t.start, t.end);
      cpus++;
    } else if (t.kind === 'ident' && cpus > 0) {
      agent = 'device';
      firstDevice ??= t.text;
      const problem = deviceHeaderProblem(t.text, nodes.get(t.text));
      if (problem !== undefined) ctx.report('semantic', problem, t.start, t.end);
      else if (devices.has(t.text)) ctx.report('semantic', `device '${t.text}' has two columns`, t.start, t.end);
      devices.add(t.text);
    } else {
      ctx.report('syntax', `expected thread name '${want}', found '${t.text}'`, t.start, t.end);
    }
    const extra = cell[1];
    if (t !== undefined && extra !== undefined) ctx.report('syntax', `unexpected '${extra.text}' after thread name '${t.text}'`, extra.start, extra.end);
    const span = t === undefined ? ctx.src.span(row.start, row.start + 1) : ctx.src.span(t.start, t.end);
    const handlerOf = t !== undefined && t.kind === 'ident' && FAULT_HANDLER.test(t.text) ? Number(t.text.slice(1, -2)) : undefined;
    if (handlerOf !== undefined) columns.push({ name: `P${handlerOf}.F`, agent, span, handlerOf });
    else columns.push({ name: agent === 'cpu' ? `P${i - handlers}` : t!.text, agent, span });
  });
  return columns;
}

/** Why a device column's name is wrong, or undefined when it names a declared endpoint. */
function deviceHeaderProblem(name: string, kind: NodeKind | undefined): string | undefined {
  if (kind === undefined) return `device column '${name}' names no declared endpoint (declare it in the init section, e.g. '${name}: pcie(rp0);')`;
  if (kind === 'switch' || kind === 'rootport') return `'${name}' is a ${kind === 'switch' ? 'switch' : 'root port'}: only endpoints have device columns`;
  return undefined;
}

/** One cell: any number of `label:` then at most one instruction. */
function parseCell(ctx: Context, cell: Cell): { instr: Instr; target: Token | undefined }[] {
  const { tokens } = cell;
  const out: { instr: Instr; target: Token | undefined }[] = [];
  let i = 0;
  while (i + 1 < tokens.length && tokens[i]!.kind === 'ident' && tokens[i + 1]!.kind === 'punct' && tokens[i + 1]!.text === ':') {
    const t = tokens[i]!;
    out.push({ instr: { kind: 'label', name: t.text, span: ctx.src.span(t.start, tokens[i + 1]!.end) }, target: undefined });
    i += 2;
  }
  if (i === tokens.length) return out;
  const rest = tokens.slice(i);
  // "Unexpected end" errors point at the '|' or ';' that closed the cell, or after its last token.
  const cur = cell.end !== undefined
    ? new Cursor(ctx, rest, cell.end.start, `'${cell.end.text}'`)
    : new Cursor(ctx, rest, rest[rest.length - 1]!.end, 'end of line');
  try {
    out.push(parseInstruction(cur));
  } catch (e) {
    if (e !== Abort.instance) throw e;
  }
  return out;
}

/** Labels are per thread: each defined once, each branch target defined in its own thread. */
function checkLabels(ctx: Context, code: readonly Instr[][], targets: readonly { thread: number; token: Token }[], columns: readonly Column[]): void {
  // A thread and its fault handler share their labels (herd: one thread's code).
  const group = (k: number) => {
    const c = columns[k]!;
    const owner = c.handlerOf ?? (c.agent === 'cpu' ? Number(c.name.slice(1)) : undefined);
    return owner === undefined ? `col${k}` : `P${owner}`;
  };
  const byGroup = new Map<string, Set<string>>();
  const defined = code.map((instrs, t) => {
    let names = byGroup.get(group(t));
    if (!names) byGroup.set(group(t), (names = new Set<string>()));
    for (const ins of instrs) {
      if (ins.kind !== 'label') continue;
      if (names.has(ins.name)) {
        ctx.add({ code: 'semantic', severity: 'error', message: `label '${ins.name}' is defined twice in ${columns[t]!.name}`, span: ins.span });
      }
      names.add(ins.name);
    }
    return names;
  });
  for (const { thread, token } of targets) {
    if (!defined[thread]!.has(token.text)) ctx.report('semantic', `undefined label '${token.text}' in ${columns[thread]!.name}`, token.start, token.end);
  }
}
