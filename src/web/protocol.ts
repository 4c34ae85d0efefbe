/**
 * The messages between the playground page and its checker worker (worker.ts). Everything is
 * plain data: the page never runs the core itself, so a long search never freezes the tab.
 */
import type { ModelSpec } from '../model/lang/spec.js';
import type { Expectation } from '../pipeline/matrix.js';

/** A settings set the page sends with a check, as the CLI takes them. */
export interface CheckSettings {
  readonly model: ModelSpec | undefined;
  /** `--assume` text (`fabric=architecture relaxed-ordering=on`), empty for the defaults. */
  readonly assume: string;
  readonly timeoutMs: number;
  readonly maxExecutions: number | undefined;
  readonly unroll: number;
  /** `--kvm`, `--fwb`: the test's stage-2 mappings under another kernel, with or without FWB. */
  readonly kvm: string | undefined;
  readonly fwb: boolean | undefined;
}

export type Request =
  | { readonly id: number; readonly kind: 'lint'; readonly text: string }
  | { readonly id: number; readonly kind: 'check'; readonly name: string; readonly text: string; readonly settings: CheckSettings }
  | { readonly id: number; readonly kind: 'matrix'; readonly name: string; readonly text: string; readonly settings: CheckSettings; readonly expectations: readonly Expectation[] }
  | { readonly id: number; readonly kind: 'attrs'; readonly s1: string; readonly s2: string; readonly fwb: boolean }
  | { readonly id: number; readonly kind: 'map'; readonly kernel: string; readonly source: string; readonly guestS1: string; readonly fwb: boolean; readonly dic: boolean }
  | { readonly id: number; readonly kind: 'model'; readonly name: string; readonly text: string }
  /** Draw a graph (dot) as SVG: asked after a check, so its answer does not wait for Graphviz. */
  | { readonly id: number; readonly kind: 'svg'; readonly dot: string }
  /** Load the built-in models and Graphviz ahead of the first check. */
  | { readonly id: number; readonly kind: 'warm' };

/** A diagnostic as the editor underlines it. */
export interface PageDiagnostic {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export type Reply =
  | { readonly id: number; readonly kind: 'lint'; readonly diagnostics: readonly PageDiagnostic[] }
  | {
      readonly id: number;
      readonly kind: 'check';
      /** herd's layout, as `iolitmus check` prints it. */
      readonly text: string | undefined;
      /** `file:line:col: message` lines (errors, warnings, a Result: mismatch). */
      readonly errors: readonly string[];
      /** The witness graph, or the ruled-out execution of a Never with its cycle (Graphviz dot). */
      readonly dot: string | undefined;
      /** Mappings (stage 1 x stage 2) and endpoint timelines, as `--explain` prints them. */
      readonly explanation: string | undefined;
      readonly observation: string | undefined;
      readonly ms: number;
    }
  | { readonly id: number; readonly kind: 'matrix'; readonly table: string; readonly summary: string }
  | { readonly id: number; readonly kind: 'text'; readonly text: string; readonly error: boolean }
  | { readonly id: number; readonly kind: 'svg'; readonly svg: string }
  /** A running check's progress (not its answer: the request stays pending). */
  | { readonly id: number; readonly kind: 'progress'; readonly examined: number };
