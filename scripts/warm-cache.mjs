// Runs the freshly bundled CLI once on a small test so that bin/iolitmus.js writes V8's code
// cache, including the functions a `check` compiles: the first real run then starts warm.
import { execFileSync } from 'node:child_process';

execFileSync(process.execPath, ['bin/iolitmus.js', 'check', '--no-progress', 'catalogue/aarch64/MP.litmus'], { stdio: 'ignore' });
