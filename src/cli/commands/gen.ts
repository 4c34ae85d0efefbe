/**
 * `iolitmus gen`: diy7-style AArch64 litmus tests from cycles of relaxation edges. Options are
 * diy7's (`-size 6 -nprocs 4 -relax "..." -safe "..."`, `-one "..."`), with one dash as diy
 * writes them or two; docs/gen.md has the edge vocabulary and the naming scheme.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../errors.js';
import { edgeName, generateTest, generateTests, parseEdgeList, type Edge, type GeneratedTest } from '../../gen/index.js';
import { writeOut, writeErr } from '../output.js';

/** The options of one run, after parsing. */
interface GenFlags {
  size: number;
  nprocs: number;
  ins: number;
  relax: Edge[];
  safe: Edge[];
  mix: boolean;
  one: string[];
  name?: string;
  out?: string;
  stdout: boolean;
}

const USAGE = `
Options (one dash, as diy7 writes them, or two):
  -size N          maximal number of edges in a cycle (default 6)
  -nprocs N        maximal number of threads (default 4)
  -ins N           maximal number of accesses in a thread (default 4)
  -relax "EDGES"   relaxed edges: each test uses at least one
  -safe "EDGES"    safe edges: the rest of each cycle
  -mix [true|false]  several different relaxed edges in one test (default false)
  -one "EDGES"     the test of this one cycle (may be repeated)
  -name NAME       the name of the test of -one
  -o DIR           write DIR/NAME.litmus for each test, and DIR/@all (default: the current directory)
  -stdout          print the tests on standard output instead

Edges: Rfe Fre Coe Rfi Fri Coi, Pod** Pos**, DpAddrdR DpAddrdW DpDatadW DpCtrldR DpCtrldW
DpCtrlIsbdR DpCtrlIsbdW, DMB.SYd** DMB.STd** DMB.LDd** DSB.SYd** ISBd** ..., Amo.Swp Amo.Cas
Amo.LdAdd ..., LxSx; two annotation letters after an edge (P A Q L X XA XL): PodWRPA, RfeLA.
A '*' stands for both directions. Example: iolitmus gen -size 4 -nprocs 2 -relax "DMB.STdWW" -safe "Rfe Fre Pod**" -stdout
`;

export function registerGen(program: Command): void {
  program
    .command('gen')
    .description('generate litmus tests from cycles of relaxation edges (diy7 style)')
    .usage('[-size N] [-nprocs N] [-relax EDGES] [-safe EDGES] [-mix] [-one EDGES] [-o DIR | -stdout]')
    .addHelpText('after', USAGE)
    // diy's options are words after one dash (-size), which commander would split into letters:
    // take every word as an argument and read the options here.
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[options...]')
    .action((words: string[]) => {
      process.exitCode = gen(parseGenArgs(words));
    });
}

/** Read diy-style options; a UsageError names the first bad one. */
export function parseGenArgs(words: readonly string[]): GenFlags {
  const flags: GenFlags = { size: 6, nprocs: 4, ins: 4, relax: [], safe: [], mix: false, one: [], stdout: false };
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const option = word.replace(/^--?/, '');
    if (option === word) throw new UsageError(`gen: unexpected argument '${word}' (options start with -, see iolitmus gen --help)`);
    const value = (): string => {
      const v = words[++i];
      if (v === undefined) throw new UsageError(`gen: ${word} needs a value`);
      return v;
    };
    switch (option) {
      case 'size': flags.size = count(word, value(), 2); break;
      case 'nprocs': flags.nprocs = count(word, value(), 2); break;
      case 'ins': flags.ins = count(word, value(), 1); break;
      case 'relax': flags.relax.push(...edges(word, value())); break;
      case 'safe': flags.safe.push(...edges(word, value())); break;
      case 'one': flags.one.push(value()); break;
      case 'name': flags.name = value(); break;
      case 'o': flags.out = value(); break;
      case 'stdout': [flags.stdout, i] = boolAt(words, i); break;
      case 'mix': [flags.mix, i] = boolAt(words, i); break;
      default: throw new UsageError(`gen: unknown option ${word} (see iolitmus gen --help)`);
    }
  }
  if (flags.name !== undefined && flags.one.length !== 1) throw new UsageError('gen: -name goes with exactly one -one');
  if (flags.out !== undefined && flags.stdout) throw new UsageError('gen: -o and -stdout exclude each other');
  return flags;
}

/** A flag at `i`, maybe followed by true or false as diy's boolean options are: its value and the last word used. */
function boolAt(words: readonly string[], i: number): [boolean, number] {
  const next = words[i + 1];
  return next === 'true' || next === 'false' ? [next === 'true', i + 1] : [true, i];
}

function count(option: string, text: string, min: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw new UsageError(`gen: ${option} needs a whole number of at least ${min}, not '${text}'`);
  return Number(text);
}

function edges(option: string, text: string): Edge[] {
  try {
    return parseEdgeList(text);
  } catch (e) {
    throw new UsageError(`gen: ${option}: ${(e as Error).message}`);
  }
}

/** Generate, then print or write; the exit status. */
function gen(flags: GenFlags): number {
  const tests = build(flags);
  if (flags.stdout) {
    writeOut(tests.map((t) => t.text).join('\n'));
    return 0;
  }
  const dir = flags.out ?? '.';
  try {
    mkdirSync(dir, { recursive: true });
    for (const t of tests) writeFileSync(join(dir, `${t.name}.litmus`), t.text);
    const index = [`# iolitmus gen ${describe(flags)}`, ...tests.map((t) => `${t.name}.litmus`)];
    writeFileSync(join(dir, '@all'), index.join('\n') + '\n');
  } catch (e) {
    throw new UsageError(`gen: cannot write into ${dir}: ${(e as Error).message}`);
  }
  writeErr(`iolitmus gen: ${tests.length} test${tests.length === 1 ? '' : 's'} written to ${dir}\n`);
  return 0;
}

function build(flags: GenFlags): GeneratedTest[] {
  if (flags.one.length > 0) {
    return flags.one.map((cycle) => {
      try {
        return generateTest(cycle, flags.name !== undefined ? { name: flags.name } : {});
      } catch (e) {
        if (e instanceof RangeError) throw new UsageError(`gen: -one "${cycle}": ${e.message}`);
        throw e;
      }
    });
  }
  if (flags.relax.length === 0 && flags.safe.length === 0) throw new UsageError('gen: give -relax and -safe edges, or -one "EDGES"');
  return generateTests(flags);
}

/** The options in the @all header. */
function describe(flags: GenFlags): string {
  return flags.one.length > 0
    ? flags.one.map((c) => `-one "${c}"`).join(' ')
    : `-size ${flags.size} -nprocs ${flags.nprocs} -ins ${flags.ins} -mix ${flags.mix} -relax "${flags.relax.map(edgeName).join(' ')}" -safe "${flags.safe.map(edgeName).join(' ')}"`;
}
