/**
 * A model chosen by the user (`--model`), as plain data that crosses to worker threads: a
 * built-in's name, or a file's text with the texts of the files it includes.
 */
import { DEFAULT_ASSUMPTIONS } from '../assumptions.js';
import type { Model } from '../model.js';
import { builtinModule } from './builtin.js';
import { loadModel } from './load.js';

export type ModelSpec =
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'file'; readonly name: string; readonly text: string; readonly includes: Readonly<Record<string, string>> };

const models = new Map<string, Model>();

/** The model a spec names (loaded once per thread). A file spec was checked when it was read. */
export function modelOf(spec: ModelSpec): Model {
  const key = spec.kind === 'builtin' ? `builtin:${spec.name}` : `file:${spec.name}:${spec.text}`;
  let m = models.get(key);
  if (m) return m;
  if (spec.kind === 'builtin') m = { name: spec.name, modules: [builtinModule(spec.name)] };
  else {
    const loaded = loadModel(spec.name, spec.text, (f) => spec.includes[f], DEFAULT_ASSUMPTIONS);
    if (!loaded.module) throw new Error(`model ${spec.name} has errors`);
    m = { name: spec.name, modules: [loaded.module] };
  }
  models.set(key, m);
  return m;
}
