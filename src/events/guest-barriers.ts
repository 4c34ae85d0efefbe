/**
 * KVM runs its guests with HCR_EL2.BSU = Inner Shareable (Linux's HCR_GUEST_FLAGS: "upgrade
 * barriers to the inner shareable domain"; Arm ARM D1 HCR_EL2.BSU): a guest's DMB/DSB NSH
 * behaves as ISH. The event keeps its text (`DSB NSH`); its domain is upgraded.
 */
import type { Event, ThreadPath } from './event.js';

function upgraded(e: Event): Event {
  return e.kind === 'F' && (e.fence.op === 'DMB' || e.fence.op === 'DSB') && e.fence.domain === 'NSH' ? { ...e, fence: { ...e.fence, domain: 'ISH' } } : e;
}

export function withGuestBarriers(threads: readonly (readonly ThreadPath[])[], guests: ReadonlySet<number>): (readonly ThreadPath[])[] {
  return threads.map((paths) => paths.map((p) => (guests.has(p.thread) && p.events.some((e) => upgraded(e) !== e) ? { ...p, events: p.events.map(upgraded) } : p)));
}
