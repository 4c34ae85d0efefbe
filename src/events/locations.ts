/**
 * Locations, their addresses and types, and the code labels a test can name as values.
 *
 * A litmus location `x` gets an address number `i * STRIDE`; an array's element k is at
 * `i * STRIDE + k * size`, so address arithmetic (`[X1,#8]`, `[X1,X2,LSL #2]`) moves within the
 * location. An address number is an internal name: as a value it is symbolic (value.ts), printed
 * back as the location's name — `x`, or `x+8` inside it — never as an integer.
 */
import { DEFAULT_TYPE, type CType } from './ctype.js';
import { addressNumber, descriptorOf, DESCRIPTOR_FIELDS, labelNumber, LOCATION_STRIDE, physicalNumber, tlbPageNumber, type Val } from './value.js';
import { descriptorText } from '../syntax/shared/vmsa-syntax.js';

const STRIDE = LOCATION_STRIDE;

/** The address of the location an address is in: a TLBI names a location's page, whatever its offset. */
export function locationBase(addr: number): number {
  return addr - (addr % STRIDE);
}

interface LocationInfo {
  readonly name: string;
  type: CType;
  /** Elements of an array; undefined for a plain location. */
  count: number | undefined;
}

export class LocationTable {
  private readonly infos: LocationInfo[] = [];
  private readonly index = new Map<string, number>();
  /** Names of code labels (`P1:L0`) by code label number, for printing. */
  private readonly labelNames = new Map<number, string>();

  /** The index of `name`, adding it (as an `int`) if new. */
  intern(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.infos.length;
      this.infos.push({ name, type: DEFAULT_TYPE, count: undefined });
      this.index.set(name, i);
    }
    return i;
  }

  /** Give a location its declared type, and an element count for an array. */
  declare(name: string, type: CType, count: number | undefined): void {
    const info = this.infos[this.intern(name)]!;
    info.type = type;
    info.count = count;
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  get size(): number {
    return this.infos.length;
  }

  nameOf(i: number): string {
    return this.infos[i]!.name;
  }

  all(): readonly string[] {
    return this.infos.map((l) => l.name);
  }

  typeOf(name: string): CType {
    return this.infos[this.intern(name)]!.type;
  }

  /** Elements of an array location, undefined for a plain one. */
  countOf(name: string): number | undefined {
    return this.infos[this.intern(name)]!.count;
  }

  addressOf(name: string): number {
    return this.intern(name) * STRIDE;
  }

  /** Address of element `k` of array `name` (of its type's size). */
  elementAddress(name: string, k: number): number {
    return this.addressOf(name) + k * this.typeOf(name).bytes;
  }

  /** The location an address number is in, and the byte offset in it. */
  locate(addr: number): { name: string; offset: number; type: CType; count: number | undefined } | undefined {
    const info = this.infos[Math.floor(addr / STRIDE)];
    return info === undefined ? undefined : { name: info.name, offset: addr % STRIDE, type: info.type, count: info.count };
  }

  /** Every address an access may use when its address comes from memory: each element's. */
  elementAddresses(): number[] {
    const out: number[] = [];
    this.infos.forEach((l, i) => {
      for (let k = 0; k < (l.count ?? 1); k++) out.push(i * STRIDE + k * l.type.bytes);
    });
    return out;
  }

  nameLabel(k: number, name: string): void {
    this.labelNames.set(k, name);
  }

  /** An address number as text: `x`, or `x+8` inside a location (as herd prints it). */
  formatAddress(addr: number): string {
    const l = this.locate(addr);
    if (l === undefined) return `#${addr}`;
    return l.offset === 0 ? l.name : `${l.name}+${l.offset}`;
  }

  /** A value as text: a location's or label's name, or the integer (signed 64-bit). */
  formatValue(v: Val, radix: 10 | 16 = 10): string {
    const symbol = this.formatSymbol(v);
    if (symbol !== undefined) return symbol;
    const n = BigInt.asIntN(64, v);
    return radix === 16 ? `${n < 0n ? '-' : ''}0x${(n < 0n ? -n : n).toString(16)}` : n.toString();
  }

  /**
   * A symbolic value as text (a location's address, a code label; under VMSA a physical address
   * `PA(x)`, a TLB page `TLB(x)`, a descriptor), or undefined for an integer.
   */
  formatSymbol(v: Val): string | undefined {
    const a = addressNumber(v);
    if (a !== undefined) return this.formatAddress(a);
    const pa = physicalNumber(v);
    if (pa !== undefined) return `PA(${this.formatAddress(pa)})`;
    const page = tlbPageNumber(v);
    if (page !== undefined) return `TLB(${this.locate(page)?.name ?? page})`;
    const d = descriptorOf(v);
    if (d !== undefined) {
      const fields = Object.fromEntries(DESCRIPTOR_FIELDS.map((f) => [f, d[f] ? 1 : 0]));
      return descriptorText(d.oa === undefined ? undefined : this.formatAddress(d.oa), fields);
    }
    const k = labelNumber(v);
    return k === undefined ? undefined : this.labelNames.get(k) ?? `code#${k}`;
  }
}
