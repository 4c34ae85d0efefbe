/**
 * Symbolic values of registers during per-thread execution.
 *
 * A thread is executed once per control-flow path, before anyone knows which write each load
 * reads from. A load's result is therefore a variable (named by the load's event), and the values
 * computed from it are small expression trees over exact 64-bit values (value.ts). When the search
 * picks reads-from, each variable gets a value and these expressions are evaluated.
 * Simplification at build time makes the dependency idioms concrete (`EOR W2,W1,W1` is 0 whatever
 * W1 is), so addresses built with them are known without guessing — the dependency itself is
 * tracked separately (taint.ts).
 *
 * Operations follow the A64 pseudocode of each instruction (Arm ARM C6.2); `w` is the operation's
 * width in bits (32 for W forms, 64 for X forms): operands are read at that width and the result
 * is zero-extended from it.
 */
import type { AluOp, CondCode, FlagsOp, UnaryOp } from '../syntax/ast.js';
import { addValues, descriptorBitwise, descriptorPart, integer, isSymbolic, MASK64, subValues, tlbPageValue, ValueError, type Val } from './value.js';

export type BinOp = AluOp;
/** `desc` reads a descriptor's field or output address (p[0]: value.ts descriptorPart). */
export type UnOp = UnaryOp | 'desc';
export type { FlagsOp };

/**
 * Compound nodes carry `n`, the size of their tree (saturating): a long chain of instructions
 * makes a deep tree, and `ADD X0,X0,X0` repeated a DAG whose tree is exponential. Small trees are
 * walked by plain recursion; big ones by explicit stacks that visit each shared node once.
 */
export type Sym =
  | { readonly k: 'const'; readonly v: Val }
  | { readonly k: 'var'; readonly id: number }
  | { readonly k: 'op'; readonly op: BinOp; readonly a: Sym; readonly b: Sym; readonly w: 32 | 64; readonly n: number }
  | { readonly k: 'un'; readonly op: UnOp; readonly a: Sym; readonly w: 32 | 64; readonly p: readonly number[]; readonly n: number }
  /** 1 when condition `code` holds of the flags `f` sets from a and b (width w), else 0. */
  | { readonly k: 'cc'; readonly code: CondCode; readonly f: FlagsOp; readonly a: Sym; readonly b: Sym; readonly w: 32 | 64; readonly n: number };

type Compound = Extract<Sym, { n: number }>;

/** Trees up to this size are walked recursively (fast, no bookkeeping). */
const SMALL = 64;
const sizeOf = (s: Sym): number => ('n' in s ? s.n : 1);
const sum = (...xs: Sym[]): number => Math.min(2 ** 30, 1 + xs.reduce((t, x) => t + sizeOf(x), 0));

/** The operands of a compound node, in evaluation order. */
function operands(s: Compound): readonly Sym[] {
  return s.k === 'un' ? [s.a] : [s.a, s.b];
}

export const ZERO: Sym = { k: 'const', v: 0n };

export function constant(v: Val): Sym {
  return v === 0n ? ZERO : { k: 'const', v };
}

export function variable(id: number): Sym {
  return { k: 'var', id };
}

/** Structural equality (used by `x EOR x = 0`). */
export function sameSym(a: Sym, b: Sym): boolean {
  if (a === b) return true;
  if (sizeOf(a) !== sizeOf(b)) return false;
  if (sizeOf(a) > SMALL) return sameBig(a, b);
  if (a.k !== b.k) return false;
  if (a.k === 'const') return a.v === (b as typeof a).v;
  if (a.k === 'var') return a.id === (b as typeof a).id;
  if (!sameNode(a, b as Compound)) return false;
  const ob = operands(b as Compound);
  return operands(a).every((x, i) => sameSym(x, ob[i]!));
}

/** sameSym on big trees: pairs compared with an explicit stack, each pair of nodes once. */
function sameBig(x: Sym, y: Sym): boolean {
  const seen = new Map<Sym, Set<Sym>>();
  const stack: [Sym, Sym][] = [[x, y]];
  while (stack.length > 0) {
    const [a, b] = stack.pop()!;
    if (a === b) continue;
    let done = seen.get(a);
    if (done?.has(b)) continue;
    if (!done) seen.set(a, (done = new Set()));
    done.add(b);
    if (a.k !== b.k || !('n' in a) || !('n' in b)) {
      if (!sameSym(a, b)) return false; // leaves (or a leaf against a tree)
      continue;
    }
    if (!sameNode(a, b as Compound)) return false;
    const oa = operands(a);
    const ob = operands(b as Compound);
    for (let i = 0; i < oa.length; i++) stack.push([oa[i]!, ob[i]!]);
  }
  return true;
}

/** Two compound nodes of one kind agree on everything but their operands. */
function sameNode(a: Compound, b: Compound): boolean {
  if (a.w !== b.w || a.n !== b.n) return false;
  if (a.k === 'cc') return b.k === 'cc' && a.code === b.code && a.f === b.f;
  if (a.k === 'un') return b.k === 'un' && a.op === b.op && a.p.join() === b.p.join();
  return b.k === 'op' && a.op === b.op;
}

const isZero = (s: Sym) => s.k === 'const' && s.v === 0n;

/** Build `a op b` at width w, folding constants and the identities dependency idioms rely on. */
export function binary(op: BinOp, a: Sym, b: Sym, w: 32 | 64): Sym {
  if (a.k === 'const' && b.k === 'const') return constant(applyBinary(op, a.v, b.v, w));
  // x^x = x-x = 0, x&0 = 0, x*0 = 0: the "fake" address/data dependency idioms.
  if ((op === 'eor' || op === 'sub' || op === 'bic') && sameSym(a, b)) return ZERO;
  if ((op === 'and' || op === 'mul') && (isZero(a) || isZero(b))) return ZERO;
  if (w === 64 && isZero(b) && (op === 'add' || op === 'sub' || op === 'orr' || op === 'eor' || op === 'lsl' || op === 'lsr' || op === 'asr' || op === 'ror')) return a;
  if (w === 64 && isZero(a) && (op === 'add' || op === 'orr' || op === 'eor')) return b;
  return { k: 'op', op, a, b, w, n: sum(a, b) };
}

export function unary(op: UnOp, a: Sym, w: 32 | 64, p: readonly number[] = []): Sym {
  if (a.k === 'const') return constant(applyUnary(op, a.v, w, p));
  // Extending what is already that narrow is the value itself.
  if (op === 'zext' && p[0]! >= 64) return a;
  return { k: 'un', op, a, w, p, n: sum(a) };
}

export function condition(code: CondCode, f: FlagsOp, a: Sym, b: Sym, w: 32 | 64): Sym {
  if (a.k === 'const' && b.k === 'const') return constant(conditionHolds(code, f, a.v, b.v, w) ? 1n : 0n);
  return { k: 'cc', code, f, a, b, w, n: sum(a, b) };
}

/** The value of a register write of width w: the W view zero-extends its 32-bit result. */
export function truncate(a: Sym, w: 32 | 64): Sym {
  return w === 64 ? a : unary('zext', a, 64, [32]);
}

const width = (w: number) => BigInt(w);
const maskOf = (w: number) => (w === 64 ? MASK64 : (1n << width(w)) - 1n);

/** `a op b` on values of width w (operands are taken at width w). */
export function applyBinary(op: BinOp, a: Val, b: Val, w: 32 | 64): Val {
  switch (op) {
    case 'add':
      return addValues(narrow(a, w), narrow(b, w), w);
    case 'sub':
      if (isSymbolic(a) && isSymbolic(b) && a === b) return 0n;
      return subValues(narrow(a, w), narrow(b, w), w);
    case 'eor':
      if (isSymbolic(a) && a === b) return 0n;
      break;
    case 'lsr':
      if (w === 64 && isSymbolic(a) && !isSymbolic(b)) return tlbPageValue(a, b);
      break;
    case 'orr':
    case 'bic':
    case 'and': {
      const d = w === 64 ? descriptorBitwise(op, a, b) : undefined;
      if (d !== undefined) return d;
      break;
    }
    default:
      break;
  }
  const x = integer(narrow(a, w), op.toUpperCase());
  const y = integer(narrow(b, w), op.toUpperCase());
  const m = maskOf(w);
  const sx = BigInt.asIntN(w, x);
  const sy = BigInt.asIntN(w, y);
  const sh = Number(y % width(w));
  switch (op) {
    case 'and': return x & y;
    case 'orr': return x | y;
    case 'eor': return x ^ y;
    case 'bic': return x & ~y & m;
    case 'orn': return (x | ~y) & m;
    case 'eon': return (x ^ ~y) & m;
    case 'lsl': return (x << BigInt(sh)) & m;
    case 'lsr': return x >> BigInt(sh);
    case 'asr': return BigInt.asUintN(w, sx >> BigInt(sh));
    case 'ror': return ((x >> BigInt(sh)) | (x << BigInt(w - sh))) & m;
    case 'mul': return (x * y) & m;
    // Arm ARM C6.2 UDIV/SDIV: division by zero gives 0; SDIV rounds towards zero.
    case 'udiv': return y === 0n ? 0n : x / y;
    case 'sdiv': return y === 0n ? 0n : BigInt.asUintN(w, sx / sy);
    case 'smulh': return BigInt.asUintN(64, (sx * sy) >> 64n);
    case 'umulh': return (x * y) >> 64n;
    case 'smax': return sx >= sy ? x : y;
    case 'smin': return sx <= sy ? x : y;
    case 'umax': return x >= y ? x : y;
    case 'umin': return x <= y ? x : y;
    default: throw new Error(`unknown operation ${op}`);
  }
}

/** An operand read at width w: the W view is the low 32 bits. */
function narrow(v: Val, w: 32 | 64): Val {
  if (w === 64) return v;
  if (isSymbolic(v)) throw new ValueError('an address cannot be used as a 32-bit value');
  return v & maskOf(32);
}

export function applyUnary(op: UnOp, a: Val, w: 32 | 64, p: readonly number[]): Val {
  if (op === 'desc') return descriptorPart(a, p[0]!);
  if (op === 'zext') {
    if (p[0]! >= 64) return a;
    return integer(a, `a ${p[0]}-bit extension`) & maskOf(p[0]!);
  }
  const x = integer(narrow(a, w), op.toUpperCase());
  const m = maskOf(w);
  switch (op) {
    case 'sext': return BigInt.asUintN(w, BigInt.asIntN(p[0]!, x));
    case 'not': return ~x & m;
    case 'neg': return BigInt.asUintN(w, -x);
    case 'abs': return BigInt.asUintN(w, BigInt.asIntN(w, x) < 0n ? -BigInt.asIntN(w, x) : x);
    case 'clz': return BigInt(countLeadingZeros(x, w));
    case 'cls': return BigInt(countLeadingZeros((x ^ (x >> 1n)) & (m >> 1n), w - 1));
    case 'rbit': return reverseBits(x, w);
    case 'rev': return reverseBytes(x, w, p[0] ?? w);
    case 'ubfm': return bitfieldMove(x, w, p[0]!, p[1]!, false);
    case 'sbfm': return bitfieldMove(x, w, p[0]!, p[1]!, true);
    case 'bit': return (x >> BigInt(p[0]!)) & 1n;
  }
}

function countLeadingZeros(x: bigint, bits: number): number {
  let n = 0;
  for (let i = bits - 1; i >= 0 && ((x >> BigInt(i)) & 1n) === 0n; i--) n++;
  return n;
}

function reverseBits(x: bigint, w: number): bigint {
  let r = 0n;
  for (let i = 0; i < w; i++) if ((x >> BigInt(i)) & 1n) r |= 1n << BigInt(w - 1 - i);
  return r;
}

function reverseBytes(x: bigint, w: number, container: number): bigint {
  let r = 0n;
  for (let c = 0; c < w; c += container) {
    for (let b = 0; b < container; b += 8) {
      const byte = (x >> BigInt(c + b)) & 0xffn;
      r |= byte << BigInt(c + container - 8 - b);
    }
  }
  return r;
}

/**
 * UBFM/SBFM Rd, Rn, #immr, #imms (Arm ARM C6.2): when imms >= immr, bits imms..immr of Rn go to
 * the bottom of Rd (UBFX/SBFX, LSR, ASR, SXT*, UXT*); otherwise bits imms..0 go to bit w-immr
 * (UBFIZ/SBFIZ, LSL). The signed form extends from the field's top bit; the other bits are zero.
 */
function bitfieldMove(x: bigint, w: number, immr: number, imms: number, signed: boolean): bigint {
  const m = maskOf(w);
  let field: bigint;
  let top: number; // the bit of the result holding the field's top bit
  if (imms >= immr) {
    const len = imms - immr + 1;
    field = (x >> BigInt(immr)) & ((1n << BigInt(len)) - 1n);
    top = len - 1;
  } else {
    const len = imms + 1;
    field = ((x & ((1n << BigInt(len)) - 1n)) << BigInt(w - immr)) & m;
    top = w - immr + len - 1;
  }
  if (!signed || ((field >> BigInt(top)) & 1n) === 0n) return field;
  return (field | (m ^ ((1n << BigInt(top + 1)) - 1n))) & m;
}

/**
 * Condition code `code` of the flags set by `a f b` at width w (Arm ARM C1.2.4 and the
 * pseudocode AddWithCarry: SUBS is a + NOT(b) + 1; ANDS clears C and V).
 */
export function conditionHolds(code: CondCode, f: FlagsOp, a: Val, b: Val, w: 32 | 64): boolean {
  let n: boolean;
  let z: boolean;
  let c: boolean;
  let v: boolean;
  if (isSymbolic(a) || isSymbolic(b)) {
    // Addresses compare only for (in)equality: one location's address is no other value.
    if (f !== 'sub' || (code !== 'EQ' && code !== 'NE')) throw new ValueError('an address can only be compared for equality');
    return (a === b) === (code === 'EQ');
  }
  const m = maskOf(w);
  const x = a & m;
  const y = f === 'sub' ? ~b & m : b & m;
  if (f === 'nzcv') {
    n = ((a >> 31n) & 1n) === 1n;
    z = ((a >> 30n) & 1n) === 1n;
    c = ((a >> 29n) & 1n) === 1n;
    v = ((a >> 28n) & 1n) === 1n;
  } else if (f === 'logic') {
    const r = x & (b & m);
    n = ((r >> width(w - 1)) & 1n) === 1n;
    z = r === 0n;
    c = false;
    v = false;
  } else {
    const carryIn = f === 'sub' ? 1n : 0n;
    const unsigned = x + y + carryIn;
    const r = unsigned & m;
    const signed = BigInt.asIntN(w, x) + BigInt.asIntN(w, y) + carryIn;
    n = ((r >> width(w - 1)) & 1n) === 1n;
    z = r === 0n;
    c = unsigned !== r;
    v = BigInt.asIntN(w, r) !== signed;
  }
  switch (code) {
    case 'EQ': return z;
    case 'NE': return !z;
    case 'HS': return c;
    case 'LO': return !c;
    case 'MI': return n;
    case 'PL': return !n;
    case 'VS': return v;
    case 'VC': return !v;
    case 'HI': return c && !z;
    case 'LS': return !(c && !z);
    case 'GE': return n === v;
    case 'LT': return n !== v;
    case 'GT': return !z && n === v;
    case 'LE': return !(!z && n === v);
    case 'AL':
    case 'NV': return true;
  }
}

/** Evaluate with the variables' values; `undefined` if a variable has no value yet. */
export function evaluate(s: Sym, value: (id: number) => Val | undefined): Val | undefined {
  switch (s.k) {
    case 'const':
      return s.v;
    case 'var':
      return value(s.id);
  }
  if (s.n > SMALL) return evaluateBig(s, value);
  const a = evaluate(s.a, value);
  if (a === undefined) return undefined;
  if (s.k === 'un') return applyNode(s, a, undefined);
  const b = evaluate(s.b, value);
  return b === undefined ? undefined : applyNode(s, a, b);
}

/** The value of one node whose operands' values are known. */
function applyNode(s: Compound, a: Val, b: Val | undefined): Val {
  if (s.k === 'un') return applyUnary(s.op, a, s.w, s.p);
  return s.k === 'op' ? applyBinary(s.op, a, b!, s.w) : conditionHolds(s.code, s.f, a, b!, s.w) ? 1n : 0n;
}

/** evaluate on a big tree: post-order with an explicit stack, each shared node evaluated once. */
function evaluateBig(root: Compound, value: (id: number) => Val | undefined): Val | undefined {
  const done = new Map<Sym, Val | undefined>();
  const leaf = (s: Sym): Val | undefined => (s.k === 'const' ? s.v : s.k === 'var' ? value(s.id) : done.get(s));
  const stack: Compound[] = [root];
  while (stack.length > 0) {
    const s = stack[stack.length - 1]!;
    const pending = operands(s).filter((o): o is Compound => 'n' in o && !done.has(o));
    if (pending.length > 0) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    if (done.has(s)) continue;
    const [a, b] = operands(s).map(leaf);
    done.set(s, a === undefined || (s.k !== 'un' && b === undefined) ? undefined : applyNode(s, a, b));
  }
  return done.get(root);
}

/** The variables a value is computed from (each shared node visited once). */
export function variablesOf(s: Sym, out: number[] = []): number[] {
  const seen = new Set<Sym>();
  const stack: Sym[] = [s];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.k === 'var') out.push(x.id);
    else if ('n' in x && !seen.has(x)) {
      seen.add(x);
      stack.push(...operands(x).slice().reverse());
    }
  }
  return out;
}
