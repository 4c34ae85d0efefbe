// Builds the playground into dist/web/ (static files, deployable anywhere; `iolitmus web` serves
// them on localhost): the page and the checker worker bundled by esbuild from src/web (the core
// included, Graphviz in WebAssembly split into a chunk loaded on first use), the HTML and CSS, and
// catalogue.json, every shipped test with the built-in models' names.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const out = 'dist/web';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: { main: 'src/web/page/main.ts', worker: 'src/web/worker.ts' },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'browser',
  target: 'chrome110',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
for (const f of ['index.html', 'style.css']) copyFileSync(join('src/web/page', f), join(out, f));

function litmusFiles(dir) {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? litmusFiles(p) : f.endsWith('.litmus') ? [p] : [];
  });
}
const tests = Object.fromEntries(litmusFiles('catalogue').map((f) => [relative('catalogue', f).replace(/\.litmus$/, ''), readFileSync(f, 'utf8')]));
// The expected verdicts of the device scenarios (FOLDER/expected.json), for the matrix view.
const expectations = {};
for (const d of readdirSync('catalogue')) {
  const f = join('catalogue', d, 'expected.json');
  if (!statSync(join('catalogue', d)).isDirectory()) continue;
  try {
    for (const [name, list] of Object.entries(JSON.parse(readFileSync(f, 'utf8')))) if (Array.isArray(list)) expectations[`${d}/${name}`] = list;
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
}
const models = readdirSync('models').filter((f) => f.endsWith('.model')).map((f) => f.replace(/\.model$/, '')).filter((m) => m !== 'tlbi').sort();
writeFileSync(join(out, 'catalogue.json'), JSON.stringify({ tests, models, expectations }));
