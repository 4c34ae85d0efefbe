// Bundles the compiled CLI (dist/src/cli) into dist/bundle/: one ESM file per entry point plus
// lazily loaded chunks, so a cold `iolitmus` start parses one file instead of ~80 modules.
import { build } from 'esbuild';

await build({
  entryPoints: { iolitmus: 'dist/src/cli/main.js', worker: 'dist/src/cli/worker.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: true,
  // commander and cli-progress are CommonJS and require() Node built-ins.
  banner: { js: "import { createRequire as __iolitmusRequire } from 'node:module'; const require = __iolitmusRequire(import.meta.url);" },
  logLevel: 'warning',
});
