/**
 * The VFIO/KVM operations kernel C tests may call, each lowered to the instruction sequence the
 * host kernel runs for it (Linux `drivers/vfio/pci/vfio_pci_core.c`, `arch/arm64/kvm/`):
 *
 *   vfio_zap_bars(dev)        unmap every BAR register of `dev` from the user, then the KVM
 *                             stage-2 unmap the MMU notifier triggers ("TLBI + DSB")
 *   kvm_unmap(x)              KVM's stage-2 unmap of one location
 *   pcie_flr(dev)             Function Level Reset through the register marked `flr` ("Resets")
 *   vfio_platform_reset(dev)  one posted write to `dev`'s reset register ("Resets", vfio-platform)
 *   mlx5_cmd_exec(cmd, db)    the CPU side of an mlx5 firmware command ("Write combining in practice")
 *
 * Arguments are names: an endpoint (`dev`), or a location / pointer parameter (`x`, `cmd`, `db`).
 * @internal
 */
import type { Instr, Reg, RegisterDecl } from '../ast.js';
import type { DiagnosticCode, Span } from '../diagnostics.js';
import type { NodeKind } from '../shared/device-checks.js';
import type { Token } from '../shared/tokens.js';

/** What a built-in needs from the thread being lowered. */
export interface BuiltinHost {
  /** The function being lowered is a device's program. */
  readonly device: boolean;
  readonly registers: readonly RegisterDecl[];
  /** The kind of every topology name. */
  readonly nodes: ReadonlyMap<string, NodeKind>;
  /** The span of the statement being lowered. */
  readonly span: Span;
  emit(i: Instr): void;
  /** An X register holding the address of `loc` (a parameter's, or one set up in the init). */
  address(loc: string, at: Token): Reg;
  /** A fresh temporary. */
  temp(wide: boolean): Reg;
  /** A fresh label name. */
  label(): string;
  /** A temporary holding the constant `value` (`MOV Wt,#value`). */
  constant(value: number): Reg;
  /** Lower the accessor `name` from platform/linux-io.ts. */
  accessor(name: string, value: Reg | undefined, addr: Reg | undefined, dest: Reg | undefined): void;
  /** `WRITE_ONCE(*loc, value)`. */
  writeOnce(loc: string, at: Token, value: number): void;
  /** The thread accesses `loc` through Linux's config-space mapping unless the test maps it. */
  mapConfigSpace(loc: string, at: Token): void;
  fail(code: DiagnosticCode, message: string, at: Token): never;
}

interface Builtin {
  /** The arguments, as messages name them. */
  readonly params: readonly string[];
  readonly lower: (host: BuiltinHost, args: readonly Token[]) => void;
}

function barrier(host: BuiltinHost, op: 'DMB' | 'DSB', domain: 'SY' | 'ISH' | 'OSH', type: 'ALL' | 'LD' | 'ST'): void {
  host.emit({ kind: 'barrier', op, domain, type, span: host.span });
}

function tlbi(host: BuiltinHost, op: string, reg: Reg | undefined, userSpaces = false): void {
  host.emit({ kind: 'tlbi', op, reg, span: host.span, ...(userSpaces ? { userSpaces: true as const } : {}) });
}

/** `dev` must be a declared endpoint (`pcie` or `platform`). */
function endpoint(host: BuiltinHost, dev: Token, fn: string): NodeKind {
  const kind = host.nodes.get(dev.text);
  if (kind !== 'pcie' && kind !== 'platform') {
    host.fail('semantic', `${fn}: '${dev.text}' is not a declared endpoint (declare it, e.g. '${dev.text}: pcie(rp0);')`, dev);
  }
  return kind;
}

/**
 * KVM's stage-2 unmap of the page at `addr` (Arm ARM D8.14 TLB maintenance;
 * arch/arm64/kvm/hyp/{nvhe,vhe}/tlb.c __kvm_tlb_flush_vmid_ipa): `DSB ISHST` makes the cleared
 * descriptor visible to the walkers, `TLBI IPAS2E1IS` drops the stage-2 entry, `DSB ISH` waits
 * for it on every PE.
 */
function stage2UnmapPage(host: BuiltinHost, addr: Reg): void {
  barrier(host, 'DSB', 'ISH', 'ST');
  tlbi(host, 'IPAS2E1IS', addr);
  barrier(host, 'DSB', 'ISH', 'ALL');
}

/** Then the combined stage-1+2 entries go: `TLBI VMALLE1IS; DSB ISH; ISB`. */
function stage2Finish(host: BuiltinHost): void {
  tlbi(host, 'VMALLE1IS', undefined);
  barrier(host, 'DSB', 'ISH', 'ALL');
  host.emit({ kind: 'isb', span: host.span });
}

const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['vfio_zap_bars', {
    params: ['dev'],
    lower(host, [dev]) {
      endpoint(host, dev!, 'vfio_zap_bars');
      const bars = host.registers.filter((r) => r.endpoint === dev!.text && r.space === 'mem');
      if (bars.length === 0) host.fail('semantic', `vfio_zap_bars: '${dev!.text}' has no memory-space (BAR) register to unmap`, dev!);
      const regs = bars.map((r) => host.address(r.loc, dev!));
      // vfio_pci_zap_bars -> unmap_mapping_range: every process's stage-1 entries of the BAR go,
      // per page `DSB ISHST; TLBI VALE1IS; DSB ISH` with each mm's ASID (flush_tlb_range in
      // arch/arm64/include/asm/tlbflush.h). One TLBI of every ASID stands for them: only the
      // processes that map the BAR have entries for its address.
      for (const r of regs) {
        barrier(host, 'DSB', 'ISH', 'ST');
        tlbi(host, 'VAAE1IS', r, true);
        barrier(host, 'DSB', 'ISH', 'ALL');
      }
      // The MMU notifier then has KVM unmap the same pages at stage 2.
      for (const r of regs) stage2UnmapPage(host, r);
      stage2Finish(host);
    },
  }],
  ['kvm_unmap', {
    params: ['x'],
    lower(host, [x]) {
      stage2UnmapPage(host, host.address(x!.text, x!));
      stage2Finish(host);
    },
  }],
  ['pcie_flr', {
    params: ['dev'],
    lower(host, [dev]) {
      // PCIe Base Spec 6.6.2; Linux drivers/pci/pci.c pcie_flr.
      if (endpoint(host, dev!, 'pcie_flr') === 'platform') host.fail('semantic', `pcie_flr: '${dev!.text}' is a platform device; FLR is a PCIe reset (use vfio_platform_reset)`, dev!);
      const flr = host.registers.find((r) => r.endpoint === dev!.text && r.attrs.flr);
      if (flr === undefined) return host.fail('semantic', `pcie_flr: '${dev!.text}' has no register with the 'flr' attribute (declare e.g. 'devctl = ${dev!.text}.cfg:0x48 (flr);')`, dev!);
      host.mapConfigSpace(flr.loc, dev!);
      const x = host.address(flr.loc, dev!);
      // pcie_capability_set_word: config read, set Initiate FLR, config write.
      const v = host.temp(false);
      host.emit({ kind: 'load', rt: v, addr: { base: x, offset: undefined, index: 'offset' }, size: 4, signed: false, order: 'plain', exclusive: false, span: host.span });
      host.emit({ kind: 'alu', op: 'orr', rd: v, rn: v, op2: { kind: 'imm', value: 1n }, setFlags: false, span: host.span });
      host.emit({ kind: 'store', rt: v, addr: { base: x, offset: undefined, index: 'offset' }, size: 4, release: false, exclusive: false, status: undefined, span: host.span });
      // The config write is non-posted: the DSB completes when the endpoint has answered, which
      // it does before it starts resetting (PCIe Base Specification §6.6.2, Function Level Reset).
      barrier(host, 'DSB', 'SY', 'ALL');
      // pci_dev_wait: poll config reads until the device answers; a read that gets no answer
      // returns all ones, and all ones + 1 is 0 in 32 bits, so CBZ polls again.
      const poll = host.label();
      host.emit({ kind: 'label', name: poll, span: host.span });
      const r = host.temp(false);
      const k = host.temp(false);
      host.emit({ kind: 'load', rt: r, addr: { base: x, offset: undefined, index: 'offset' }, size: 4, signed: false, order: 'plain', exclusive: false, span: host.span });
      host.emit({ kind: 'alu', op: 'add', rd: k, rn: r, op2: { kind: 'imm', value: 1n }, setFlags: false, span: host.span });
      host.emit({ kind: 'branch', target: { label: poll }, cond: { kind: 'zero', reg: k, nonZero: false }, link: false, span: host.span });
    },
  }],
  ['vfio_platform_reset', {
    params: ['dev'],
    lower(host, [dev]) {
      endpoint(host, dev!, 'vfio_platform_reset');
      const own = host.registers.find((r) => r.endpoint === dev!.text && r.attrs.selfReset);
      const reg = own ?? host.registers.find((r) => r.attrs.resets === dev!.text);
      if (reg === undefined) return host.fail('semantic', `vfio_platform_reset: '${dev!.text}' has no 'self-reset' register and no reset controller register with 'resets=${dev!.text}'`, dev!);
      // A vfio-platform reset module writes the reset register once: writel(1, reg), posted.
      host.accessor('writel', host.constant(1), host.address(reg.loc, dev!), undefined);
    },
  }],
  ['mlx5_cmd_exec', {
    params: ['cmd', 'db'],
    lower(host, [cmd, db]) {
      // mlx5 firmware command: descriptor in DMA memory, wmb(), doorbell write.
      host.writeOnce(cmd!.text, cmd!, 1);
      host.accessor('wmb', undefined, undefined, undefined);
      host.accessor('writel', host.constant(1), host.address(db!.text, db!), undefined);
    },
  }],
]);

/** The names of the built-ins. */
export function builtinNames(): readonly string[] {
  return [...BUILTINS.keys()];
}

/** Is `name` a built-in? */
export function isBuiltin(name: string): boolean {
  return BUILTINS.has(name);
}

/** Lower the built-in `name` (checked with isBuiltin) with name arguments `args`. */
export function lowerBuiltin(host: BuiltinHost, name: Token, args: readonly Token[]): void {
  const b = BUILTINS.get(name.text);
  if (b === undefined) throw new RangeError(`unknown built-in '${name.text}'`);
  if (host.device) host.fail('semantic', `${name.text} is a host operation: call it from a CPU thread, not a device`, name);
  if (args.length !== b.params.length) host.fail('semantic', `${name.text} takes ${b.params.length} argument${b.params.length === 1 ? '' : 's'} (${b.params.join(', ')}), found ${args.length}`, name);
  b.lower(host, args);
}
