/** The model layer: what a model is, the model language and its built-in models, the assumptions. */
export * from './model.js';
export * from './assumptions.js';
import type { Topology } from '../events/topology.js';
import type { Model } from './model.js';
import { builtinModule } from './lang/builtin.js';

/**
 * The built-in model for a test (models/*.model): the Arm model for CPUs and memory, with the
 * device and fabric rules when the test declares endpoints, or TLB invalidation when it has TLBI;
 * herd's VMSA model when the test runs under VMSA translation.
 */
export function modelFor(topology: Topology, tlbi = false, vmsa = false): Model {
  const name = vmsa ? 'vmsa' : topology.endpoints.size > 0 ? 'aarch64+devices' : tlbi ? 'aarch64+tlbi' : 'aarch64';
  return builtinModel(name);
}

const models = new Map<string, Model>();

/** A built-in model by name, loaded once. */
export function builtinModel(name: string): Model {
  let m = models.get(name);
  if (!m) models.set(name, (m = { name, modules: [builtinModule(name)] }));
  return m;
}
