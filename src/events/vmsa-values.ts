/**
 * herd's VMSA values: translation table descriptors (page-table entries) and physical addresses.
 *
 * A descriptor holds an output address (the physical page it maps, `oa:PA(y)`) and the fields a
 * test can write: valid, af (Access Flag), db (dirty: the page is writable, Arm ARM D8.4
 * "Hardware management of the dirty state"), dbm (Dirty Bit Modifier) and el0 (unprivileged
 * access). A field a test leaves out has its default: an ordinary, valid, accessed, writable
 * page (valid:1, af:1, db:1, dbm:0, el0:1), as herd's descriptors have. Two descriptors are equal
 * when every field is; a descriptor is never an integer.
 *
 * Like addresses (value.ts) these values are encoded above every integer a test can compute, so
 * no arithmetic result is mistaken for one: VMSA_BASE + (kind, output address, fields).
 */
import { VMSA_BASE, ValueError, type Val } from './value.js';

export const PTE_FIELDS = ['valid', 'af', 'db', 'dbm', 'el0'] as const;
export type PteField = (typeof PTE_FIELDS)[number];

export interface Descriptor {
  /** Address number of the physical page's location (the location whose PA it is); -1: none. */
  readonly oa: number;
  readonly valid: number;
  readonly af: number;
  readonly db: number;
  readonly dbm: number;
  readonly el0: number;
}

export const DEFAULT_FIELDS: Omit<Descriptor, 'oa'> = { valid: 1, af: 1, db: 1, dbm: 0, el0: 1 };

/** Kinds of VMSA value: a descriptor, or a physical address (`PA(x)`, herd's `phy_x`). */
const PTE_KIND = 0n;
const PA_KIND = 1n;
/** Field bits, then the output address (offset by one so that "none" is 0), then the kind. */
const OA_SHIFT = 8n;
const KIND_SHIFT = 60n;

export function descriptorValue(d: Descriptor): Val {
  let flags = 0n;
  PTE_FIELDS.forEach((f, i) => {
    if (d[f] !== 0) flags |= 1n << BigInt(i);
  });
  return VMSA_BASE + (PTE_KIND << KIND_SHIFT) + (BigInt(d.oa + 1) << OA_SHIFT) + flags;
}

/** The physical address of the location at address number `a` (its page). */
export function physicalValue(a: number): Val {
  return VMSA_BASE + (PA_KIND << KIND_SHIFT) + BigInt(a);
}

function kindOf(v: Val): bigint | undefined {
  return v >= VMSA_BASE ? (v - VMSA_BASE) >> KIND_SHIFT : undefined;
}

export function isDescriptor(v: Val): boolean {
  return kindOf(v) === PTE_KIND;
}

/** The address number a physical-address value names; undefined for anything else. */
export function physicalNumber(v: Val): number | undefined {
  return kindOf(v) === PA_KIND ? Number(v - VMSA_BASE - (PA_KIND << KIND_SHIFT)) : undefined;
}

/** The fields of a descriptor value; undefined when `v` is none. */
export function decodeDescriptor(v: Val): Descriptor | undefined {
  if (!isDescriptor(v)) return undefined;
  const r = v - VMSA_BASE;
  const flags = Number(r & 0xffn);
  const field = (i: number) => (flags >> i) & 1;
  return { oa: Number(r >> OA_SHIFT) - 1, valid: field(0), af: field(1), db: field(2), dbm: field(3), el0: field(4) };
}

/**
 * What translation reads of a descriptor: field `k` (an index of PTE_FIELDS) as 0/1, or with
 * k = OA_FIELD the output address as a physical-address value. A value that is no descriptor (a
 * test stored an integer into a page-table entry) is an error, as herd cannot translate it.
 */
export const OA_FIELD = PTE_FIELDS.length;

export function descriptorField(v: Val, k: number): Val {
  const d = decodeDescriptor(v);
  if (d === undefined) throw new ValueError('a page-table entry holds a value that is not a descriptor, which translation cannot use');
  if (k === OA_FIELD) return d.oa < 0 ? 0n : physicalValue(d.oa);
  return BigInt(d[PTE_FIELDS[k]!]);
}
