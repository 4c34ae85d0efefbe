/**
 * The path choices of each thread. A device whose endpoint can be reset may be stopped by the
 * reset part-way through its program: besides its complete paths, it gets every prefix of them
 * (marked `cut`), and the arrival search then requires a reset after the prefix's last action.
 */
import type { ThreadPath } from '../events/event.js';
import type { Program } from '../events/program.js';

/** Endpoints some write in the test can reset (FLR, a reset register, a reset controller). */
export function resettableEndpoints(program: Program): Set<string> {
  const out = new Set<string>();
  for (const r of program.topology.registers.values()) {
    if (r.attrs.flr || r.attrs.selfReset) out.add(r.endpoint);
    if (r.attrs.resets !== undefined) out.add(r.attrs.resets);
  }
  return out;
}

/** Each thread's paths, with the prefixes of resettable devices' paths added. */
export function threadChoices(program: Program): (readonly ThreadPath[])[] {
  const resettable = resettableEndpoints(program);
  return program.threads.map((paths) => {
    const first = paths[0];
    if (!first || first.agent !== 'device' || first.endpoint === undefined || !resettable.has(first.endpoint)) return paths;
    const out: ThreadPath[] = [...paths];
    const seen = new Set<string>();
    for (const p of paths) {
      for (let k = 0; k < p.events.length; k++) {
        const cut = prefix(p, k);
        const key = prefixKey(cut);
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(cut);
      }
    }
    return out;
  });
}

/** The first k events of a path, with what refers only to them. */
function prefix(p: ThreadPath, k: number): ThreadPath {
  const inside = (pairs: readonly (readonly [number, number])[]) => pairs.filter(([a, b]) => a < k && b < k);
  return {
    ...p,
    events: p.events.slice(0, k),
    addr: inside(p.addr),
    data: inside(p.data),
    ctrl: inside(p.ctrl),
    rmw: inside(p.rmw),
    constraints: p.constraints.filter((c) => c.at < k),
    labels: new Map([...p.labels].filter(([, pos]) => pos < k)),
    cut: true,
  };
}

function prefixKey(p: ThreadPath): string {
  return JSON.stringify([p.events.map((e) => e.text), p.constraints.map((c) => [c.code, c.holds, c.at])]);
}
