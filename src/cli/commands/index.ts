/** Registers every subcommand on the program. Each command is one file in this folder. */
import type { Command } from 'commander';
import { registerAttrs } from './attrs.js';
import { registerMap } from './map.js';
import { registerCheck } from './check.js';
import { registerDemo } from './demo.js';
import { registerMatrix } from './matrix.js';
import { registerGen } from './gen.js';
import { registerWeb } from './web.js';

export function registerCommands(program: Command): void {
  registerAttrs(program);
  registerMap(program);
  registerCheck(program);
  registerDemo(program);
  registerMatrix(program);
  registerGen(program);
  registerWeb(program);
}
