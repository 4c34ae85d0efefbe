/**
 * Building and walking a condition's proposition without recursing once per atom.
 *
 * A chain `a /\ b /\ ... /\ z` of thousands of atoms is ordinary in generated tests. The parser
 * builds it as a balanced tree (depth log2 n, not n), and the walks here take a whole chain of
 * one connective, or the whole proposition, in a loop. So a walk that recurses only where the
 * connective changes goes as deep as the text nests (parentheses, `~`, `=>`: at most
 * MAX_NESTING levels, limits.ts), whatever the length of its chains.
 */
import type { Prop } from './ast.js';

/** What a proposition tests: everything but the connectives and the constants. */
export type PropAtom = Exclude<Prop, { readonly kind: 'true' | 'false' | 'and' | 'or' | 'implies' | 'not' }>;

/**
 * `items[0] kind items[1] kind ...` (at least one item) as a balanced tree of depth
 * ceil(log2 n). Pairs are formed from the left, so up to three items the tree is the left
 * grouping herd reads (`(a /\ b) /\ c`); `/\` and `\/` are associative, so the value is the same
 * for every grouping, and evaluation still goes left to right.
 */
export function balancedChain(kind: 'and' | 'or', items: readonly Prop[]): Prop {
  if (items.length === 0) throw new RangeError('balancedChain: no operands');
  let level = items;
  while (level.length > 1) {
    const next: Prop[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push({ kind, args: [level[i]!, level[i + 1]!] });
    if (level.length % 2 === 1) next.push(level[level.length - 1]!);
    level = next;
  }
  return level[0]!;
}

/**
 * The operands of the chain of `p`'s connective that `p` heads, left to right: `[a, b, c]` for
 * `a /\ (b /\ c)` as for `(a /\ b) /\ c`. A `p` that is not `/\` or `\/` is its own one operand.
 */
export function chainOperands(p: Prop): readonly Prop[] {
  if (p.kind !== 'and' && p.kind !== 'or') return [p];
  // A condition is evaluated once per final state: flatten each chain once.
  const known = flattened.get(p);
  if (known !== undefined) return known;
  const out: Prop[] = [];
  const stack: Prop[] = [p];
  while (stack.length > 0) {
    const q = stack.pop()!;
    if (q.kind === p.kind) stack.push(q.args[1], q.args[0]);
    else out.push(q);
  }
  flattened.set(p, out);
  return out;
}

const flattened = new WeakMap<Prop, readonly Prop[]>();

/** Call `visit` on every atom of `p`, left to right (as written). */
export function forEachAtom(p: Prop, visit: (atom: PropAtom) => void): void {
  const stack: Prop[] = [p];
  while (stack.length > 0) {
    const q = stack.pop()!;
    switch (q.kind) {
      case 'and':
      case 'or':
      case 'implies':
        stack.push(q.args[1], q.args[0]);
        break;
      case 'not':
        stack.push(q.arg);
        break;
      case 'true':
      case 'false':
        break;
      default:
        visit(q);
    }
  }
}
