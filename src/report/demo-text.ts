/** The demo's table: one row per seed case. */
import type { SeedAnswer } from '../platform/index.js';

export function formatDemoTable(answers: readonly SeedAnswer[]): string {
  const rows = answers.map((a) => {
    const s2 = a.decision.result === 'mapped' ? `${a.decision.s2.kind} (0x${a.decision.s2.memattr.toString(16)})` : a.decision.result;
    return [a.c.title, `${a.c.source} @ ${a.c.kernel}${a.c.fwb ? ' FWB' : ''}${a.c.exec ? ' exec' : ''}`, a.c.guest, s2, a.summary];
  });
  const head = ['case', 'host mapping', 'guest stage 1', 'KVM stage 2', 'effective'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n') + '\n';
}
