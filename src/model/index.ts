/** The model layer: relation algebra, static executions, and the axiom modules. */
export * from './relation.js';
export * from './execution.js';
export * from './model.js';
export { armModule, armStatic, observedBy } from './arm.js';
import { armModule } from './arm.js';
import type { Model } from './model.js';

/** The Armv8 model for Normal memory (Arm ARM B2.3). */
export const armModel: Model = { name: 'aarch64', modules: [armModule] };
