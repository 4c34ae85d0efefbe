/**
 * The C-like types a litmus test gives registers and locations (`int8_t x=257; uint64_t 0:X0;`).
 *
 * herd keeps values as 64-bit patterns and reads them through the declared type: a location or
 * register is initialised with its value truncated to the type, prints as the type reads it
 * (`int8_t` 0xFF prints -1; the default `int` prints the low 32 bits, signed), and a condition
 * compares values as the type reads them. A pointer type (`int *`) holds addresses.
 */
import { isSymbolic, toSigned, type Val } from './value.js';

export interface CType {
  /** The name as written (`int8_t`, `int *`). */
  readonly name: string;
  readonly bytes: 1 | 2 | 4 | 8;
  readonly signed: boolean;
  readonly pointer: boolean;
}

function base(name: string, bytes: 1 | 2 | 4 | 8, signed: boolean): CType {
  return { name, bytes, signed, pointer: false };
}

/**
 * herd's types for AArch64 tests: its size table (`long` is 4 bytes there, pointer-sized types 8)
 * and its signedness (`atomic_t` reads unsigned). Any other name herd rejects, and so does iolitmus.
 */
const AARCH64_TYPES: ReadonlyMap<string, CType> = new Map(
  [
    base('int8_t', 1, true), base('uint8_t', 1, false), base('char', 1, true),
    base('int16_t', 2, true), base('uint16_t', 2, false), base('short', 2, true),
    base('int', 4, true), base('long', 4, true), base('int32_t', 4, true), base('uint32_t', 4, false), base('atomic_t', 4, false),
    base('int64_t', 8, true), base('uint64_t', 8, false),
    base('intptr_t', 8, true), base('uintptr_t', 8, false), base('pteval_t', 8, false),
  ].map((t) => [t.name, t]),
);

/** The kernel C front end's types: C's, with `long` 8 bytes as on arm64, and the kernel's own. */
const C_TYPES: ReadonlyMap<string, CType> = new Map(
  [
    base('int8_t', 1, true), base('uint8_t', 1, false), base('char', 1, true),
    base('int16_t', 2, true), base('uint16_t', 2, false), base('short', 2, true),
    base('int', 4, true), base('int32_t', 4, true), base('uint32_t', 4, false), base('unsigned', 4, false),
    base('unsigned int', 4, false), base('atomic_t', 4, true),
    base('long', 8, true), base('int64_t', 8, true), base('uint64_t', 8, false), base('unsigned long', 8, false),
    base('intptr_t', 8, true), base('uintptr_t', 8, false), base('long long', 8, true),
    base('u8', 1, false), base('s8', 1, true), base('u16', 2, false), base('s16', 2, true),
    base('u32', 4, false), base('s32', 4, true), base('u64', 8, false), base('s64', 8, true),
    base('atomic_long_t', 8, true),
    // The LKMM's lock and SRCU domain: locations only its lock and SRCU operations use.
    base('spinlock_t', 4, true), base('struct srcu_struct', 4, true),
  ].map((t) => [t.name, t]),
);

/** herd's default for registers and locations declared without a type. */
export const DEFAULT_TYPE: CType = AARCH64_TYPES.get('int')!;

/** The type a declaration names in a test of `arch`, or undefined if it is not one iolitmus models. */
export function parseCType(text: string, arch: 'AArch64' | 'C'): CType | undefined {
  const t = text.replace(/\bvolatile\b|\bconst\b|_Atomic\b/g, ' ').replace(/\s+/g, ' ').trim();
  if (t.endsWith('*')) return { name: text, bytes: 8, signed: false, pointer: true };
  return (arch === 'AArch64' ? AARCH64_TYPES : C_TYPES).get(t);
}

/** The value as the type reads it: integers truncated and sign- or zero-extended; addresses kept. */
export function readAs(v: Val, t: CType): Val {
  if (isSymbolic(v) || t.bytes === 8) return v;
  const bits = t.bytes * 8;
  return t.signed ? BigInt.asUintN(64, BigInt.asIntN(bits, v)) : BigInt.asUintN(bits, v);
}

/** The integer a value prints as under its type (herd prints signed types signed). */
export function printedInteger(v: Val, t: CType): bigint {
  const bits = t.bytes * 8;
  return t.signed ? toSigned(BigInt.asUintN(bits, v), bits) : BigInt.asUintN(bits, v);
}
