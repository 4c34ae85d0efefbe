/**
 * herd's `requires-BBM` flag under VMSA (it changes no verdict): an execution where a valid
 * translation table entry is replaced by a valid one with another output address without an
 * invalid descriptor in between — what the Arm ARM's break-before-make sequence (D8.16.1,
 * "Using break-before-make when updating translation table entries") exists to avoid.
 *
 * herd's definition, over coherence-after (ca = fr | co) at one entry, keeps only the update of an
 * entry whose sole ca-predecessor is the entry's initial descriptor: the second write in
 * coherence, when no read (explicit or a translation's) read the initial descriptor. That update
 * needs break-before-make when both descriptors are valid and their output addresses differ, and
 * no invalid descriptor can be between them there. The values of the candidate decide it, which
 * the model language does not see: hence this rule in code.
 */
import type { WriteEvent } from '../events/event.js';
import { descriptorOf, type Val } from '../events/value.js';
import { evaluate } from '../events/sym.js';
import type { Program } from '../events/program.js';
import type { CandidateExecution } from './enumerate.js';

export function requiresBbm(program: Program, c: CandidateExecution): boolean {
  if (program.vmsa === undefined) return false;
  const value = (w: number): Val | undefined => evaluate((c.x.events[w] as WriteEvent).value, c.varValue);
  for (const entry of program.vmsa.pte) {
    const chain = c.co.get(entry);
    if (chain === undefined || chain.length < 2) continue;
    const [init, next] = [chain[0]!, chain[1]!];
    if (c.x.memoryReads.some((r) => c.x.addrOf[r] === entry && c.rf[r] === init)) continue;
    const before = descriptorOf(value(init) ?? 0n);
    const after = descriptorOf(value(next) ?? 0n);
    if (before?.valid && after?.valid && before.oa !== after.oa) return true;
  }
  return false;
}
