/**
 * Numbers as users write encodings: `0x44`, `0b01000100` or decimal `68`. @internal
 */

/**
 * The value of `text` if it is written as a number (hex `0x..`, binary `0b..`, or decimal),
 * `undefined` if it does not look like a number at all. Throws a RangeError when it is a number
 * above `max`, naming `what`.
 */
export function parseEncodedNumber(text: string, max: number, what: string): number | undefined {
  const t = text.trim();
  let value: number;
  if (/^0x[0-9a-f]+$/i.test(t)) value = parseInt(t.slice(2), 16);
  else if (/^0b[01]+$/i.test(t)) value = parseInt(t.slice(2), 2);
  else if (/^[0-9]+$/.test(t)) value = parseInt(t, 10);
  else return undefined;
  if (value > max) {
    throw new RangeError(`${what} '${text}' is out of range: must be 0 to 0x${max.toString(16)}`);
  }
  return value;
}
