/**
 * A replica action needs the master the replica follows: its address
 * (master_host:master_port in its own INFO) or the console's link to it. A
 * replica that does not answer and whose last INFO was lost with it (a
 * refused connection keeps no INFO: its process is gone) has told neither,
 * so a plan built anyway would read "REPLICAOF null null" or "the link to
 * null:null". The plan says so instead, and the action is refused.
 */
import type { LinkSnapshot, NodeSnapshot } from '../../../shared/contract/snapshots';

/** Why no plan can name this replica's master, or null when one can. */
export function unknownMasterReason(replica: NodeSnapshot, link: LinkSnapshot | undefined): string | null {
  if (link !== undefined || (replica.masterHost !== null && replica.masterPort !== null)) return null;
  const state = replica.health === 'up' ? '' : ` (it is ${replica.health}${replica.healthProblem ? `: ${replica.healthProblem}` : ''})`;
  return `the console shows no link from ${replica.id} to a master and ${replica.id} has not said whom it replicates from${state}`;
}
