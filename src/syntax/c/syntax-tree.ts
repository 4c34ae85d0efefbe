/**
 * The kernel C subset as parsed, before lowering to AArch64: functions, statements, expressions.
 * Nodes keep the tokens and offsets diagnostics point at; lowering (lower-thread.ts) turns each
 * statement into instructions whose spans are the statement's.
 * @internal
 */
import type { Token } from '../shared/tokens.js';

/** Binary operators lowering supports (ADD, SUB, EOR, AND, ORR). */
export type BinaryOp = '+' | '-' | '^' | '&' | '|';

/** Comparison operators of `if` conditions. */
export type RelOp = '==' | '!=' | '<' | '>' | '<=' | '>=';

export type CExpr =
  /** An integer constant (a leading '-' folded in). */
  | { readonly kind: 'num'; readonly value: number; readonly start: number; readonly end: number }
  /** A name: a local variable, or (as an accessor's argument) a pointer parameter or location. */
  | { readonly kind: 'name'; readonly tok: Token; readonly start: number; readonly end: number }
  /** `*x`: the location a pointer parameter (or a pointer local) names. */
  | { readonly kind: 'deref'; readonly ptr: Token; readonly start: number; readonly end: number }
  /** `&x`: the address of a location of the test. */
  | { readonly kind: 'addressOf'; readonly loc: Token; readonly start: number; readonly end: number }
  /** `f(a, b)`. */
  | { readonly kind: 'call'; readonly name: Token; readonly args: readonly CExpr[]; readonly start: number; readonly end: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly lhs: CExpr; readonly rhs: CExpr; readonly opTok: Token; readonly start: number; readonly end: number };

/** The condition of an `if`: a comparison, or a truth test `e` / `!e`. */
export type CCond =
  | { readonly kind: 'compare'; readonly op: RelOp; readonly lhs: CExpr; readonly rhs: CExpr }
  | { readonly kind: 'truth'; readonly expr: CExpr; readonly negated: boolean };

/** A declared local: `int r0` or `int r0 = e`. */
export interface CDeclarator {
  readonly name: Token;
  /** `int *r0`: the local holds an address (64 bits). */
  readonly pointer?: true;
  readonly init: CExpr | undefined;
}

/** Statements; `start`/`end` are source offsets (the span every lowered instruction gets). */
export type CStmt =
  | { readonly kind: 'decl'; readonly wide: boolean; readonly names: readonly CDeclarator[]; readonly start: number; readonly end: number }
  /** `r = e;` */
  | { readonly kind: 'assign'; readonly target: Token; readonly value: CExpr; readonly start: number; readonly end: number }
  /** `*x = e;` */
  | { readonly kind: 'store'; readonly ptr: Token; readonly value: CExpr; readonly start: number; readonly end: number }
  /** `f(...);` */
  | { readonly kind: 'call'; readonly call: Extract<CExpr, { kind: 'call' }>; readonly start: number; readonly end: number }
  /** `if (cond) then [else otherwise]`; `start`/`end` cover `if (cond)`. */
  | { readonly kind: 'if'; readonly cond: CCond; readonly then: CStmt; readonly otherwise: CStmt | undefined; readonly start: number; readonly end: number }
  | { readonly kind: 'block'; readonly body: readonly CStmt[]; readonly start: number; readonly end: number }
  /** `L1: stmt`: the label names the statement's first memory access. */
  | { readonly kind: 'label'; readonly name: Token; readonly stmt: CStmt; readonly start: number; readonly end: number }
  | { readonly kind: 'empty'; readonly start: number; readonly end: number };

/** A pointer parameter: `int *x` names the shared location `x`. */
export interface CParam {
  readonly name: Token;
  /** The pointee type is 64 bits wide (`u64 *x`, `unsigned long *x`): accesses use X registers. */
  readonly wide: boolean;
  readonly type: string;
}

/** `P0(int *x, int *y) { ... }` or a device's `nic(int *db) { ... }`. */
export interface CFunction {
  readonly name: Token;
  readonly params: readonly CParam[];
  readonly body: readonly CStmt[];
}

/** Type names whose values are 64 bits on arm64 (LP64): X registers, 8-byte accesses. */
export const WIDE_TYPES: ReadonlySet<string> = new Set(['long', 'u64', 's64', '__u64', '__s64', 'uint64_t', 'int64_t', 'size_t', 'uintptr_t', 'intptr_t', 'phys_addr_t', 'dma_addr_t']);

/** Words that may start a local declaration. */
export const TYPE_WORDS: ReadonlySet<string> = new Set([
  ...WIDE_TYPES,
  'int', 'unsigned', 'signed', 'short', 'char', 'bool', '_Bool', 'const', 'volatile',
  'u8', 'u16', 'u32', 's8', 's16', 's32', '__u32', '__s32', 'uint8_t', 'uint16_t', 'uint32_t', 'int8_t', 'int16_t', 'int32_t',
  // The kernel's own, for pointer locals (`atomic_t *r0`, `spinlock_t *r1`).
  'atomic_t', 'atomic_long_t', 'spinlock_t',
]);
