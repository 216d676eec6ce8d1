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
