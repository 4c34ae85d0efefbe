/**
 * Which kernel C tests the Linux kernel memory model answers: those of CPUs and memory alone (no
 * endpoint, mapping or guest: the C front end then lowered them for the LKMM too) that call no
 * Linux I/O accessor or I/O barrier (`writel`, `dma_wmb`, `mb`: the LKMM has only the `smp_*`
 * barriers) and no host operation (`kvm_unmap`, `vfio_zap_bars`): those make the test a question
 * about arm64 hardware and the device model.
 */
import type { LitmusTest } from '../syntax/ast.js';
import type { Model } from '../model/model.js';
import { COUNTED_IO_ACCESSORS, IO_ACCESSORS } from '../platform/linux-io.js';
import { builtinNames } from '../syntax/c/builtins.js';
import { LKMM_TAGS } from '../model/lang/lkmm-primitives.js';

const ARM64_CALL = new RegExp(`\\b(${[...IO_ACCESSORS.keys(), ...COUNTED_IO_ACCESSORS, ...builtinNames()].filter((n) => !n.startsWith('smp_')).join('|')})\\s*\\(`);

export function lkmmQuestion(test: LitmusTest, source: string): boolean {
  return test.arch === 'C' && test.lkmm !== undefined && !ARM64_CALL.test(source);
}

const LKMM_NAMES: ReadonlySet<string> = new Set([...LKMM_TAGS.map(([t]) => t), 'RMW', 'rcu-rscs']);

/** Does a model speak of the LKMM's events (it names one of their annotations)? Else it is an arm64 model. */
export function speaksLkmm(model: Model): boolean {
  return model.modules.some((m) => m.uses !== undefined && [...m.uses].some((u) => LKMM_NAMES.has(u)));
}
