/**
 * An address inside a device register's location names another place of the same register
 * space: `STR W0,[X1,#0x40]` with X1 holding the register at BAR offset 0x800 accesses BAR offset
 * 0x840. That is the register declared there, or a mistake in the test: never host memory.
 */
import { formatMemoryType, sameMemoryType } from '../platform/memory-type.js';
import { locationBase } from './locations.js';
import { DEFAULT_MMIO_TYPE, type Register, type Topology } from './topology.js';

/** The register space a register lives in, as written: `nic.bar0`, `nic.cfg`, `gpio.mmio`. */
function spaceName(r: { endpoint: string; space: 'mem' | 'cfg'; bar: number | undefined }): string {
  return `${r.endpoint}.${r.space === 'cfg' ? 'cfg' : r.bar === undefined ? 'mmio' : `bar${r.bar}`}`;
}

/**
 * The address an access of CPU thread `thread` at `addr` reaches: `addr` itself unless it lies
 * inside a register's location past its start; then the address of the register declared at
 * that offset of the same space, or a message saying none is. The access goes through the
 * mapping of the register it started from; the thread must map the register it reaches the
 * same way (one mapping covers both), else that is a message too.
 */
export function registerAddresser(topology: Topology, thread: number): ((addr: number) => number | string) | undefined {
  if (topology.registers.size === 0) return undefined;
  const byPlace = new Map<string, Register>();
  for (const r of topology.registers.values()) byPlace.set(`${spaceName(r)}:${r.offset}`, r);
  const typeOf = (r: Register) => topology.mappings.get(`${thread}:${r.loc}`)?.mem ?? DEFAULT_MMIO_TYPE;
  return (addr) => {
    const base = locationBase(addr);
    const reg = topology.registers.get(base);
    if (reg === undefined || base === addr) return addr;
    const offset = reg.offset + (addr - base);
    const place = `${spaceName(reg)}:0x${offset.toString(16)}`;
    const access = `the access at ${reg.loc}+0x${(addr - base).toString(16)} reaches ${place}`;
    const there = byPlace.get(`${spaceName(reg)}:${offset}`);
    if (there === undefined) return `${access}, where the test declares no register (declare one: 'NAME = ${place};')`;
    if (!sameMemoryType(typeOf(reg), typeOf(there))) {
      return `${access} (${there.loc}) through ${reg.loc}'s mapping, ${formatMemoryType(typeOf(reg))}, but P${thread} maps ${there.loc} as ${formatMemoryType(typeOf(there))}: map both alike`;
    }
    return there.addr;
  };
}
