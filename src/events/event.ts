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
 * nothing), TLBI (a TLB invalidation of `addr`, or of everything), FAULT: an access whose
 * mapping had been removed — it has no effect (docs/model.md, "Translation"), and ERET, the
 * return from a fault handler (VMSA).
 */
export interface FenceKind {
  readonly op: 'DMB' | 'DSB' | 'ISB' | 'DGH' | 'TLBI' | 'FAULT' | 'ERET' | 'LKMM';
  readonly domain: BarrierDomain | undefined;
  readonly type: BarrierType | undefined;
  /** TLBI: the invalidated address (undefined: every address); FAULT: the address accessed. */
  readonly addr?: number;
  /** TLBI: the operation (VAE1IS, ...). */
  readonly tlbi?: string;
  /** TLBI by VA or by ASID: the ASID of Xt[63:48] (0 when those bits are clear). */
  readonly asid?: number;
  /** TLBI of every ASID by VA that names user processes' VAs, not the kernel's (vfio_zap_bars). */
  readonly userSpaces?: true;
  /**
   * A fault of a VMSA translation (herd7 -variant vmsa): its MMU fault type, and for an access
   * flag or permission fault the physical address its descriptor gave (the same location as the
   * accesses there). Such a fault is an exception entry.
   */
  readonly mmu?: MmuFault;
  readonly pa?: number;
  /** A guest's stage-2 fault (taken to EL2): herd's fault types with `S2:` (`S2:Translation`). */
  readonly stage2?: true;
  /**
   * A VMSA TLBI's reach (herd7 -variant vmsa): the entry of the page its register named (a
   * location's address shifted right by 12: herd's TLB(x)), or `none` when the register held
   * anything else. Without a register it reaches every entry.
   */
  readonly page?: number | 'none';
  /** An LKMM fence (op LKMM): its annotation, `Mb`, `Rcu-lock`, ... */
  readonly lkmm?: string;
  /** The faulting instruction is a release (STLR): the fault is in L, as herd has it. */
  readonly release?: true;
  /** A UDF's Undefined Instruction exception (VMSA), not an MMU fault: it has no location. */
  readonly undefinedInstruction?: true;
  /** An EL0 thread's access to a page-table entry itself (herd's message `EL0`). */
  readonly el0?: true;
}

/** herd's MMU fault types (Arm ARM D8.15: translation, access flag, permission faults). */
export type MmuFault = 'Translation' | 'AccessFlag' | 'Permission';

/** A fault's type as herd writes it: `MMU:Translation`, ..., `UndefinedInstruction`; undefined for iolitmus's own faults. */
export function faultTypeOf(f: FenceKind): string | undefined {
  if (f.mmu !== undefined) return `${f.stage2 ? 'S2' : 'MMU'}:${f.mmu}`;
  return f.undefinedInstruction ? 'UndefinedInstruction' : undefined;
}

/** Which access a byte event belongs to, and which of its bytes it is. */
export interface ByteOf {
  /** The access: its read variable id for a read, an id unique in the test for a write. */
  readonly access: number;
  /** The byte's index in the access (0: the lowest address; values are little-endian). */
  readonly k: number;
  /** The access's size in bytes. */
  readonly size: number;
}

interface EventBase {
  /** -1 for the initial writes. */
  readonly thread: number;
  /** Position in the thread's program order (0-based); -1 for initial writes. */
  readonly po: number;
  /** The instruction's text, for witnesses and timelines (`STR W0,[X1]`). */
  readonly text: string;
  readonly span: Span | undefined;
  /** Kernel C under the LKMM: the event's annotation sets (`Once`, `Acquire`, `LKW`, ...). */
  readonly tags?: readonly string[];
}

/** Memory attributes of an access. */
interface AccessBase extends EventBase {
  readonly addr: number;
  readonly size: AccessSize;
  readonly target: Target;
  /** The effective memory type of the mapping the access used (Normal-WB for host memory by default). */
  readonly mem: MemoryType;
  /** A byte of a mixed-size access (bytes.ts): which access, which byte. */
  readonly byte?: ByteOf;
  /** Made by translation, not by the program (VMSA): a translation table read, a hardware update. */
  readonly implicit?: true;
  /** A device request with Relaxed Ordering set (`nic:L1 tlp:(ro)`). */
  readonly ro?: true;
  /** A device request with ID-based Ordering set (`nic:L1 tlp:(ido)`). */
  readonly ido?: true;
  /** The function of a multi-function device making the request (its Requester ID; `tlp:(fn=1)`), when not 0. */
  readonly fn?: number;
  /** A spurious hardware update of the access flag (VMSA, TTHM): of no thread, in no program order. */
  readonly spurious?: true;
}

/** A read effect. Its result is the symbolic variable `id`. */
export interface ReadEvent extends AccessBase {
  readonly kind: 'R';
  readonly order: 'plain' | 'A' | 'Q';
  /** Part of an atomic access: a load-exclusive, or the read of an LSE atomic (herd's X). */
  readonly exclusive: boolean;
  /** The read of an atomic whose result register is the zero register (herd's NoRet). */
  readonly noRet?: boolean;
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
  /** Part of an atomic access: a successful store-exclusive, or the write of an LSE atomic. */
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

/** A condition a control-flow path assumed: at a conditional branch, a CSEL, a CAS's comparison. */
export interface PathConstraint {
  /** A Sym that evaluates to 1 (true) or 0. */
  readonly cond: Sym;
  /** Whether the path assumed the condition true or false. */
  readonly holds: boolean;
  /** How many of the path's events precede it (a truncated path keeps only earlier constraints). */
  readonly at: number;
}

/** Pairs of positions in a path's `events`. */
export type PositionPairs = readonly (readonly [number, number])[];

/** The fields of a ThreadPath that are position pairs (dependencies, atomic pairs, orders). */
export const PATH_RELATIONS = ['addr', 'data', 'ctrl', 'pickAddr', 'pickData', 'pickCtrl', 'pickBasic', 'rmw', 'amo', 'iicoOrder', 'sca', 'trib'] as const;

/** A path with `keep` applied to each of its position-pair relations. */
export function mapPathRelations(p: ThreadPath, keep: (name: (typeof PATH_RELATIONS)[number], pairs: PositionPairs) => PositionPairs): ThreadPath {
  const out: Record<string, PositionPairs> = {};
  for (const name of PATH_RELATIONS) out[name] = keep(name, p[name]);
  return { ...p, ...out };
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
  /** Every position where the path passed a label of its code, in order (loops pass them again). */
  readonly labelMarks?: readonly number[];
  readonly events: readonly Event[];
  /** Arm ARM B2.3.3: Address dependency (read -> access). */
  readonly addr: PositionPairs;
  /** Data dependency (read -> write). */
  readonly data: PositionPairs;
  /** Control dependency (read -> every event after the dependent branch). */
  readonly ctrl: PositionPairs;
  /** The pick forms of the three, where a condition picked a value on the way (CSEL, CAS). */
  readonly pickAddr: PositionPairs;
  readonly pickData: PositionPairs;
  readonly pickCtrl: PositionPairs;
  /** Read -> memory access whose inputs it reaches through any dependency, pick included. */
  readonly pickBasic: PositionPairs;
  /**
   * Atomic pairs: a load-exclusive and the successful store-exclusive it pairs with, and the read
   * and write of an LSE atomic (herd's rmw).
   */
  readonly rmw: PositionPairs;
  /** The rmw pairs of one instruction (the LSE atomics: herd's amo). */
  readonly amo: PositionPairs;
  /** Accesses of one instruction that it performs in order (LDIAPP, STILP: herd's iico_order). */
  readonly iicoOrder: PositionPairs;
  /** Accesses that are one single-copy atomic access (LDXP's reads, STXP's writes: herd's sca), both ways. */
  readonly sca: PositionPairs;
  /** A translation table read -> the accesses (or the fault) of the instruction it translated (herd's tr-ib). */
  readonly trib: PositionPairs;
  /** How many identical executions herd counts for this path (a CAS's alternatives). */
  readonly weight: number;
  /** For each event, the instruction it came from (a count along the path): po orders instructions. */
  readonly instances: readonly number[];
  readonly constraints: readonly PathConstraint[];
  /** Final symbolic value of each register the thread wrote or was given (index -> value). */
  readonly regs: ReadonlyMap<number, Sym>;
  /** A device program stopped by a reset after its first `events.length` events. */
  readonly cut?: boolean;
  /**
   * The path stopped at an access whose address may be no location (a loaded value used as an
   * address): an execution that satisfies its constraints is an error, with this message.
   */
  readonly stray?: string;
  /** Some access's address came from a pointer fork, which values may rule out. */
  readonly viaPointer?: boolean;
  /** A fault variant whose thread uses what a faulting load would have read: a consistent execution of it is an error, with this message. */
  readonly faultValue?: string;
  /** An interrupt handler's path where it does not run: its MSI was not written (interrupts.ts). */
  readonly notRun?: true;
}
