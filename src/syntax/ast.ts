/**
 * The litmus AST shared by the front ends (AArch64 litmus, later kernel C).
 *
 * Thread code is AArch64 instructions: the C front end lowers Linux's accessors to the
 * instruction sequences arm64 Linux uses, so everything after parsing sees one language.
 * Every node carries the span it came from, so later stages can report `file:line:col`.
 */
import type { Span } from './diagnostics.js';

/**
 * A general-purpose register. `index` 0..30, 31 for the zero register (XZR/WZR), 32 for the stack
 * pointer (SP/WSP; herd lets a test give it a value), 33 for the flags (NZCV, read by MRS/MSR).
 */
export interface Reg {
  readonly index: number;
  /** true for Xn (64-bit view), false for Wn (32-bit view). */
  readonly wide: boolean;
}

/** The zero-register index. */
export const ZR = 31;
/** The stack pointer's index. */
export const SP = 32;

/** A value in the init section or a condition: an integer (exact 64 bits), or the address of a location. */
export type Value =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'addr'; readonly loc: string; readonly offset?: number }
  /** A code address `P1:L0` (a label of thread P1). */
  | { readonly kind: 'label'; readonly thread: number; readonly label: string }
  /** An array's elements `{1,2,3}` (init section only). */
  | { readonly kind: 'array'; readonly values: readonly bigint[] }
  /**
   * herd's VMSA translation table descriptor `(oa:PA(y), valid:0, af:0, db:0, dbm:1, el0:0)`:
   * the output address's location (undefined: none given) and the fields written.
   */
  | { readonly kind: 'pte'; readonly oa: string | undefined; readonly fields: Readonly<Partial<Record<'valid' | 'af' | 'db' | 'dbm' | 'el0', number>>> }
  /** herd's physical address `PA(x)` (old syntax `phy_x`). */
  | { readonly kind: 'pa'; readonly loc: string };

/** Second operand of data-processing instructions: an immediate or a register, maybe shifted/extended. */
export type Operand =
  | { readonly kind: 'imm'; readonly value: bigint }
  | { readonly kind: 'reg'; readonly reg: Reg; readonly shift?: Shift };

export type ShiftOp = 'LSL' | 'LSR' | 'ASR' | 'ROR';
export type ExtendOp = 'UXTB' | 'UXTH' | 'UXTW' | 'UXTX' | 'SXTB' | 'SXTH' | 'SXTW' | 'SXTX';

export interface Shift {
  /** LSL/LSR/ASR/ROR shift a register; the extends take its low bits (then shift left by `amount`). */
  readonly op: ShiftOp | ExtendOp;
  readonly amount: number;
}

/**
 * `[Xn]`, `[Xn,#imm]`, `[Xn,Xm]`, `[Xn,Wm,SXTW]`, `[Xn,Xm,LSL #3]`, pre-indexed `[Xn,#imm]!`
 * and post-indexed `[Xn],#imm` (the base register is updated: Arm ARM C1.3.3).
 */
export interface Address {
  readonly base: Reg;
  readonly offset: Operand | undefined;
  readonly index: 'offset' | 'pre' | 'post';
}

/** Access sizes in bytes. */
export type AccessSize = 1 | 2 | 4 | 8;

interface Node {
  readonly span: Span;
  /** The instruction as written (for witnesses and timelines); absent for lowered code. */
  readonly asm?: string;
}

/** Ordering of a load: plain, Acquire (LDAR, LDAXR: A) or AcquirePC (LDAPR, LDIAPP: Q). */
export type LoadOrder = 'plain' | 'acquire' | 'acquirePC';

/** LDR, LDRB/H, LDRSB/SH/SW, LDUR, LDAR, LDAPR, LDAPUR, LDXR, LDAXR (and sized forms). */
export interface Load extends Node {
  readonly kind: 'load';
  readonly rt: Reg;
  readonly addr: Address;
  readonly size: AccessSize;
  /** LDRS*: the loaded value is sign-extended to the register's width. */
  readonly signed: boolean;
  readonly order: LoadOrder;
  readonly exclusive: boolean;
  /** Kernel C under the LKMM: the access's annotation sets (`Once`, `Acquire`); none for a plain access. */
  readonly tags?: readonly string[];
}

/** STR, STRB/H, STUR, STLR, STLUR, STXR, STLXR (and sized forms). */
export interface Store extends Node {
  readonly kind: 'store';
  readonly rt: Reg;
  readonly addr: Address;
  readonly size: AccessSize;
  /** true for STLR/STLXR (L). */
  readonly release: boolean;
  readonly exclusive: boolean;
  /** STXR's status register: 0 on success, 1 on failure. */
  readonly status: Reg | undefined;
  /** Kernel C under the LKMM: the access's annotation sets (`Once`, `Release`). */
  readonly tags?: readonly string[];
}

/** LDP, LDPSW, LDNP, LDXP, LDAXP, LDIAPP: two registers from consecutive locations. */
export interface LoadPair extends Node {
  readonly kind: 'loadPair';
  readonly rt: Reg;
  readonly rt2: Reg;
  readonly addr: Address;
  /** Size of each element. */
  readonly size: AccessSize;
  readonly signed: boolean;
  readonly order: LoadOrder;
  readonly exclusive: boolean;
}

/** STP, STNP, STXP, STLXP, STILP. */
export interface StorePair extends Node {
  readonly kind: 'storePair';
  readonly rt: Reg;
  readonly rt2: Reg;
  readonly addr: Address;
  readonly size: AccessSize;
  readonly release: boolean;
  readonly exclusive: boolean;
  readonly status: Reg | undefined;
}

/** The read-modify-write operation of the LD<op>/ST<op> atomics (Arm ARM C6.2 LDADD ...). */
export type AtomicOp = 'add' | 'clr' | 'eor' | 'set' | 'smax' | 'smin' | 'umax' | 'umin';

/** Ordering of an LSE atomic: the A forms acquire, the L forms release. */
interface AtomicOrder {
  readonly acquire: boolean;
  readonly release: boolean;
}

/** SWP Rs, Rt, [Xn]: Rt gets the old value, memory gets Rs. */
export interface Swp extends Node, AtomicOrder {
  readonly kind: 'swp';
  readonly rs: Reg;
  readonly rt: Reg;
  readonly addr: Address;
  readonly size: AccessSize;
}

/** CAS Rs, Rt, [Xn]: if memory equals Rs, write Rt; Rs gets the old value. */
export interface Cas extends Node, AtomicOrder {
  readonly kind: 'cas';
  readonly rs: Reg;
  readonly rt: Reg;
  readonly addr: Address;
  readonly size: AccessSize;
}

/** CASP Rs, Rs+1, Rt, Rt+1, [Xn]: CAS of a pair. */
export interface Casp extends Node, AtomicOrder {
  readonly kind: 'casp';
  readonly rs: Reg;
  readonly rt: Reg;
  readonly addr: Address;
  readonly size: AccessSize;
}

/** LD<op> Rs, Rt, [Xn] (ST<op> is LD<op> with Rt the zero register). */
export interface Ldop extends Node, AtomicOrder {
  readonly kind: 'ldop';
  readonly op: AtomicOp;
  readonly rs: Reg;
  readonly rt: Reg;
  readonly addr: Address;
  readonly size: AccessSize;
}

/** Operations of two-operand data processing (Arm ARM C6.2, by mnemonic). */
export type AluOp =
  | 'add' | 'sub' | 'and' | 'orr' | 'eor' | 'bic' | 'orn' | 'eon'
  | 'lsl' | 'lsr' | 'asr' | 'ror'
  | 'mul' | 'udiv' | 'sdiv' | 'smulh' | 'umulh'
  | 'smax' | 'smin' | 'umax' | 'umin';

/** Operations of one-operand data processing; `params` in Unary say how many bits / which fields. */
export type UnaryOp =
  /** Zero-/sign-extend from params[0] bits. */
  | 'zext' | 'sext'
  | 'not' | 'neg' | 'abs' | 'clz' | 'cls' | 'rbit'
  /** Reverse bytes within containers of params[0] bits (REV16: 16, REV32: 32, REV: the width). */
  | 'rev'
  /** UBFM/SBFM with params = [immr, imms] (Arm ARM C6.2 UBFM, SBFM). */
  | 'ubfm' | 'sbfm'
  /** Bit params[0] of the operand (TBZ/TBNZ), 0 or 1. */
  | 'bit';

/**
 * How flags are set: SUBS/CMP (a - b), ADDS/CMN (a + b), ANDS/TST/BICS (a AND b, C=V=0), or
 * written as bits 31..28 of a register (MSR NZCV; also the initial flags, 0).
 */
export type FlagsOp = 'sub' | 'add' | 'logic' | 'nzcv';

/** MOV Rd, Rm|#imm (also MOV's aliases of ORR/MOVZ/MOVN with a whole immediate). */
export interface Mov extends Node {
  readonly kind: 'mov';
  readonly rd: Reg;
  readonly src: Operand;
}

/** MOVZ/MOVN/MOVK Rd, #imm16{, LSL #shift}. */
export interface MovWide extends Node {
  readonly kind: 'movw';
  readonly op: 'z' | 'n' | 'k';
  readonly rd: Reg;
  readonly imm: number;
  readonly shift: number;
}

/** Two-operand data processing: ADD/SUB/AND/ORR/EOR/BIC/ORN/EON (and the S forms), shifts, MUL, DIV. */
export interface Alu extends Node {
  readonly kind: 'alu';
  readonly op: AluOp;
  readonly rd: Reg;
  readonly rn: Reg;
  readonly op2: Operand;
  readonly setFlags: boolean;
}

/** MADD/MSUB and the long forms SMADDL/SMSUBL/UMADDL/UMSUBL: Rd = Ra +/- Rn * Rm. */
export interface MulAdd extends Node {
  readonly kind: 'muladd';
  readonly sub: boolean;
  /** Long forms: the W operands are sign- (S) or zero- (U) extended first. */
  readonly long: 'signed' | 'unsigned' | undefined;
  readonly rd: Reg;
  readonly rn: Reg;
  readonly rm: Reg;
  readonly ra: Reg;
}

/** One-operand data processing: NEG, MVN, ABS, CLZ, CLS, RBIT, REV*, the bitfield moves and extends. */
export interface Unary extends Node {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly rd: Reg;
  readonly rn: Reg;
  readonly params: readonly number[];
}

/** CMP/CMN/TST Rn, op2: set the flags from Rn - op2, Rn + op2 or Rn AND op2. */
export interface Cmp extends Node {
  readonly kind: 'cmp';
  readonly f: Exclude<FlagsOp, 'nzcv'>;
  readonly rn: Reg;
  readonly op2: Operand;
}

/** Condition codes (Arm ARM C1.2.4, table C1-1); CS/CC are read as HS/LO. */
export type CondCode = 'EQ' | 'NE' | 'HS' | 'LO' | 'MI' | 'PL' | 'VS' | 'VC' | 'HI' | 'LS' | 'GE' | 'LT' | 'GT' | 'LE' | 'AL' | 'NV';

/** CSEL/CSINC/CSINV/CSNEG Rd, Rn, Rm, cond (CSET, CSETM, CINC, CINV, CNEG are aliases). */
export interface Csel extends Node {
  readonly kind: 'csel';
  readonly op: 'sel' | 'inc' | 'inv' | 'neg';
  readonly rd: Reg;
  readonly rn: Reg;
  readonly rm: Reg;
  readonly cond: CondCode;
}

/** Where a branch goes: a label, or `.+n` (n bytes from this instruction, 4 per instruction). */
export type BranchTarget = { readonly label: string } | { readonly offset: number };

/** B label, B.cond label, CBZ/CBNZ Rt, label, TBZ/TBNZ Rt, #bit, label, BL label. */
export interface Branch extends Node {
  readonly kind: 'branch';
  readonly target: BranchTarget;
  /** Unconditional when undefined. */
  readonly cond:
    | undefined
    | { readonly kind: 'flags'; readonly code: CondCode }
    | { readonly kind: 'zero'; readonly reg: Reg; readonly nonZero: boolean }
    | { readonly kind: 'bit'; readonly reg: Reg; readonly bit: number; readonly nonZero: boolean };
  /** BL: the return address goes to X30. */
  readonly link: boolean;
}

/** BR Xn, BLR Xn, RET {Xn}: a branch to the code address a register holds. */
export interface BranchReg extends Node {
  readonly kind: 'branchReg';
  readonly reg: Reg;
  readonly link: boolean;
}

/** ADR Xd, label: the label's code address. */
export interface Adr extends Node {
  readonly kind: 'adr';
  readonly rd: Reg;
  readonly target: BranchTarget;
}

/** A label definition `L0:` (its own pseudo-instruction, so labels can stand on empty lines). */
export interface Label extends Node {
  readonly kind: 'label';
  readonly name: string;
}

export type BarrierDomain = 'SY' | 'OSH' | 'ISH' | 'NSH';
/** 'ALL' for DMB SY/ISH/..., 'LD' for ...LD, 'ST' for ...ST. */
export type BarrierType = 'ALL' | 'LD' | 'ST';

/** DMB and DSB with every domain/type option. */
export interface Barrier extends Node {
  readonly kind: 'barrier';
  readonly op: 'DMB' | 'DSB';
  readonly domain: BarrierDomain;
  readonly type: BarrierType;
}

/**
 * ISB, NOP, DGH, ERET (the return from a fault handler, herd's VMSA), UDF (permanently undefined:
 * an Undefined Instruction exception, herd's VMSA; its immediate is ignored): no operands kept.
 */
export interface Simple extends Node {
  readonly kind: 'isb' | 'nop' | 'dgh' | 'eret' | 'udf';
}

/**
 * TLB invalidation: `TLBI VAE1IS, X1` (by address: X1 holds the page's address), `TLBI VMALLE1IS`
 * (everything). The model treats it as removing the mapping of the address for every other thread
 * and invalidating it (docs/model.md, "Translation"); the DSB after it completes it.
 */
export interface Tlbi extends Node {
  readonly kind: 'tlbi';
  /** The operation as written, upper case: VAE1IS, VALE1IS, VAAE1IS, IPAS2E1IS, VMALLE1IS, ... */
  readonly op: string;
  /** The address register of by-address operations; undefined for the "all" forms. */
  readonly reg: Reg | undefined;
  /** A built-in's flush of user processes' mappings (`vfio_zap_bars`): their VAs, not the kernel's. */
  readonly userSpaces?: true;
}

/** MRS Xt, NZCV / MSR NZCV, Xt: the flags as a register; with `elr`, ELR_EL1 (a fault handler's return address). */
export interface Sysreg extends Node {
  readonly kind: 'mrs' | 'msr';
  readonly reg: Reg;
  readonly elr?: true;
}

export type Instr =
  | Load | Store | LoadPair | StorePair | Swp | Cas | Casp | Ldop
  | Mov | MovWide | Alu | MulAdd | Unary | Cmp | Csel
  | Branch | BranchReg | Adr | Label | Barrier | Simple | Tlbi | Sysreg
  | LkmmInstr;

/**
 * Kernel C operations as the Linux kernel memory model sees them (events/semantics-lkmm.ts), made
 * only by the C front end's LKMM lowering (syntax/c/lower-lkmm.ts). `order` is the ordering
 * variant of an atomic: fully ordered (`mb`), `_acquire`, `_release`, `_relaxed`, or a
 * non-returning one (`noreturn`: atomic_inc and friends).
 */
export type LkmmOrder = 'mb' | 'acquire' | 'release' | 'relaxed' | 'noreturn';
export type LkmmInstr =
  /**
   * The start and the join of a kernel C `if`: herd's C semantics makes the events inside the
   * branches control-dependent on the condition's reads, and nothing after the join.
   */
  | (Node & { readonly kind: 'lkmmScope'; readonly op: 'enter' | 'leave' })
  /** A fence event of one LKMM annotation (`Mb`, `Rcu-lock`, `Sync-rcu`, ...). */
  | (Node & { readonly kind: 'lkmmFence'; readonly tag: string })
  /** xchg (op undefined: the new value is `value`) or an arithmetic atomic; rd gets the old or new value. */
  | (Node & { readonly kind: 'lkmmRmw'; readonly op: 'add' | 'sub' | 'and' | 'orr' | 'eor' | 'bic' | undefined; readonly order: LkmmOrder; readonly result: 'old' | 'new'; readonly test?: 'zero' | 'negative'; readonly rd: Reg | undefined; readonly addr: Reg; readonly value: Reg; readonly size: AccessSize })
  /**
   * cmpxchg: success (the read equals `expected`, `swapIn` written) or failure (a read only); rd
   * gets the old value. try_cmpxchg (`tryOld`): rd gets whether it succeeded, and on failure the
   * local `expected` came from gets the value read.
   */
  | (Node & { readonly kind: 'lkmmCmpxchg'; readonly order: LkmmOrder; readonly rd: Reg; readonly addr: Reg; readonly expected: Reg; readonly swapIn: Reg; readonly size: AccessSize; readonly tryOld?: Reg })
  /** atomic_add_unless: unless the read finds `limit`, write the value read plus `value`; rd gets 1 if it wrote, else 0. */
  | (Node & { readonly kind: 'lkmmAddUnless'; readonly rd: Reg | undefined; readonly addr: Reg; readonly value: Reg; readonly limit: Reg; readonly size: AccessSize })
  /** spin_lock, spin_unlock, spin_trylock, spin_is_locked on the lock at `addr`; rd gets trylock's or is_locked's answer. */
  | (Node & { readonly kind: 'lkmmLock'; readonly op: 'lock' | 'unlock' | 'trylock' | 'islocked'; readonly addr: Reg; readonly rd: Reg | undefined })
  /** srcu_read_lock (rd gets its index), srcu_read_unlock (value: the index), synchronize_srcu, on the srcu_struct at `addr`. */
  | (Node & { readonly kind: 'lkmmSrcu'; readonly op: 'lock' | 'unlock' | 'sync'; readonly addr: Reg; readonly rd: Reg | undefined; readonly value: Reg | undefined });

export interface Thread extends Node {
  /**
   * The column's number: `P0` -> 0 for CPU threads; device columns (named after their endpoint,
   * after the CPU columns) continue the numbering, so every column has a distinct id.
   */
  readonly id: number;
  /** `P0`, or the endpoint's name for a device agent column. */
  readonly name: string;
  /** A CPU thread, or the program of the device an endpoint declares (issue: devices). */
  readonly agent: 'cpu' | 'device';
  readonly code: readonly Instr[];
  /** herd's fault handler column `P0.F`: the code a fault runs in this thread (VMSA). */
  readonly handler?: readonly Instr[];
}

/**
 * Topology declarations in the init section (docs/language.md, "Devices"):
 *   `nic: pcie(rp0)`       a PCIe endpoint under root port (or switch) rp0
 *   `sw0: switch(rp0)`     a PCIe switch under rp0
 *   `rp0: rootport(ro)`    a root port; options `ro` (Relaxed Ordering), `ido` (ID-based Ordering)
 *   `gpio: platform`       a platform-bus device
 * Root ports named as parents need no declaration of their own.
 */
export type TopologyDecl =
  | { readonly kind: 'endpoint'; readonly name: string; readonly bus: 'pcie' | 'platform'; readonly parent: string | undefined; readonly span: Span }
  | { readonly kind: 'switch'; readonly name: string; readonly parent: string; readonly span: Span }
  | { readonly kind: 'rootport'; readonly name: string; readonly ro: boolean; readonly ido: boolean; readonly span: Span };

/** Register attributes: `(reset=5, read-clear, flr, resets=gpio)`. */
export interface RegisterAttrs {
  /** Value after reset (and initially); default 0. */
  readonly reset: number;
  /** A read returns the value and clears the register to 0 (read side effect). */
  readonly readClear: boolean;
  /** Writing a non-zero value starts a Function Level Reset of the endpoint. */
  readonly flr: boolean;
  /** Writing a non-zero value resets that other endpoint (a reset controller's register). */
  readonly resets: string | undefined;
  /** Writing a non-zero value resets this endpoint at once (a device's own reset register). */
  readonly selfReset: boolean;
  /** The function of a multi-function endpoint the register belongs to (`fn=1`; default 0): its Completer ID. */
  readonly fn?: number;
}

/**
 * An MMIO location bound to a register of an endpoint:
 *   `db = nic.bar0:0x800`       memory space of BAR 0 (posted writes)
 *   `ctl = nic.cfg:0x48`        configuration space (non-posted reads and writes)
 *   `st = gpio.mmio:0x10`       a platform device's registers
 */
export interface RegisterDecl {
  readonly kind: 'register';
  readonly loc: string;
  readonly endpoint: string;
  readonly space: 'mem' | 'cfg';
  /** BAR number for PCIe memory space; undefined for `cfg` and platform `mmio`. */
  readonly bar: number | undefined;
  readonly offset: number;
  readonly attrs: RegisterAttrs;
  readonly span: Span;
}

/** Where a mapping's stage 2 comes from. */
export type Stage2Source =
  /** An explicit MemAttr (`0x5`, `Normal-NC`, `MT_S2_FWB_NORMAL_NC`). */
  | { readonly kind: 'memattr'; readonly text: string }
  /** KVM's policy for a kernel version and a host mapping source (`kvm-6.9, vfio-pci`). */
  | { readonly kind: 'kvm'; readonly kernel: string; readonly host: string };

/**
 * A thread's mapping of a location: `P0:db attrs:(ioremap_wc) s2:(kvm-6.9, vfio-pci, fwb)`.
 * Without `s2`, the thread runs at stage 1 only (host or bare metal). The effective memory type
 * is always computed (platform/attrs, platform/kvm-stage2), never written by hand.
 */
export interface MappingDecl {
  readonly kind: 'mapping';
  readonly thread: number;
  readonly loc: string;
  /** Stage-1 attribute as written: a name (`ioremap_wc`, `Device-nGnRE`), herd's `Normal,iNC,oNC`, or a MAIR byte. */
  readonly s1: string;
  readonly s2: Stage2Source | undefined;
  /** FEAT_S2FWB in use for stage 2 (`fwb` in the s2 list). */
  readonly fwb: boolean;
  readonly span: Span;
}

/** A labelled instruction of a thread, as conditions name it: `P0:L1`. */
export interface InstrRef {
  readonly thread: number;
  readonly label: string;
  readonly span: Span;
}

/** An item of the `{ ... }` init section. */
export type InitItem =
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: Reg; readonly value: Value; readonly type: string | undefined; readonly span: Span }
  /** A location; `count` for an array `int x[4]` (its elements are x[0] .. x[count-1]). */
  | { readonly kind: 'loc'; readonly loc: string; readonly value: Value; readonly type: string | undefined; readonly count?: number; readonly span: Span };

/** What a condition or `locations [...]` can look at: a thread's register or a memory location. */
export type StateRef =
  /** `name`: how the test names the register (kernel C's `0:r0`); AArch64 tests leave it out. */
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: Reg; readonly span: Span; readonly name?: string }
  /** A location, or one element `x[2]` of an array location (`index`). */
  | { readonly kind: 'loc'; readonly loc: string; readonly index?: number; readonly span: Span };

/** The proposition of a final condition. */
export type Prop =
  | { readonly kind: 'true' | 'false' }
  /** `p /\ q`, `p \/ q`, `p => q` (herd's implication, kept to print as written). */
  | { readonly kind: 'and' | 'or' | 'implies'; readonly args: readonly [Prop, Prop] }
  | { readonly kind: 'not'; readonly arg: Prop }
  | { readonly kind: 'eq' | 'ne'; readonly lhs: StateRef; readonly rhs: Value; readonly span: Span }
  /**
   * What a device observed (docs/language.md, "Conditions on devices"):
   *   `arrived(P0:L1)`            the write at P0:L1 reached its endpoint (not discarded or faulted)
   *   `before(P0:L1, P0:L2)`      both arrived, the first in an earlier transaction
   *   `gathered(P0:L1, P0:L2)`    both arrived in one transaction
   */
  | { readonly kind: 'arrived'; readonly write: InstrRef; readonly span: Span }
  | { readonly kind: 'before' | 'gathered'; readonly first: InstrRef; readonly second: InstrRef; readonly span: Span }
  /**
   * herd's `fault(P1:L1,x)` (location optional): the access at P1:L1 faulted — its mapping was
   * gone. `faultType` is herd's third argument (`MMU:Translation`, `MMU:AccessFlag`, `MMU:Permission`).
   */
  | { readonly kind: 'fault'; readonly access: InstrRef; readonly loc: string | undefined; readonly faultType?: string; readonly span: Span };

export interface Condition extends Node {
  /** `exists p`, `~exists p`, `forall p`. */
  readonly quantifier: 'exists' | 'notExists' | 'forall';
  readonly prop: Prop;
}

/** A parsed litmus test. */
import type { StatedResult } from './shared/stated-result.js';

export interface LitmusTest {
  readonly arch: 'AArch64' | 'C';
  readonly name: string;
  /** Where the name is written (errors about the whole test point there). */
  readonly nameSpan?: Span;
  readonly doc: string | undefined;
  /** `key=value` lines after the name (e.g. herd's `Hash=...`, `Variant=...`). */
  readonly meta: Readonly<Record<string, string>>;
  /** The verdict a `Result: Never|Sometimes|Always` comment states (the kernel's convention). */
  readonly stated?: StatedResult;
  /** CPU threads a `P1: s2:(...)` line declares guests (also those that map nothing themselves). */
  readonly guestThreads?: readonly number[];
  /** `P1: vmid:2;`: a guest's VMID, or the VMID a host thread's guest invalidations name. */
  readonly vmids?: ReadonlyMap<number, number>;
  /** `P2: asid:5;`: a user process's ASID; threads without one use global (kernel) translations. */
  readonly asids?: ReadonlyMap<number, number>;
  /** 16 when the test writes its values in hex (`x=0x10`, `#0x40`): explanations answer in kind. */
  readonly radix?: 16;
  readonly init: readonly InitItem[];
  readonly threads: readonly Thread[];
  /**
   * Kernel C of CPUs and memory alone: the threads lowered for the Linux kernel memory model
   * (`threads` are the arm64 lowering), with the init items of that lowering, and the errors each
   * lowering alone found (a lock under arm64, an I/O accessor under the LKMM): they count only
   * when that lowering is the one checked.
   */
  readonly lkmm?: { readonly threads: readonly Thread[]; readonly init: readonly InitItem[]; readonly errors: readonly import('./diagnostics.js').Diagnostic[] };
  readonly arm64Errors?: readonly import('./diagnostics.js').Diagnostic[];
  /** Device extensions of the init section: topology, MMIO registers, per-thread mappings. */
  readonly topology: readonly TopologyDecl[];
  readonly registers: readonly RegisterDecl[];
  readonly mappings: readonly MappingDecl[];
  /** `locations [...]`: extra state to show in each outcome. */
  readonly locations: readonly StateRef[];
  /** Fault atoms of `locations [...]` (herd shows the faults they match; they test nothing). */
  readonly locationFaults?: readonly Extract<Prop, { kind: 'fault' }>[];
  /** herd's `filter p` before the condition: executions whose final state fails p are not counted at all. */
  readonly filter?: Prop;
  /** `irq = msi(P1);`: device writes to irq are MSIs starting handler thread P1. */
  readonly msis?: readonly MsiDecl[];
  /** `nic:L1 tlp:(ro);`: TLP attributes of a device's labelled request. */
  readonly tlpAttrs?: readonly TlpAttrDecl[];
  readonly condition: Condition | undefined;
}

/** `irq = msi(P1);`: a device's write to `loc` is an MSI; CPU thread `handler` runs when it is delivered. */
export interface MsiDecl {
  readonly loc: string;
  readonly handler: number;
  readonly span: Span;
}

/** `nic:L1 tlp:(ro, ido);`: Relaxed Ordering and ID-based Ordering on the device request labelled L1. */
export interface TlpAttrDecl {
  readonly thread: number;
  readonly label: string;
  readonly ro: boolean;
  readonly ido: boolean;
  /** The function that makes the request (its Requester ID), default 0. */
  readonly fn?: number;
  readonly span: Span;
}
