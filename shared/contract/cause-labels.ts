/**
 * Each event cause in the words the timeline shows ("demoted master
 * resyncing" for 'demoted-master'): the renderer's labels, and main's
 * messages that name another event's cause use the same words, never the
 * contract's id. Kept apart from the schema so the renderer imports them
 * without zod.
 */
import type { CauseCode } from './events';

export const CAUSE_LABELS: Record<CauseCode, string> = {
  'out-of-backlog': 'offset out of the backlog',
  'replid-mismatch': 'replication id mismatch',
  'requested-full': 'full sync requested',
  'backlog-expired': 'backlog freed (repl-backlog-ttl)',
  'backlog-created': 'backlog created for its first replica',
  'output-buffer-limit': 'output-buffer limit',
  'replica-restarted-without-cache': 'replica restarted without a cached master',
  'replica-restarted': 'the replica restarted',
  'master-restarted': 'master restarted',
  failover: 'failover',
  timeout: 'timeout',
  manual: 'operator action',
  network: 'network',
  chaos: 'chaos',
  'sentinel-failover': 'Sentinel',
  'cluster-failover': 'Cluster failover',
  'operator-command': 'operator (REPLICAOF/FAILOVER run on the node)',
  'client-kill': 'CLIENT KILL run on the node (not by this console)',
  'demoted-master': 'demoted master resyncing',
  'offset-past-promotion': 'had bytes past the promotion point',
  'upstream-resync': 'its master had just resynced',
  'master-unreachable': 'its master is unreachable',
  'connection-refused': 'connection refused: nothing listens on its port',
  'peer-closed': 'closed by the other end',
  'master-shutdown': 'its master shut down',
  'replica-shutdown': 'the replica shut down',
  crashed: 'the node crashed (panic)',
  'too-few-good-replicas': 'fewer good replicas than min-replicas-to-write',
  'enough-good-replicas': 'enough good replicas again',
  'min-replicas-off': 'min-replicas-to-write turned off',
  unknown: 'cause unknown',
};
