// Before the tests: the browser tests (test/web.test.ts) drive Debian's chromium through
// playwright-core, which downloads nothing. Where it is missing, CI (CI=true, as root) installs it
// with apt-get; elsewhere the browser tests are skipped, and this says how to get them.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.env.CI === 'true' && root) {
    console.error('ensure-chromium: installing Debian\'s chromium for the browser tests');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  } else {
    console.error(`ensure-chromium: no ${CHROMIUM}: the browser tests are skipped (apt-get install chromium to run them)`);
  }
}
