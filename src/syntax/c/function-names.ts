/**
 * The functions a kernel C test may call, and the message for one it may not: with the known
 * name it most likely meant (`writel_relax` -> `writel_relaxed`).
 * @internal
 */
import { COUNTED_IO_ACCESSORS, IO_ACCESSORS } from '../../platform/linux-io.js';
import { builtinNames } from './builtins.js';

/** Every function name the C front end lowers. */
function knownFunctions(): readonly string[] {
  return [...IO_ACCESSORS.keys(), ...COUNTED_IO_ACCESSORS, ...builtinNames(), 'READ_ONCE', 'WRITE_ONCE', 'smp_load_acquire', 'smp_store_release'];
}

/** Edit distance (insertions, deletions, substitutions), giving up past `limit`. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

/** "unsupported function 'x'", with the nearest known name when one is close. */
export function unknownFunction(name: string): string {
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const known of knownFunctions()) {
    const d = distance(name, known, limit);
    if (d > 0 && d < bestDistance) [best, bestDistance] = [known, d];
  }
  return best === undefined ? `unsupported function '${name}'` : `unsupported function '${name}' (did you mean '${best}'?)`;
}
