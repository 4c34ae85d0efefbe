/** Registers every subcommand on the program. Each command is one file in this folder. */
import type { Command } from 'commander';

export function registerCommands(_program: Command): void {
  // attrs, map, check, matrix, demo register here.
}
