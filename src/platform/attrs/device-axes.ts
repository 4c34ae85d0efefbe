/**
 * The three independent axes of a Device memory subtype (Arm ARM B2, "Device memory"):
 * Gathering (G / nG), Reordering (R / nR) and Early write acknowledgement (E / nE).
 */
import type { DeviceKind } from '../memory-type.js';

/** One Device subtype split into its axes; `true` is the strict ("n") side of each axis. */
export interface DeviceAxes {
  /** nG: accesses are not gathered (merged) into one transaction. */
  readonly nG: boolean;
  /** nR: accesses to one peripheral arrive in program order. */
  readonly nR: boolean;
  /** nE: the write acknowledgement comes from the endpoint, not from an intermediate buffer. */
  readonly nE: boolean;
}

// The four subtypes the architecture defines. nG with R does not exist: non-Gathering implies
// non-Reordering in every defined subtype, and G implies R — so the per-axis combination of two
// defined subtypes is always a defined subtype (checked in deviceFromAxes).
const AXES: Readonly<Record<DeviceKind, DeviceAxes>> = {
  nGnRnE: { nG: true, nR: true, nE: true },
  nGnRE: { nG: true, nR: true, nE: false },
  nGRE: { nG: true, nR: false, nE: false },
  GRE: { nG: false, nR: false, nE: false },
};

/** The axes of a Device subtype. */
export function deviceAxes(kind: DeviceKind): DeviceAxes {
  return AXES[kind];
}

/** The Device subtype with the given axes; a combination the architecture lacks is an Error. */
export function deviceFromAxes(axes: DeviceAxes): DeviceKind {
  for (const kind of Object.keys(AXES) as DeviceKind[]) {
    const a = AXES[kind];
    if (a.nG === axes.nG && a.nR === axes.nR && a.nE === axes.nE) return kind;
  }
  throw new Error(`no Device subtype has axes ${JSON.stringify(axes)}`);
}

/**
 * Combines two Device subtypes the way stage 1 and stage 2 combine (Arm ARM D8, "Combining the
 * stage 1 and stage 2 attributes"): each axis independently takes the stricter value — nG over
 * G, nR over R, nE over E.
 */
export function stricterDevice(a: DeviceKind, b: DeviceKind): DeviceKind {
  const x = AXES[a];
  const y = AXES[b];
  return deviceFromAxes({ nG: x.nG || y.nG, nR: x.nR || y.nR, nE: x.nE || y.nE });
}
