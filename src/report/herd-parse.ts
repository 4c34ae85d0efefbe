/**
 * Reading herd7's text output back: the parts of a result that make up a verdict, in a form that
 * compares line-order-independently — the set of final states (each state's items sorted), Ok/No,
 * the Positive/Negative counts, the Observation, and the flags. Used to compare iolitmus with
 * herd7 (scripts/herd-compare.mjs) and to check the generated corpus against herd7's recorded
 * results (test/corpus.test.ts).
 */

export interface HerdVerdict {
  readonly name: string;
  /** Each state as `item; item; ...` with its items sorted, the states sorted. */
  readonly states: readonly string[];
  readonly ok: boolean;
  readonly positive: number;
  readonly negative: number;
  readonly observation: 'Never' | 'Sometimes' | 'Always';
  readonly flags: readonly string[];
}

/** One herd-layout result block (`Test NAME ...` to `Observation ...`), or undefined if it is none. */
export function parseHerdResult(text: string): HerdVerdict | undefined {
  const lines = text.split('\n').map((l) => l.trim());
  const t = lines.findIndex((l) => l.startsWith('Test '));
  if (t < 0) return undefined;
  const name = lines[t]!.split(/\s+/)[1] ?? '';
  const count = Number(/^States (\d+)$/.exec(lines[t + 1] ?? '')?.[1]);
  if (!Number.isInteger(count)) return undefined;
  const states = lines.slice(t + 2, t + 2 + count).map(normalizeState).sort();
  const rest = lines.slice(t + 2 + count);
  const pn = /^Positive: (\d+) Negative: (\d+)$/.exec(rest.find((l) => l.startsWith('Positive:')) ?? '');
  const obs = /^Observation \S+ (Never|Sometimes|Always) /.exec(rest.find((l) => l.startsWith('Observation ')) ?? '');
  if (!pn || !obs) return undefined;
  return {
    name,
    states,
    ok: rest[0] === 'Ok' || rest[0] === 'Loop Ok',
    positive: Number(pn[1]),
    negative: Number(pn[2]),
    observation: obs[1] as HerdVerdict['observation'],
    flags: rest.filter((l) => l.startsWith('Flag ')).map((l) => l.slice(5)).sort(),
  };
}

/** `1:X0=1; [x]=2;` -> `1:X0=1; [x]=2` with the items sorted. */
export function normalizeState(line: string): string {
  return line.split(';').map((s) => s.trim()).filter((s) => s !== '').sort().join('; ');
}

/** One line of a corpus facts file: `NAME<TAB>Never|Sometimes|Always P N<TAB>state | state ...`. */
export function verdictLine(v: HerdVerdict): string {
  return `${v.name}\t${v.observation} ${v.positive} ${v.negative}\t${v.states.join(' | ')}`;
}

/** The verdicts of a facts file, by test name. */
export function parseVerdictLines(text: string): Map<string, { observation: string; positive: number; negative: number; states: string[] }> {
  const out = new Map<string, { observation: string; positive: number; negative: number; states: string[] }>();
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const [name, verdict, states] = line.split('\t');
    const [observation, p, n] = (verdict ?? '').split(' ');
    out.set(name!, { observation: observation!, positive: Number(p), negative: Number(n), states: states ? states.split(' | ') : [] });
  }
  return out;
}
