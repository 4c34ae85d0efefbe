/**
 * The built-in model files (models/*.model, embedded by the build): loaded by name, their
 * includes resolved among themselves.
 */
import { DEFAULT_ASSUMPTIONS } from '../assumptions.js';
import type { ModelModule } from '../model.js';
import { BUILTIN_MODEL_TEXTS } from './builtin-texts.js';
import { loadModel } from './load.js';

/** The names of the built-in models. */
export const BUILTIN_MODEL_NAMES: readonly string[] = Object.keys(BUILTIN_MODEL_TEXTS);

/** Text of a built-in model file by name (with or without `.model`). */
export function builtinModelText(name: string): string | undefined {
  return BUILTIN_MODEL_TEXTS[name.replace(/\.model$/, '')];
}

const loaded = new Map<string, ModelModule>();

/** The module of a built-in model; a built-in model with errors is a bug of ours (throws). */
export function builtinModule(name: string): ModelModule {
  let m = loaded.get(name);
  if (m) return m;
  const text = builtinModelText(name);
  if (text === undefined) throw new RangeError(`no built-in model '${name}' (known: ${BUILTIN_MODEL_NAMES.join(', ')})`);
  const r = loadModel(name, text, builtinModelText, DEFAULT_ASSUMPTIONS);
  if (!r.module) throw new Error(`built-in model ${name}: ${r.diagnostics.map((d) => `${d.span.line}:${d.span.col}: ${d.message}`).join('; ')}`);
  loaded.set(name, (m = r.module));
  return m;
}
