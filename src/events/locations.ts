/**
 * Locations and their addresses.
 *
 * A litmus location `x` gets a symbolic address that is a plain number, far above any value a
 * test stores (2^40 + i * 2^20), so address arithmetic (`[X1,#8]`, `[X1,X2]` with X2 = 0) is
 * ordinary integer arithmetic, and a register holding an address prints back as the location's
 * name.
 */

const BASE = 2 ** 40;
const STRIDE = 2 ** 20;

export class LocationTable {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  /** The index of `name`, adding it if new. */
  intern(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }

  has(name: string): boolean {
    return this.index.has(name);
  }

  get size(): number {
    return this.names.length;
  }

  nameOf(i: number): string {
    return this.names[i]!;
  }

  all(): readonly string[] {
    return this.names;
  }

  addressOf(name: string): number {
    return addressOfIndex(this.intern(name));
  }

  /** `x`, `x+8`, or the number itself when it is not an address. */
  format(value: number): string {
    const loc = locationOf(value);
    if (loc === undefined || loc.index >= this.names.length) return String(value);
    const name = this.names[loc.index]!;
    return loc.offset === 0 ? name : `${name}+${loc.offset}`;
  }
}

export function addressOfIndex(i: number): number {
  return BASE + i * STRIDE;
}

/** The location index and offset a value points into, if it is an address. */
export function locationOf(value: number): { index: number; offset: number } | undefined {
  if (value < BASE) return undefined;
  const rel = value - BASE;
  return { index: Math.floor(rel / STRIDE), offset: rel % STRIDE };
}

export function isAddress(value: number): boolean {
  return value >= BASE;
}
