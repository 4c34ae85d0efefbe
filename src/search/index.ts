/** The search layer: exhaustive enumeration with pruning, and herd-style results. */
export * from './enumerate.js';
export * from './outcomes.js';
