/**
 * The timeline lines of a Sentinel's +convert-to-slave and +fix-slave-config
 * notices: each is one SLAVEOF transaction its Sentinel sent (sentinel.c
 * sentinelRefreshInstanceInfo), published by that Sentinel alone. When the
 * SLAVEOF takes effect the instance's role or master changes, and a later
 * notice is a conversion of its own (sentinel-convert-twice.test.ts). When it
 * never does (the transaction's EXEC fails: CONFIG renamed away on the node)
 * Sentinel re-sends it every INFO period, forever: those notices are one line
 * with a repeat count, not a line each (sentinel-slaveof-not-taking-effect.test.ts).
 *
 * The instance is the node this console watches at the address the notice
 * names, through the monitor's aliases: Sentinel names a replica by the
 * address its master lists (replica-announce-ip/-port), or by another
 * address of the same node, which the console keeps as an alias of the node
 * it watches (sentinel-convert-announced-address.test.ts). Unresolved, such
 * an instance was never watched: every notice about it read as unchanged.
 *
 * Lines are keyed on (Sentinel, channel, instance). A notice is a new line
 * when the key has none yet, or when the instance changed since that line's
 * notice: each node's state (role, master, replication id and run_id, as
 * this console's polls read it) carries a version raised at every poll that
 * reads it different from the last poll it answered (a failed poll between
 * two notices is no change: sentinel-slaveof-failed-poll.test.ts). Versions, not values: a replica
 * re-pointed by hand to a sibling and back by Sentinel twice is a slave of
 * the same master with the same replication id at both notices, each a
 * SLAVEOF that took effect (sentinel-fix-slave-config-twice.test.ts). The
 * replication id is part of the state because a master made a replica and a
 * master again between two polls comes back with a new one (REPLICAOF NO ONE
 * shifts it), which a poll never missing it cannot tell otherwise.
 */
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { NodeSnapshot, TopologySnapshot } from '../../../shared/contract/snapshots';
import type { SentinelNotice } from './sentinel-notice';

export const SENTINEL_SLAVEOF_NOTICES: ReadonlySet<string> = new Set(['+convert-to-slave', '+fix-slave-config']);

/** A node's failed EXECs as its INFO commandstats counted them (cmdstat_exec failed_calls), or null when unknown. */
export type FailedExecs = (nodeId: string) => number | null;

interface Line {
  /** The event as first recorded: the base its updates are made from. */
  readonly event: ReplicationEvent;
  /** The instance's state version at the line's first notice (null: not watched then). */
  readonly version: number | null;
  /** The node's failed EXECs at the line's first notice. */
  readonly failedExecs: number | null;
  notices: number;
}

function stateOf(node: NodeSnapshot): string {
  return `${node.role} ${node.masterHost ?? '-'}:${node.masterPort ?? '-'} ${node.replid ?? '-'} ${node.runId ?? '-'}`;
}

interface NodeState {
  readonly state: string;
  /** Raised each time a poll reads the state different from the poll before. */
  readonly version: number;
}

export class SentinelSlaveofLines {
  private readonly lines = new Map<string, Line>();
  /** Each node's state at the latest poll, with its version. */
  private readonly states = new Map<string, NodeState>();

  /** `alias`: the node watched at an address a notice names (DeploymentMonitor's aliases). */
  constructor(private readonly failedExecs: FailedExecs, private readonly alias: (address: string) => string = (address) => address) {}

  /** The watched node the notice is about (its instance through the aliases), or null when it names none. */
  nodeIdOf(notice: SentinelNotice): string | null {
    return notice.instanceId === null ? null : this.alias(notice.instanceId);
  }

  /**
   * Notes each node's role, master, replication id and run_id as this poll
   * read them, raising its version when they changed. Only a node that
   * answered this poll is read: a failed poll (NOPERM, a refused or broken
   * connection: no role at all; a stale answer) says nothing of the node, and
   * a node answering again as it was has not changed (a restart shows in its
   * run_id).
   */
  observe(snapshot: TopologySnapshot): void {
    for (const node of snapshot.nodes) {
      if (node.health !== 'up' || node.stale) continue;
      const state = stateOf(node);
      const known = this.states.get(node.id);
      if (known === undefined) this.states.set(node.id, { state, version: 0 });
      else if (known.state !== state) this.states.set(node.id, { state, version: known.version + 1 });
    }
  }

  /**
   * The line a repeated notice updates (the same event, its count raised,
   * to be recorded again under its id), or null when the notice is a new
   * line (then call shown with its event). The event keeps its first
   * notice's time; numbers carry the first and the last notice's
   * (firstNoticeAt, lastNoticeAt) and the count (notices), which an
   * incident bundle's range is matched against (eventLastTime).
   */
  repeat(notice: SentinelNotice): ReplicationEvent | null {
    const line = this.lines.get(this.keyOf(notice));
    if (line === undefined || line.version !== this.versionOfInstance(notice)) return null;
    line.notices += 1;
    const failed = this.failedExecs(this.nodeIdOf(notice) ?? '');
    const grew = failed !== null && line.failedExecs !== null && failed > line.failedExecs ? failed - line.failedExecs : null;
    const node = this.nodeNamed(notice);
    const since = new Date(line.event.time).toISOString();
    const last = new Date(notice.time).toISOString();
    const note = grew !== null
      ? ` — Sentinel ${notice.sentinelId}'s SLAVEOF is not taking effect: sent ${line.notices} times from ${since} to ${last}, and ${node} counted ${grew} more failed EXEC (INFO commandstats cmdstat_exec failed_calls); its role and master are unchanged`
      : ` — ${notice.channel} ${line.notices} times from ${since} to ${last}; ${node}'s role, master and replication id read unchanged by every poll in between that it answered, and the same process (run_id)`;
    return {
      ...line.event,
      message: `${line.event.message}${note}`,
      numbers: { ...line.event.numbers, notices: line.notices, firstNoticeAt: line.event.time, lastNoticeAt: notice.time, failedExecsSince: grew },
    };
  }

  /** A notice shown as a new line, with the event recorded for it. */
  shown(notice: SentinelNotice, event: ReplicationEvent): void {
    this.lines.set(this.keyOf(notice), { event, version: this.versionOfInstance(notice), failedExecs: this.failedExecs(this.nodeIdOf(notice) ?? ''), notices: 1 });
  }

  /**
   * The watched node a repeat note speaks of: polls and commandstats read
   * that node, not the address Sentinel named (an alias of it when the
   * replica announces another address), which is added when it differs.
   */
  private nodeNamed(notice: SentinelNotice): string {
    const nodeId = this.nodeIdOf(notice);
    if (nodeId === null) return '?';
    return nodeId === notice.instanceId ? nodeId : `${nodeId} (announced as ${notice.instanceId})`;
  }

  private versionOfInstance(notice: SentinelNotice): number | null {
    return this.states.get(this.nodeIdOf(notice) ?? '')?.version ?? null;
  }

  private keyOf(notice: SentinelNotice): string {
    return `${notice.sentinelId} ${notice.channel} ${this.nodeIdOf(notice) ?? ''}`;
  }
}
