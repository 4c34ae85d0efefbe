/** Numeric command-line values, checked: a bad one is a UsageError naming the option. */
import { UsageError } from './errors.js';

export function parseCount(option: string, text: string, min: number): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${option} expects a whole number, got '${text}'`);
  const n = Number(text);
  if (n < min) throw new UsageError(`${option} must be at least ${min}, got ${n}`);
  return n;
}

export function parseSeconds(option: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${option} expects a positive number of seconds, got '${text}'`);
  return n;
}
