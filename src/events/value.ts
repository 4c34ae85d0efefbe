/**
 * Values of registers and memory: exact 64-bit integers, and symbolic addresses.
 *
 * A value is a bigint. Integers are kept as unsigned 64-bit patterns (0 .. 2^64-1), so arithmetic
 * wraps exactly as the A64 instructions do (Arm ARM C6.2: results are taken modulo 2^datasize).
 * The address of a location is not a number a test can see: herd keeps it symbolic, prints it as
 * the location's name and rejects arithmetic that makes no sense on it (masking, shifting). Such a
 * value is encoded above 2^64 — `ADDRESS_BASE + a`, where `a` is the location's address number
 * (locations.ts) — so adding an offset (`[X1,#8]`, array elements) is ordinary addition, and no
 * integer a test computes can be mistaken for an address.
 */

export type Val = bigint;

export const TWO64 = 1n << 64n;
export const MASK64 = TWO64 - 1n;
export const MASK32 = (1n << 32n) - 1n;

/** Addresses of locations: [ADDRESS_BASE, LABEL_BASE). */
const ADDRESS_BASE = TWO64;
/** Code addresses (labels, `P1:L0`): [LABEL_BASE, LABEL_BASE + 2^64). */
const LABEL_BASE = 2n * TWO64;

/** An operation that herd rejects on symbolic values (or an overflowing address), as an error. */
export class ValueError extends Error {}

/** The value of address number `a` (a location's address, plus a byte offset). */
export function addressValue(a: number): Val {
  return ADDRESS_BASE + BigInt(a);
}

/** The value of code label number `k` (labels.ts numbers them per test). */
export function labelValue(k: number): Val {
  return LABEL_BASE + BigInt(k);
}

export function isSymbolic(v: Val): boolean {
  return v >= TWO64;
}

/** The address number of an address value; undefined for integers and labels. */
export function addressNumber(v: Val): number | undefined {
  return v >= ADDRESS_BASE && v < LABEL_BASE ? Number(v - ADDRESS_BASE) : undefined;
}

/** The label number of a code address value; undefined otherwise. */
export function labelNumber(v: Val): number | undefined {
  return v >= LABEL_BASE ? Number(v - LABEL_BASE) : undefined;
}

/** A bigint or JS integer reduced to an unsigned 64-bit pattern. */
export function wrap64(v: bigint): Val {
  return BigInt.asUintN(64, v);
}

/** The low `bits` bits, zero-extended. */
export function zeroExtend(v: Val, bits: number): Val {
  if (isSymbolic(v)) {
    if (bits >= 64) return v;
    throw new ValueError(`the address ${describe(v)} cannot be truncated to ${bits} bits`);
  }
  return BigInt.asUintN(bits, v);
}

/** The low `bits` bits, sign-extended to 64 bits. */
export function signExtend(v: Val, bits: number): Val {
  if (isSymbolic(v)) {
    if (bits >= 64) return v;
    throw new ValueError(`the address ${describe(v)} cannot be sign-extended from ${bits} bits`);
  }
  return BigInt.asUintN(64, BigInt.asIntN(bits, v));
}

/** The signed reading of an integer of `bits` bits. */
export function toSigned(v: Val, bits: number): bigint {
  return BigInt.asIntN(bits, v);
}

/** A short description for error messages. */
function describe(v: Val): string {
  const a = addressNumber(v);
  if (a !== undefined) return `#${a}`;
  const l = labelNumber(v);
  return l !== undefined ? `label #${l}` : v.toString();
}

/** Addition of width `bits`; an address plus an integer stays an address (its offset moves). */
export function addValues(a: Val, b: Val, bits: number): Val {
  const sa = isSymbolic(a);
  const sb = isSymbolic(b);
  if (!sa && !sb) return BigInt.asUintN(bits, a + b);
  if (sa && sb) throw new ValueError('two addresses cannot be added');
  if (bits < 64) throw new ValueError(`an address cannot take part in a ${bits}-bit addition`);
  const [base, k] = sa ? [a, b] : [b, a];
  return moveAddress(base, BigInt.asIntN(64, k));
}

/** Subtraction of width `bits`: address - integer is an address, address - address an integer. */
export function subValues(a: Val, b: Val, bits: number): Val {
  const sa = isSymbolic(a);
  const sb = isSymbolic(b);
  if (!sa && !sb) return BigInt.asUintN(bits, a - b);
  if (sa && sb) return BigInt.asUintN(bits, a - b);
  if (sb || bits < 64) throw new ValueError('an address cannot be subtracted from an integer');
  return moveAddress(a, -BigInt.asIntN(64, b));
}

function moveAddress(base: Val, delta: bigint): Val {
  const r = base + delta;
  const sameKind = base >= LABEL_BASE ? r >= LABEL_BASE : r >= ADDRESS_BASE && r < LABEL_BASE;
  if (!sameKind) throw new ValueError('an address offset leaves the address space');
  return r;
}

/** An integer operand: symbolic values are rejected, as herd rejects such operations. */
export function integer(v: Val, what: string): Val {
  if (isSymbolic(v)) throw new ValueError(`an address cannot be the operand of ${what}`);
  return v;
}
