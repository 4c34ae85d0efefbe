/**
 * The threads a reference can name once the table is known: CPU columns `P0..Pn` (by number) and
 * device columns (by their endpoint's name). Used by the init section's device registers,
 * mappings, `locations` and the condition.
 * @internal
 */
import type { Thread } from '../ast.js';

/** `P0`, `P1`...: a CPU thread's name. */
export const THREAD_NAME = /^P[0-9]+$/;

/** The table's columns, as references see them. */
export interface ThreadScope {
  readonly threads: readonly Thread[];
  /** CPU columns come first, so ids 0..cpuCount-1 are the CPU threads. */
  readonly cpuCount: number;
  /** Device column id by endpoint name. */
  readonly devices: ReadonlyMap<string, number>;
}

/** The scope of a parsed table. */
export function threadScope(threads: readonly Thread[]): ThreadScope {
  const devices = new Map<string, number>();
  let cpuCount = 0;
  for (const th of threads) {
    if (th.agent === 'device') devices.set(th.name, th.id);
    else cpuCount++;
  }
  return { threads, cpuCount, devices };
}

/** "only P0" / "P0..P2" / "no CPU thread", for messages. */
export function cpuRangeText(scope: ThreadScope): string {
  const n = scope.cpuCount;
  if (n === 0) return 'no CPU thread';
  return n === 1 ? 'only P0' : `P0..P${n - 1}`;
}

/**
 * Why CPU thread number `n` cannot be named (it is past the CPU columns), or undefined when it
 * can. Device columns have ids too, but herd's `N:Reg` always means CPU thread N.
 */
export function cpuThreadProblem(scope: ThreadScope, n: number, where: string): string | undefined {
  if (n < scope.cpuCount) return undefined;
  const th = scope.threads[n];
  if (th !== undefined && th.agent === 'device') {
    return `thread ${n} in ${where} is not a CPU thread: column ${n} is the device '${th.name}' (name it '${th.name}:...')`;
  }
  return `thread ${n} in ${where} does not exist (the test has ${cpuRangeText(scope)})`;
}

/** Why a name before ':' is not a device column, or undefined when it is one. */
export function deviceColumnProblem(scope: ThreadScope, name: string): string | undefined {
  if (scope.devices.has(name)) return undefined;
  return `'${name}' is not a thread: no device column is named '${name}'`;
}
