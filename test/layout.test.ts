/**
 * The layout of src/ (README, "Layout"): imports point one way along the pipeline
 * syntax -> events -> execution -> model -> search -> pipeline -> report -> cli, platform is knowledge any layer
 * may use (and uses none of them), and no module imports itself through others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SRC = join(ROOT, 'src');

/** Rank of each layer: a module may import its own layer and lower ranks (platform: only itself). */
const RANK: Readonly<Record<string, number>> = { platform: -1, syntax: 0, events: 1, execution: 2, model: 3, search: 4, pipeline: 5, report: 6, gen: 6, cli: 7 };

function sourceFiles(): string[] {
  return readdirSync(SRC, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => normalize(f));
}

/** The src-relative files a module imports (relative specifiers; `.js` names the `.ts` source). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
    out.push(normalize(relative(SRC, resolve(dirname(join(SRC, file)), m[1]!.replace(/\.js$/, '.ts')))));
  }
  return out;
}

const layerOf = (file: string) => file.split('/')[0]!;

test('imports follow the pipeline: no layer imports a later one, platform imports no layer', () => {
  const wrong: string[] = [];
  for (const file of sourceFiles()) {
    const from = layerOf(file);
    if (!(from in RANK)) continue;
    for (const target of importsOf(file)) {
      const to = layerOf(target);
      if (to === from || !(to in RANK)) continue;
      const ok = RANK[from] === -1 ? false : RANK[to] === -1 || RANK[to]! <= RANK[from]!;
      if (!ok) wrong.push(`${file} imports ${target}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('no import cycle between modules', () => {
  const graph = new Map(sourceFiles().map((f) => [f, importsOf(f)]));
  const state = new Map<string, 'open' | 'done'>();
  const cycles: string[] = [];
  // Depth-first with an explicit stack; an edge to an open module closes a cycle.
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const stack: { file: string; next: number }[] = [{ file: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const deps = graph.get(top.file) ?? [];
      if (top.next === deps.length) {
        state.set(top.file, 'done');
        stack.pop();
        continue;
      }
      const dep = deps[top.next++]!;
      if (!graph.has(dep)) continue;
      if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.findIndex((s) => s.file === dep)).map((s) => s.file), dep].join(' -> '));
      else if (!state.has(dep)) {
        state.set(dep, 'open');
        stack.push({ file: dep, next: 0 });
      }
    }
  }
  assert.deepEqual(cycles, []);
});
