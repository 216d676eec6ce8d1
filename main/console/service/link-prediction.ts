/**
 * What a replica's reconnection would be right now, from the console's
 * view of its link: partial while its position is inside the master's
 * backlog window, full once it is not.
 */
import type { ResyncPrediction } from '../../../shared/contract/actions';
import type { LinkSnapshot } from '../../../shared/contract/snapshots';

export function linkPrediction(link: LinkSnapshot | undefined): { prediction: ResyncPrediction; reason: string } {
  // A replica its master dropped, silent: no offset is current, the verdict comes with its own reason.
  if (link?.partialResyncWhy !== undefined) {
    const prediction: ResyncPrediction = link.partialResyncPossible === null ? 'unknown' : link.partialResyncPossible ? 'partial' : 'full';
    return { prediction, reason: `${link.replicaId} was dropped by its master and does not answer: ${link.partialResyncWhy}` };
  }
  if (!link || link.partialResyncPossible === null) return { prediction: 'unknown', reason: 'the master backlog or the replica offset is not known' };
  if (!link.partialResyncPossible) return { prediction: 'full', reason: 'the replica offset is already outside the master backlog window' };
  const window = link.outageCoveredSeconds === null ? '' : `; if the link stayed down, at the current write rate it stays inside for about ${Math.round(link.outageCoveredSeconds)} s`;
  return { prediction: 'partial', reason: `the replica offset ${link.replicaOffset} is inside the master backlog (the master may write ${link.backlogHeadroomBytes ?? '?'} more bytes before it leaves) and it will reconnect at once${window}` };
}
