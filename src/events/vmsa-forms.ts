/**
 * herd's VMSA forms in a test: translation table entries as locations (`PTE(x)`, `pte_x`),
 * physical addresses (`PA(x)`) and descriptors `(oa:PA(y), valid:0, ...)`. They ask for herd's
 * translation table walks (`-variant vmsa`, vmsa-space.ts): in a test without that variant each
 * is a located `unsupported` error, never a value read as an ordinary integer or location.
 */
import type { LitmusTest, StateRef, Value } from '../syntax/ast.js';
import { error, type Diagnostic, type Span } from '../syntax/diagnostics.js';
import { forEachAtom, type PropAtom } from '../syntax/prop.js';
import { pteOf } from '../syntax/shared/vmsa-syntax.js';

const MESSAGE = "herd's VMSA page tables (PTE(x), PA(x), descriptors) need its VMSA semantics: give the test 'Variant=vmsa' or run with --variant vmsa";

function isVmsaValue(v: Value): boolean {
  return v.kind === 'pte' || v.kind === 'pa' || (v.kind === 'addr' && pteOf(v.loc) !== undefined);
}

function isVmsaRef(r: StateRef): boolean {
  return r.kind === 'loc' && pteOf(r.loc) !== undefined;
}

/** The first VMSA form of the init section, `locations [...]` and condition, as a diagnostic. */
export function vmsaFormDiagnostics(test: LitmusTest): Diagnostic[] {
  for (const item of test.init) {
    if (isVmsaValue(item.value) || (item.kind === 'loc' && pteOf(item.loc) !== undefined)) return [error('unsupported', MESSAGE, item.span)];
  }
  for (const r of test.locations) if (isVmsaRef(r)) return [error('unsupported', MESSAGE, r.span)];
  let at: Span | undefined;
  const visit = (p: PropAtom): void => {
    if (at === undefined && (p.kind === 'eq' || p.kind === 'ne') && (isVmsaRef(p.lhs) || isVmsaValue(p.rhs))) at = p.span;
  };
  if (test.condition) forEachAtom(test.condition.prop, visit);
  return at === undefined ? [] : [error('unsupported', MESSAGE, at)];
}
