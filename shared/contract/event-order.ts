/**
 * The one order of the timeline, in main (the log, incident bundles) and in
 * the renderer (live and replayed timelines): by time, oldest first.
 *
 * Ties matter: clocks here tick in whole milliseconds, and an operator's
 * chaos (Cut link, Kill, ...) and what it causes are often stamped in the same
 * one: the console stamps chaos at the moment it was asked for, and the
 * engine reports the link-down it causes a fraction of a millisecond later.
 * Within one millisecond the cause comes first, so the newest event at that
 * moment is the effect (the link-down), not the chaos that came before it.
 * Other ties keep the order they had (the caller's tie-break).
 */
import type { EventKind } from './events';

/** Kinds stamped at the moment the operator asked, before anything they cause. */
const CAUSE_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['chaos']);

const tieRank = (kind: EventKind): number => (CAUSE_KINDS.has(kind) ? 0 : 1);

/** Negative when `a` comes first on the timeline; 0 for events of one millisecond and the same rank. */
export function compareEventTimes(a: { readonly time: number; readonly kind: EventKind }, b: { readonly time: number; readonly kind: EventKind }): number {
  return a.time - b.time || tieRank(a.kind) - tieRank(b.kind);
}
