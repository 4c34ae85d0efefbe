/**
 * Kernel C litmus text (the Linux kernel memory model's syntax, extended with devices) ->
 * LitmusTest, with every thread lowered to the AArch64 instructions arm64 Linux runs, so the
 * rest of iolitmus sees one language (docs/language.md, "Kernel C").
 *
 * Layout: `C NAME`, optional doc string and key=value lines, the init section `{ ... }` (herd's
 * items, C declarations `int x = 1;`, and the device items of the AArch64 front end, parsed by
 * the same code), then functions — `P0(int *x) { ... }`, `P1(...)`, ... for CPU threads and
 * `nic(int *db) { ... }` for the program of a declared endpoint — then the condition.
 *
 * Order of work: sections are found, the init parsed and checked, functions parsed and lowered
 * (lowering needs the registers and topology of the init), then the condition (it needs each
 * function's locals and labels) and finally the mappings (they need the threads).
 * @internal
 */
import type { InitItem, LitmusTest, MappingDecl, Thread } from '../ast.js';
import type { ParseResult } from '../parse-result.js';
import { resolveInterrupts } from '../shared/interrupts.js';
import { checkNamedVmids, resolveGuestThreads, resolveThreadTags, resolveMappings, usedLocations, type NodeKind } from '../shared/device-checks.js';
import { parseHeadAndInit, parseLitmusWith, type FrontEnd } from '../shared/front-end.js';
import type { Word } from '../shared/header.js';
import { Context as ContextClass, type Context, type Source } from '../shared/source.js';
import type { Diagnostic } from '../diagnostics.js';
import { THREAD_NAME, threadScope } from '../shared/thread-scope.js';
import type { Token } from '../shared/tokens.js';
import { stripCComments } from './comments.js';
import { parseCConditionSection, type CScope } from './condition.js';
import { parseFunctions } from './functions.js';
import { lowerFunction, type LoweredThread, type TestFacts } from './lower-thread.js';
import type { CFunction } from './syntax-tree.js';
import { tokenizeC } from './tokens.js';

/** Words that start the final section. */
const CONDITION_WORDS: ReadonlySet<string> = new Set(['exists', 'forall', 'locations', 'filter']);

const KERNEL_C: FrontEnd = {
  stripComments: stripCComments,
  unterminatedComment: 'unterminated comment',
  firstLine: 'C NAME',
  wrongArch: (arch) => (arch.text === 'C' ? undefined : { code: 'syntax', message: `expected 'C' on the first line of a kernel C litmus test, found '${arch.text}'` }),
  parseBody,
};

/** Parse a kernel C litmus test. Never throws on bad text: errors come back as diagnostics. */
export function parseC(text: string): ParseResult {
  return parseLitmusWith(text, KERNEL_C);
}

function parseBody(ctx: Context, arch: Word): LitmusTest | undefined {
  const text = ctx.src.text;
  // Unlike the AArch64 front end, the search for the init's '}' does not skip quoted strings.
  const head = parseHeadAndInit(ctx, arch, false);
  if (head === undefined) return undefined;
  const { header, close, init, nodes, topology, registers } = head;
  const declared: InitItem[] = [];
  for (const item of init.items) {
    // Registers belong to the lowering: a thread reaches a location through its parameters.
    if (item.kind === 'loc') declared.push(item);
    else ctx.add({ code: 'semantic', severity: 'error', message: 'register initial values are not part of C tests: pass the location as a pointer parameter (P0(int *x))', span: item.span });
  }

  const fnTokens = tokenizeC(text, close + 1, text.length);
  const condAt = conditionStart(ctx.src, fnTokens);
  const condStart = condAt < fnTokens.length ? fnTokens[condAt]!.start : text.length;
  const functions = parseFunctions(ctx, fnTokens.slice(0, condAt));
  const ordered = orderFunctions(ctx, functions, nodes);
  if (ordered === undefined) {
    // Reported only when nothing was there at all (a malformed function has its own diagnostic).
    if (condAt === 0) ctx.report('syntax', "missing threads: expected a function like 'P0(int *x) { ... }'", condStart, condStart + 1);
    return undefined;
  }

  // LKMM: a parameter names a location; one the init does not declare starts at 0.
  const locations = new Map<string, string | undefined>();
  for (const item of declared) if (item.kind === 'loc') locations.set(item.loc, item.type);
  for (const r of registers) locations.set(r.loc, undefined);
  for (const r of init.registers) if (!locations.has(r.decl.loc)) locations.set(r.decl.loc, undefined);
  const created: InitItem[] = [];
  for (const { fn } of ordered) {
    for (const p of fn.params) {
      if (locations.has(p.name.text)) continue;
      const type = p.type.replace(/\*$/, '').trim() || undefined;
      locations.set(p.name.text, type);
      created.push({ kind: 'loc', loc: p.name.text, value: { kind: 'int', value: 0n }, type, span: ctx.src.span(p.name.start, p.name.end) });
    }
  }

  const facts: TestFacts = { registers, nodes, locations };
  const both = lowerBothWays(ctx, facts, ordered, nodes.size === 0 && init.mappings.length === 0 && init.guestThreads.length === 0);
  const lowered = both.arm64;
  const threads: Thread[] = lowered.map((l) => l.thread);
  const scope: CScope = { ...threadScope(threads), locals: lowered.map((l) => l.locals) };
  const { locations: shown, condition, filter } = condStart < text.length
    ? parseCConditionSection(ctx, condStart, text.length, scope)
    : { locations: [], condition: undefined, filter: undefined };

  const items: InitItem[] = [...declared, ...created, ...lowered.flatMap((l) => l.init)];
  const mappings = resolveMappings(ctx, init.mappings, scope, usedLocations(items, init.registers, shown, condition?.prop));
  const guestThreads = resolveGuestThreads(ctx, init.guestThreads, scope);
  checkNamedVmids(ctx, init.tags, new Set([...guestThreads, ...mappings.filter((m) => m.s2 !== undefined).map((m) => m.thread)]));
  const { msis, tlpAttrs } = resolveInterrupts(ctx, init.msis, init.tlps, scope);
  return {
    arch: 'C',
    name: header.name,
    nameSpan: header.nameSpan,
    doc: header.doc,
    meta: header.meta,
    init: items,
    threads,
    ...(both.lkmm !== undefined ? { lkmm: { threads: both.lkmm.map((l) => l.thread), init: [...declared, ...created].map(wordSized).concat(both.lkmm.flatMap((l) => l.init)), errors: [...inexactWords([...declared, ...created]), ...both.lkmmErrors] } } : {}),
    ...(both.arm64Errors.length > 0 ? { arm64Errors: both.arm64Errors } : {}),
    topology,
    registers,
    mappings: [...mappings, ...configSpaceMappings(lowered, mappings)],
    guestThreads,
    vmids: resolveThreadTags(ctx, init.tags, 'vmid', scope),
    asids: resolveThreadTags(ctx, init.tags, 'asid', scope),
    locations: shown,
    ...(msis.length > 0 ? { msis } : {}),
    ...(tlpAttrs.length > 0 ? { tlpAttrs } : {}),
    ...(filter !== undefined ? { filter } : {}),
    condition,
  };
}

/** Unsigned C types: under the LKMM their locations widen to u64, the others to long. */
const UNSIGNED = /^(u8|u16|u32|u64|unsigned( int| long)?|uint\d+_t|uintptr_t|size_t)$/;

/** Location types whose values a 64-bit word holds as herd's 32-bit kernel C values do: signed, 32 bits or more. */
const WORD_EXACT = /^(int|long|long long|s32|s64|int32_t|int64_t|intptr_t|atomic_t|atomic_long_t|spinlock_t|struct srcu_struct)$/;

/** Locations the LKMM lowering cannot hold exactly (unsigned or narrow types): `unsupported` there. */
function inexactWords(items: readonly InitItem[]): Diagnostic[] {
  return items.flatMap((item) => item.kind === 'loc' && item.type !== undefined && !item.type.includes('*') && !WORD_EXACT.test(item.type.trim())
    ? [{ code: 'unsupported' as const, severity: 'error' as const, message: `unsupported: a location of type '${item.type.trim()}' under the Linux kernel memory model (iolitmus holds every location as a signed 64-bit word: unsigned and narrow values would print and compare otherwise than in herd)`, span: item.span }]
    : []);
}

/** A location as the LKMM sees it: one machine word (herd's kernel C has no access sizes); a pointer stays a pointer. */
function wordSized(item: InitItem): InitItem {
  if (item.kind !== 'loc' || item.type?.includes('*')) return item;
  return { ...item, type: item.type !== undefined && UNSIGNED.test(item.type.trim()) ? 'u64' : 'long' };
}

/**
 * Lower every function for arm64 and, for a test of CPUs and memory alone (`lkmm`), for the
 * Linux kernel memory model too. Each lowering reports into a context of its own: an error both
 * find is the test's (into `ctx`); one only a lowering finds is kept with that lowering, for the
 * check that uses it.
 */
function lowerBothWays(ctx: Context, facts: TestFacts, ordered: readonly { fn: CFunction; agent: Thread['agent'] }[], lkmm: boolean) {
  if (!lkmm) return { arm64: ordered.map(({ fn, agent }, id) => lowerFunction(ctx, facts, fn, id, agent)), lkmm: undefined, arm64Errors: [], lkmmErrors: [] };
  const armCtx = new ContextClass(ctx.src);
  const lkCtx = new ContextClass(ctx.src);
  const arm64 = ordered.map(({ fn, agent }, id) => lowerFunction(armCtx, facts, fn, id, agent, 'arm64'));
  // A test calling an I/O accessor or host operation is an arm64 question: no LKMM lowering.
  if (arm64.some((l) => l.usesHardware)) {
    for (const d of armCtx.sorted()) ctx.add(d);
    return { arm64, lkmm: undefined, arm64Errors: [], lkmmErrors: [] };
  }
  const lk = ordered.map(({ fn, agent }, id) => lowerFunction(lkCtx, facts, fn, id, agent, 'lkmm'));
  const key = (d: Diagnostic) => `${d.span.line}:${d.span.col}:${d.message}`;
  const armDiags = armCtx.sorted();
  const lkDiags = lkCtx.sorted();
  const inLk = new Set(lkDiags.map(key));
  const inArm = new Set(armDiags.map(key));
  for (const d of armDiags) if (inLk.has(key(d)) || d.severity === 'warning') ctx.add(d);
  for (const d of lkDiags) if (!inArm.has(key(d)) && d.severity === 'warning') ctx.add(d);
  return {
    arm64,
    lkmm: lk,
    arm64Errors: armDiags.filter((d) => d.severity === 'error' && !inLk.has(key(d))),
    lkmmErrors: lkDiags.filter((d) => d.severity === 'error' && !inArm.has(key(d))),
  };
}

/**
 * pcie_flr's configuration accesses go through Linux's ECAM mapping, `pci_remap_cfgspace`
 * (Device-nGnRnE on arm64, drivers/pci/ecam.c), unless the test maps the register itself.
 */
function configSpaceMappings(lowered: readonly LoweredThread[], given: readonly MappingDecl[]): MappingDecl[] {
  const out: MappingDecl[] = [];
  const seen = new Set(given.map((m) => `${m.thread}/${m.loc}`));
  for (const l of lowered) {
    for (const { loc, span } of l.configSpace) {
      const key = `${l.thread.id}/${loc}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ kind: 'mapping', thread: l.thread.id, loc, s1: 'pci_remap_cfgspace', s2: undefined, fwb: false, span });
    }
  }
  return out;
}

/**
 * CPU functions `P0, P1, ...` (in that order, as LKMM numbers threads), then the device
 * functions, each named after a declared endpoint, in the order written. Undefined when there
 * is no function at all.
 */
function orderFunctions(ctx: Context, functions: readonly CFunction[], nodes: ReadonlyMap<string, NodeKind>): { fn: CFunction; agent: Thread['agent'] }[] | undefined {
  if (functions.length === 0) return undefined;
  const cpus: CFunction[] = [];
  const devices: CFunction[] = [];
  const seen = new Set<string>();
  for (const fn of functions) {
    const { name } = fn;
    const bad = (message: string) => ctx.report('semantic', message, name.start, name.end);
    if (seen.has(name.text)) bad(`function '${name.text}' is defined twice`);
    seen.add(name.text);
    if (THREAD_NAME.test(name.text)) {
      const want = `P${cpus.length}`;
      if (name.text !== want) ctx.report('syntax', `threads must be P0..Pn in order: expected '${want}', found '${name.text}'`, name.start, name.end);
      cpus.push(fn);
      continue;
    }
    const kind = nodes.get(name.text);
    if (kind === 'pcie' || kind === 'platform') devices.push(fn);
    else if (kind !== undefined) bad(`'${name.text}' is a ${kind === 'switch' ? 'switch' : 'root port'}: only endpoints have programs`);
    else bad(`function '${name.text}' is neither a CPU thread (P0, P1, ...) nor a declared endpoint (declare it, e.g. '${name.text}: pcie(rp0);')`);
  }
  if (cpus.length === 0) {
    const first = functions[0]!.name;
    ctx.report('syntax', `expected CPU thread 'P0' before the device functions, found '${first.text}'`, first.start, first.end);
  }
  return [...cpus.map((fn) => ({ fn, agent: 'cpu' as const })), ...devices.map((fn) => ({ fn, agent: 'device' as const }))];
}

/**
 * Index of the token starting the final section: `exists`, `forall`, `locations`, `filter` or
 * `~` outside any function body, or `exists`/`forall`/`locations`/`~exists` first on a line
 * anywhere (so a function missing its '}' does not swallow the condition). tokens.length if none.
 */
function conditionStart(src: Source, tokens: readonly Token[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'punct') {
      if (t.text === '{') depth++;
      else if (t.text === '}' && depth > 0) depth--;
      else if (t.text === '~' && (depth === 0 || (firstOnLine(src, tokens, i) && tokens[i + 1]?.text === 'exists'))) return i;
      continue;
    }
    if (t.kind !== 'ident' || !CONDITION_WORDS.has(t.text)) continue;
    if (depth === 0 || (t.text !== 'filter' && firstOnLine(src, tokens, i))) return i;
  }
  return tokens.length;
}

function firstOnLine(src: Source, tokens: readonly Token[], i: number): boolean {
  return i === 0 || src.lineIndexOf(tokens[i - 1]!.start) !== src.lineIndexOf(tokens[i]!.start);
}
