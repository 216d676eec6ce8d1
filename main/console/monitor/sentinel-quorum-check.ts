/**
 * Whether a Sentinel group can fail its master over, from every Sentinel's
 * own SENTINEL CKQUORUM, not one Sentinel's word for all.
 *
 * CKQUORUM (sentinel.c sentinelIsQuorumReachable) counts the usable
 * Sentinels this Sentinel knows (itself, plus those it does not flag
 * s_down/o_down) against its own quorum, and against a majority of all the
 * Sentinels it knows (voters/2+1, needed to authorize a failover). Each
 * Sentinel has its own quorum (SENTINEL SET changes one) and its own list of
 * Sentinels (a SENTINEL RESET empties it for a while), so two Sentinels of
 * one group may answer differently: with one Sentinel of three stopped and
 * quorum 3 SET on another, redis-sentinel 7.0.15 answered
 * "NOQUORUM 2 usable Sentinels. Not enough available Sentinels to reach the
 * specified quorum for this master" on that one and "OK 2 usable Sentinels.
 * Quorum and failover authorization can be reached" on the third.
 *
 * Any Sentinel that answers may be the one that sees the master down and
 * asks the others for votes, so the group is OK only when every Sentinel
 * that answers says OK. A Sentinel that does not answer cannot authorize or
 * start anything; it is not counted either way (the answering Sentinels
 * count it out of their usable ones once they flag it s_down).
 */
import type { Redis } from 'ioredis';
import type { SentinelView } from '../../../shared/contract/snapshots';

export interface QuorumCheck {
  readonly quorumCheck: string | null;
  readonly quorumOk: boolean | null;
}

/** One Sentinel's CKQUORUM for a group, as it said it (ioredis gives the error's text without the leading '-'). */
export async function askQuorum(client: Redis, group: string): Promise<QuorumCheck> {
  try {
    return { quorumCheck: String(await client.call('SENTINEL', 'CKQUORUM', group)), quorumOk: true };
  } catch (failure) {
    const text = failure instanceof Error ? failure.message : String(failure);
    return { quorumCheck: text, quorumOk: /^NOQUORUM\b/.test(text) ? false : null };
  }
}

/**
 * The group's verdict from its Sentinels' answers: OK when every Sentinel
 * that answered CKQUORUM said OK; otherwise each that did not, with its words.
 */
export function groupQuorum(views: readonly SentinelView[]): { quorumOk: boolean | null; quorumDetail: string | null } {
  const answered = views.filter((view) => view.quorumOk !== null && view.quorumCheck !== null);
  if (answered.length === 0) return { quorumOk: null, quorumDetail: null };
  const refusing = answered.filter((view) => view.quorumOk === false);
  if (refusing.length === 0) {
    const silent = views.length - answered.length;
    return { quorumOk: true, quorumDetail: `${answered.map((view) => `${view.id}: ${view.quorumCheck}`).join('; ')}${silent > 0 ? ` (${silent} of ${views.length} Sentinels did not answer CKQUORUM)` : ''}` };
  }
  const agreeing = answered.length - refusing.length;
  const who = refusing.map((view) => `${view.id}: ${view.quorumCheck}`).join('; ');
  return {
    quorumOk: false,
    quorumDetail: agreeing === 0 ? who : `${refusing.length} of ${answered.length} Sentinels answering disagree that a failover can be authorized — ${who}`,
  };
}
