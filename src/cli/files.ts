/**
 * Expand command-line paths into litmus inputs (directories are searched recursively) and read
 * them. Only regular files and `-` (stdin) are read, and none beyond MAX_FILE_BYTES: a device, a
 * FIFO or a huge file would otherwise block or fill memory. An input that cannot be read is
 * returned with the reason, so the caller reports it and goes on with the others.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from './errors.js';

export const LITMUS_EXTENSIONS = ['.litmus'];

/** The largest input read: litmus tests are a few KiB, so anything larger is a mistake. */
export const MAX_FILE_BYTES = 1024 * 1024;

/** One input: a path (or `-`), and why it cannot be read when that is known from its stat. */
export interface Input {
  readonly path: string;
  readonly problem?: string | undefined;
}

/**
 * Every input named by `paths`. A path that does not exist is a usage error (a typo: nothing
 * runs); any other problem stays with its input.
 */
export function collectInputs(paths: readonly string[]): Input[] {
  const out: Input[] = [];
  for (const p of paths) {
    // `-`: one test read from standard input.
    if (p === '-') {
      out.push({ path: p });
      continue;
    }
    let st: Stats;
    try {
      st = statSync(p);
    } catch (e) {
      if (code(e) === 'ENOENT' || code(e) === 'ENOTDIR') throw new UsageError(`no such file or directory: ${p}`);
      out.push({ path: p, problem: cannotRead(e) });
      continue;
    }
    if (st.isDirectory()) out.push(...walk(p, st, new Set()));
    else out.push({ path: p, problem: refusal(st) });
  }
  return out;
}

/** For commands that stop at the first bad input: the paths, or a usage error naming it. */
export function collectFiles(paths: readonly string[]): string[] {
  return collectInputs(paths).map((i) => {
    if (i.problem !== undefined) throw new UsageError(`${i.path}: ${i.problem}`);
    return i.path;
  });
}

/** `ancestors` holds the directories being walked: a link back to one would loop forever. */
function walk(dir: string, st: Stats, ancestors: Set<string>): Input[] {
  const key = `${st.dev}:${st.ino}`;
  if (ancestors.has(key)) return [];
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    return [{ path: dir, problem: cannotRead(e) }];
  }
  ancestors.add(key);
  const out: Input[] = [];
  for (const name of names) {
    const full = join(dir, name);
    const litmus = LITMUS_EXTENSIONS.some((e) => name.endsWith(e));
    let entry: Stats;
    try {
      entry = statSync(full);
    } catch (e) {
      // A dangling link, say: reported only where a test was expected.
      if (litmus) out.push({ path: full, problem: cannotRead(e) });
      continue;
    }
    if (entry.isDirectory()) out.push(...walk(full, entry, ancestors));
    else if (litmus) out.push({ path: full, problem: refusal(entry) });
  }
  ancestors.delete(key);
  return out;
}

/** Why a file with this stat is not read, or undefined when it is a regular file of sane size. */
function refusal(st: Stats): string | undefined {
  if (!st.isFile()) return `cannot read: not a regular file (${kind(st)})`;
  if (st.size > MAX_FILE_BYTES) return tooLarge();
  return undefined;
}

function kind(st: Stats): string {
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  return 'a directory';
}

function tooLarge(): string {
  return `cannot read: larger than ${MAX_FILE_BYTES / 1024 / 1024} MiB, the limit for a litmus file`;
}

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file (a dangling symbolic link?)',
  ELOOP: 'too many levels of symbolic links',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
};

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code;
}

/** A system error as one short line (Node's messages repeat the path and the system call). */
function cannotRead(e: unknown): string {
  const c = code(e);
  return `cannot read: ${(c !== undefined ? REASONS[c] : undefined) ?? (e as Error).message}`;
}

/** An input's text (without a byte-order mark), or why it cannot be read. */
export function readInput(path: string): { readonly text: string } | { readonly problem: string } {
  try {
    const bytes = path === '-' ? readBounded(0) : readRegular(path);
    if (typeof bytes === 'string') return { problem: bytes };
    // Editors on Windows may start a UTF-8 file with a byte-order mark; it is not part of the
    // text (the first line must read `AArch64 NAME`), and it takes no column.
    return { text: bytes.toString('utf8').replace(/^\uFEFF/, '') };
  } catch (e) {
    return { problem: cannotRead(e) };
  }
}

/** Checked again on the open file: the path may have been replaced since it was listed. */
function readRegular(path: string): Buffer | string {
  // Non-blocking, so that opening a FIFO does not wait for a writer before fstat refuses it.
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    return refusal(fstatSync(fd)) ?? readBounded(fd);
  } finally {
    closeSync(fd);
  }
}

const CHUNK = 64 * 1024;

/**
 * Read to the end, but never more than MAX_FILE_BYTES + 1 bytes: a size from stat can be wrong
 * (stdin, files in /proc) and a file can grow while it is read.
 */
function readBounded(fd: number): Buffer | string {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, MAX_FILE_BYTES + 1 - total));
    const n = readSome(fd, buf);
    if (n === 0) return Buffer.concat(chunks, total);
    chunks.push(buf.subarray(0, n));
    total += n;
    if (total > MAX_FILE_BYTES) return tooLarge();
  }
}

const pause = new Int32Array(new SharedArrayBuffer(4));

function readSome(fd: number, buf: Buffer): number {
  for (;;) {
    try {
      return readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      // A non-blocking stdin with nothing in it yet: wait 1 ms for the writer.
      if (code(e) !== 'EAGAIN') throw e;
      Atomics.wait(pause, 0, 0, 1);
    }
  }
}
