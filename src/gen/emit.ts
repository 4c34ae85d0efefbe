/**
 * AArch64 code for each thread of a laid-out cycle, in diy7's style: a store is `MOV Wv,#value`
 * then `STR Wv,[Xa]`; a load `LDR Wd,[Xa]`; registers are numbered in the order each access
 * needs them, and each location's address register is set in the initial state. Edges add code
 * before their target access: a barrier, or a dependency on the previous load (address: EOR of
 * the loaded register into an index; data: EOR then ADD of the value; control: CBNZ to the next
 * instruction, and ISB for ctrlisb). Labels (LC00, Loop00) are numbered across the whole test.
 */
import { isExclusive } from './annotations.js';
import type { Access, Cycle } from './cycle.js';
import { isExternal, type AmoOp, type Edge } from './edges.js';

/** The code of one thread, and what the final condition must check in it. */
export interface ThreadCode {
  readonly lines: readonly string[];
  /** Address registers: `X<reg>` holds the address of location `loc` initially. */
  readonly init: readonly { readonly reg: number; readonly loc: number }[];
  /** Registers whose final value the condition checks. */
  readonly observed: readonly { readonly reg: number; readonly value: number }[];
}

/** Label counters shared by every thread of a test. */
interface Labels {
  lc: number;
  loop: number;
}

/** Per-thread emission state. */
class ThreadEmitter {
  readonly lines: string[] = [];
  readonly init: { reg: number; loc: number }[] = [];
  readonly observed: { reg: number; value: number }[] = [];
  /** The register each load of this thread left its value in, by access index. */
  readonly loaded = new Map<number, number>();
  private next = 0;
  private readonly addr = new Map<number, number>();

  constructor(
    readonly labels: Labels,
    /** Locations some access writes: a load of any other location can only read 0, so is not checked. */
    private readonly written: ReadonlySet<number>,
  ) {}

  reg(): number {
    return this.next++;
  }

  /** The register holding the address of `loc`, allocated at first use. */
  addrOf(loc: number): number {
    let r = this.addr.get(loc);
    if (r === undefined) {
      r = this.reg();
      this.addr.set(loc, r);
      this.init.push({ reg: r, loc });
    }
    return r;
  }

  label(kind: 'lc' | 'loop'): string {
    const n = this.labels[kind]++;
    return `${kind === 'lc' ? 'LC' : 'Loop'}${String(n).padStart(2, '0')}`;
  }

  emit(...lines: string[]): void {
    this.lines.push(...lines);
  }

  observe(reg: number, value: number, loc: number): void {
    if (this.written.has(loc)) this.observed.push({ reg, value });
  }
}

/**
 * What the incoming edge leaves for the access: an index register (address dependency) or a
 * value register (data), and where the dependency's code begins.
 */
interface Prefix {
  readonly offset?: number;
  readonly data?: number;
  readonly depStart?: number;
}

/** The code of every thread of a cycle. */
export function emitThreads(cycle: Cycle): ThreadCode[] {
  const labels: Labels = { lc: 0, loop: 0 };
  const written = new Set(cycle.accesses.filter((a) => a.dir === 'W').map((a) => a.loc));
  return cycle.threads.map((accesses) => {
    const t = new ThreadEmitter(labels, written);
    for (const i of accesses) emitAccess(cycle, t, i);
    t.observed.sort((a, b) => a.reg - b.reg);
    return { lines: t.lines, init: [...t.init].sort((a, b) => a.reg - b.reg), observed: t.observed };
  });
}

function emitAccess(cycle: Cycle, t: ThreadEmitter, i: number): void {
  const n = cycle.edges.length;
  const into = cycle.edges[(i + n - 1) % n]!;
  const out = cycle.edges[i]!;
  const a = cycle.accesses[i]!;
  if (into.kind.cls === 'rmw') return; // the write of an atomic update went out with its read
  const prefix = isExternal(into) ? {} : emitPrefix(t, into, i);
  if (out.kind.cls === 'rmw') emitRmw(t, out, a, cycle.accesses[(i + 1) % n]!, prefix, i);
  else if (a.dir === 'R') emitLoad(t, a, prefix, i);
  else emitStore(t, a, prefix);
}

/** The code an internal edge puts before its target access. */
function emitPrefix(t: ThreadEmitter, into: Edge, i: number): Prefix {
  const code = into.kind.code;
  if (code.kind === 'fence') t.emit(code.insn);
  if (code.kind !== 'dep') return {};
  const depStart = t.lines.length;
  const src = t.loaded.get(i - 1);
  if (src === undefined) throw new Error(`emitPrefix: no load register before the dependency into access ${i}`);
  if (code.dep === 'addr' || code.dep === 'data') {
    const tmp = t.reg();
    t.emit(`EOR W${tmp},W${src},W${src}`);
    return code.dep === 'addr' ? { offset: tmp, depStart } : { data: tmp, depStart };
  }
  const label = t.label('lc');
  t.emit(`CBNZ W${src},${label}`, `${label}:`);
  if (code.dep === 'ctrlisb') t.emit('ISB');
  return { depStart };
}

/**
 * The address operand of an access. Plain LDR/STR take the index register directly; the other
 * instructions take a base register only, so the address is summed first (as diy does).
 */
function address(t: ThreadEmitter, a: Access, prefix: Prefix, indexed: boolean, addr = t.addrOf(a.loc)): string {
  if (prefix.offset === undefined) return `[X${addr}]`;
  if (indexed) return `[X${addr},W${prefix.offset},SXTW]`;
  const sum = t.reg();
  t.emit(`ADD X${sum},X${addr},W${prefix.offset},SXTW`);
  return `[X${sum}]`;
}

const LOADS = { P: 'LDR', A: 'LDAR', Q: 'LDAPR', X: 'LDXR', XA: 'LDAXR' } as const;

function emitLoad(t: ThreadEmitter, a: Access, prefix: Prefix, i: number): void {
  if (isExclusive(a.annot)) {
    const at = address(t, a, prefix, false);
    const dest = t.reg(), status = t.reg();
    const loop = t.label('loop');
    // The exclusive pair writes back what it read, so the location keeps its value.
    t.emit(`${loop}:`, `${LOADS[a.annot as 'X' | 'XA']} W${dest},${at}`, `STXR W${status},W${dest},${at}`, `CBNZ W${status},${loop}`);
    return loaded(t, i, dest, a);
  }
  const mnemonic = LOADS[a.annot as 'P' | 'A' | 'Q'];
  // diy numbers the destination first when the address is computed.
  const dest = prefix.offset !== undefined ? t.reg() : undefined;
  const at = address(t, a, prefix, a.annot === 'P');
  const d = dest ?? t.reg();
  t.emit(`${mnemonic} W${d},${at}`);
  loaded(t, i, d, a);
}

/** Record the register a load left its value in, and check that value at the end. */
function loaded(t: ThreadEmitter, i: number, reg: number, a: Access): void {
  t.loaded.set(i, reg);
  t.observe(reg, a.value, a.loc);
}

function emitStore(t: ThreadEmitter, a: Access, prefix: Prefix): void {
  if (isExclusive(a.annot)) {
    const addr = t.addrOf(a.loc);
    const at = address(t, a, prefix, false, addr);
    const value = storedValue(t, a, prefix);
    const dest = t.reg(), status = t.reg();
    const loop = t.label('loop');
    const store = a.annot === 'XL' ? 'STLXR' : 'STXR';
    t.emit(`${loop}:`, `LDXR W${dest},${at}`, `${store} W${status},W${value},${at}`, `CBNZ W${status},${loop}`);
    t.observe(dest, a.before, a.loc);
    return;
  }
  const value = storedValue(t, a, prefix);
  const at = address(t, a, prefix, a.annot === 'P');
  t.emit(`${a.annot === 'L' ? 'STLR' : 'STR'} W${value},${at}`);
}

/** Put the value to store in a register: MOV, or ADD onto the data dependency's register. */
function storedValue(t: ThreadEmitter, a: Access, prefix: Prefix): number {
  if (prefix.data !== undefined) {
    t.emit(`ADD W${prefix.data},W${prefix.data},#${a.value}`);
    return prefix.data;
  }
  const r = t.reg();
  t.emit(`MOV W${r},#${a.value}`);
  return r;
}

/**
 * An atomic update: its read `r` and write `w` are one instruction (Amo.*) or an exclusive pair
 * (LxSx, whose value diy moves into place before the code of an incoming dependency).
 */
function emitRmw(t: ThreadEmitter, e: Edge, r: Access, w: Access, prefix: Prefix, i: number): void {
  const start = prefix.depStart ?? t.lines.length;
  const at = address(t, r, prefix, false);
  const code = e.kind.code;
  if (code.kind === 'lxsx') {
    const dest = t.reg(), value = t.reg(), status = t.reg();
    const loop = t.label('loop');
    const load = r.annot === 'A' ? 'LDAXR' : 'LDXR', store = w.annot === 'L' ? 'STLXR' : 'STXR';
    t.lines.splice(start, 0, `MOV W${value},#${w.operand}`);
    t.emit(`${loop}:`, `${load} W${dest},${at}`, `${store} W${status},W${value},${at}`, `CBNZ W${status},${loop}`);
    return loaded(t, i, dest, r);
  }
  if (code.kind !== 'amo') throw new Error(`emitRmw: ${e.kind.stem} is not an atomic update`);
  const op = amoMnemonic(code.op, r, w);
  if (code.op === 'CAS') {
    const expected = t.reg(), desired = t.reg();
    t.emit(`MOV W${expected},#${r.value}`, `MOV W${desired},#${w.operand}`, `${op} W${expected},W${desired},${at}`);
    return loaded(t, i, expected, r);
  }
  if (code.op.startsWith('ST')) {
    const operand = t.reg();
    return t.emit(`MOV W${operand},#${w.operand}`, `${op} W${operand},${at}`);
  }
  const dest = t.reg(), operand = t.reg();
  t.emit(`MOV W${operand},#${w.operand}`, `${op} W${operand},W${dest},${at}`);
  loaded(t, i, dest, r);
}

/** SWP, SWPA, SWPL or SWPAL (and so on) from the read's and the write's annotations. */
function amoMnemonic(op: AmoOp, r: Access, w: Access): string {
  return op + (r.annot === 'A' ? 'A' : '') + (w.annot === 'L' ? 'L' : '');
}
