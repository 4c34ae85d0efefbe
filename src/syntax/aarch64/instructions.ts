/**
 * One AArch64 instruction (the text of one cell after its labels) -> an AST instruction.
 *
 * Mnemonics are case-insensitive and looked up in one table built at load time from the three
 * families: memory (instr-memory.ts), data processing (instr-data.ts) and control, barriers and
 * system (instr-control.ts). Anything else is an 'unsupported' diagnostic at the mnemonic.
 * @internal
 */
import { CONTROL_HANDLERS } from './instr-control.js';
import { DATA_HANDLERS } from './instr-data.js';
import { MEMORY_HANDLERS } from './instr-memory.js';
import type { Handler, ParsedInstr } from './instr-common.js';
import type { Cursor } from '../shared/tokens.js';

export type { ParsedInstr } from './instr-common.js';

const HANDLERS: ReadonlyMap<string, Handler> = new Map([...MEMORY_HANDLERS, ...DATA_HANDLERS, ...CONTROL_HANDLERS]);

/** Parse the instruction starting at the cursor (its first token is the mnemonic). */
export function parseInstruction(cur: Cursor): ParsedInstr {
  const mn = cur.next('an instruction');
  if (mn.kind !== 'ident') cur.failAt(mn, `expected an instruction, found '${mn.text}'`);
  const handler = HANDLERS.get(mn.text.toUpperCase());
  if (handler === undefined) cur.failCode('unsupported', mn, `unsupported instruction '${mn.text}'`);
  return handler(cur, mn);
}

/** Is `name` (any case) a supported mnemonic? */
export function isSupportedMnemonic(name: string): boolean {
  return HANDLERS.has(name.toUpperCase());
}
