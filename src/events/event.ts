/**
 * Events: what one instruction contributes to a candidate execution.
 *
 * The Arm axiomatic model (Arm ARM B2.3) speaks of Read and Write effects and of barrier
 * effects; an event here is one of those, plus the attributes the model's relations test
 * (Acquire, AcquirePC, Release, Exclusive) and where it came from (thread, instruction, text).
 */
import type { AccessSize, BarrierDomain, BarrierType } from '../syntax/ast.js';
import type { Span } from '../syntax/diagnostics.js';
import type { Sym } from './sym.js';
import type { MemoryType } from '../platform/memory-type.js';

/**
 * What an access reaches: host memory (CPU loads/stores, device DMA), a device register through
 * the fabric (a CPU's MMIO access), or a device's own register (its program's access).
 */
export type Target =
  | { readonly kind: 'memory' }
  | { readonly kind: 'mmio'; readonly endpoint: string; readonly space: 'mem' | 'cfg' }
  | { readonly kind: 'register'; readonly endpoint: string };

export const MEMORY: Target = { kind: 'memory' };

/** Memory-access ordering attributes (Arm ARM B2.3.5: Acquire A, AcquirePC Q, Release L). */
export type AccessOrder = 'plain' | 'A' | 'Q' | 'L';

/**
 * Non-access effects of a thread: DMB/DSB with their options, ISB, DGH (a hint that orders
 * nothing), TLBI (a TLB invalidation of `addr`, or of everything), and FAULT: an access whose
 * mapping had been removed — it has no effect (docs/model.md, "Translation").
 */
export interface FenceKind {
  readonly op: 'DMB' | 'DSB' | 'ISB' | 'DGH' | 'TLBI' | 'FAULT';
  readonly domain: BarrierDomain | undefined;
  readonly type: BarrierType | undefined;
  /** TLBI: the invalidated address (undefined: every address); FAULT: the address accessed. */
  readonly addr?: number;
  /** TLBI: the operation (VAE1IS, ...). */
  readonly tlbi?: string;
}

interface EventBase {
  /** -1 for the initial writes. */
  readonly thread: number;
  /** Position in the thread's program order (0-based); -1 for initial writes. */
  readonly po: number;
  /** The instruction's text, for witnesses and timelines (`STR W0,[X1]`). */
  readonly text: string;
  readonly span: Span | undefined;
}

/** Memory attributes of an access. */
interface AccessBase extends EventBase {
  readonly addr: number;
  readonly size: AccessSize;
  readonly target: Target;
  /** The effective memory type of the mapping the access used (Normal-WB for host memory by default). */
  readonly mem: MemoryType;
}

/** A read effect. Its result is the symbolic variable `id`. */
export interface ReadEvent extends AccessBase {
  readonly kind: 'R';
  readonly order: 'plain' | 'A' | 'Q';
  readonly exclusive: boolean;
  /** The variable naming the value read (unique in the whole test). */
  readonly id: number;
  /** A speculative read of a Normal mapping, which the program did not ask for. */
  readonly speculative?: boolean;
}

/**
 * A write effect: a store, the initial write of a location, or one of the write effects at an
 * endpoint (the arrival of a CPU's MMIO write, a register reset, a read-to-clear clearing).
 */
export interface WriteEvent extends AccessBase {
  readonly kind: 'W';
  readonly order: 'plain' | 'L';
  readonly exclusive: boolean;
  readonly value: Sym;
}

/** A barrier effect. */
export interface FenceEvent extends EventBase {
  readonly kind: 'F';
  readonly fence: FenceKind;
}

/** The end of a Function Level Reset at an endpoint: requests arriving before it are discarded. */
export interface EndpointEvent extends EventBase {
  readonly kind: 'E';
  readonly op: 'flr-done';
  readonly endpoint: string;
}

export type Event = ReadEvent | WriteEvent | FenceEvent | EndpointEvent;
export type AccessEvent = ReadEvent | WriteEvent;

export function isAccess(e: Event): e is ReadEvent | WriteEvent {
  return e.kind === 'R' || e.kind === 'W';
}

/** A condition a control-flow path assumed at a conditional branch. */
export interface PathConstraint {
  /** B.cond code over the compared pair; CBZ/CBNZ compare with 0 using EQ/NE. */
  readonly code: import('../syntax/ast.js').CondCode;
  readonly a: Sym;
  readonly b: Sym;
  /** Compare as 32-bit (W) values. */
  readonly w32: boolean;
  /** Whether the path assumed the condition true (branch taken) or false. */
  readonly holds: boolean;
  /** How many of the path's events precede the branch (a truncated path keeps only earlier constraints). */
  readonly at: number;
}

/**
 * One control-flow path of one thread: its events in program order, its intra-thread
 * dependencies (as pairs of positions in `events`), the branch conditions it assumed, and its
 * registers' final values.
 */
export interface ThreadPath {
  readonly thread: number;
  /** A CPU, or the program of the device at an endpoint. */
  readonly agent: 'cpu' | 'device';
  /** For device programs: the endpoint. */
  readonly endpoint: string | undefined;
  /** Labels of the thread's code -> position of the first event at or after the label. */
  readonly labels: ReadonlyMap<string, number>;
  readonly events: readonly Event[];
  /** Arm ARM B2.3.3: Address dependency (read -> access). */
  readonly addr: readonly (readonly [number, number])[];
  /** Data dependency (read -> write). */
  readonly data: readonly (readonly [number, number])[];
  /** Control dependency (read -> every event after the dependent branch). */
  readonly ctrl: readonly (readonly [number, number])[];
  /** Exclusive pairs: a load-exclusive and the successful store-exclusive it pairs with. */
  readonly rmw: readonly (readonly [number, number])[];
  readonly constraints: readonly PathConstraint[];
  /** Final symbolic value of each register the thread wrote or was given (index -> value). */
  readonly regs: ReadonlyMap<number, Sym>;
  /** A device program stopped by a reset after its first `events.length` events. */
  readonly cut?: boolean;
}
