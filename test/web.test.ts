/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The playground in a real browser: Debian's chromium driven by playwright-core (no browser
 * download; .ci/run installs chromium). The page is served by `iolitmus web`'s own server on
 * loopback, from dist/web as `npm run build` writes it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveWeb, webRoot } from '../src/cli/web-server.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
// In CI chromium must be there (.ci/run installs it): its absence is a failure, not a skip.
const skip = !available && process.env['CI'] !== 'true' ? `no ${CHROMIUM} (apt-get install chromium)` : false;

let server: Server;
let browser: Browser;
let url: string;

before(async () => {
  if (skip) return;
  const root = webRoot();
  assert.ok(root, 'dist/web is not built');
  server = await serveWeb(root, 0);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function open(path = ''): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url + path);
  await page.waitForSelector('body[data-ready=true]');
  assert.deepEqual(errors, []);
  return page;
}

/** Replace the editor's text by typing it (CodeMirror sees real input). */
async function type(page: Page, text: string): Promise<void> {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/** Wait until a run ends: the status shows a verdict, an error, or that it stopped. */
async function finished(page: Page): Promise<string> {
  await page.waitForFunction(() => !document.getElementById('status')!.textContent!.startsWith('running'), undefined, { timeout: 60_000 });
  return (await page.textContent('#status')) ?? '';
}

test('open a catalogue test, run it: the verdict in herd\'s layout and the ruled-out execution as an SVG graph', { skip }, async () => {
  const page = await open();
  await page.selectOption('#catalogue', 'thread/doorbell-wmb');
  await page.click('#run');
  assert.match(await finished(page), /^Never \(\d+ ms\)$/);
  assert.match((await page.textContent('#out'))!, /^Observation doorbell-wmb Never 0 2$/m);
  await page.click('[data-tab=graph]');
  await page.waitForSelector('#graph svg');
  assert.match((await page.textContent('#graph svg'))!, /rules it out/);
  // --explain's mappings and timelines, as the CLI prints them.
  assert.match((await page.textContent('#explain'))!, /nic/);
  await page.close();
});

test('a syntax error is underlined at the line the parser names, as you type', { skip }, async () => {
  const page = await open();
  await type(page, 'AArch64 T\n{ 0:X1=x; }\n P0 ;\n FOO W0,[X1] ;\nexists (x=1)\n');
  await page.waitForSelector('.cm-lintRange-error');
  const line = await page.evaluate(() => {
    const mark = document.querySelector('.cm-lintRange-error')!;
    return [...document.querySelectorAll('.cm-line')].findIndex((l) => l.contains(mark)) + 1;
  });
  assert.equal(line, 4);
  // Running it shows the same located error.
  await page.click('#run');
  await finished(page);
  assert.match((await page.textContent('#errors'))!, /:4:2: unsupported instruction 'FOO'/);
  await page.close();
});

test('a long check can be stopped, and the next one runs', { skip }, async () => {
  const page = await open();
  const threads = [0, 1, 2, 3, 4];
  const row = (f: (t: number) => string) => ` ${threads.map(f).join(' | ')} ;`;
  const slow = ['AArch64 slow', `{ ${threads.map((t) => `${t}:X1=x;`).join(' ')} }`, row((t) => `P${t}`),
    row((t) => `MOV W0,#${3 * t + 1}`), row(() => 'STR W0,[X1]'), row((t) => `MOV W0,#${3 * t + 2}`), row(() => 'STR W0,[X1]'),
    row(() => 'LDR W2,[X1]'), row((t) => `MOV W0,#${3 * t + 3}`), row(() => 'STR W0,[X1]'), 'exists (x=1)', ''].join('\n');
  await type(page, slow);
  await page.click('#run');
  // Progress: the seconds, and the executions the search has examined so far.
  await page.waitForFunction(() => /^running… 1.*[\d,]+ executions examined$/.test(document.getElementById('status')!.textContent!));
  await page.click('#stop');
  assert.equal(await finished(page), 'stopped');
  await page.selectOption('#catalogue', 'aarch64/MP');
  await page.click('#run');
  assert.match(await finished(page), /^Sometimes/);
  await page.close();
});

test('a share link restores the test, the model and the assumptions', { skip }, async () => {
  const page = await open();
  await page.selectOption('#catalogue', 'lkmm/SB+release+acquire');
  await page.selectOption('#model', 'aarch64');
  await page.fill('#assume', 'wc-block=128');
  await page.selectOption('#kvm', '6.9');
  await page.click('#share');
  await page.waitForSelector('#share-link:not([hidden])');
  const link = await page.inputValue('#share-link');
  assert.match(link, /#s=[A-Za-z0-9_-]+$/);
  const text = await page.evaluate(() => document.querySelector('.cm-content')!.textContent);
  await page.close();
  const again = await open(link.slice(link.indexOf('#')));
  assert.equal(await again.evaluate(() => document.querySelector('.cm-content')!.textContent), text);
  assert.equal(await again.inputValue('#model'), 'aarch64');
  assert.equal(await again.inputValue('#assume'), 'wc-block=128');
  assert.equal(await again.inputValue('#kvm'), '6.9');
  // The arm64 answer of the LKMM test, as the link asked.
  await again.click('#run');
  assert.match(await finished(again), /^Never/);
  await again.close();
});

test('the matrix view shows each run against the expected verdicts', { skip }, async () => {
  const page = await open();
  await page.selectOption('#catalogue', 'thread/doorbell-smp-wmb');
  await page.click('#matrix');
  await page.waitForFunction(() => /runs/.test(document.getElementById('matrix-out')!.textContent!), undefined, { timeout: 60_000 });
  const out = (await page.textContent('#matrix-out'))!;
  // thread/expected.json: forbidden by default, allowed with device-domain=outer; no mismatch.
  assert.match(out, /2 runs checked against expected verdicts, 0 mismatches/);
  assert.match(out, /^doorbell-smp-wmb +with defaults: Never · device-domain=outer: Sometimes +\(as expected\)$/m);
  // A kernel C test: the LKMM's row and arm64's.
  await page.selectOption('#catalogue', 'lkmm/SB+release+acquire');
  await page.click('#matrix');
  await page.waitForFunction(() => /lkmm/.test(document.getElementById('matrix-out')!.textContent!), undefined, { timeout: 60_000 });
  assert.match((await page.textContent('#matrix-out'))!, /model lkmm: Sometimes · aarch64: Never/);
  await page.close();
});

test('the attrs and map calculators answer as the CLI does', { skip }, async () => {
  const page = await open();
  await page.click('[data-tab=calc]');
  await page.fill('#attrs-s1', 'ioremap_wc');
  await page.fill('#attrs-s2', '0x5');
  await page.click('#attrs-go');
  await page.waitForFunction(() => document.getElementById('attrs-out')!.textContent !== '');
  // Stage 1 Normal-NC (ioremap_wc) with stage 2 Normal-NC: Normal-NC (docs/attrs.md).
  assert.match((await page.textContent('#attrs-out'))!, /^effective: +Normal-NC/m);
  await page.fill('#map-kernel', 'not-a-version');
  await page.click('#map-go');
  await page.waitForFunction(() => document.getElementById('map-out')!.textContent !== '');
  assert.equal(await page.getAttribute('#map-out', 'class'), 'error');
  await page.close();
});

test('iolitmus web serves the page on loopback, on the port asked (0: a free one); a bad port is a usage error', async () => {
  const { spawn, spawnSync } = await import('node:child_process');
  const { join, dirname, resolve } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const bin = join(resolve(dirname(fileURLToPath(import.meta.url)), '../..'), 'bin', 'iolitmus.js');
  const child = spawn(process.execPath, [bin, 'web', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const line = await new Promise<string>((ok, fail) => {
      child.stdout.setEncoding('utf8');
      child.stdout.once('data', (s: string) => ok(s));
      child.once('exit', (code) => fail(new Error(`exited with ${code}`)));
    });
    const m = /^iolitmus playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(line);
    assert.ok(m, line);
    const page = await fetch(m[1]!);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<title>iolitmus playground<\/title>/);
    assert.equal((await fetch(`${m[1]}nothing-here.js`)).status, 404);
  } finally {
    child.kill();
  }
  const bad = spawnSync(process.execPath, [bin, 'web', '--port', 'http'], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--port: expected a port number/);
});

test('a model file loaded from disk answers, and one with errors shows them', { skip }, async () => {
  const page = await open();
  // Sequential consistency, written over a built-in's include: MP is then Never.
  const sc = '"sc"\ninclude "aarch64.model"\nlet com = rf | co | fr\nacyclic po | com as sc\n';
  await page.setInputFiles('#model-file', { name: 'sc.model', mimeType: 'text/plain', buffer: Buffer.from(sc) });
  await page.waitForFunction(() => (document.getElementById('model') as HTMLSelectElement).value === 'file');
  await page.selectOption('#catalogue', 'aarch64/MP');
  await page.click('#run');
  assert.match(await finished(page), /^Never/);
  assert.match((await page.textContent('#out'))!, /^Model MP sc$/m);
  await page.setInputFiles('#model-file', { name: 'bad.model', mimeType: 'text/plain', buffer: Buffer.from('acyclic po; nonsense as x\n') });
  await page.waitForFunction(() => /bad\.model:1:13: unknown name 'nonsense'/.test(document.getElementById('errors')!.textContent!));
  await page.close();
});

test('the CLI\'s limits: a bound reached gives a partial result, never a verdict', { skip }, async () => {
  const page = await open();
  await page.selectOption('#catalogue', 'aarch64/MP');
  await page.fill('#max-executions', '1');
  await page.click('#run');
  assert.match(await finished(page), /^Unknown/);
  assert.match((await page.textContent('#out'))!, /^Partial MP max-executions: /m);
  assert.match((await page.textContent('#out'))!, /^Observation MP Unknown /m);
  await page.close();
});
