/**
 * Which master each replica action needs, and whose word it takes: the one
 * place that decides it, so that no plan or command is built from a master
 * the console does not know.
 *
 * The console knows a replica's master two ways: the replica's own INFO
 * (master_host:master_port, the address it dials), and its master's INFO,
 * whose slaveN line lists the replica (the link the console builds when it
 * cannot read the replica: the replica's process is gone, its INFO timed
 * out, or the console's ACL user may not run INFO there).
 *
 *  - Force full resync runs REPLICAOF NO ONE, then REPLICAOF <host> <port>,
 *    on the replica. The second must name the address the replica itself
 *    dials, which only its own INFO gives: the master's slaveN line names the
 *    replica, not how the replica reaches the master (a proxy, NAT or an
 *    announced address may be in between). Without it the first command
 *    alone would leave the replica a master, so the action is refused.
 *  - Disconnect link, master side, acts on the master the link names: the
 *    master's listing is enough to find it (the replica still has to answer
 *    CLIENT LIST for the connection's address).
 *  - Disconnect link, replica side, and a promotion by REPLICAOF NO ONE need
 *    no master at all; FAILOVER and SENTINEL FAILOVER need the master's id,
 *    which the link gives (masterOf).
 *
 * A replica that does not answer and whose last INFO was lost with it (a
 * refused connection keeps no INFO: its process is gone) has told neither,
 * so a plan built anyway would read "REPLICAOF null null" or "the link to
 * null:null". The plan says so instead, and the action is refused.
 */
import type { LinkSnapshot, NodeSnapshot } from '../../../shared/contract/snapshots';

/** The master as the link (or, without one, the replica's own INFO) names it; null when neither does. */
export function masterOf(replica: NodeSnapshot, link: LinkSnapshot | undefined): string | null {
  if (link !== undefined) return link.masterId;
  return replica.masterHost !== null && replica.masterPort !== null ? `${replica.masterHost}:${replica.masterPort}` : null;
}

/** Why no plan can name this replica's master, or null when one can (its link, or its own INFO). */
export function unknownMasterReason(replica: NodeSnapshot, link: LinkSnapshot | undefined): string | null {
  if (masterOf(replica, link) !== null) return null;
  return `the console shows no link from ${replica.id} to a master and ${replica.id} has not said whom it replicates from${unreadable(replica)}`;
}

/**
 * The address Force full resync makes the replica follow again: master_host
 * and master_port from the replica's own INFO, or why there is none.
 */
export function ownMasterAddress(replica: NodeSnapshot, link: LinkSnapshot | undefined): { host: string; port: number; refusal: null } | { refusal: string } {
  if (replica.role === 'master') {
    const listed = link === undefined ? '' : `, though ${link.masterId} still lists it as a replica`;
    return { refusal: `${replica.id} answers as a master (role:master in its own INFO)${listed}: it follows no master, so there is nothing to resync from` };
  }
  if (replica.masterHost !== null && replica.masterPort !== null) return { host: replica.masterHost, port: replica.masterPort, refusal: null };
  if (link === undefined) return { refusal: unknownMasterReason(replica, link)! };
  return {
    refusal: `${replica.id} has not said whom it replicates from${unreadable(replica)}. ${link.masterId} lists it as a replica, but that does not say which address ${replica.id} dials to reach it: `
      + `Force full resync runs REPLICAOF NO ONE and then REPLICAOF with master_host and master_port from ${replica.id}'s own INFO, and without them the first command would leave ${replica.id} a master`,
  };
}

/** Why the console has no INFO of the node, as the end of a sentence (empty when it has one). */
function unreadable(node: NodeSnapshot): string {
  if (node.health === 'up') return '';
  // The node's own refusal and the fix, as the connection's classifier words them (NOPERM for INFO...).
  if (node.health === 'denied' && node.healthDetail) return `: ${node.healthDetail.replace(/\.$/, '')}`;
  return ` (it is ${node.health}${node.healthProblem ? `: ${node.healthProblem}` : ''})`;
}
