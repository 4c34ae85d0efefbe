/**
 * The syntax tree of a model file (docs/models.md): definitions of event sets and relations,
 * and the checks an execution must pass. Every node keeps its span for located errors.
 */
import type { Span } from '../../syntax/diagnostics.js';

export type BinaryOp = 'union' | 'inter' | 'diff' | 'seq' | 'product';
export type PostfixOp = 'plus' | 'star' | 'opt' | 'inverse';

export type Expr =
  | { readonly kind: 'name'; readonly name: string; readonly span: Span }
  /** `0`: the empty relation (or set, where a set is expected). */
  | { readonly kind: 'empty'; readonly span: Span }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly span: Span }
  | { readonly kind: 'postfix'; readonly op: PostfixOp; readonly arg: Expr; readonly span: Span }
  /** `[S]`: the identity on a set. */
  | { readonly kind: 'identity'; readonly arg: Expr; readonly span: Span }
  | { readonly kind: 'call'; readonly fn: 'domain' | 'range'; readonly arg: Expr; readonly span: Span }
  /** `if "variant" then e1 else e2`: chosen once, by the named assumption. */
  | { readonly kind: 'if'; readonly variant: string; readonly variantSpan: Span; readonly then: Expr; readonly else: Expr; readonly span: Span };

export interface Binding {
  readonly name: string;
  readonly span: Span;
  readonly body: Expr;
}

export type CheckKind = 'acyclic' | 'irreflexive' | 'empty';

export type Statement =
  | { readonly kind: 'let'; readonly rec: boolean; readonly bindings: readonly Binding[]; readonly span: Span }
  /**
   * `acyclic e as name`: executions that fail it are not consistent. A flag (`flag ~empty e as
   * name`) rejects nothing: executions where its test holds are reported under its name.
   */
  | { readonly kind: 'check'; readonly flag: boolean; readonly negated: boolean; readonly test: CheckKind; readonly expr: Expr; readonly name: string; readonly span: Span }
  | { readonly kind: 'include'; readonly file: string; readonly span: Span }
  /**
   * `with NAME from orientations(P, L)`: NAME is one of the relations that order each pair of P
   * one way or the other, the pairs L already orders as L does. Each is a candidate execution of
   * its own (herd's `with ... from enumerate-ordered-pairs`).
   */
  | { readonly kind: 'with'; readonly name: string; readonly nameSpan: Span; readonly pairs: Expr; readonly order: Expr; readonly span: Span };

export interface ModelFile {
  /** The quoted title on the first line, if any. */
  readonly title: string | undefined;
  readonly statements: readonly Statement[];
}
