/**
 * Register allocation for one lowered thread. Pointer parameters and locals take the lowest free
 * registers (X0, X1, ...; they live for the whole thread); temporaries for constants and
 * intermediate values come from X8..X28 (the AAPCS64 scratch and callee-saved range, what a
 * compiler would use) and are released after each statement. Nothing is ever handed out twice
 * while live, so a lowered sequence never clobbers a parameter's address or a local's value; and a
 * long-lived register is one no earlier instruction wrote, since its value comes from the init
 * section (an address) or is the initial 0.
 * @internal
 */
import type { Reg } from '../ast.js';

/** The first temporary register (X8; X0..X7 are the argument registers of AAPCS64). */
const TEMP_FIRST = 8;
/** The last temporary register (X28; X29 and X30 are the frame pointer and link register). */
const TEMP_LAST = 28;
/** Long-lived registers may use everything but XZR (encoding 31). */
const LAST = 30;

const VIEWS: readonly (readonly [Reg, Reg])[] = Array.from({ length: 31 }, (_, index) =>
  [Object.freeze({ index, wide: false }), Object.freeze({ index, wide: true })] as const,
);

/** The W (`wide` false) or X view of register `index`. */
export function reg(index: number, wide: boolean): Reg {
  const v = VIEWS[index];
  if (v === undefined) throw new RangeError(`register index ${index} is not 0..30`);
  return v[wide ? 1 : 0];
}

/** The same register seen as X or W. */
export function view(r: Reg, wide: boolean): Reg {
  return reg(r.index, wide);
}

/** Thrown when a thread needs more registers than AArch64 has; the caller reports it. */
export class OutOfRegisters {
  private constructor() {}
  static readonly instance = new OutOfRegisters();
}

/** The registers of one thread. */
export class RegisterFile {
  /** Registers live now. */
  private readonly used = new Set<number>();
  /** Registers any instruction so far may have written. */
  private readonly touched = new Set<number>();
  private temps: number[] = [];

  /**
   * A register for the rest of the thread (a parameter's address, a local). It is one no earlier
   * instruction wrote, because its value is set by the init section (an address) or starts at 0.
   */
  long(): number {
    return this.take(0, LAST, this.touched);
  }

  /** A temporary, free again after `releaseTemps`. */
  temp(): number {
    const i = this.take(TEMP_FIRST, TEMP_LAST, this.used);
    this.temps.push(i);
    return i;
  }

  /** End of a statement: its temporaries are dead. */
  releaseTemps(): void {
    for (const i of this.temps) this.used.delete(i);
    this.temps = [];
  }

  private take(from: number, to: number, busy: ReadonlySet<number>): number {
    for (let i = from; i <= to; i++) {
      if (!busy.has(i)) {
        this.used.add(i);
        this.touched.add(i);
        return i;
      }
    }
    throw OutOfRegisters.instance;
  }
}
