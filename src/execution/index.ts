/**
 * The execution layer, between events and model: the candidate executions of a program. From each
 * thread's paths (and their fault and reset variants) it builds every event of a candidate —
 * instruction events, arrivals at endpoints, resets, speculative reads, clear-on-read writes, FLR
 * completion — with the relations that do not depend on the search's choices.
 */
export * from './relation.js';
export * from './execution.js';
export * from './path-variants.js';
