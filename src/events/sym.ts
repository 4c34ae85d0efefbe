/**
 * Symbolic values of registers during per-thread execution.
 *
 * A thread is executed once per control-flow path, before anyone knows which write each load
 * reads from. A load's result is therefore a variable (named by the load's event), and the values
 * computed from it are small expression trees. When the search picks reads-from, each variable gets
 * a concrete value and these expressions are evaluated. Simplification at build time makes the
 * dependency idioms concrete (`EOR W2,W1,W1` is 0 whatever W1 is), so addresses built with them are
 * known without guessing — the dependency itself is tracked separately (see thread-exec.ts).
 *
 * Values are JS numbers holding unsigned integers below 2^53; 32-bit (W) results are masked.
 */

export type AluOp = 'add' | 'sub' | 'eor' | 'and' | 'orr' | 'lsl' | 'lsr';

export type Sym =
  | { readonly k: 'const'; readonly v: number }
  | { readonly k: 'var'; readonly id: number }
  | { readonly k: 'op'; readonly op: AluOp; readonly a: Sym; readonly b: Sym; readonly mask32: boolean };

export function constant(v: number): Sym {
  return { k: 'const', v };
}

export function variable(id: number): Sym {
  return { k: 'var', id };
}

/** 2^32, for W-register wrap-around. */
const TWO32 = 4294967296;
/** Values are kept modulo 2^53 in 64-bit views (enough for litmus values and our address encoding). */
const LIMIT64 = 2 ** 53;

export function applyOp(op: AluOp, a: number, b: number, mask32: boolean): number {
  let r: number;
  switch (op) {
    case 'add': r = a + b; break;
    case 'sub': r = a - b; break;
    // Bitwise ops on numbers above 2^32 must not use JS's 32-bit operators.
    case 'eor': r = bitwise(a, b, (x, y) => x ^ y); break;
    case 'and': r = bitwise(a, b, (x, y) => x & y); break;
    case 'orr': r = bitwise(a, b, (x, y) => x | y); break;
    case 'lsl': r = a * 2 ** b; break;
    case 'lsr': r = Math.floor(a / 2 ** b); break;
  }
  if (mask32) return ((r % TWO32) + TWO32) % TWO32;
  return ((r % LIMIT64) + LIMIT64) % LIMIT64;
}

function bitwise(a: number, b: number, f: (x: number, y: number) => number): number {
  const lo = f(a % TWO32 >>> 0, b % TWO32 >>> 0) >>> 0;
  const hi = f(Math.floor(a / TWO32) >>> 0, Math.floor(b / TWO32) >>> 0) >>> 0;
  return hi * TWO32 + lo;
}

/** Truncate a value to a W register (32 bits). */
export function mask32(v: number): number {
  return v % TWO32;
}

/** Structural equality (used by `x EOR x = 0`). */
export function sameSym(a: Sym, b: Sym): boolean {
  if (a === b) return true;
  if (a.k !== b.k) return false;
  if (a.k === 'const') return a.v === (b as typeof a).v;
  if (a.k === 'var') return a.id === (b as typeof a).id;
  const o = b as typeof a;
  return a.op === o.op && a.mask32 === o.mask32 && sameSym(a.a, o.a) && sameSym(a.b, o.b);
}

/** Build `a op b`, folding constants and the identities litmus dependency idioms rely on. */
export function op(o: AluOp, a: Sym, b: Sym, m32: boolean): Sym {
  if (a.k === 'const' && b.k === 'const') return constant(applyOp(o, a.v, b.v, m32));
  // x^x = x-x = 0: the "fake" address/data dependency idiom.
  if ((o === 'eor' || o === 'sub') && sameSym(a, b)) return constant(0);
  if (o === 'and' && ((a.k === 'const' && a.v === 0) || (b.k === 'const' && b.v === 0))) return constant(0);
  if ((o === 'add' || o === 'orr' || o === 'eor') && b.k === 'const' && b.v === 0 && !m32) return a;
  if ((o === 'add' || o === 'orr' || o === 'eor') && a.k === 'const' && a.v === 0 && !m32) return b;
  if ((o === 'sub' || o === 'lsl' || o === 'lsr') && b.k === 'const' && b.v === 0 && !m32) return a;
  return { k: 'op', op: o, a, b, mask32: m32 };
}

/** Truncate to 32 bits (a W-register write). */
export function truncate32(a: Sym): Sym {
  if (a.k === 'const') return constant(mask32(a.v));
  if (a.k === 'op' && a.mask32) return a;
  return { k: 'op', op: 'orr', a, b: constant(0), mask32: true };
}

/** Evaluate with the variables' values; `undefined` if a variable has no value. */
export function evaluate(s: Sym, value: (id: number) => number | undefined): number | undefined {
  switch (s.k) {
    case 'const':
      return s.v;
    case 'var':
      return value(s.id);
    case 'op': {
      const a = evaluate(s.a, value);
      if (a === undefined) return undefined;
      const b = evaluate(s.b, value);
      if (b === undefined) return undefined;
      return applyOp(s.op, a, b, s.mask32);
    }
  }
}

/** The variables a value is computed from. */
export function variablesOf(s: Sym, out: number[] = []): number[] {
  if (s.k === 'var') out.push(s.id);
  else if (s.k === 'op') {
    variablesOf(s.a, out);
    variablesOf(s.b, out);
  }
  return out;
}
