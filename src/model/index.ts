/** The model layer: relation algebra, static executions, and the axiom modules. */
export * from './relation.js';
export * from './execution.js';
export * from './model.js';
export { armModule, armStatic, observedBy } from './arm.js';
import { armModule } from './arm.js';
import { deviceModule } from './device.js';
import { translationModule } from './translation.js';
export { translationModule, translationOb } from './translation.js';
import type { Topology } from '../events/topology.js';
export { deviceModule, canGather, deviceStaticOb } from './device.js';
export * from './assumptions.js';
export * from './fabric.js';
import type { Model } from './model.js';

/** The Armv8 model for Normal memory (Arm ARM B2.3). */
export const armModel: Model = { name: 'aarch64', modules: [armModule] };

/** The model for a test: Arm B2.3, plus devices and fabric when the test declares endpoints. */
export function modelFor(topology: Topology, tlbi = false): Model {
  const modules = [armModule];
  // With devices, the device module's endpoint-order axiom already includes the TLBI edges.
  if (topology.endpoints.size > 0) modules.push(deviceModule(topology));
  else if (tlbi) modules.push(translationModule);
  return modules.length === 1 ? armModel : { name: `aarch64+${modules.slice(1).map((m) => m.name).join('+')}`, modules };
}
