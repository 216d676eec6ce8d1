/**
 * Configuration changes seen from the polled values (`inferred: true`):
 * somebody ran CONFIG SET (or restarted the node with another config), and
 * Redis tells nobody. Each poll's CONFIG GET of the replication settings is
 * compared with the previous one, per node; where CONFIG GET is not allowed,
 * the values INFO prints are compared instead (repl_backlog_size, maxmemory).
 *
 * Only two current readings are compared: a stale node (its answer is old)
 * or a node that did not answer is skipped, so an outage is never mistaken
 * for a change. One event per setting that changed, with both values.
 */
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import { makeEvent } from './event-inference';

/** The settings INFO prints, for nodes whose CONFIG GET is denied. */
function fromInfo(node: NodeSnapshot): Record<string, string> {
  const values: Record<string, string> = {};
  if (node.backlog) values['repl-backlog-size'] = String(node.backlog.sizeBytes);
  values.maxmemory = String(node.maxmemoryBytes ?? 0);
  return values;
}

function current(node: NodeSnapshot | undefined): node is NodeSnapshot {
  return node !== undefined && node.health === 'up' && !node.stale;
}

export function configChangeEvents(previous: TopologySnapshot | null, snapshot: TopologySnapshot): ReplicationEvent[] {
  if (!previous) return [];
  const before = new Map(previous.nodes.map((node) => [node.id, node]));
  const events: ReplicationEvent[] = [];
  for (const node of snapshot.nodes) {
    const old = before.get(node.id);
    if (!current(node) || !current(old)) continue;
    const bothConfigs = node.config !== null && old.config !== null;
    const then = bothConfigs ? old.config! : fromInfo(old);
    const now = bothConfigs ? node.config! : fromInfo(node);
    const restarted = old.runId !== null && node.runId !== null && old.runId !== node.runId;
    for (const [parameter, value] of Object.entries(now)) {
      const was = then[parameter];
      if (was === undefined || was === value) continue;
      events.push(makeEvent(snapshot.sessionId, snapshot.time, 'config-change', node.id, null, 'unknown', true,
        `${parameter} of ${node.id} changed: ${was || '""'} -> ${value || '""'} (seen in its ${bothConfigs ? 'polled config' : 'INFO'}${restarted ? ', after a restart' : ''})`,
        { parameter, from: was, to: value }));
    }
  }
  return events;
}
