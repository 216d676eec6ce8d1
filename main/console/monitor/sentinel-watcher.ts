/**
 * Sentinel deployments: the profile's seeds are Sentinels. Each poll asks the
 * first Sentinel that answers for the monitored master(s) (SENTINEL MASTER
 * <name>, or SENTINEL MASTERS when no name is set), their replicas as Sentinel
 * knows them (SENTINEL REPLICAS: also those the master no longer lists), the
 * other Sentinels (SENTINEL SENTINELS) and whether a failover could be
 * authorised (SENTINEL CKQUORUM). The masters' addresses are where the replication graph is
 * discovered from, so after a Sentinel failover the new master is followed.
 * Sentinels use their own credentials (sentinelUsername / sentinelPassword)
 * and are dialled like data nodes (through the profile's SSH tunnel if any).
 *
 * Every Sentinel is also asked on its own for its view of each group (the
 * master it reports, its flags for it, the config epoch): Sentinels disagree
 * during a failover and after a partition, and the per-Sentinel table shows
 * it. And every Sentinel is listened to: a second connection per Sentinel
 * PSUBSCRIBEs to all its event channels (+sdown, +odown, +switch-master,
 * +promoted-slave, ...; sentinel-notice.ts), so a failover is known as
 * Sentinel's doing, step by step, rather than guessed from role changes.
 * Sentinel keeps no history of its notices: those published while the
 * console was not subscribed are gone, and `subscribed` says so per Sentinel.
 */
import type { Redis } from 'ioredis';
import type { ProfileFields, ProfileSecrets } from '../../../shared/contract/profiles';
import type { NodeHealth, SentinelGroup, SentinelReplicaView, SentinelView } from '../../../shared/contract/snapshots';
import { directDialer, type NodeDialer } from '../net/node-dialer';
import { classifyFailure, createNodeClient, isRedisReply } from './node-client';
import { parseSentinelNotice, type SentinelNotice } from './sentinel-notice';
import { askQuorum, groupQuorum } from './sentinel-quorum-check';

/** One Sentinel's view of one group, from SENTINEL MASTER asked of that Sentinel. */
interface GroupView {
  readonly masterView: string | null;
  readonly masterFlags: string | null;
  readonly configEpoch: number | null;
  /** The quorum this Sentinel uses for the group (its own: SENTINEL SET changes one Sentinel). */
  readonly quorum: number | null;
  /** Its SENTINEL CKQUORUM answer, word for word ("OK 3 usable Sentinels. ...", "NOQUORUM 2 usable Sentinels. ..."). */
  readonly quorumCheck: string | null;
  /** Whether that answer was OK (false: NOQUORUM; null: no answer, or another error). */
  readonly quorumOk: boolean | null;
}

interface SentinelNode {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Created on first use (the dialer may need to open a forward first). */
  client: Redis | null;
  /** The connection subscribed to its event channels (ioredis resubscribes after a reconnect). */
  subscriber: Redis | null;
  health: NodeHealth;
  readonly views: Map<string, GroupView>;
  /** The last +sdown it published, per group. */
  readonly lastSdown: Map<string, { time: number; instance: string }>;
}

const RECENT_NOTICES = 500;

/** SENTINEL replies are flat field/value arrays. */
/** A number field of a SENTINEL reply; null when absent. */
function numberField(fields: Map<string, string>, name: string): number | null {
  const value = fields.get(name);
  return value === undefined || value === '' || !Number.isFinite(Number(value)) ? null : Number(value);
}

/** One entry of SENTINEL REPLICAS, as the fields sentinelSelectSlave judges a replica by. */
function sentinelReplicaView(fields: Map<string, string>): SentinelReplicaView {
  return {
    id: `${fields.get('ip')}:${fields.get('port')}`,
    flags: (fields.get('flags') ?? '').split(',').filter((flag) => flag !== ''),
    priority: numberField(fields, 'slave-priority'),
    masterLinkDownMs: numberField(fields, 'master-link-down-time'),
    infoRefreshMs: numberField(fields, 'info-refresh'),
    lastOkPingMs: numberField(fields, 'last-ok-ping-reply'),
  };
}

function fieldsOf(reply: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (!Array.isArray(reply)) return fields;
  for (let i = 0; i + 1 < reply.length; i += 2) fields.set(String(reply[i]), String(reply[i + 1]));
  return fields;
}

export class SentinelWatcher {
  private readonly sentinels = new Map<string, SentinelNode>();
  private groupsNow: SentinelGroup[] = [];
  private masterAddresses: Array<{ host: string; port: number }> = [];
  private replicaAddressList: Array<{ host: string; port: number }> = [];
  private readonly groupMembers = new Map<string, string[]>();
  private readonly noticeListeners = new Set<(notice: SentinelNotice) => void>();
  private readonly recent: SentinelNotice[] = [];
  private closed = false;

  constructor(private readonly profile: ProfileFields, private readonly secrets: ProfileSecrets, private readonly dialer: NodeDialer = directDialer) {
    for (const seed of profile.seeds) this.add(seed.host, seed.port);
  }

  private add(host: string, port: number): void {
    const id = `${host}:${port}`;
    if (this.sentinels.has(id)) return;
    this.sentinels.set(id, { id, host, port, client: null, subscriber: null, health: 'unknown', views: new Map(), lastSdown: new Map() });
  }

  private async connectionTo(sentinel: SentinelNode): Promise<Redis> {
    const via = await this.dialer.endpoint(sentinel.host, sentinel.port);
    return createNodeClient(sentinel, { ...(this.profile.sentinelUsername ? { username: this.profile.sentinelUsername } : {}), ...(this.profile.tls ? { tls: this.profile.tls } : {}) }, { ...(this.secrets.sentinelPassword ? { password: this.secrets.sentinelPassword } : {}) }, via, true);
  }

  private async clientOf(sentinel: SentinelNode): Promise<Redis> {
    if (sentinel.client) return sentinel.client;
    const client = await this.connectionTo(sentinel);
    sentinel.client ??= client;
    if (sentinel.client !== client) client.disconnect();
    return sentinel.client;
  }

  /**
   * Subscribes to every event channel of the Sentinel (PSUBSCRIBE *), once;
   * awaited on the first refresh so nothing after open() is missed. A failure
   * leaves `subscriber` null and is retried at the next refresh.
   */
  private async listen(sentinel: SentinelNode): Promise<void> {
    if (sentinel.subscriber || this.closed) return;
    const subscriber = await this.connectionTo(sentinel);
    sentinel.subscriber = subscriber;
    subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => this.onMessage(sentinel, channel, message));
    try {
      await subscriber.connect();
      await subscriber.psubscribe('*');
    } catch {
      sentinel.subscriber = null;
      subscriber.disconnect();
    }
  }

  private onMessage(sentinel: SentinelNode, channel: string, message: string): void {
    const notice = parseSentinelNotice(sentinel.id, channel, message, Date.now());
    if (channel === '+sdown' && notice.instanceId) {
      const group = notice.group ?? this.groupOfMaster(notice.instanceId);
      if (group) sentinel.lastSdown.set(group, { time: notice.time, instance: notice.instanceId });
    }
    this.recent.push(notice);
    if (this.recent.length > RECENT_NOTICES) this.recent.shift();
    for (const listener of this.noticeListeners) listener(notice);
  }

  private groupOfMaster(masterId: string): string | null {
    return this.groupsNow.find((group) => group.masterId === masterId)?.name ?? null;
  }

  onNotice(listener: (notice: SentinelNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  /** The notices received lately (all Sentinels, oldest first). */
  recentNotices(): readonly SentinelNotice[] {
    return this.recent;
  }

  /** Whether every Sentinel that answers is listened to right now. */
  listening(): boolean {
    const up = [...this.sentinels.values()].filter((sentinel) => sentinel.health === 'up');
    return up.length > 0 && up.every((sentinel) => sentinel.subscriber?.status === 'ready');
  }

  /** Each group's data nodes as Sentinel knows them (its master and replicas), by group name. */
  members(): ReadonlyMap<string, readonly string[]> {
    return this.groupMembers;
  }

  /** Runs a command on the first Sentinel that answers (SENTINEL FAILOVER for the promote action). */
  async call(...args: string[]): Promise<unknown> {
    let lastFailure: unknown = new Error('no sentinel given');
    for (const sentinel of this.sentinels.values()) {
      try {
        return await (await this.clientOf(sentinel)).call(args[0]!, ...args.slice(1));
      } catch (failure) {
        if (failure instanceof Error && !/closed|ECONNREFUSED|timed out|writeable/i.test(failure.message)) throw failure;
        lastFailure = failure;
      }
    }
    throw lastFailure;
  }

  /** The monitored masters' addresses as of the last refresh. */
  masters(): ReadonlyArray<{ host: string; port: number }> {
    return this.masterAddresses;
  }

  /** The replicas the Sentinels know for the monitored masters, as of the last refresh. */
  replicaAddresses(): ReadonlyArray<{ host: string; port: number }> {
    return this.replicaAddressList;
  }

  groups(): SentinelGroup[] {
    return this.groupsNow;
  }

  /** One Sentinel's own view of the monitored master(s); marks its health. */
  private async askViews(sentinel: SentinelNode): Promise<Array<Map<string, string>>> {
    try {
      const client = await this.clientOf(sentinel);
      if (client.status === 'wait') await client.connect();
      const name = this.profile.sentinelMasterName;
      const masters = name ? [fieldsOf(await client.call('SENTINEL', 'MASTER', name))] : ((await client.call('SENTINEL', 'MASTERS')) as unknown[]).map(fieldsOf);
      sentinel.health = 'up';
      // Each Sentinel's own CKQUORUM: it counts usable Sentinels against its own quorum and its own list of
      // Sentinels, so one Sentinel's OK says nothing of another's (SENTINEL SET quorum, a Sentinel reset).
      const checks = await Promise.all(masters.map((master) => askQuorum(client, master.get('name') ?? '?')));
      sentinel.views.clear();
      for (const [index, master] of masters.entries()) {
        const epoch = Number(master.get('config-epoch'));
        sentinel.views.set(master.get('name') ?? '?', {
          ...checks[index]!,
          masterView: master.get('ip') ? `${master.get('ip')}:${master.get('port')}` : null,
          masterFlags: master.get('flags') ?? null,
          configEpoch: master.has('config-epoch') && Number.isFinite(epoch) ? epoch : null,
          quorum: master.has('quorum') && Number.isFinite(Number(master.get('quorum'))) ? Number(master.get('quorum')) : null,
        });
      }
      await this.listen(sentinel);
      return masters;
    } catch (failure) {
      sentinel.views.clear();
      // A Sentinel that answers with an error (an unknown group name, a data node that knows no SENTINEL,
      // NOAUTH) is reached: its reply is passed on as Redis said it, for the caller to explain.
      if (isRedisReply(failure) && !/^(NOAUTH|WRONGPASS|NOPERM)\b/.test((failure as Error).message)) {
        sentinel.health = 'up';
        throw failure;
      }
      const { health, detail } = classifyFailure(failure, sentinel.client ?? undefined);
      sentinel.health = health;
      throw isRedisReply(failure) ? failure : new Error(`${sentinel.id}: ${detail}`);
    }
  }

  private viewOf(sentinel: SentinelNode, group: string): SentinelView {
    const view = sentinel.views.get(group);
    return {
      id: sentinel.id,
      health: sentinel.health,
      subscribed: sentinel.subscriber?.status === 'ready',
      masterView: view?.masterView ?? null,
      masterFlags: view?.masterFlags ?? null,
      configEpoch: view?.configEpoch ?? null,
      quorum: view?.quorum ?? null,
      quorumCheck: view?.quorumCheck ?? null,
      quorumOk: view?.quorumOk ?? null,
      lastSdown: sentinel.lastSdown.get(group) ?? null,
    };
  }

  /**
   * Asks every Sentinel for its view (in parallel), then the group details of
   * the one with the newest configuration (highest config epoch: during a
   * failover the others may still report the old master). Throws with the
   * reason when none answers.
   */
  async refresh(): Promise<void> {
    let lastError = 'no sentinel given';
    let refusal: unknown = null;
    let answered: { sentinel: SentinelNode; client: Redis; masters: Array<Map<string, string>>; epoch: number } | null = null;
    const all = [...this.sentinels.values()];
    const replies = await Promise.allSettled(all.map((sentinel) => this.askViews(sentinel)));
    for (const [index, reply] of replies.entries()) {
      const sentinel = all[index]!;
      if (reply.status === 'rejected') {
        if (isRedisReply(reply.reason)) refusal ??= reply.reason;
        lastError = reply.reason instanceof Error ? reply.reason.message : String(reply.reason);
        continue;
      }
      const epoch = Math.max(-1, ...[...sentinel.views.values()].map((view) => view.configEpoch ?? -1));
      if (sentinel.client && (!answered || epoch > answered.epoch)) answered = { sentinel, client: sentinel.client, masters: reply.value, epoch };
    }
    // Redis's own error when a Sentinel answered with one (the caller explains it), else why none answered.
    if (!answered) throw refusal ?? new Error(`no sentinel answered (${lastError})`);
    const { client, masters, sentinel: { id: answeredId } } = answered;
    const name = this.profile.sentinelMasterName;
    if (masters.length === 0 || !masters[0]!.get('ip')) throw new Error(name ? `the sentinels do not monitor a master named ${name}` : 'the sentinels monitor no master');
    const groups: SentinelGroup[] = [];
    const addresses: Array<{ host: string; port: number }> = [];
    const replicas: Array<{ host: string; port: number }> = [];
    for (const master of masters) {
      const groupName = master.get('name') ?? '?';
      const host = master.get('ip')!;
      const port = Number(master.get('port'));
      addresses.push({ host, port });
      const known = ((await client.call('SENTINEL', 'REPLICAS', groupName).catch(() => [])) as unknown[]).map(fieldsOf);
      const members = [`${host}:${port}`];
      const replicaViews: SentinelReplicaView[] = [];
      for (const replica of known) {
        if (!replica.get('ip') || !(Number(replica.get('port')) > 0)) continue;
        replicas.push({ host: replica.get('ip')!, port: Number(replica.get('port')) });
        members.push(`${replica.get('ip')}:${replica.get('port')}`);
        replicaViews.push(sentinelReplicaView(replica));
      }
      this.groupMembers.set(groupName, members);
      const others = ((await client.call('SENTINEL', 'SENTINELS', groupName).catch(() => [])) as unknown[]).map(fieldsOf);
      for (const other of others) if (other.get('ip') && other.get('port')) this.add(other.get('ip')!, Number(other.get('port')));
      const knownIds = new Set([answeredId, ...others.map((other) => `${other.get('ip')}:${other.get('port')}`)]);
      const views = [...this.sentinels.values()].filter((sentinel) => knownIds.has(sentinel.id) || this.profile.seeds.some((seed) => `${seed.host}:${seed.port}` === sentinel.id)).map((sentinel) => this.viewOf(sentinel, groupName));
      const { quorumOk, quorumDetail } = groupQuorum(views);
      groups.push({
        kind: 'sentinel',
        name: groupName,
        masterId: `${host}:${port}`,
        quorum: Number(master.get('quorum') ?? 0),
        sentinels: views,
        quorumOk,
        quorumDetail,
        downAfterMs: master.has('down-after-milliseconds') ? Number(master.get('down-after-milliseconds')) : null,
        sDownMs: master.has('s-down-time') ? Number(master.get('s-down-time')) : null,
        failoverTimeoutMs: master.has('failover-timeout') ? Number(master.get('failover-timeout')) : null,
        flags: master.get('flags') ?? null,
        replicas: replicaViews,
      });
    }
    this.groupsNow = groups;
    this.masterAddresses = addresses;
    this.replicaAddressList = replicas;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.noticeListeners.clear();
    const clients = [...this.sentinels.values()].flatMap((sentinel) => [sentinel.client, sentinel.subscriber].filter((client): client is Redis => client !== null));
    this.sentinels.clear();
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
