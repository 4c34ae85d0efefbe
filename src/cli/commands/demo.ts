/**
 * `iolitmus demo`: a guest's device mapping questions answered by the attribute pipeline (KVM's
 * stage-2 choice per kernel version, then stage 1 x stage 2), one line each.
 */
import type { Command } from 'commander';
import { SEED_CASES, answerSeedCase } from '../../platform/index.js';
import { formatDemoTable } from '../../report/demo-text.js';
import { writeOut } from '../output.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description("answer the mapping questions of a guest with an assigned device: KVM stage 2 x guest stage 1 -> effective type")
    .option('--json', 'print the answers as JSON')
    .action((flags: { json?: boolean }) => {
      const answers = SEED_CASES.map(answerSeedCase);
      if (flags.json) {
        writeOut(JSON.stringify(answers.map((a) => ({ ...a.c, result: a.decision.result, s2: a.decision.result === 'mapped' ? a.decision.s2 : null, effective: a.effective ?? null })), null, 2) + '\n');
        return;
      }
      writeOut(formatDemoTable(answers));
    });
}
