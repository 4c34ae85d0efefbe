/** The events layer: a parsed test -> per-thread paths of events over numbered locations. */
export * from './event.js';
export * from './sym.js';
export * from './locations.js';
export { executeThread, varId, type ThreadExecOptions, type ThreadExecution } from './thread-exec.js';
export * from './value.js';
export * from './ctype.js';
export { buildProgram, registerType, DEFAULT_THREAD_OPTIONS, type Program, type BuildResult } from './program.js';
export { resolveTopology, resolveMapping, DEFAULT_MEMORY_TYPE, DEFAULT_MMIO_TYPE, type Topology, type Endpoint, type Register, type MappingOverrides, type ResolvedMapping } from './topology.js';
