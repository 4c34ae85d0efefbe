/**
 * Dot to SVG with @viz-js/viz (Graphviz compiled to WebAssembly, shipped in the npm package), so
 * `--svg` needs no Graphviz on the machine. Loaded only when asked for: it is large.
 */
import { createRequire } from 'node:module';

type Viz = { renderString(dot: string, options: { format: 'svg' }): string };
let viz: Promise<Viz> | undefined;

export async function dotToSvg(dot: string): Promise<string> {
  if (!viz) {
    // require(), not import(): the bundled CLI runs as CommonJS (see bin/iolitmus.js).
    const { instance } = createRequire(import.meta.url)('@viz-js/viz') as { instance: () => Promise<Viz> };
    viz = instance();
  }
  return (await viz).renderString(dot, { format: 'svg' });
}
