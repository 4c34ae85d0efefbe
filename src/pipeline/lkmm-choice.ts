/**
 * Which kernel C tests the Linux kernel memory model answers: those of CPUs and memory alone (no
 * endpoint, mapping or guest) that call no Linux I/O accessor or I/O barrier (`writel`,
 * `dma_wmb`, `mb`: the LKMM has only the `smp_*` barriers) and no host operation (`kvm_unmap`,
 * `vfio_zap_bars`): those make the test a question about arm64 hardware and the device model.
 * The C front end lowers exactly these for the LKMM too (syntax/c/parser.ts).
 */
import type { LitmusTest } from '../syntax/ast.js';
import type { Model } from '../model/model.js';
import { LKMM_TAGS } from '../model/lang/lkmm-primitives.js';

/** The C front end lowered such a test for the LKMM as well (syntax/c/parser.ts). */
export function lkmmQuestion(test: LitmusTest): boolean {
  return test.arch === 'C' && test.lkmm !== undefined;
}

const LKMM_NAMES: ReadonlySet<string> = new Set([...LKMM_TAGS.map(([t]) => t), 'RMW', 'rcu-rscs']);

/** Does a model speak of the LKMM's events (it names one of their annotations)? Else it is an arm64 model. */
export function speaksLkmm(model: Model): boolean {
  return model.modules.some((m) => m.uses !== undefined && [...m.uses].some((u) => LKMM_NAMES.has(u)));
}
