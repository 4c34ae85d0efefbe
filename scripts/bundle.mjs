// Bundles the compiled CLI (dist/src/cli) into dist/bundle/: one CommonJS file for the command
// and one for worker threads. bin/iolitmus.js loads the command through V8's code cache, so a
// cold start neither resolves ~100 modules nor recompiles them (the cold-start target is 150 ms).
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

/**
 * commander loads node:child_process when it loads (for subcommands that are separate programs,
 * which iolitmus has none of); that alone costs a cold start about 7 ms. Its `require` gets a
 * stand-in that loads the module on first use instead.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      args.importer.includes('commander') ? { path: 'lazy-child-process', namespace: 'lazy' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });",
      loader: 'js',
    }));
  },
};

// Old bundles and caches would pile up or go stale: start from an empty folder.
rmSync('dist/bundle', { recursive: true, force: true });

await build({
  entryPoints: { iolitmus: 'dist/src/cli/main.js', worker: 'dist/src/cli/worker.js' },
  outdir: 'dist/bundle',
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: true,
  // The sources are ESM and locate files from import.meta.url.
  banner: { js: "const __iolitmusUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__iolitmusUrl' },
  // Graphviz in WebAssembly is large: loaded from node_modules only when --svg asks for it.
  external: ['@viz-js/viz'],
  logLevel: 'warning',
  plugins: [lazyChildProcess],
});
