/**
 * The playground's speed in a real browser (Debian's chromium, driven by playwright-core): how
 * long the page takes to load from the local server, and how long the first check of a
 * catalogue test takes, from the click to the verdict (the worker's start-up included), then a
 * second one. Median of several page loads; skipped without /usr/bin/chromium.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { serveWeb, webRoot } from '../src/cli/web-server.js';

const CHROMIUM = '/usr/bin/chromium';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function webBench(runs: number): Promise<string> {
  const root = webRoot();
  if (!existsSync(CHROMIUM) || root === undefined) return `web:          not measured (needs ${CHROMIUM} and dist/web)`;
  const server = await serveWeb(root, 0);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  const load: number[] = [];
  const first: number[] = [];
  const second: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const page = await browser.newPage();
      let t = performance.now();
      await page.goto(url);
      await page.waitForSelector('body[data-ready=true]');
      load.push(performance.now() - t);
      await page.selectOption('#catalogue', 'aarch64/MP');
      for (const into of [first, second]) {
        t = performance.now();
        await page.click('#run');
        await page.waitForFunction(() => / ms\)$/.test((globalThis as unknown as { document: { getElementById(id: string): { textContent: string } } }).document.getElementById('status').textContent));
        into.push(performance.now() - t);
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  const f = (x: number) => x.toFixed(0);
  return `web:          page ready ${f(median(load))} ms (target under 1000); first check of catalogue/aarch64/MP ${f(median(first))} ms from the click (target under 200), then ${f(median(second))} ms`;
}
