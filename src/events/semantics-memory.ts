/**
 * What the memory instructions do to a path: the events they emit, the registers they write, and
 * the alternatives they fork into — as herd's AArch64 semantics has them (Arm ARM C6.2 for the
 * instructions; herd's event structure for which register reads are address or data inputs):
 *
 * - loads and stores, sized and extended, with pre/post-indexed writeback of the base;
 * - a store-exclusive forks into success (a write paired with the load-exclusive by rmw, status
 *   0) and failure (no write, status 1); it can succeed only after a load-exclusive of the same
 *   size and address, and any store-exclusive closes the monitor (herd's lx_sz);
 * - pairs (LDP, STP, LDXP, STXP, LDIAPP, STILP): two accesses; LDIAPP/STILP perform them in
 *   order (iico_order);
 * - SWP and LD<op>: a read and a write of one instruction (rmw and amo); a zero destination makes
 *   the read NoRet (and then not Acquire);
 * - CAS: success (a read and a write), failure without a write, and failure writing the old value
 *   back — with herd's execution counts for each (2, 2 and 1: its alternatives are enumerated that
 *   many times, and Positive/Negative count them);
 * - CASP: the same on a pair of registers and consecutive locations.
 */
import type { Address, Cas, Casp, Ldop, Load, LoadPair, Operand, Reg, Store, StorePair, Swp } from '../syntax/ast.js';
import { ZR } from '../syntax/ast.js';
import { binary, condition, constant, truncate, unary, variable, type Sym } from './sym.js';
import { extendLoaded, type CasAlternative, type Classify, type Monitor, type Origin, type PathState, type ReadAnnotation, type WriteAnnotation } from './path-state.js';
import { NONE, only, type Src, type Taint } from './taint.js';
import { addressNumber, addressValue } from './value.js';

/** What the semantics need from the thread being executed. */
export interface MemoryContext {
  readonly origin: Origin;
  readonly classify: Classify;
  readonly varId: (pos: number) => number;
  /** The address number of a concrete address value, or a message saying why it is none. */
  readonly resolve: (s: PathState, a: Src) => number | string;
  /** Start another path (a fork); it continues after the current instruction. */
  readonly spawn: (s: PathState) => void;
  /** Report an error at the instruction; the thread is abandoned. */
  readonly fail: (message: string, code?: 'unsupported' | 'semantic') => void;
  /**
   * Under VMSA, translate the access at virtual address `addr` (translation.ts): the physical
   * address it goes on at, or undefined when the path ends or forked there.
   */
  readonly translate?: (s: PathState, addr: number, ea: Src, access: TranslatedAccess) => number | undefined;
  /** Where an address inside a device register's location leads (register-address.ts). */
  readonly registerAt?: (addr: number, from?: number) => number | string;
  /** Under VMSA, a CAS wrote `addr` (a spurious AF update may follow a store to an entry). */
  readonly stored?: (s: PathState, addr: number) => void;
}

/**
 * What translation needs to know of the access: its direction ('RU': a read that herd translates
 * as one that may update the dirty state, a failing CAS's), release, pre-indexed writeback, and
 * whether a fault of it would repeat another alternative's (one of CAS's two alike).
 */
export interface TranslatedAccess {
  readonly dir: 'R' | 'W' | 'RU';
  readonly release: boolean;
  readonly preWriteback: (() => void) | undefined;
  readonly duplicateFault?: boolean;
}

/** An operand as a value: an immediate, or a register shifted or extended (Arm ARM C6.2 ADD). */
export function operandValue(s: PathState, o: Operand, w: 32 | 64): Src {
  if (o.kind === 'imm') return { v: constant(BigInt.asUintN(w, o.value)), t: NONE, p: NONE };
  const r = s.read(o.reg);
  if (!o.shift) return r;
  const { op, amount } = o.shift;
  let v: Sym;
  switch (op) {
    case 'LSL': v = binary('lsl', r.v, constant(BigInt(amount)), w); break;
    case 'LSR': v = binary('lsr', r.v, constant(BigInt(amount)), w); break;
    case 'ASR': v = binary('asr', r.v, constant(BigInt(amount)), w); break;
    case 'ROR': v = binary('ror', r.v, constant(BigInt(amount)), w); break;
    default: {
      // Extend from the named width, then shift left (UXTX/SXTX are the whole register).
      const from = { B: 8, H: 16, W: 32, X: 64 }[op[3] as 'B' | 'H' | 'W' | 'X'];
      const ext = from === 64 ? r.v : unary(op[0] === 'S' ? 'sext' : 'zext', r.v, op[0] === 'S' ? w : 64, [from]);
      v = amount === 0 ? truncate(ext, w) : binary('lsl', ext, constant(BigInt(amount)), w);
    }
  }
  return { ...r, v };
}

/** The address an access uses, and the base register's new value for pre/post indexing. */
function effectiveAddress(s: PathState, a: Address): { ea: Src; writeback: Src | undefined } {
  const base = s.read(a.base);
  if (a.offset === undefined) return { ea: base, writeback: undefined };
  const off = operandValue(s, a.offset, 64);
  const sum: Src = { v: binary('add', base.v, off.v, 64), t: base.t | off.t, p: base.p | off.p };
  if (a.index === 'offset') return { ea: sum, writeback: undefined };
  return a.index === 'pre' ? { ea: sum, writeback: sum } : { ea: base, writeback: sum };
}

/**
 * Resolve an address (and under VMSA translate it, for an access in direction `dir`); undefined
 * when the path cannot go on (reported, forked, or faulted).
 */
function addressOf(s: PathState, a: Address, ctx: MemoryContext, dir: TranslatedAccess['dir'], release = false, duplicateFault = false): { addr: number; ea: Src; writeback: Src | undefined } | undefined {
  const { ea, writeback } = effectiveAddress(s, a);
  const resolved = ctx.resolve(s, ea);
  if (typeof resolved === 'string') {
    if (resolved !== '') ctx.fail(resolved);
    return undefined;
  }
  // A BAR offset no register is declared at is a mistake in the test. The base register's
  // value says which register the address was computed from, however far the offset goes.
  const base = s.read(a.base).v;
  const from = base.k === 'const' ? addressNumber(base.v) : undefined;
  const addr = ctx.registerAt === undefined ? resolved : ctx.registerAt(resolved, from);
  if (typeof addr === 'string') return ctx.fail(addr, 'semantic'), undefined;
  if (!ctx.translate) return { addr, ea, writeback };
  const preWriteback = writeback && a.index === 'pre' ? () => s.write(a.base, writeback) : undefined;
  const pa = ctx.translate(s, addr, ea, { dir, release, preWriteback, duplicateFault });
  return pa === undefined ? undefined : { addr: pa, ea, writeback };
}

function readAnnotation(order: Load['order'], exclusive: boolean): ReadAnnotation {
  return { order: order === 'acquire' ? 'A' : order === 'acquirePC' ? 'Q' : 'plain', exclusive };
}

const fromTaint = (v: Sym, t: Taint, p: Taint): Src => ({ v, t, p });

export function load(s: PathState, ins: Load, ctx: MemoryContext): boolean {
  const at = addressOf(s, ins.addr, ctx, 'R');
  if (!at) return false;
  const r = s.memRead(ctx.origin, at.addr, ins.size, at.ea, { ...readAnnotation(ins.order, ins.exclusive), ...(ins.tags ? { tags: ins.tags } : {}) }, ctx.classify, ctx.varId);
  if (at.writeback) s.write(ins.addr.base, at.writeback);
  s.write(ins.rt, fromTaint(extendLoaded(variable(ctx.varId(r.pos)), ins.size, ins.signed, ins.rt.wide), r.t, r.p));
  if (ins.exclusive) s.monitor = { reads: [r.pos], addr: at.addr, size: ins.size, t: at.ea.t, p: at.ea.p };
  return true;
}

/**
 * Another outcome of the instruction being executed, on a fork of the path: `run` gives it its
 * events and registers, and it continues after the instruction.
 */
export function alternative(s: PathState, ctx: MemoryContext, run: (f: PathState) => void): void {
  const f = s.fork();
  run(f);
  f.pc++;
  ctx.spawn(f);
}

/** The value a register holds, cut to an access of `size` bytes. */
export function sized(src: Src, size: number): Sym {
  return size === 8 ? src.v : unary('zext', src.v, 64, [size * 8]);
}

/**
 * A store-exclusive: forks a failing copy (status 1, no write), and succeeds on this path when the
 * monitor allows it (herd: a reservation of the same size; the same address, or the store cannot
 * succeed). Returns the monitor when this path's store succeeds.
 */
function storeExclusive(s: PathState, status: Reg | undefined, addr: number, size: number, ctx: MemoryContext): Monitor | undefined {
  const m = s.monitor;
  s.monitor = undefined;
  // The status depends on nothing (herd's default for AArch64: no dependency from the address).
  const statusOf = (v: bigint): Src => ({ v: constant(v), t: NONE, p: NONE });
  alternative(s, ctx, (fail) => {
    if (status) fail.write(status, statusOf(1n));
  });
  if (!m || m.size !== size || m.addr !== addr) return undefined;
  if (status) s.write(status, statusOf(0n));
  return m;
}

export function store(s: PathState, ins: Store, ctx: MemoryContext): boolean {
  const at = addressOf(s, ins.addr, ctx, 'W', ins.release);
  if (!at) return false;
  const d = s.read(ins.rt);
  const reserved = exclusiveInput(s, ins.exclusive, ins.status, at.addr, ins.size, ctx);
  if (reserved === undefined) return false;
  const ann: WriteAnnotation = { order: ins.release ? 'L' : 'plain', exclusive: ins.exclusive, ...(ins.tags ? { tags: ins.tags } : {}) };
  s.memWrite(ctx.origin, at.addr, ins.size, at.ea, sized(d, ins.size), d, reserved, NONE, ann, ctx.classify);
  if (at.writeback) s.write(ins.addr.base, at.writeback);
  return true;
}

/**
 * For a store-exclusive, whether it succeeds on this path (undefined: it does not) and what flows
 * into its write: the reservation it is compared with (herd's ResAddr, written by the
 * load-exclusive from its address), a pick input. Nothing for an ordinary store.
 */
function exclusiveInput(s: PathState, exclusive: boolean, status: Reg | undefined, addr: number, size: number, ctx: MemoryContext): { t: Taint; p: Taint } | undefined {
  if (!exclusive) return { t: NONE, p: NONE };
  const m = storeExclusive(s, status, addr, size, ctx);
  return m === undefined ? undefined : { t: NONE, p: m.p };
}

export function loadPair(s: PathState, ins: LoadPair, ctx: MemoryContext): boolean {
  const at = addressOf(s, ins.addr, ctx, 'R');
  if (!at) return false;
  const ann = readAnnotation(ins.order, ins.exclusive);
  const first = s.memRead(ctx.origin, at.addr, ins.size, at.ea, ann, ctx.classify, ctx.varId);
  const second = s.memRead(ctx.origin, at.addr + ins.size, ins.size, at.ea, ann, ctx.classify, ctx.varId, only(first.pos));
  if (ins.order === 'acquirePC') s.rel.iicoOrder.push([first.pos, second.pos]);
  // An exclusive pair is one single-copy atomic access (Arm ARM B2.2.1; herd's sca).
  if (ins.exclusive) s.rel.sca.push([first.pos, second.pos], [second.pos, first.pos]);
  if (at.writeback) s.write(ins.addr.base, at.writeback);
  const value = (r: { pos: number }) => extendLoaded(variable(ctx.varId(r.pos)), ins.size, ins.signed, ins.rt.wide);
  s.write(ins.rt, fromTaint(value(first), first.t, first.p));
  s.write(ins.rt2, fromTaint(value(second), second.t, second.p));
  if (ins.exclusive) s.monitor = { reads: [first.pos, second.pos], addr: at.addr, size: 2 * ins.size, t: at.ea.t, p: at.ea.p };
  return true;
}

export function storePair(s: PathState, ins: StorePair, ctx: MemoryContext): boolean {
  const at = addressOf(s, ins.addr, ctx, 'W', ins.release);
  if (!at) return false;
  const d1 = s.read(ins.rt);
  const d2 = s.read(ins.rt2);
  const reserved = exclusiveInput(s, ins.exclusive, ins.status, at.addr, 2 * ins.size, ctx);
  if (reserved === undefined) return false;
  const ann: WriteAnnotation = { order: ins.release ? 'L' : 'plain', exclusive: ins.exclusive };
  const w1 = s.memWrite(ctx.origin, at.addr, ins.size, at.ea, sized(d1, ins.size), d1, reserved, NONE, ann, ctx.classify);
  const w2 = s.memWrite(ctx.origin, at.addr + ins.size, ins.size, at.ea, sized(d2, ins.size), d2, reserved, NONE, ann, ctx.classify);
  // STILP writes the first register's element first; with pre-indexing, the second's (herd).
  if (ins.release) s.rel.iicoOrder.push(ins.addr.index === 'pre' ? [w2, w1] : [w1, w2]);
  if (ins.exclusive) s.rel.sca.push([w1, w2], [w2, w1]);
  if (at.writeback) s.write(ins.addr.base, at.writeback);
  return true;
}

// ---- LSE atomics -------------------------------------------------------------------------------

/** The read of SWP/LD<op>/CAS (herd's rmw_amo_read): atomic, Acquire for the A forms; NoRet with a zero destination. */
function atomicRead(acquire: boolean, noRet: boolean): ReadAnnotation {
  return noRet ? { order: 'plain', exclusive: true, noRet: true } : { order: acquire ? 'A' : 'plain', exclusive: true };
}

function atomicWrite(release: boolean): WriteAnnotation {
  return { order: release ? 'L' : 'plain', exclusive: true };
}

/** The register width of an access of `size` bytes. */
export const width = (size: number): 32 | 64 => (size === 8 ? 64 : 32);

/** The old value a destination register gets (sign-extension never: LSE results are zero-extended). */
function oldValue(ctx: MemoryContext, r: { pos: number; t: Taint; p: Taint }): Src {
  return { v: variable(ctx.varId(r.pos)), t: r.t, p: r.p };
}

/** The start of SWP and LD<op>: the address, Rs, and the atomic read (NoRet with a zero destination). */
function atomicRead0(s: PathState, ins: Swp | Ldop, ctx: MemoryContext) {
  // herd gives an atomic's fault the annotation of its read (never L).
  const at = addressOf(s, ins.addr, ctx, 'W');
  if (!at) return undefined;
  const d = s.read(ins.rs);
  const r = s.memRead(ctx.origin, at.addr, ins.size, at.ea, atomicRead(ins.acquire, ins.rt.index === ZR), ctx.classify, ctx.varId);
  return { at, d, r, own: only(r.pos) };
}

export function swp(s: PathState, ins: Swp, ctx: MemoryContext): boolean {
  const start = atomicRead0(s, ins, ctx);
  if (!start) return false;
  const { at, d, r, own } = start;
  const w = s.memWrite(ctx.origin, at.addr, ins.size, at.ea, sized(d, ins.size), d, { t: NONE, p: NONE }, NONE, atomicWrite(ins.release), ctx.classify, own);
  // SWP's read comes before its write by an order of the instruction (herd: iico_order).
  s.rel.iicoOrder.push([r.pos, w]);
  s.write(ins.rt, oldValue(ctx, r));
  return true;
}

/** The operation each LD<op> applies (Arm ARM C6.2 LDADD ... LDUMIN; CLR is AND NOT). */
const LDOP: Readonly<Record<Ldop['op'], import('../syntax/ast.js').AluOp>> = {
  add: 'add', clr: 'bic', eor: 'eor', set: 'orr', smax: 'smax', smin: 'smin', umax: 'umax', umin: 'umin',
};

export function ldop(s: PathState, ins: Ldop, ctx: MemoryContext): boolean {
  const start = atomicRead0(s, ins, ctx);
  if (!start) return false;
  const { at, d, r, own } = start;
  // The signed forms compare the operands as signed values of the access's size.
  const signed = ins.op === 'smax' || ins.op === 'smin';
  const bits = ins.size * 8;
  const ext = (v: Sym) => (signed && bits < 64 ? unary('sext', v, 64, [bits]) : v);
  const value = unary('zext', binary(LDOP[ins.op], ext(variable(ctx.varId(r.pos))), ext(sized(d, ins.size)), signed ? 64 : width(ins.size)), 64, [bits]);
  s.memWrite(ctx.origin, at.addr, ins.size, at.ea, value, d, { t: r.t, p: r.p }, NONE, atomicWrite(ins.release), ctx.classify, own);
  s.write(ins.rt, oldValue(ctx, r));
  return true;
}

/**
 * The alternatives herd enumerates for CAS and CASP, each its own execution: success with Rs's
 * new value taken from Rs itself (then control-dependent on the comparison) or from the read;
 * failure without a write, with or without a control dependency of Rs on the comparison; and
 * failure writing the old value back. The comparison is a branch inside the instruction (herd's
 * Branching(pred)): the write it allows has a pick dependency on the read and on Rs.
 */
const CAS_ALTERNATIVES: readonly CasAlternative[] = ['ok-rs', 'ok-read', 'fail-ctrl', 'fail', 'fail-writeback'];

/** The alternatives that write: success, and failure writing the old value back. */
const casWrites = (alt: CasAlternative): boolean => alt === 'ok-rs' || alt === 'ok-read' || alt === 'fail-writeback';

/** One CAS (one register) or CASP (a pair): what the alternatives need to know. */
interface CasShape {
  readonly size: number;
  readonly acquire: boolean;
  readonly release: boolean;
  /** CAS Rs is the zero register: its read is NoRet (CASP has no such form). */
  readonly noRet: boolean;
  /** Rs (and Rs+1), which get the old values; what they held; Rt (and Rt+1). */
  readonly dest: readonly Reg[];
  readonly expected: readonly Src[];
  readonly swapIn: readonly Src[];
  /** CASP's failing reads are ordinary (or Acquire) reads, never atomic. */
  readonly pair: boolean;
}

function casAlternative(s: PathState, alt: CasAlternative, c: CasShape, addr: number, ea: Src, ctx: MemoryContext): void {
  const ok = alt === 'ok-rs' || alt === 'ok-read';
  const writes = casWrites(alt);
  const plainRead: ReadAnnotation = !c.pair && c.noRet ? { order: 'plain', exclusive: true, noRet: true } : { order: c.acquire ? 'A' : 'plain', exclusive: false };
  const ann = ok || (!c.pair && writes) ? atomicRead(c.acquire, c.noRet) : plainRead;
  const reads: { pos: number; t: Taint; p: Taint }[] = [];
  let own: Taint = NONE;
  c.dest.forEach((_, k) => {
    const r = s.memRead(ctx.origin, addr + k * c.size, c.size, ea, ann, ctx.classify, ctx.varId, own);
    own |= only(r.pos);
    reads.push(r);
  });
  const w = width(c.size);
  const equal = reads
    .map((r, k) => condition('EQ', 'sub', variable(ctx.varId(r.pos)), sized(c.expected[k]!, c.size), w))
    .reduce((a, b) => binary('and', a, b, 64));
  s.assume(equal, ok);
  const union = (xs: readonly { t: Taint; p: Taint }[]) => xs.reduce((a, b) => ({ t: a.t | b.t, p: a.p | b.p }), { t: NONE, p: NONE });
  const read = union(reads);
  const exp = union(c.expected);
  const compare = read.p | exp.p;
  if (writes) {
    ctx.stored?.(s, addr);
    const data = ok ? union(c.swapIn) : { t: NONE, p: NONE };
    reads.forEach((r, k) => {
      const value = ok ? sized(c.swapIn[k]!, c.size) : variable(ctx.varId(r.pos));
      s.memWrite(ctx.origin, addr + k * c.size, c.size, ea, value, data, { t: NONE, p: NONE }, compare, atomicWrite(c.release), ctx.classify, own);
    });
  }
  const newTaint =
    alt === 'ok-rs' ? { t: exp.t, p: exp.p | compare } : alt === 'fail-ctrl' ? { t: read.t, p: read.p | compare } : read;
  c.dest.forEach((d, k) => s.write(d, { v: variable(ctx.varId(reads[k]!.pos)), ...newTaint }));
}

/** Run CAS/CASP: every alternative but the first on a fork. */
function casAlternatives(s: PathState, c: CasShape, addr: number, ea: Src, ctx: MemoryContext): void {
  for (const alt of CAS_ALTERNATIVES.slice(1)) alternative(s, ctx, (f) => casAlternative(f, alt, c, addr, ea, ctx));
  casAlternative(s, CAS_ALTERNATIVES[0]!, c, addr, ea, ctx);
}

export function cas(s: PathState, ins: Cas, ctx: MemoryContext): boolean {
  return runCas(s, ins.addr, () => ({
    size: ins.size, acquire: ins.acquire, release: ins.release, noRet: ins.rs.index === ZR, pair: false,
    dest: [ins.rs], expected: [s.read(ins.rs)], swapIn: [s.read(ins.rt)],
  }), ctx);
}

/** CASP Rs, Rs+1, Rt, Rt+1, [Xn]: CAS of a register pair on two consecutive locations. */
export function casp(s: PathState, ins: Casp, ctx: MemoryContext): boolean {
  const next = (r: Reg): Reg => ({ index: r.index + 1, wide: r.wide });
  return runCas(s, ins.addr, () => ({
    size: ins.size, acquire: ins.acquire, release: ins.release, noRet: false, pair: true,
    dest: [ins.rs, next(ins.rs)], expected: [s.read(ins.rs), s.read(next(ins.rs))], swapIn: [s.read(ins.rt), s.read(next(ins.rt))],
  }), ctx);
}

/**
 * CAS or CASP. Under VMSA each alternative is translated as herd translates it: a write when it
 * writes, else a read that may update the dirty state; so the alternatives are forked first (each
 * fork runs the instruction again with its alternative) and translated one by one. A fault of
 * the second alternative of a pair alike in everything but Rs's dependency (ok-read, fail) would
 * repeat the first's: herd has one. A CAS's fault is never a release (herd: its read's annotation).
 */
function runCas(s: PathState, a: Address, shape: () => CasShape, ctx: MemoryContext): boolean {
  if (!ctx.translate) {
    // Without translation the direction means nothing.
    const at = addressOf(s, a, ctx, 'W');
    if (!at) return false;
    casAlternatives(s, shape(), at.addr, at.ea, ctx);
    return true;
  }
  const alt = s.casAlternative;
  if (alt === undefined) {
    for (const k of CAS_ALTERNATIVES) {
      const f = s.fork();
      f.casAlternative = k;
      ctx.spawn(f);
    }
    return false;
  }
  const at = addressOf(s, a, ctx, casWrites(alt) ? 'W' : 'RU', false, alt === 'ok-read' || alt === 'fail');
  if (!at) return false;
  s.casAlternative = undefined;
  casAlternative(s, alt, shape(), at.addr, at.ea, ctx);
  return true;
}

/** Turn an address value into an address number, if it is a location's address. */
export function concreteAddress(v: Sym): number | undefined {
  return v.k === 'const' ? addressNumber(v.v) : undefined;
}

export { addressValue };
