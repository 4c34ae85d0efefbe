/**
 * Test names, as diy7 builds them (with `-num false`): the family of the communication shape,
 * then for each thread with internal edges, those edges' short names joined by '-' (`po`,
 * `dmb.st`, `rfi-addr`), all joined by '+': `MP+dmb.st+addr`. Threads that are only `po` drop
 * out together (`MP`, `IRIW`); when every thread has the same part it is written once with an
 * `s` (`SB+dmb.sys`). A dependency followed by more program order names its target direction
 * (`addrR-po`), and annotated edges add their two annotation letters (`popl`, `addrRpa`).
 */
import { annotSuffix } from './annotations.js';
import { isExternal, type Edge } from './edges.js';
import { familyName, threadShapes } from './families.js';

/** The name of one internal edge inside a thread part, given the edge after it. */
function edgePart(e: Edge, next: Edge | undefined): string {
  const k = e.kind;
  // diy spells out where a dependency lands when program order goes on from there.
  const dir = k.cls === 'dep' && next !== undefined && ['po', 'dep', 'fence'].includes(next.kind.cls) ? e.tgt : '';
  // Edges that can keep or change location say `s` when they keep it (`pos`, `dmb.sys`, `addrs`).
  const same = k.shape !== 'fixed' && e.sameLoc ? 's' : '';
  return k.short + same + dir + annotSuffix(e.a1, e.a2).toLowerCase();
}

/** The part of the name for each thread that has internal edges, in thread order. */
export function threadParts(edges: readonly Edge[]): string[] {
  const parts: string[] = [];
  let run: Edge[] = [];
  for (const e of edges) {
    if (!isExternal(e)) {
      run.push(e);
      continue;
    }
    if (run.length > 0) parts.push(run.map((r, i) => edgePart(r, run[i + 1])).join('-'));
    run = [];
  }
  return parts;
}

/** The name of the test of a cycle in canonical rotation. */
export function testName(edges: readonly Edge[]): string {
  const family = familyName(threadShapes(edges));
  const parts = threadParts(edges);
  if (parts.every((p) => p === 'po')) return family;
  if (parts.length > 1 && parts.every((p) => p === parts[0])) return `${family}+${parts[0]}s`;
  return [family, ...parts].join('+');
}
