/**
 * An address inside a device register's location names another place of the same register
 * space: `STR W0,[X1,#0x40]` with X1 holding the register at BAR offset 0x800 accesses BAR offset
 * 0x840. That is the register declared there, or a mistake in the test: never host memory.
 */
import { formatMemoryType, sameMemoryType } from '../platform/memory-type.js';
import { locationBase } from './locations.js';
import { DEFAULT_MMIO_TYPE, registerSpace, type Register, type Topology } from './topology.js';
import type { ThreadPath } from './event.js';
import { error, type Diagnostic } from '../syntax/diagnostics.js';

/**
 * The address an access of CPU thread `thread` at `addr` reaches: `addr` itself unless it lies
 * inside a register's location past its start; then the address of the register declared at
 * that offset of the same space, or a message saying none is. The access goes through the
 * mapping of the register it started from; the thread must map the register it reaches the
 * same way (one mapping covers both), else that is a message too.
 */
export function registerAddresser(topology: Topology, thread: number): ((addr: number, from?: number) => number | string) | undefined {
  if (topology.registers.size === 0) return undefined;
  const byPlace = new Map<string, Register>();
  for (const r of topology.registers.values()) byPlace.set(`${registerSpace(r)}:${r.offset}`, r);
  const typeOf = (r: Register) => topology.mappings.get(`${thread}:${r.loc}`)?.mem ?? DEFAULT_MMIO_TYPE;
  return (addr, from) => {
    // The register the address was computed from: the base register's, else the address's own.
    const fromReg = from === undefined ? undefined : topology.registers.get(locationBase(from));
    // An address computed from another location never lands on a register.
    if (from !== undefined && fromReg === undefined && locationBase(from) !== locationBase(addr) && topology.registers.has(locationBase(addr))) {
      return `the access reaches register ${topology.registers.get(locationBase(addr))!.loc} from an address computed from another location`;
    }
    const base = fromReg !== undefined ? locationBase(from!) : locationBase(addr);
    const reg = fromReg ?? topology.registers.get(base);
    if (reg === undefined || base === addr) return addr;
    const delta = addr - base;
    const offset = reg.offset + delta;
    const shown = delta < 0 ? `-0x${(-delta).toString(16)}` : `+0x${delta.toString(16)}`;
    if (offset < 0) return `the access at ${reg.loc}${shown} reaches before the start of ${registerSpace(reg)}`;
    const place = `${registerSpace(reg)}:0x${offset.toString(16)}`;
    const access = `the access at ${reg.loc}${shown} reaches ${place}`;
    const there = byPlace.get(`${registerSpace(reg)}:${offset}`);
    if (there === undefined) {
      // The declaration as written: the function is an attribute, not part of the space's name.
      const declared = `${registerSpace({ ...reg, fn: 0 })}:0x${offset.toString(16)}${reg.fn === 0 ? '' : ` (fn=${reg.fn})`}`;
      return `${access}, where the test declares no register (declare one: 'NAME = ${declared};')`;
    }
    if (!sameMemoryType(typeOf(reg), typeOf(there))) {
      return `${access} (${there.loc}) through ${reg.loc}'s mapping, ${formatMemoryType(typeOf(reg))}, but P${thread} maps ${there.loc} as ${formatMemoryType(typeOf(there))}: map both alike`;
    }
    return there.addr;
  };
}

/**
 * An access to a register covers the bytes from its offset on, as many as the access has: when
 * those include another register's offset, one write would change both, which the model does not
 * follow (each register is one location). Refused at the access.
 */
export function registerFootprintDiagnostics(threads: readonly (readonly ThreadPath[])[], topology: Topology): Diagnostic[] {
  const regs = [...topology.registers.values()];
  for (const p of threads.flat()) {
    for (const e of p.events) {
      if (e.kind !== 'R' && e.kind !== 'W') continue;
      const r = topology.registers.get(e.addr);
      if (r === undefined) continue;
      const covered = regs.find((o) => o !== r && registerSpace(o) === registerSpace(r) && o.offset > r.offset && o.offset < r.offset + e.size);
      if (covered !== undefined) {
        const message = `'${e.text}' accesses ${e.size} bytes at ${r.loc} (${registerSpace(r)}:0x${r.offset.toString(16)}), which cover register ${covered.loc} at 0x${covered.offset.toString(16)}: an access that spans two registers is not modelled`;
        return [error('unsupported', `unsupported: ${message}`, e.span ?? { line: 1, col: 1, endLine: 1, endCol: 2 })];
      }
    }
  }
  return [];
}
