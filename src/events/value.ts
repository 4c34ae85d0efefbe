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
/** Physical addresses under VMSA translation (herd's `PA(x)`): [PA_BASE, PA_BASE + 2^64). */
const PA_BASE = 3n * TWO64;
/** Translation table descriptors (herd's `(oa:PA(x), valid:1, ...)`): [DESC_BASE, ...). */
const DESC_BASE = 4n * TWO64;
/** TLB pages (herd's `TLB(x)`: a location's address shifted right by 12, a TLBI's operand). */
const TLB_BASE = 5n * TWO64;

/**
 * The fields of a descriptor iolitmus models (herd's VMSA page-table entry, Arm ARM D8.3):
 * valid (bit 0 of a descriptor), AF, the dirty state DB (set = writable, the inverse of AP[2]),
 * DBM, and EL0 access (AP[1]). `oa` is the output address's physical address number, or
 * undefined for an entry with none (herd's `PA()`).
 */
export interface Descriptor {
  readonly oa: number | undefined;
  readonly valid: boolean;
  readonly af: boolean;
  readonly db: boolean;
  readonly dbm: boolean;
  readonly el0: boolean;
}

export const DESCRIPTOR_FIELDS = ['valid', 'af', 'db', 'dbm', 'el0'] as const;
export type DescriptorField = (typeof DESCRIPTOR_FIELDS)[number];

/** Field values of a descriptor nobody wrote them in (herd's defaults). */
export const DESCRIPTOR_DEFAULTS: Readonly<Record<DescriptorField, boolean>> = { valid: true, af: true, db: true, dbm: false, el0: true };

/** A descriptor as a value: one symbolic value per distinct descriptor, so equality is all fields'. */
export function descriptorValue(d: Descriptor): Val {
  let bits = 0n;
  DESCRIPTOR_FIELDS.forEach((f, i) => d[f] && (bits |= 1n << BigInt(i)));
  return DESC_BASE + (d.oa === undefined ? 0n : BigInt(d.oa) + 1n) * 32n + bits;
}

/** The descriptor a value is, or undefined. */
export function descriptorOf(v: Val): Descriptor | undefined {
  if (v < DESC_BASE || v >= TLB_BASE) return undefined;
  const k = v - DESC_BASE;
  const oa = k / 32n;
  const bit = (i: number) => ((k >> BigInt(i)) & 1n) === 1n;
  return { oa: oa === 0n ? undefined : Number(oa - 1n), valid: bit(0), af: bit(1), db: bit(2), dbm: bit(3), el0: bit(4) };
}

/**
 * `LSR #12` of an address: herd's TLB(x), the page of location x (the shift a TLBI by VA takes of
 * its address). Any other shift of an address is an error.
 */
export function tlbPageValue(v: Val, shift: bigint): Val {
  const a = addressNumber(v);
  if (a === undefined || shift !== 12n) throw new ValueError(`an address cannot be shifted right by ${shift} (only by 12: a TLBI's page)`);
  return TLB_BASE + BigInt(a);
}

/** The address number a TLB page value was made from; undefined for other values. */
export function tlbPageNumber(v: Val): number | undefined {
  return v >= TLB_BASE ? Number(v - TLB_BASE) : undefined;
}

/** The value of physical address number `a` (herd's `PA(x)`, plus an offset). */
export function physicalValue(a: number): Val {
  return PA_BASE + BigInt(a);
}

/** The physical address number of a physical address value; undefined otherwise. */
export function physicalNumber(v: Val): number | undefined {
  return v >= PA_BASE && v < DESC_BASE ? Number(v - PA_BASE) : undefined;
}

/**
 * A descriptor field, or its output address, as a value (for path conditions): a field is 0 or
 * 1; the output address a physical address value, 0 for an entry with none. Field index 5 is oa.
 */
export function descriptorPart(v: Val, part: number): Val {
  const d = descriptorOf(v);
  if (d === undefined) throw new ValueError('a translation reads a value that is no descriptor');
  if (part === 5) return d.oa === undefined ? 0n : physicalValue(d.oa);
  return d[DESCRIPTOR_FIELDS[part]!] ? 1n : 0n;
}

/**
 * herd's bitwise operations on a descriptor and an integer mask (its VMSA semantics): the mask's
 * bits name fields — bit 0 valid, bit 6 EL0, bit 7 AP[2] (set = not writable, db 0), bit 10 AF,
 * bit 51 DBM. ORR sets them, BIC clears them (both give a descriptor), AND tests them (an
 * integer). Other bits are an error for ORR and BIC.
 */
const FIELD_BITS: readonly (readonly [bigint, DescriptorField, boolean])[] = [[0n, 'valid', true], [6n, 'el0', true], [7n, 'db', false], [10n, 'af', true], [51n, 'dbm', true]];

export function descriptorBitwise(op: 'orr' | 'bic' | 'and', a: Val, b: Val): Val | undefined {
  const da = descriptorOf(a);
  const db = descriptorOf(b);
  if (da === undefined && db === undefined) return undefined;
  if (da !== undefined && db !== undefined) throw new ValueError(`${op.toUpperCase()} of two descriptors`);
  const [d, mask] = da !== undefined ? [da, b] : [db!, a];
  if (isSymbolic(mask)) throw new ValueError(`${op.toUpperCase()} of a descriptor and an address`);
  if (op === 'orr' && mask === 0n) return descriptorValue(d);
  if (op === 'and') return FIELD_BITS.reduce((acc, [bit, f, set]) => ((mask >> bit) & 1n && d[f] === set ? acc | (1n << bit) : acc), 0n);
  if (op === 'bic' && da === undefined) throw new ValueError('BIC of an integer by a descriptor');
  const known = FIELD_BITS.reduce((m, [bit]) => m | (1n << bit), 0n);
  if ((mask & ~known) !== 0n) throw new ValueError(`${op.toUpperCase()} of a descriptor with bits that name no field (${mask})`);
  const out: Record<DescriptorField, boolean> = { ...d };
  for (const [bit, f, set] of FIELD_BITS) if ((mask >> bit) & 1n) out[f] = op === 'orr' ? set : !set;
  return descriptorValue({ oa: d.oa, ...out });
}

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
  return v >= LABEL_BASE && v < PA_BASE ? Number(v - LABEL_BASE) : undefined;
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
  if (descriptorOf(v) !== undefined) return 'a descriptor';
  if (tlbPageNumber(v) !== undefined) return 'a TLB page';
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

/** The start of the region a symbolic value is in: location addresses, labels, physical addresses. */
function regionOf(v: Val): Val {
  if (v >= TLB_BASE) throw new ValueError('a TLB page cannot take part in arithmetic');
  if (v >= DESC_BASE) throw new ValueError('a descriptor cannot take part in arithmetic');
  return v >= PA_BASE ? PA_BASE : v >= LABEL_BASE ? LABEL_BASE : ADDRESS_BASE;
}

/** Bytes of address space per location (arrays up to 4096 elements of 8 bytes fit): locations.ts. */
export const LOCATION_STRIDE = 1 << 16;

/**
 * An address moved by `delta`. A location's address stays within its location: another
 * location's address is not a location plus an offset (herd's addresses are symbolic), and an
 * address that left its location would name another one by accident of the numbering.
 */
function moveAddress(base: Val, delta: bigint): Val {
  const r = base + delta;
  const start = regionOf(base);
  if (r < start || r >= start + TWO64) throw new ValueError('an address offset leaves the address space');
  // The location is named by the low 48 bits: bits 63:48 carry a TLBI's ASID (`ORR X1,X1,#asid<<48`).
  const stride = BigInt(LOCATION_STRIDE);
  const low = (v: Val) => BigInt.asUintN(48, v - start) / stride;
  if (start === ADDRESS_BASE && low(base) !== low(r)) {
    throw new ValueError(`an address offset of ${delta} leaves its location (offsets are kept within ${LOCATION_STRIDE} bytes of a location's start)`);
  }
  return r;
}

/** An integer operand: symbolic values are rejected, as herd rejects such operations. */
export function integer(v: Val, what: string): Val {
  if (isSymbolic(v)) throw new ValueError(`an address cannot be the operand of ${what}`);
  return v;
}
