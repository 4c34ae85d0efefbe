/**
 * The command's output, written synchronously to file descriptors 1 and 2.
 *
 * Synchronous writes finish before the process exits, so nothing is lost when the output goes to a
 * pipe (Node's process.stdout writes to pipes asynchronously, and an exit cuts them short), and
 * they spare a cold start the loading of Node's stream machinery. A full non-blocking pipe
 * (EAGAIN) is waited for; a reader that went away (EPIPE, `iolitmus check DIR | head`) ends the
 * command quietly, as Unix tools do.
 */
import { EXIT } from './exit-status.js';
import { writeSync } from 'node:fs';

const pause = new Int32Array(new SharedArrayBuffer(4));

function writeAll(fd: number, text: string): void {
  let buf = Buffer.from(text, 'utf8');
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1); // the reader is behind: wait 1 ms
      else if (code === 'EPIPE') process.exit(0);
      else {
        // Nowhere left to report it but the other stream (or nowhere at all).
        if (fd === 1) writeErr(`iolitmus: cannot write the output: ${(e as Error).message}\n`);
        process.exit(EXIT.output);
      }
    }
  }
}

/** Write to standard output. */
export function writeOut(text: string): void {
  writeAll(1, text);
}

/** Write to standard error. */
export function writeErr(text: string): void {
  writeAll(2, text);
}

/** Milliseconds from an arbitrary origin, for timing (without loading perf_hooks). */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
