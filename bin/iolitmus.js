#!/usr/bin/env node
// Launcher: runs the bundled CLI (dist/bundle/iolitmus.cjs, built by `npm run build`) through
// V8's code cache, kept beside it, so start-up skips most parsing and compiling. Without a usable
// cache it compiles normally and writes one (atomically, ignoring failures: it is only a cache).
// CommonJS (bin/package.json says so): starting Node's ES-module loader costs a cold start ~7 ms.
'use strict';
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

const bundle = join(__dirname, '..', 'dist', 'bundle', 'iolitmus.cjs');
const cacheFile = `${bundle}.${process.version}.cache`;
if (!existsSync(bundle)) {
  process.stderr.write('iolitmus: not built yet: run `npm run build` (or `npm start`) first\n');
  process.exit(2);
}
const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
const script = new vm.Script(Module.wrap(readFileSync(bundle, 'utf8')), { filename: bundle, cachedData });
const bundled = { exports: {} };
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
script.runInThisContext()(bundled.exports, Module.createRequire(bundle), bundled, bundle, join(bundle, '..'));
