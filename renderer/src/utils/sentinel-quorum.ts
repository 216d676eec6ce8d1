/**
 * A Sentinel group's quorum as the page says it. Each Sentinel has its own
 * quorum for a group (SENTINEL SET changes only the Sentinel it runs on),
 * and the Sentinel that detects the master down counts agreement against
 * its own: when the Sentinels that answered disagree, one number would be
 * one Sentinel's word for all, so the label gives the range and says so.
 */
import type { SentinelGroup } from '../api/contract';

export function sentinelQuorums(group: SentinelGroup): number[] {
  return [...new Set(group.sentinels.map((sentinel) => sentinel.quorum).filter((quorum): quorum is number => quorum !== null && quorum !== undefined))].sort((a, b) => a - b);
}

export function quorumLabel(group: SentinelGroup): string {
  const quorums = sentinelQuorums(group);
  return quorums.length > 1 ? `quorum ${quorums[0]}–${quorums[quorums.length - 1]} (Sentinels disagree)` : `quorum ${quorums[0] ?? group.quorum}`;
}

/**
 * The topology frame's one health line, within its 300 px: when the Sentinels
 * disagree, "up" stands for "sentinels up" to leave room for the range, and
 * the title says the rest.
 */
export function frameHealthLabel(group: SentinelGroup, up: number): { text: string; title: string | null } {
  const quorums = sentinelQuorums(group);
  if (quorums.length > 1) {
    return {
      text: `${up}/${group.sentinels.length} up · quorum ${quorums[0]}–${quorums[quorums.length - 1]} (differ)`,
      title: `${up} of ${group.sentinels.length} Sentinels up; they disagree on the quorum (${quorumLabel(group)}): SENTINEL SET changes only the Sentinel it runs on. See Sentinels for each one's.`,
    };
  }
  return { text: `${up}/${group.sentinels.length} sentinels up · ${quorumLabel(group)}`, title: null };
}

/**
 * The group's "can it fail over" badge, from every Sentinel's own SENTINEL
 * CKQUORUM (the console asks each): OK only when each Sentinel that answered
 * said OK; "no quorum" when none did; "quorum split" when some Sentinels say
 * NOQUORUM and others OK (each counts usable Sentinels against its own
 * quorum and its own list of Sentinels). `refusing` names each that said
 * NOQUORUM, with its words. Groups recorded before per-Sentinel checks fall
 * back to the group's single verdict.
 */
export function quorumBadge(group: SentinelGroup): { level: 'ok' | 'warn' | 'critical' | 'unknown'; label: string; refusing: Array<{ id: string; text: string }>; title: string } {
  const answered = group.sentinels.filter((sentinel) => sentinel.quorumOk !== null && sentinel.quorumOk !== undefined);
  const refusing = answered.filter((sentinel) => sentinel.quorumOk === false).map((sentinel) => ({ id: sentinel.id, text: sentinel.quorumCheck ?? 'NOQUORUM' }));
  const silent = group.sentinels.length - answered.length;
  const notAnswering = silent > 0 ? `; ${silent} of ${group.sentinels.length} did not answer (not counted)` : '';
  if (answered.length === 0) {
    if (group.quorumOk === null) return { level: 'unknown', label: 'quorum ?', refusing, title: 'No Sentinel answered SENTINEL CKQUORUM' };
    return { level: group.quorumOk ? 'ok' : 'critical', label: group.quorumOk ? 'quorum OK' : 'no quorum', refusing, title: group.quorumDetail ?? '' };
  }
  if (refusing.length === 0) return { level: 'ok', label: 'quorum OK', refusing, title: `SENTINEL CKQUORUM OK on each of the ${answered.length} Sentinels that answered${notAnswering}` };
  if (refusing.length === answered.length) return { level: 'critical', label: 'no quorum', refusing, title: `SENTINEL CKQUORUM NOQUORUM on every Sentinel that answered${notAnswering}` };
  return {
    level: 'warn',
    label: 'quorum split',
    refusing,
    title: `${refusing.length} of ${answered.length} Sentinels answer NOQUORUM (${refusing.map((entry) => entry.id).join(', ')}), the others OK${notAnswering}: each Sentinel counts usable Sentinels against its own quorum and its own list of Sentinels`,
  };
}
