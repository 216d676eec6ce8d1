/**
 * What Sentinels learn about their group on their own, as one timeline line
 * per kind and group: +slave (a replica found in the master's INFO),
 * +sentinel (another Sentinel heard in the hellos on the master's
 * __sentinel__:hello channel) and +sentinel-invalid-addr (a Sentinel now
 * answering at a known address with another run id: the old one is dropped).
 *
 * Every Sentinel publishes these for itself (sentinel.c
 * sentinelRefreshInstanceInfo, sentinelProcessHelloMessage): one replica
 * added to three Sentinels' master is three +slave, one Sentinel joining is
 * a +sentinel on each of the others and one per Sentinel on the newcomer.
 * So notices of one kind and group are gathered for DISCOVERY_WINDOW_MS
 * after the first (Sentinels INFO a master every 10 s, hello every 2 s: by
 * then each has published its own) and shown as one line saying which
 * instances were found and by which Sentinels. An instance shown is not
 * shown again for the same kind within REPEAT_QUIET_MS (a Sentinel that INFOs
 * later than the window).
 *
 * Seen with redis-sentinel 7.0.15: REPLICAOF on a new redis-server gave
 * '+slave slave 127.0.0.1:34373 127.0.0.1 34373 @ mymaster 127.0.0.1 37605'
 * on each Sentinel; a fourth Sentinel gave '+sentinel sentinel <run id>
 * 127.0.0.1 33983 @ mymaster ...' on the others; a Sentinel restarted on its
 * port without its myid gave '+sentinel-invalid-addr sentinel <old run id>
 * 127.0.0.1 32825 @ ...' then '+sentinel sentinel <new run id> ...'. (The
 * -dup-sentinel of Sentinels before 3.0 is no longer published: 7.0 says
 * +sentinel-invalid-addr.)
 */
import type { SentinelNotice } from './sentinel-notice';

/** Longer than the 10 s between a Sentinel's INFO of its master, so each Sentinel's +slave falls in one line. */
export const DISCOVERY_WINDOW_MS = 11_000;
const REPEAT_QUIET_MS = 30_000;

const DISCOVERY_CHANNELS = new Set(['+slave', '+sentinel', '+sentinel-invalid-addr']);

export function isDiscoveryNotice(channel: string): boolean {
  return DISCOVERY_CHANNELS.has(channel);
}

export interface DiscoveryLine {
  readonly time: number;
  readonly channel: string;
  readonly group: string;
  /** The group's master as the first notice named it: where the line is filed. */
  readonly masterId: string | null;
  /** Each instance found, with the Sentinels that reported it (ids "host:port"), in order of arrival. */
  readonly found: ReadonlyArray<{ readonly instanceId: string; readonly runId: string | null; readonly reportedBy: readonly string[] }>;
  readonly message: string;
}

interface Gathering {
  readonly first: SentinelNotice;
  readonly found: Map<string, { runId: string | null; reportedBy: string[] }>;
}

/**
 * At +switch-master a Sentinel resets the group and re-adds its replicas,
 * the old master among them, each with a +slave published in the same
 * event-loop turn (sentinelResetMasterAndChangeAddress): those are the
 * failover's, already on the timeline as +switch-master, not replicas found.
 */
const SWITCH_RELISTING_MS = 1_000;

export class SentinelDiscoveryDigest {
  private readonly gathering = new Map<string, Gathering>();
  private readonly shown = new Map<string, number>();
  /** Each Sentinel's last +switch-master, by "sentinel group". */
  private readonly switches = new Map<string, number>();

  /** A +switch-master: the same Sentinel's +slave right after it re-lists the group's replicas. */
  noteSwitch(notice: SentinelNotice): void {
    this.switches.set(`${notice.sentinelId} ${notice.group ?? '?'}`, notice.time);
  }

  /** Takes a discovery notice (isDiscoveryNotice); lines come out of due(). */
  add(notice: SentinelNotice): void {
    if (notice.instanceId === null) return;
    const switched = this.switches.get(`${notice.sentinelId} ${notice.group ?? '?'}`);
    if (notice.channel === '+slave' && switched !== undefined && notice.time >= switched && notice.time - switched <= SWITCH_RELISTING_MS) return;
    // A Sentinel is known by its run id as well: one restarted at its address with a new run id is news.
    const runId = notice.instanceType === 'sentinel' ? (notice.text.split(' ')[1] ?? null) : null;
    const entryKey = runId === null ? notice.instanceId : `${notice.instanceId} ${runId}`;
    const shownAt = this.shown.get(`${notice.channel} ${entryKey}`);
    if (shownAt !== undefined && notice.time - shownAt < REPEAT_QUIET_MS) return;
    const key = `${notice.channel} ${notice.group ?? '?'}`;
    let gathering = this.gathering.get(key);
    if (gathering === undefined) {
      gathering = { first: notice, found: new Map() };
      this.gathering.set(key, gathering);
    }
    const entry = gathering.found.get(entryKey) ?? { runId, reportedBy: [] };
    if (!entry.reportedBy.includes(notice.sentinelId)) entry.reportedBy.push(notice.sentinelId);
    gathering.found.set(entryKey, entry);
  }

  /** The lines whose window has closed by `now`, oldest first. */
  due(now: number): DiscoveryLine[] {
    const lines: DiscoveryLine[] = [];
    for (const [key, gathering] of this.gathering) {
      if (now - gathering.first.time < DISCOVERY_WINDOW_MS) continue;
      this.gathering.delete(key);
      const { channel, group, masterId, time } = gathering.first;
      for (const entryKey of gathering.found.keys()) this.shown.set(`${channel} ${entryKey}`, time);
      const found = [...gathering.found.entries()].map(([entryKey, entry]) => ({ instanceId: entryKey.split(' ')[0]!, runId: entry.runId, reportedBy: entry.reportedBy }));
      lines.push({ time, channel, group: group ?? '?', masterId, found, message: describe(channel, group ?? '?', found) });
    }
    for (const [key, at] of this.shown) if (now - at > REPEAT_QUIET_MS) this.shown.delete(key);
    return lines.sort((a, b) => a.time - b.time);
  }
}

function listed(found: DiscoveryLine['found']): string {
  return found.map((entry) => `${entry.instanceId}${entry.runId === null ? '' : ` (run id ${entry.runId.slice(0, 8)})`} by ${entry.reportedBy.length === 1 ? 'Sentinel' : 'Sentinels'} ${entry.reportedBy.join(', ')}`).join('; ');
}

/** What the line says an operator should know. */
function describe(channel: string, group: string, found: DiscoveryLine['found']): string {
  const many = found.length > 1;
  switch (channel) {
    case '+slave':
      return `${group}: ${many ? 'replicas' : 'replica'} found in the master's INFO: ${listed(found)}. Sentinel now counts ${many ? 'them' : 'it'} as ${many ? 'failover candidates' : 'a failover candidate'} (unless replica-priority is 0) and keeps ${many ? 'them' : 'it'} in its config: a replica removed later stays listed as down until SENTINEL RESET`;
    case '+sentinel':
      return `${group}: ${many ? 'Sentinels' : 'a Sentinel'} heard in the hellos: ${listed(found)}. Each now counts among the voters: a failover needs the votes of a majority of every Sentinel known, and a Sentinel that goes away still counts until SENTINEL RESET on each of the others`;
    case '+sentinel-invalid-addr':
      return `${group}: a known Sentinel's address now answers with another run id (it restarted without its myid, e.g. a config without 'sentinel myid', or another Sentinel took its address): the old run id is forgotten: ${listed(found)}. Two Sentinels sharing a myid or an address must never run; check each has its own`;
    default:
      return `${group}: ${channel} ${listed(found)}`;
  }
}
