/**
 * Linux's arm64 barriers and I/O accessors (`smp_mb`, `wmb`, `dma_rmb`, `writel`, `readl_relaxed`,
 * `__iowrite64_copy`, `memcpy_toio`, ...) lowered to AST instructions.
 *
 * The sequences come from platform/linux-io.ts (IO_ACCESSORS, ioAccessorSteps), never restated
 * here: that table is the single source of truth for what each accessor compiles to
 * (from `arch/arm64/include/asm/io.h` and `barrier.h`). This is the one place where the
 * syntax layer depends on platform/, deliberately, so the C front end and the `map`/docs views
 * cannot drift apart.
 * @internal
 */
import type { Instr, Operand, Reg } from '../ast.js';
import type { Span } from '../diagnostics.js';
import { IO_ACCESSORS, COUNTED_IO_ACCESSORS, type IoStep } from '../../platform/linux-io.js';
import { view } from './registers.js';

/** How an accessor is called from C. */
export type AccessorShape =
  /** `smp_mb()`, `wmb()`, `io_stop_wc()`: no arguments, no memory access. */
  | 'barrier'
  /** `writel(v, p)`: value then address. */
  | 'write'
  /** `r = readl(p)`: address, returns the loaded value. */
  | 'read'
  /** `__iowrite64_copy(p, v, n)`, `memcpy_toio(p, v, n)`: address, value, constant count. */
  | 'counted';

/** How the accessor `name` is called, or undefined when the table has no such accessor. */
export function accessorShape(name: string): AccessorShape | undefined {
  if (COUNTED_IO_ACCESSORS.includes(name)) return 'counted';
  const a = IO_ACCESSORS.get(name);
  if (a === undefined) return undefined;
  if (a.steps.some((s) => s.kind === 'load')) return 'read';
  if (a.steps.some((s) => s.kind === 'store')) return 'write';
  return 'barrier';
}

/** Does the fixed accessor `name` access 64 bits (`writeq`, `readq_relaxed`, `iowrite64be`)? */
export function accessorIsWide(name: string): boolean {
  return IO_ACCESSORS.get(name)?.steps.some((s) => (s.kind === 'load' || s.kind === 'store') && s.size === 8) ?? false;
}

/** `#offset` of an access, none at 0. */
const offsetOperand = (offset: number): Operand | undefined => (offset === 0 ? undefined : { kind: 'imm', value: BigInt(offset) });

/** The registers and helpers a lowered sequence needs. */
export interface StepOperands {
  /** X register holding the accessed location's address (unused by barriers). */
  readonly addr: Reg | undefined;
  /** Register holding the value stores write (its X or W view is chosen per store size). */
  readonly value: Reg | undefined;
  /** Register that receives a load's result (its view is chosen by the load's size). */
  readonly dest: Reg | undefined;
  readonly span: Span;
  /** A fresh temporary register index. */
  readonly temp: () => number;
  /** A fresh label name. */
  readonly label: () => string;
  /**
   * The code runs on a device: an accessor keeps only its accesses. A device does not execute
   * Linux's accessors; its own register accesses are register reads and writes, and everything else is
   * DMA, which the device performs in program order anyway.
   */
  readonly device: boolean;
}

/**
 * Lower an accessor's steps. Offsets are dropped: a location is a whole register or variable,
 * so every store of a copy goes to the same location (its sizes are kept).
 */
export function lowerSteps(steps: readonly IoStep[], ops: StepOperands): Instr[] {
  const out: Instr[] = [];
  const span = ops.span;
  const need = (r: Reg | undefined, what: string): Reg => {
    if (r === undefined) throw new RangeError(`accessor step needs ${what}`);
    return r;
  };
  // On a device, an accessor keeps its accesses only; a bare barrier call stays as written.
  const accessesOnly = ops.device && steps.some((s) => s.kind === 'load' || s.kind === 'store');
  for (const s of steps) {
    if (accessesOnly && s.kind !== 'load' && s.kind !== 'store') continue;
    switch (s.kind) {
      case 'barrier':
        out.push({ kind: 'barrier', op: s.op, domain: s.domain, type: s.type, span });
        break;
      case 'store':
        // Each store at its offset from the accessor's address (a copy's k-th store at k * size).
        out.push({ kind: 'store', rt: view(need(ops.value, 'a value'), s.size === 8), addr: { base: need(ops.addr, 'an address'), offset: offsetOperand(s.offset), index: 'offset' }, size: s.size, release: false, exclusive: false, status: undefined, span });
        break;
      case 'load':
        out.push({ kind: 'load', rt: view(need(ops.dest, 'a destination'), s.size === 8), addr: { base: need(ops.addr, 'an address'), offset: offsetOperand(s.offset), index: 'offset' }, size: s.size, signed: false, order: 'plain', exclusive: false, span });
        break;
      case 'ctrl-dep': {
        // __io_ar's fake control dependency, `eor tmp, v, v; cbnz tmp, .` (asm/io.h): the EOR
        // carries the load's dependency (Arm ARM B2.3.3, whatever the value), the branch makes
        // everything after it control-dependent on the load; it is never taken.
        const loaded = need(ops.dest, 'the loaded register');
        const tmp = view(loaded, false);
        const t = view({ index: ops.temp(), wide: false }, false);
        const next = ops.label();
        out.push({ kind: 'alu', op: 'eor', rd: t, rn: tmp, op2: { kind: 'reg', reg: tmp }, setFlags: false, span });
        out.push({ kind: 'branch', target: { label: next }, cond: { kind: 'zero', reg: t, nonZero: true }, link: false, span });
        out.push({ kind: 'label', name: next, span });
        break;
      }
      case 'dgh':
        out.push({ kind: 'dgh', span });
        break;
    }
  }
  return out;
}
