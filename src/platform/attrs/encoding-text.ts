/**
 * How encodings are written in decode texts, reasons and errors. @internal
 */

/** `0x4f`: a value in hexadecimal, padded to `digits` digits. */
export function hex(value: number, digits: number): string {
  return `0x${value.toString(16).padStart(digits, '0')}`;
}

/** `0b0101`: a value in binary, padded to `bits` digits. */
export function bin(value: number, bits: number): string {
  return `0b${value.toString(2).padStart(bits, '0')}`;
}

/** Throws a RangeError unless `value` is an integer in [0, max]. */
export function checkField(value: number, max: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${what} must be an integer from 0 to ${hex(max, 1)}, got ${String(value)}`);
  }
}
