/** Registers every subcommand on the program. Each command is one file in this folder. */
import type { Command } from 'commander';
import { registerAttrs } from './attrs.js';
import { registerMap } from './map.js';
import { registerCheck } from './check.js';

export function registerCommands(_program: Command): void {
  // attrs, map, check, matrix, demo register here.
  registerAttrs(_program);
  registerMap(_program);
  registerCheck(_program);
}
