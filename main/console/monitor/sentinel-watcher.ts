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
 */
import type { Redis } from 'ioredis';
import type { ProfileFields, ProfileSecrets } from '../../../shared/contract/profiles';
import type { NodeHealth, SentinelGroup } from '../../../shared/contract/snapshots';
import { directDialer, type NodeDialer } from '../net/node-dialer';
import { classifyFailure, createNodeClient } from './node-client';

interface SentinelNode {
  readonly id: string;
  readonly host: string;
  readonly port: number;
  /** Created on first use (the dialer may need to open a forward first). */
  client: Redis | null;
  health: NodeHealth;
}

/** SENTINEL replies are flat field/value arrays. */
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

  constructor(private readonly profile: ProfileFields, private readonly secrets: ProfileSecrets, private readonly dialer: NodeDialer = directDialer) {
    for (const seed of profile.seeds) this.add(seed.host, seed.port);
  }

  private add(host: string, port: number): void {
    const id = `${host}:${port}`;
    if (this.sentinels.has(id)) return;
    this.sentinels.set(id, { id, host, port, client: null, health: 'unknown' });
  }

  private async clientOf(sentinel: SentinelNode): Promise<Redis> {
    if (sentinel.client) return sentinel.client;
    const via = await this.dialer.endpoint(sentinel.host, sentinel.port);
    sentinel.client ??= createNodeClient(sentinel, { ...(this.profile.sentinelUsername ? { username: this.profile.sentinelUsername } : {}), ...(this.profile.tls ? { tls: this.profile.tls } : {}) }, { ...(this.secrets.sentinelPassword ? { password: this.secrets.sentinelPassword } : {}) }, via, true);
    return sentinel.client;
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

  /** Asks the Sentinels; throws with the reason when none answers. */
  async refresh(): Promise<void> {
    let lastError = 'no sentinel given';
    let answered: (SentinelNode & { client: Redis }) | null = null;
    for (const sentinel of this.sentinels.values()) {
      try {
        const client = await this.clientOf(sentinel);
        if (client.status === 'wait') await client.connect();
        await client.ping();
        sentinel.health = 'up';
        answered ??= { ...sentinel, client };
      } catch (failure) {
        const { health, detail } = classifyFailure(failure, sentinel.client ?? undefined);
        sentinel.health = health;
        lastError = `${sentinel.id}: ${detail}`;
      }
    }
    if (!answered) throw new Error(`no sentinel answered (${lastError})`);
    const client = answered.client;
    const name = this.profile.sentinelMasterName;
    const masters = name ? [fieldsOf(await client.call('SENTINEL', 'MASTER', name))] : ((await client.call('SENTINEL', 'MASTERS')) as unknown[]).map(fieldsOf);
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
      for (const replica of known) if (replica.get('ip') && Number(replica.get('port')) > 0) replicas.push({ host: replica.get('ip')!, port: Number(replica.get('port')) });
      const others = ((await client.call('SENTINEL', 'SENTINELS', groupName).catch(() => [])) as unknown[]).map(fieldsOf);
      for (const other of others) if (other.get('ip') && other.get('port')) this.add(other.get('ip')!, Number(other.get('port')));
      let quorumOk: boolean | null = null;
      let quorumDetail: string | null = null;
      try {
        quorumDetail = String(await client.call('SENTINEL', 'CKQUORUM', groupName));
        quorumOk = true;
      } catch (failure) {
        quorumDetail = failure instanceof Error ? failure.message : String(failure);
        quorumOk = /NOQUORUM/.test(quorumDetail) ? false : null;
      }
      const knownIds = new Set([answered.id, ...others.map((other) => `${other.get('ip')}:${other.get('port')}`)]);
      groups.push({
        kind: 'sentinel',
        name: groupName,
        masterId: `${host}:${port}`,
        quorum: Number(master.get('quorum') ?? 0),
        sentinels: [...this.sentinels.values()].filter((sentinel) => knownIds.has(sentinel.id) || this.profile.seeds.some((seed) => `${seed.host}:${seed.port}` === sentinel.id)).map((sentinel) => ({ id: sentinel.id, health: sentinel.health })),
        quorumOk,
        quorumDetail,
        downAfterMs: master.has('down-after-milliseconds') ? Number(master.get('down-after-milliseconds')) : null,
        failoverTimeoutMs: master.has('failover-timeout') ? Number(master.get('failover-timeout')) : null,
        flags: master.get('flags') ?? null,
      });
    }
    this.groupsNow = groups;
    this.masterAddresses = addresses;
    this.replicaAddressList = replicas;
  }

  async close(): Promise<void> {
    const clients = [...this.sentinels.values()].flatMap((sentinel) => (sentinel.client ? [sentinel.client] : []));
    this.sentinels.clear();
    await Promise.all(clients.map((client) => client.quit().catch(() => client.disconnect())));
  }
}
