/**
 * What `iolitmus check` reads: only regular files (and `-`), none over MAX_FILE_BYTES. Anything
 * else inside the run (a dangling link in a directory, a device, a FIFO, a huge file, too much on
 * stdin) is one `FILE: cannot read: ...` line and an error of that file (exit 1; in --json, line
 * and col 0, code "read"); the other files still run. A path that does not exist stays a usage
 * error (exit 2). Also: --jobs larger than the set of files.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_FILE_BYTES } from '../src/cli/files.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/iolitmus.js');
const MP = join(ROOT, 'catalogue/aarch64/MP.litmus');
const SB = join(ROOT, 'catalogue/aarch64/SB.litmus');
const MP_TEXT = readFileSync(MP, 'utf8');

const TMP = mkdtempSync(join(tmpdir(), 'iolitmus-cli-files-'));
after(() => rmSync(TMP, { recursive: true, force: true }));

const NO_STACK = /^\s+at /m;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly error: Error | undefined;
}

/**
 * A run that reads forever is killed after 30 s (the test then fails on its status, not on a
 * measured time).
 */
function check(args: readonly string[], input?: string | Uint8Array): Run {
  const r = spawnSync(process.execPath, [BIN, 'check', ...args], { encoding: 'utf8', timeout: 30_000, maxBuffer: 1 << 26, input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, error: r.error };
}

function dir(name: string): string {
  const d = join(TMP, name);
  mkdirSync(d, { recursive: true });
  return d;
}

function testNames(stdout: string): string[] {
  return [...stdout.matchAll(/^Test (\S+) /gm)].map((m) => m[1]!);
}

function stderrLines(r: Run): string[] {
  return r.stderr.split('\n').filter((l) => l !== '');
}

/** One line about `file`, saying it cannot be read, and the good files' results. */
function assertRefused(r: Run, file: string, why: RegExp, ran: readonly string[]): void {
  assert.equal(r.error, undefined, `the run did not end: ${String(r.error)}`);
  assert.equal(r.status, 1, r.stderr);
  assert.doesNotMatch(r.stderr, NO_STACK);
  const lines = stderrLines(r);
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0]!.startsWith(`${file}: cannot read: `), r.stderr);
  assert.match(lines[0]!, why);
  assert.deepEqual(testNames(r.stdout), ran);
}

test('a dangling symbolic link in a directory: one "cannot read" line, exit 1, the other tests run', () => {
  const d = dir('dangling');
  writeFileSync(join(d, 'MP.litmus'), MP_TEXT);
  symlinkSync(join(TMP, 'no-such-target'), join(d, 'gone.litmus'));
  // Not a test by its name: not looked at, not reported.
  symlinkSync(join(TMP, 'no-such-target'), join(d, 'gone.txt'));
  const r = check([d, SB]);
  assertRefused(r, join(d, 'gone.litmus'), /dangling symbolic link/, ['MP', 'SB']);
});

test('--json: a file that cannot be read is in errors[] with line 0, col 0, code "read"', () => {
  const d = dir('dangling-json');
  symlinkSync(join(TMP, 'no-such-target'), join(d, 'gone.litmus'));
  const r = check(['--json', d, MP]);
  assert.equal(r.status, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as { results: { name: string }[]; errors: Record<string, unknown>[] };
  assert.deepEqual(doc.results.map((x) => x.name), ['MP']);
  assert.equal(doc.errors.length, 1);
  const e = doc.errors[0]!;
  assert.deepEqual(Object.keys(e).sort(), ['code', 'col', 'file', 'line', 'message']);
  assert.deepEqual([e.file, e.line, e.col, e.code], [join(d, 'gone.litmus'), 0, 0, 'read']);
  assert.match(e.message as string, /^cannot read: /);
  // stderr says the same, on one line.
  assert.deepEqual(stderrLines(r), [`${join(d, 'gone.litmus')}: ${e.message as string}`]);
});

test('a directory with a link back to itself: each test once, no endless walk', () => {
  // `up` leads to loop/, which holds nothing but this directory.
  const d = dir('loop/inner');
  writeFileSync(join(d, 'MP.litmus'), MP_TEXT);
  symlinkSync('.', join(d, 'again'));
  symlinkSync('..', join(d, 'up'));
  const r = check([d]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(testNames(r.stdout), ['MP']);
});

test('/dev/zero is refused at once as a character device; the other file runs', { skip: !existsSync('/dev/zero') }, () => {
  const r = check(['/dev/zero', MP]);
  assertRefused(r, '/dev/zero', /not a regular file \(a character device\)/, ['MP']);
});

/** A FIFO with no writer: reading it would wait for ever. */
function fifo(path: string): boolean {
  return spawnSync('mkfifo', [path]).status === 0;
}

test('a FIFO, named or found in a directory, is refused without waiting for a writer', (t) => {
  const d = dir('fifo');
  const path = join(d, 'pipe.litmus');
  if (!fifo(path)) return t.skip('mkfifo is not available');
  writeFileSync(join(d, 'MP.litmus'), MP_TEXT);
  assertRefused(check([path, SB]), path, /not a regular file \(a FIFO\)/, ['SB']);
  assertRefused(check([d]), path, /not a regular file \(a FIFO\)/, ['MP']);
});

test(`a file over the size limit (${MAX_FILE_BYTES} bytes) is refused; one of exactly the limit is read`, () => {
  assert.equal(MAX_FILE_BYTES, 1024 * 1024);
  const big = join(TMP, 'big.litmus');
  writeFileSync(big, MP_TEXT + '\n'.repeat(MAX_FILE_BYTES + 1 - MP_TEXT.length));
  assertRefused(check([big, MP]), big, /larger than 1 MiB/, ['MP']);
  const limit = join(TMP, 'limit.litmus');
  writeFileSync(limit, MP_TEXT + '\n'.repeat(MAX_FILE_BYTES - MP_TEXT.length));
  const r = check([limit]);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(testNames(r.stdout), ['MP']);
});

test('stdin over the size limit is refused after reading limit + 1 bytes; exactly the limit is read', () => {
  const over = check(['-'], MP_TEXT + '\n'.repeat(MAX_FILE_BYTES + 1 - MP_TEXT.length));
  assertRefused(over, '<stdin>', /larger than 1 MiB/, []);
  const at = check(['-'], MP_TEXT + '\n'.repeat(MAX_FILE_BYTES - MP_TEXT.length));
  assert.equal(at.status, 0, at.stderr);
  assert.deepEqual(testNames(at.stdout), ['MP']);
});

test('stdin from /dev/zero ends with the size refusal', { skip: !existsSync('/dev/zero') }, () => {
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" check - < /dev/zero`], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.error, undefined, String(r.error));
  assert.equal(r.status, 1, r.stderr);
  assert.equal(r.stderr.trim(), '<stdin>: cannot read: larger than 1 MiB, the limit for a litmus file');
});

test('a path that does not exist (also a dangling link named directly) is still a usage error, exit 2', () => {
  const link = join(TMP, 'named-dangling.litmus');
  symlinkSync(join(TMP, 'no-such-target'), link);
  for (const p of [join(TMP, 'absent.litmus'), link]) {
    const r = check([p, MP]);
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(stderrLines(r), [`iolitmus: no such file or directory: ${p}`]);
  }
});

test('--jobs 1000 on 2 files: the same output as -j 1, exit 0', () => {
  const many = check(['--jobs', '1000', MP, SB]);
  const one = check(['-j', '1', MP, SB]);
  assert.equal(many.status, 0, many.stderr);
  assert.equal(many.stderr, '');
  const dropTime = (s: string) => s.split('\n').filter((l) => !l.startsWith('Time ')).join('\n');
  assert.equal(dropTime(many.stdout), dropTime(one.stdout));
  assert.deepEqual(testNames(many.stdout), ['MP', 'SB']);
});
