/**
 * The package as a user gets it: `npm pack` of this tree (built by the test command), installed
 * into a fresh prefix, runs — and ships the built CLI, the models and the catalogue, not the
 * sources, tests or benchmarks.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TMP = mkdtempSync(join(tmpdir(), 'iolitmus-install-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const npm = (args: string[], cwd = ROOT) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 240_000 });

test('npm pack ships the built CLI, models and catalogue; installed from the tarball, iolitmus runs', () => {
  // The suite's build is current: packing must not rebuild the dist/ the tests run from.
  const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', TMP]);
  assert.equal(pack.status, 0, pack.stderr);
  const [info] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  const files = info!.files.map((f) => f.path);
  for (const needed of ['bin/iolitmus.js', 'bin/package.json', 'dist/bundle/iolitmus.cjs', 'dist/bundle/worker.cjs', 'models/aarch64.model', 'models/aarch64+devices.model', 'catalogue/thread/doorbell-writel.litmus', 'package.json', 'README.md'])
    assert.ok(files.includes(needed), `${needed} is not in the package`);
  const unwanted = files.filter((f) => /^(src|test|bench|scripts|corpus)\/|^dist\/(src|test|bench)\/|\.cache$|\.map$/.test(f));
  assert.deepEqual(unwanted, []);

  // Installed globally into a prefix of its own; its one runtime dependency comes from npm's cache.
  const prefix = join(TMP, 'prefix');
  const install = npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(TMP, info!.filename)], TMP);
  assert.equal(install.status, 0, install.stderr);
  const bin = join(prefix, 'bin', 'iolitmus');
  const version = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^0\.\d+\.\d+/);
  const installed = join(prefix, 'lib', 'node_modules', 'iolitmus');
  const check = spawnSync(bin, ['check', join(installed, 'catalogue/thread/doorbell-writel.litmus')], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  assert.match(check.stdout, /^Observation doorbell-writel Never /m);
  assert.match(check.stdout, /^Model doorbell-writel aarch64\+devices$/m);
});
