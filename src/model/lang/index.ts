/** The model language: model files parsed, checked and compiled to modules (docs/models.md). */
export { parseModel } from './parse.js';
export { loadModel, variantsOf, type IncludeReader, type LoadedModel } from './load.js';
export { builtinModule, builtinModelText, BUILTIN_MODEL_NAMES } from './builtin.js';
export { STATIC_PRIMITIVES, DYNAMIC_PRIMITIVES } from './primitives.js';
export { modelOf, type ModelSpec } from './spec.js';
