/**
 * Whether a link chaos (cut, latency, bandwidth, pause) can reach the
 * replica it names. The demo's chaos acts on the proxy between a replica and
 * its planned upstream; once a promotion or a re-point changed who follows
 * whom, the node's link no longer goes through any proxy (a FAILOVER makes
 * the old master follow the new one at its own port) and the chaos would
 * act on nothing. Said in the node's live terms (its INFO, as the demo
 * session's last poll read it), not the plan's: after a promotion the node
 * named "master" is a replica.
 */
import type { ChaosSpec, DemoNodeInfo } from '../../../shared/contract/demo';

/** null when the chaos can run; else why not, for the user. */
export function chaosLinkProblem(spec: ChaosSpec, liveNodes: readonly DemoNodeInfo[]): string | null {
  if (spec.kind !== 'cut-link' && spec.kind !== 'latency' && spec.kind !== 'bandwidth' && spec.kind !== 'pause-replica') return null;
  const node = liveNodes.find((candidate) => candidate.id === spec.replicaId || candidate.name === spec.replicaId);
  if (node === undefined) return `no demo node ${spec.replicaId}`;
  const label = `${node.id} ("${node.name}")`;
  if (node.role === 'master') return `${label} is a master now (INFO role:master): it has no link to a master for the chaos to act on`;
  // liveDemoNodes keeps the proxy port only while the node follows its planned upstream, through the proxy.
  if (node.proxyPort === null) return `${node.id} replicates from ${node.upstreamId ?? 'another node'} directly, not through the demo's chaos proxy (its master changed after the demo started): the chaos cannot cut, slow or pause that link; restart the demo to get a proxied link again`;
  return null;
}
