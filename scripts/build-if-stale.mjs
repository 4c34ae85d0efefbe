// `npm start` builds only when a source changed since the last build: the build writes
// dist/.built at its end, and any file under the inputs newer than it (or a missing one) means
// building again. The main job itself takes two seconds; a full build takes twenty.
import { execSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const INPUTS = ['src', 'models', 'scripts', 'bench', 'test', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.core.json'];

/** The newest modification time under a file or folder (0 when it does not exist). */
function newest(path) {
  let st;
  try {
    st = statSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

const built = newest(join('dist', '.built'));
if (built === 0 || INPUTS.some((p) => newest(p) > built)) execSync('npm run build --silent', { stdio: 'inherit' });
