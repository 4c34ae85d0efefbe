/**
 * One C function -> one thread of AArch64 instructions, as arm64 Linux compiles it:
 *
 *   WRITE_ONCE(*x, e) / *x = e      STR         r = READ_ONCE(*x) / r = *x    LDR
 *   smp_store_release(x, e)         STLR        r = smp_load_acquire(x)       LDAR
 *   barriers and I/O accessors      through platform/linux-io.ts (accessors.ts)
 *   VFIO/KVM operations             builtins.ts
 *   r = a + b (- ^ & |)             ADD/SUB/EOR/AND/ORR (dependencies flow as on hardware)
 *   if (c) s [else s]               CMP + B.cond, or CBZ/CBNZ, with generated labels
 *
 * Every instruction carries the span of the C statement it comes from. A label `L1: stmt` is
 * placed before the statement's first memory access, so conditions like `arrived(P0:L1)` name
 * the access (writel's STR, not its DMB).
 * @internal
 */
import { unknownFunction } from './function-names.js';
import type { InitItem, Instr, Operand, Reg, RegisterDecl, Thread } from '../ast.js';
import type { DiagnosticCode, Span } from '../diagnostics.js';
import type { NodeKind } from '../shared/device-checks.js';
import { Abort, type Context } from '../shared/source.js';
import type { Token } from '../shared/tokens.js';
import { ioAccessorSteps } from '../../platform/linux-io.js';
import { accessorIsWide, accessorShape, lowerSteps } from './accessors.js';
import { isBuiltin, lowerBuiltin, type BuiltinHost } from './builtins.js';
import { kernelOp, type KernelOp } from './kernel-ops.js';
import { arm64Refusal, lowerForArm64, lowerForLkmm, type OpArgs, type Place } from './lower-kernel-ops.js';
import { OutOfRegisters, RegisterFile, reg, view } from './registers.js';
import { WIDE_TYPES, type CCond, type CExpr, type CFunction, type CStmt, type RelOp } from './syntax-tree.js';

/** What the whole test declares, as lowering needs it. */
export interface TestFacts {
  readonly registers: readonly RegisterDecl[];
  readonly nodes: ReadonlyMap<string, NodeKind>;
  /** Every location the test declares (init items, registers, parameters), with its C type. */
  readonly locations: ReadonlyMap<string, string | undefined>;
}

/** A lowered function. */
export interface LoweredThread {
  readonly thread: Thread;
  /** Locals by name: the register a condition's `0:r0` denotes. */
  readonly locals: ReadonlyMap<string, Reg>;
  /** Init items setting the address registers of the parameters and other locations used. */
  readonly init: readonly InitItem[];
  /** Configuration-space locations `pcie_flr` accessed, with the statement's span. */
  readonly configSpace: readonly { readonly loc: string; readonly span: Span }[];
  /** It calls a Linux I/O accessor or host operation (its test is not one for the LKMM). */
  readonly usesHardware: boolean;
}

/** Branch condition codes that skip the `then` part: the inverse of each comparison. */
const SKIP_UNLESS: Readonly<Record<RelOp, 'NE' | 'EQ' | 'GE' | 'LE' | 'GT' | 'LT'>> = { '==': 'NE', '!=': 'EQ', '<': 'GE', '>': 'LE', '<=': 'GT', '>=': 'LT' };
/** The comparison with its operands swapped (`1 < r` is `r > 1`). */
const MIRROR: Readonly<Record<RelOp, RelOp>> = { '==': '==', '!=': '!=', '<': '>', '>': '<', '<=': '>=', '>=': '<=' };
const ALU_OP = { '+': 'add', '-': 'sub', '^': 'eor', '&': 'and', '|': 'orr' } as const;
const COMMUTATIVE: ReadonlySet<string> = new Set(['+', '^', '&', '|']);
/** Arm ARM C6.2 ADD/SUB/CMP (immediate): an unsigned 12-bit immediate. */
const MAX_IMM12 = 4095;

/** Does a C type string (`unsigned long`, `u64*`) denote a 64-bit value? */
export function isWideType(type: string | undefined): boolean {
  // A location of pointer type (`int *p = x;`) holds an address: 64 bits.
  if (type?.includes('*')) return true;
  return type !== undefined && type.split(/[\s*]+/).some((w) => WIDE_TYPES.has(w));
}

/**
 * What a function is lowered for: the arm64 instructions Linux runs (the device model, and
 * `--model aarch64`), or the Linux kernel memory model's events.
 */
export type LoweringMode = 'arm64' | 'lkmm';

/** Lower one function; its problems become diagnostics in `ctx`. */
export function lowerFunction(ctx: Context, facts: TestFacts, fn: CFunction, id: number, agent: Thread['agent'], mode: LoweringMode = 'arm64'): LoweredThread {
  return new ThreadLowering(ctx, facts, fn, id, agent, mode).run();
}

interface Pointer {
  readonly reg: Reg;
  readonly wide: boolean;
}

class ThreadLowering implements BuiltinHost {
  readonly device: boolean;
  readonly registers: readonly RegisterDecl[];
  readonly nodes: ReadonlyMap<string, NodeKind>;
  span: Span;
  private readonly regs = new RegisterFile();
  private code: Instr[] = [];
  private readonly pointers = new Map<string, Pointer>();
  private readonly locals = new Map<string, Reg>();
  /** Locals declared `int *r`: they hold addresses, and `*r` is the location there. */
  private readonly pointerLocals = new Set<string>();
  /** The function calls an I/O accessor or host operation. */
  private usesHardware = false;
  /** The source offsets of the statement being lowered. */
  private range: readonly [number, number] = [0, 0];
  private readonly init: InitItem[] = [];
  private readonly configSpace: { loc: string; span: Span }[] = [];
  private readonly userLabels = new Set<string>();
  private readonly definedLabels = new Set<string>();
  private nextLabel = 0;

  constructor(
    private readonly ctx: Context,
    private readonly facts: TestFacts,
    private readonly fn: CFunction,
    private readonly id: number,
    private readonly agent: Thread['agent'],
    private readonly mode: LoweringMode,
  ) {
    this.device = agent === 'device';
    this.registers = facts.registers;
    this.nodes = facts.nodes;
    this.span = ctx.src.span(fn.name.start, fn.name.end);
  }

  run(): LoweredThread {
    const { fn } = this;
    for (const p of fn.params) {
      if (this.pointers.has(p.name.text)) {
        this.report('semantic', `parameter '${p.name.text}' is given twice`, p.name);
        continue;
      }
      const x = reg(this.regs.long(), true);
      this.pointers.set(p.name.text, { reg: x, wide: this.word(p.wide || isWideType(this.facts.locations.get(p.name.text))) });
      this.init.push({ kind: 'reg', thread: this.id, reg: x, value: { kind: 'addr', loc: p.name.text }, type: p.type, span: this.ctx.src.span(p.name.start, p.name.end) });
    }
    collectLabels(fn.body, this.userLabels);
    for (const s of fn.body) this.statement(s);
    const thread: Thread = { id: this.id, name: fn.name.text, agent: this.agent, code: this.code, span: this.ctx.src.span(fn.name.start, fn.name.end) };
    return { thread, locals: this.locals, init: this.init, configSpace: this.configSpace, usesHardware: this.usesHardware };
  }

  // ---- BuiltinHost ----------------------------------------------------------------------------

  emit(i: Instr): void {
    // Under the LKMM an event is named by the C statement it comes from (there is no instruction).
    if (this.mode === 'lkmm' && i.kind !== 'label' && i.asm === undefined) i = { ...i, asm: this.statementText() };
    this.code.push(i);
  }

  private statementText(): string {
    return this.ctx.src.text.slice(this.range[0], this.range[1]).replace(/\s+/g, ' ').trim();
  }

  address(loc: string, at: Token): Reg {
    return this.pointer(loc, at).reg;
  }

  temp(wide: boolean): Reg {
    return reg(this.regs.temp(), wide);
  }

  label(): string {
    let name: string;
    do name = `Lc${this.nextLabel++}`;
    while (this.userLabels.has(name));
    return name;
  }

  constant(value: number, wide = false): Reg {
    const t = this.temp(wide);
    this.emit({ kind: 'mov', rd: t, src: { kind: 'imm', value: BigInt(value) }, span: this.span });
    return t;
  }

  accessor(name: string, value: Reg | undefined, addr: Reg | undefined, dest: Reg | undefined, count?: number): void {
    const steps = ioAccessorSteps(name, count);
    const ops = { addr, value, dest, span: this.span, temp: () => this.regs.temp(), label: () => this.label(), device: this.device };
    for (const i of lowerSteps(steps, ops)) this.emit(i);
  }

  writeOnce(loc: string, at: Token, value: number): void {
    const p = this.pointer(loc, at);
    this.storeTo(p, this.constant(value, p.wide), false);
  }

  mapConfigSpace(loc: string): void {
    this.configSpace.push({ loc, span: this.span });
  }

  fail(code: DiagnosticCode, message: string, at: { start: number; end: number }): never {
    this.ctx.fail(code, message, at.start, at.end);
  }

  private report(code: DiagnosticCode, message: string, at: { start: number; end: number }): void {
    this.ctx.report(code, message, at.start, at.end);
  }

  // ---- Statements -----------------------------------------------------------------------------

  /** Lower a statement; an error abandons just this statement. */
  private statement(s: CStmt): void {
    const outer = this.span;
    const outerRange = this.range;
    this.span = this.ctx.src.span(s.start, s.end);
    this.range = [s.start, s.end];
    try {
      this.lower(s);
    } catch (e) {
      if (e === OutOfRegisters.instance) this.report('unsupported', `${this.fn.name.text} needs more registers than AArch64 has (31)`, s);
      else if (e !== Abort.instance) throw e;
    } finally {
      this.regs.releaseTemps();
      this.span = outer;
      this.range = outerRange;
    }
  }

  private lower(s: CStmt): void {
    switch (s.kind) {
      case 'empty':
        return;
      case 'block':
        for (const b of s.body) this.statement(b);
        return;
      case 'label':
        return this.labelled(s.name, s.stmt);
      case 'decl':
        for (const d of s.names) {
          const name = d.name.text;
          if (this.locals.has(name)) this.fail('semantic', `'${name}' is declared twice`, d.name);
          if (this.fn.params.some((p) => p.name.text === name)) this.fail('semantic', `'${name}' is already a parameter of ${this.fn.name.text}`, d.name);
          const r = reg(this.regs.long(), this.word(s.wide || d.pointer === true));
          this.locals.set(name, r);
          if (d.pointer) this.pointerLocals.add(name);
          if (d.init !== undefined) this.evalInto(d.init, r);
        }
        return;
      case 'assign':
        return this.evalInto(s.value, this.local(s.target, true));
      case 'store': {
        const p = this.pointer(s.ptr.text, s.ptr);
        return this.storeTo(p, this.valueReg(s.value, p.wide), false);
      }
      case 'call':
        return this.callStatement(s.call);
      case 'if':
        return this.lowerIf(s.cond, s.then, s.otherwise);
    }
  }

  /** `L: stmt`: the label goes before the statement's first load or store (or its start). */
  private labelled(name: Token, stmt: CStmt): void {
    if (this.definedLabels.has(name.text)) this.fail('semantic', `label '${name.text}' is defined twice in ${this.fn.name.text}`, name);
    this.definedLabels.add(name.text);
    const from = this.code.length;
    this.statement(stmt);
    let at = from;
    for (let i = from; i < this.code.length; i++) {
      const k = this.code[i]!.kind;
      if (k === 'load' || k === 'store') {
        at = i;
        break;
      }
    }
    this.code.splice(at, 0, { kind: 'label', name: name.text, span: this.ctx.src.span(name.start, name.end) });
  }

  private lowerIf(cond: CCond, then: CStmt, otherwise: CStmt | undefined): void {
    const skip = this.label();
    // herd's kernel C: the condition's reads control the branches' events, not what follows the join.
    if (this.mode === 'lkmm') this.emit({ kind: 'lkmmScope', op: 'enter', span: this.span });
    this.branchUnless(cond, skip);
    this.regs.releaseTemps();
    const ifSpan = this.span;
    this.statement(then);
    if (otherwise === undefined) {
      this.emit({ kind: 'label', name: skip, span: ifSpan });
      this.join(ifSpan);
      return;
    }
    const end = this.label();
    this.emit({ kind: 'branch', target: { label: end }, cond: undefined, link: false, span: ifSpan });
    this.emit({ kind: 'label', name: skip, span: ifSpan });
    this.statement(otherwise);
    this.emit({ kind: 'label', name: end, span: ifSpan });
    this.join(ifSpan);
  }

  private join(span: Span): void {
    if (this.mode === 'lkmm') this.emit({ kind: 'lkmmScope', op: 'leave', span });
  }

  /** Branch to `target` when `cond` is false. */
  private branchUnless(cond: CCond, target: string): void {
    if (cond.kind === 'truth') {
      const r = this.valueReg(cond.expr, this.isWide(cond.expr));
      this.emit({ kind: 'branch', target: { label: target }, cond: { kind: 'zero', reg: r, nonZero: cond.negated }, link: false, span: this.span });
      return;
    }
    let { op, lhs, rhs } = cond;
    if (this.mode === 'lkmm' && accessCount(lhs) > 0 && accessCount(rhs) > 0) this.fail('unsupported', UNORDERED_OPERANDS, rhs);
    if (lhs.kind === 'num' && rhs.kind !== 'num') [lhs, rhs, op] = [rhs, lhs, MIRROR[op]];
    const wide = this.isWide(lhs) || this.isWide(rhs);
    const a = this.valueReg(lhs, wide);
    const b = this.operand(rhs, wide);
    this.emit({ kind: 'cmp', f: 'sub', rn: a, op2: b, span: this.span });
    this.emit({ kind: 'branch', target: { label: target }, cond: { kind: 'flags', code: SKIP_UNLESS[op] }, link: false, span: this.span });
  }

  // ---- Calls ----------------------------------------------------------------------------------

  private callStatement(call: Extract<CExpr, { kind: 'call' }>): void {
    const name = call.name.text;
    const args = call.args;
    const op = kernelOp(name);
    if (op !== undefined && !this.device) return this.kernelCall(op, call, undefined);
    if (name === 'WRITE_ONCE') {
      this.arity(call, 2, 'WRITE_ONCE(*x, value)');
      const ptr = this.derefArg(args[0]!, 'WRITE_ONCE(*x, value)');
      const p = this.pointer(ptr.text, ptr);
      return this.storeTo(p, this.valueReg(args[1]!, p.wide), false);
    }
    if (name === 'smp_store_release') {
      this.arity(call, 2, 'smp_store_release(x, value)');
      const ptr = this.nameArg(args[0]!, 'smp_store_release(x, value)');
      const p = this.pointer(ptr.text, ptr);
      return this.storeTo(p, this.valueReg(args[1]!, p.wide), true);
    }
    if (isBuiltin(name) || accessorShape(name) !== undefined) this.hardwareCall(call.name);
    if (isBuiltin(name)) {
      const names = args.map((a) => this.nameArg(a, `${name}(...) takes names`));
      return lowerBuiltin(this, call.name, names);
    }
    const shape = accessorShape(name);
    if (shape === 'barrier') {
      this.arity(call, 0, `${name}()`);
      return this.accessor(name, undefined, undefined, undefined);
    }
    if (shape === 'write') {
      this.arity(call, 2, `${name}(value, p)`);
      const ptr = this.nameArg(args[1]!, `${name}(value, p)`);
      const p = this.pointer(ptr.text, ptr);
      return this.accessor(name, this.valueReg(args[0]!, accessorIsWide(name)), p.reg, undefined);
    }
    if (shape === 'counted') {
      this.arity(call, 3, `${name}(p, value, count)`);
      const ptr = this.nameArg(args[0]!, `${name}(p, value, count)`);
      const n = args[2]!;
      if (n.kind !== 'num') this.fail('semantic', `${name}: the count must be a constant`, n);
      const p = this.pointer(ptr.text, ptr);
      const value = this.valueReg(args[1]!, true);
      try {
        ioAccessorSteps(name, n.value);
      } catch (e) {
        if (e instanceof RangeError) this.fail('unsupported', e.message, n);
        throw e;
      }
      return this.accessor(name, value, p.reg, undefined, n.value);
    }
    // A read whose value is dropped still reads (readl(p); as a flush).
    if (shape === 'read' || name === 'READ_ONCE' || name === 'smp_load_acquire') {
      return this.callValue(call, this.temp(false));
    }
    this.fail('unsupported', unknownFunction(name), call.name);
  }

  /** A call whose value is wanted, into `dest`. */
  private callValue(call: Extract<CExpr, { kind: 'call' }>, dest: Reg): void {
    const name = call.name.text;
    const args = call.args;
    const op = kernelOp(name);
    if (op !== undefined && !this.device) {
      if (!returnsValue(op)) this.fail('semantic', `'${name}' returns no value`, call.name);
      return this.kernelCall(op, call, dest);
    }
    if (name === 'READ_ONCE') {
      this.arity(call, 1, 'READ_ONCE(*x)');
      const ptr = this.derefArg(args[0]!, 'READ_ONCE(*x)');
      return this.loadFrom(this.pointer(ptr.text, ptr), dest, 'plain');
    }
    if (name === 'smp_load_acquire') {
      this.arity(call, 1, 'smp_load_acquire(x)');
      const ptr = this.nameArg(args[0]!, 'smp_load_acquire(x)');
      return this.loadFrom(this.pointer(ptr.text, ptr), dest, 'acquire');
    }
    const shape = accessorShape(name);
    if (shape === 'read') {
      this.hardwareCall(call.name);
      this.arity(call, 1, `${name}(p)`);
      const ptr = this.nameArg(args[0]!, `${name}(p)`);
      return this.accessor(name, undefined, this.pointer(ptr.text, ptr).reg, dest);
    }
    if (shape !== undefined || isBuiltin(name) || name === 'WRITE_ONCE' || name === 'smp_store_release') {
      this.fail('semantic', `'${name}' returns no value`, call.name);
    }
    this.fail('unsupported', unknownFunction(name), call.name);
  }

  /**
   * A Linux I/O accessor or host operation: a question about arm64 hardware and the device model,
   * which the LKMM has nothing to say about.
   */
  private hardwareCall(name: Token): void {
    this.usesHardware = true;
    if (this.mode === 'lkmm') this.fail('unsupported', `unsupported: ${name.text} under the Linux kernel memory model (an I/O accessor or host operation: the test is answered for arm64 and the device model)`, name);
  }

  /** A call of the kernel memory-model API, lowered for this function's mode. */
  private kernelCall(op: KernelOp, call: Extract<CExpr, { kind: 'call' }>, dest: Reg | undefined): void {
    const name = call.name.text;
    const form = kernelForm(op, name);
    this.arity(call, form.args.length, form.text);
    const args = call.args;
    // An RMW's own read and an access in its arguments: herd evaluates them unordered.
    if (this.mode === 'lkmm' && (op.kind === 'rmw' || op.kind === 'cmpxchg' || op.kind === 'addUnless')) {
      const inner = args.find((a) => accessCount(a) > 0);
      if (inner !== undefined) this.fail('unsupported', UNORDERED_OPERANDS, inner);
    }
    const at = (k: number) => args[k]!;
    let ptrIndex = form.args.indexOf('p');
    if (ptrIndex < 0) ptrIndex = form.args.indexOf('*p');
    const place = ptrIndex < 0 ? undefined : this.placeArg(at(ptrIndex), form.args[ptrIndex] === '*p', form.text);
    const wide = place?.wide ?? false;
    const valueAt = form.args.findIndex((a, k) => k !== ptrIndex && a !== 'new');
    const tryOld = op.kind === 'cmpxchg' && op.try ? this.localAddressArg(at(1), form.text) : undefined;
    const value = tryOld ?? (valueAt < 0 ? undefined : this.valueReg(at(valueAt), wide));
    const newAt = form.args.indexOf('new');
    const second = newAt < 0 ? undefined : this.valueReg(at(newAt), wide);
    const a: OpArgs = { place: place ?? { reg: reg(0, true), wide: false }, value, second, dest, ...(tryOld ? { tryOld } : {}) };
    if (this.mode === 'lkmm') return lowerForLkmm(this, op, a);
    const refusal = arm64Refusal(op, name);
    if (refusal !== undefined) this.fail('unsupported', refusal, call.name);
    return lowerForArm64(this, op, a);
  }

  /** try_cmpxchg's `&old`: the register of local `old`. */
  private localAddressArg(e: CExpr, form: string): Reg {
    if (e.kind !== 'addressOf' || !this.locals.has(e.loc.text)) this.fail('semantic', `expected '&' and a local variable here: ${form}`, e);
    return this.locals.get(e.loc.text)!;
  }

  /** A location argument: `*p` or `p` as the call's form says, or `&x`. */
  private placeArg(e: CExpr, deref: boolean, form: string): Place {
    if (deref) return this.pointer(this.derefArg(e, form).text, (e as { ptr: Token }).ptr);
    if (e.kind === 'addressOf') return this.pointer(e.loc.text, e.loc);
    const t = this.nameArg(e, form);
    return this.pointer(t.text, t);
  }

  private arity(call: Extract<CExpr, { kind: 'call' }>, n: number, form: string): void {
    if (call.args.length !== n) this.fail('semantic', `${call.name.text} takes ${n} argument${n === 1 ? '' : 's'}: ${form}`, call.name);
  }

  /** An argument that must be `*x`. */
  private derefArg(e: CExpr, form: string): Token {
    if (e.kind !== 'deref') this.fail('semantic', `expected '*p' here: ${form}`, e);
    return e.ptr;
  }

  /** An argument that must be a plain name. */
  private nameArg(e: CExpr, form: string): Token {
    if (e.kind === 'deref') this.fail('semantic', `expected a name, not '*${e.ptr.text}': ${form}`, e);
    if (e.kind !== 'name') this.fail('semantic', `expected a name here: ${form}`, e);
    return e.tok;
  }

  // ---- Values ---------------------------------------------------------------------------------

  /** The register of local `t`. */
  private local(t: Token, assigned = false): Reg {
    const r = this.locals.get(t.text);
    if (r !== undefined) return r;
    if (this.pointers.has(t.text) || this.facts.locations.has(t.text)) {
      const how = assigned ? `write WRITE_ONCE(*${t.text}, value)` : `read it with READ_ONCE(*${t.text})`;
      this.fail('semantic', `'${t.text}' is a shared location, not a local variable: ${how}`, t);
    }
    this.fail('semantic', `'${t.text}' is not declared in ${this.fn.name.text} (declare it: int ${t.text};)`, t);
  }

  /**
   * The address register of location `name`: a parameter's, or (for a location the test declares
   * but the function does not take) one set up once in the init section.
   */
  private pointer(name: string, at: Token): Pointer {
    const known = this.pointers.get(name);
    if (known !== undefined) return known;
    if (this.pointerLocals.has(name)) return { reg: view(this.locals.get(name)!, true), wide: this.word(false) };
    if (this.locals.has(name)) this.fail('semantic', `'${name}' is a local variable, not a pointer to a shared location (declare it 'int *${name}' to hold an address)`, at);
    if (!this.facts.locations.has(name)) {
      this.fail('semantic', `'${name}' is neither a parameter of ${this.fn.name.text} nor a location of the test`, at);
    }
    const p = { reg: reg(this.regs.long(), true), wide: this.word(isWideType(this.facts.locations.get(name))) };
    this.pointers.set(name, p);
    this.init.push({ kind: 'reg', thread: this.id, reg: p.reg, value: { kind: 'addr', loc: name }, type: undefined, span: this.ctx.src.span(at.start, at.end) });
    return p;
  }

  /**
   * Whether an access is 64 bits: as its type says under arm64; always under the LKMM, which has
   * no access sizes (herd's kernel C: every location one machine word; parser.ts widens the
   * locations' types to match).
   */
  private word(wide: boolean): boolean {
    return this.mode === 'lkmm' || wide;
  }

  /** Under the LKMM a plain access is an event with no annotation. */
  private plainTags(): { tags?: readonly string[] } {
    return this.mode === 'lkmm' ? { tags: [] } : {};
  }

  private storeTo(p: Pointer, value: Reg, release: boolean): void {
    const size = p.wide ? 8 : 4;
    this.emit({ kind: 'store', rt: view(value, p.wide), addr: { base: p.reg, offset: undefined, index: 'offset' }, size, release, exclusive: false, status: undefined, span: this.span, ...this.plainTags() });
  }

  private loadFrom(p: Pointer, dest: Reg, order: 'plain' | 'acquire'): void {
    const size = p.wide ? 8 : 4;
    this.emit({ kind: 'load', rt: view(dest, p.wide), addr: { base: p.reg, offset: undefined, index: 'offset' }, size, signed: false, order, exclusive: false, span: this.span, ...this.plainTags() });
  }

  /** The address of location `t` (a parameter's value, `&x`) into `dest`. */
  private addressInto(t: Token, dest: Reg): void {
    if (this.locals.has(t.text)) this.fail('unsupported', `'&${t.text}': the address of a local variable is not supported`, t);
    const p = this.pointer(t.text, t);
    this.emit({ kind: 'mov', rd: view(dest, true), src: { kind: 'reg', reg: p.reg }, span: this.span });
  }

  /** Is the expression's value 64 bits wide (a wide local or location)? */
  private isWide(e: CExpr): boolean {
    switch (e.kind) {
      case 'name':
        return this.locals.get(e.tok.text)?.wide ?? (this.pointers.has(e.tok.text) || this.facts.locations.has(e.tok.text));
      case 'addressOf':
        return true;
      case 'deref':
        return this.pointerWide(e.ptr.text);
      case 'binary':
        return this.isWide(e.lhs) || this.isWide(e.rhs);
      case 'call': {
        // READ_ONCE(*x), smp_load_acquire(x): the location's width; readq: 64 bits.
        const arg = e.args[0];
        if (e.name.text === 'READ_ONCE' && arg?.kind === 'deref') return this.isWide(arg);
        if (e.name.text === 'smp_load_acquire' && arg?.kind === 'name') return this.pointerWide(arg.tok.text);
        return accessorIsWide(e.name.text);
      }
      default:
        return false;
    }
  }

  private pointerWide(name: string): boolean {
    return this.pointers.get(name)?.wide ?? isWideType(this.facts.locations.get(name));
  }

  /** A register holding the value of `e`: a local's own register, or a temporary. */
  private valueReg(e: CExpr, wide: boolean): Reg {
    if (e.kind === 'name' && this.locals.has(e.tok.text)) return view(this.locals.get(e.tok.text)!, wide);
    const t = this.temp(wide);
    this.evalInto(e, t);
    return t;
  }

  /** An immediate when `e` is a small constant, else a register. */
  private operand(e: CExpr, wide: boolean): Operand {
    if (e.kind === 'num' && e.value >= 0 && e.value <= MAX_IMM12) return { kind: 'imm', value: BigInt(e.value) };
    return { kind: 'reg', reg: this.valueReg(e, wide) };
  }

  /** Compute `e` into `dest`. */
  private evalInto(e: CExpr, dest: Reg): void {
    switch (e.kind) {
      case 'num':
        // herd's kernel C values are 32-bit ints; iolitmus's LKMM words are 64-bit: a constant
        // outside int's range would not behave as herd's does.
        if (this.mode === 'lkmm' && (e.value < -(2 ** 31) || e.value >= 2 ** 31)) this.fail('unsupported', `unsupported: ${e.value} under the Linux kernel memory model (its values are 32-bit ints; iolitmus's are 64-bit words)`, e);
        this.emit({ kind: 'mov', rd: dest, src: { kind: 'imm', value: BigInt(e.value) }, span: this.span });
        return;
      case 'addressOf':
        return this.addressInto(e.loc, dest);
      case 'name': {
        if (!this.locals.has(e.tok.text) && (this.pointers.has(e.tok.text) || this.facts.locations.has(e.tok.text))) return this.addressInto(e.tok, dest);
        const src = this.local(e.tok);
        if (src.index !== dest.index) this.emit({ kind: 'mov', rd: dest, src: { kind: 'reg', reg: view(src, dest.wide) }, span: this.span });
        return;
      }
      case 'deref':
        return this.loadFrom(this.pointer(e.ptr.text, e.ptr), dest, 'plain');
      case 'call':
        return this.callValue(e, dest);
      case 'binary': {
        if (this.mode === 'lkmm' && accessCount(e.lhs) > 0 && accessCount(e.rhs) > 0) this.fail('unsupported', UNORDERED_OPERANDS, e.opTok);
        let { lhs, rhs } = e;
        if (lhs.kind === 'num' && rhs.kind !== 'num' && COMMUTATIVE.has(e.op)) [lhs, rhs] = [rhs, lhs];
        const a = this.valueReg(lhs, dest.wide);
        const b = this.operand(rhs, dest.wide);
        this.emit({ kind: 'alu', op: ALU_OP[e.op], rd: dest, rn: a, op2: b, setFlags: false, span: this.span });
        return;
      }
    }
  }
}

/** The labels a body defines (generated labels must not take their names). */
function collectLabels(body: readonly CStmt[], out: Set<string>): void {
  for (const s of body) {
    if (s.kind === 'label') {
      out.add(s.name.text);
      collectLabels([s.stmt], out);
    } else if (s.kind === 'block') collectLabels(s.body, out);
    else if (s.kind === 'if') collectLabels(s.otherwise === undefined ? [s.then] : [s.then, s.otherwise], out);
  }
}

/** Does the operation give a value (a load, an RMW that returns, trylock, srcu_read_lock)? */
function returnsValue(op: KernelOp): boolean {
  switch (op.kind) {
    case 'load': case 'cmpxchg': case 'addUnless': return true;
    case 'rmw': return op.result !== 'none';
    case 'lock': return op.op === 'trylock' || op.op === 'islocked';
    case 'srcu': return op.op === 'lock';
    default: return false;
  }
}

/** The arguments a kernel operation takes, as messages write them: `*p`/`p` the location, `v` a value, `new` cmpxchg's new value. */
function kernelForm(op: KernelOp, name: string): { args: readonly string[]; text: string } {
  let args: string[];
  switch (op.kind) {
    case 'load': args = [op.form === 'deref' ? '*p' : 'p']; break;
    case 'store': args = [op.form === 'deref' ? '*p' : 'p', 'v']; break;
    case 'fence': args = []; break;
    case 'rmw': args = op.constant !== undefined ? ['p'] : op.valueFirst ? ['v', 'p'] : ['p', 'v']; break;
    case 'cmpxchg': args = op.try ? ['p', '&old', 'new'] : ['p', 'old', 'new']; break;
    case 'addUnless': args = ['p', 'v', 'new']; break;
    case 'lock': args = ['p']; break;
    case 'srcu': args = op.op === 'unlock' ? ['p', 'idx'] : ['p']; break;
  }
  const shown: Record<string, string> = { '*p': '*x', p: 'x', v: 'value', ...(op.kind === 'addUnless' ? { new: 'unless' } : {}) };
  return { args, text: `${name}(${args.map((a) => shown[a] ?? a).join(', ')})` };
}

/**
 * herd's kernel C evaluates the operands of an operator, and an atomic's arguments, in parallel:
 * two memory accesses there are unordered, where this lowering would put them in program order.
 */
const UNORDERED_OPERANDS = 'unsupported: two memory accesses in one expression (herd\'s kernel C leaves them unordered, which is not modelled): give each its own statement';

/** How many memory accesses evaluating `e` makes (loads, RMWs, lock probes, dereferences). */
function accessCount(e: CExpr): number {
  switch (e.kind) {
    case 'deref':
      return 1;
    case 'binary':
      return accessCount(e.lhs) + accessCount(e.rhs);
    case 'call': {
      const op = kernelOp(e.name.text);
      const own = op === undefined || op.kind === 'fence' || op.kind === 'store' ? 0 : 1;
      return own + e.args.reduce((n, a) => n + (a.kind === 'deref' || a.kind === 'name' || a.kind === 'addressOf' ? 0 : accessCount(a)), 0);
    }
    default:
      return 0;
  }
}

