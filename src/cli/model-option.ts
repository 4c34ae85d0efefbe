/**
 * `--model NAME|FILE`: a built-in model by name, or a model file read here (the core reads no
 * files). The file and everything it includes are loaded once, before any test runs: a model
 * with errors is printed as `FILE:line:col: message` lines and nothing runs (exit 2).
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_ASSUMPTIONS } from '../model/assumptions.js';
import { BUILTIN_MODEL_NAMES, builtinModelText, loadModel, type ModelSpec } from '../model/lang/index.js';
import type { IncludedDiagnostic } from '../model/lang/load.js';
import { formatDiagnostic } from '../syntax/diagnostics.js';
import { UsageError } from './errors.js';

const MAX_MODEL_BYTES = 1 << 20;

function readModelFile(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > MAX_MODEL_BYTES) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The model `--model` names; a UsageError (with every located error) when it cannot be used. */
export function modelOption(value: string): ModelSpec {
  const text = readModelFile(value);
  if (text === undefined) {
    if (BUILTIN_MODEL_NAMES.includes(value)) return { kind: 'builtin', name: value };
    throw new UsageError(`--model: '${value}' is neither a readable model file (at most 1 MiB) nor a built-in model (${BUILTIN_MODEL_NAMES.join(', ')})`);
  }
  // Included files are looked up next to the model given (nested includes too), then among the
  // built-ins' names (`include "aarch64.model"`).
  const includes: Record<string, string> = {};
  const read = (f: string) => {
    const t = readModelFile(join(dirname(value), f)) ?? builtinModelText(f);
    if (t !== undefined) includes[f] = t;
    return t;
  };
  const loaded = loadModel(value, text, read, DEFAULT_ASSUMPTIONS);
  if (!loaded.module) {
    const lines = loaded.diagnostics.map((d: IncludedDiagnostic) => formatDiagnostic(d.file !== undefined ? join(dirname(value), d.file) : value, d));
    throw new UsageError(`--model: ${value} has errors\n${lines.join('\n')}`);
  }
  return { kind: 'file', name: value, text, includes };
}
