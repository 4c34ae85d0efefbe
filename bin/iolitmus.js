#!/usr/bin/env node
// Launcher: runs the bundled CLI (dist/bundle/iolitmus.cjs, built by `npm run build`) through
// V8's code cache, kept beside it, so start-up skips most parsing and compiling. Without a usable
// cache it compiles normally and writes one (atomically, ignoring failures: it is only a cache).
import { createRequire } from 'node:module';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import Module from 'node:module';

const bundle = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bundle', 'iolitmus.cjs');
const cacheFile = `${bundle}.${process.version}.cache`;
if (!existsSync(bundle)) {
  process.stderr.write('iolitmus: not built yet: run `npm run build` (or `npm start`) first\n');
  process.exit(2);
}
const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
const require = createRequire(bundle);
const module = { exports: {} };
if (cachedData === undefined || script.cachedDataRejected) {
  // Written at exit, so the cache also holds the functions this run compiled.
  process.on('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      // A read-only install runs without a cache.
    }
  });
}
script.runInThisContext()(module.exports, require, module, bundle, dirname(bundle));
