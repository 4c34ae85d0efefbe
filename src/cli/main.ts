/**
 * The `iolitmus` command. Each subcommand lives in `commands/NAME.ts` and registers itself here.
 */
import { Command, CommanderError } from 'commander';
import { UsageError } from './errors.js';
import { registerCommands } from './commands/index.js';
import { packageVersion } from './version.js';
import { writeErr, writeOut } from './output.js';
import { EXIT } from './exit-status.js';

export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('iolitmus')
    .description('Exhaustive litmus checker for Arm64 MMIO: memory types, barriers, devices, PCIe')
    .exitOverride()
    .configureOutput({ writeOut: (s) => writeOut(s), writeErr: (s) => writeErr(s) })
    .showSuggestionAfterError()
    .version(packageVersion(), '-V, --version');
  registerCommands(program);
  try {
    // herd's spellings of the model option.
    const args = argv.map((a) => (a === '-model' || a === '-cat' ? '--model' : a));
    await program.parseAsync(args, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // commander already printed its message; help and version exit 0.
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError || e instanceof RangeError) {
      writeErr(`iolitmus: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

// Output goes through output.ts (synchronous: nothing is lost at exit; EPIPE ends quietly).
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    writeErr(`iolitmus: internal error: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    process.exit(EXIT.internal);
  },
);
