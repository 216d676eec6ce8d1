/**
 * profiles.test: can we reach the deployment, who answers, what may this user
 * do. Goes the same way an attach goes (SSH tunnel, TLS, credentials), opens
 * nothing that outlives the call, and turns every failure into a
 * ConnectionProblem: what happened in a plain sentence, the likely fix, and
 * the profile field it concerns (connection-failure.ts), never a raw
 * ioredis or OpenSSL message and never a thrown error.
 */
import type { Redis } from 'ioredis';
import type { ProfileFields, ProfileSecrets } from '../../../shared/contract/profiles';
import { answeredByServer, type ConnectionProblem, type TestConnectionResult } from '../../../shared/contract/sessions';
import type { ConsoleLogger } from '../service-types';
import { directDialer, type NodeDialer } from '../net/node-dialer';
import { SshTunnel } from '../net/ssh-tunnel';
import { probeCapabilities } from './capabilities';
import { readCluster } from './cluster-topology';
import { classifyConnectionFailure, failureSentence } from './connection-failure';
import { parseInfo } from './info-fields';
import { createNodeClient, explainFailure, failureContextOf, isRedisReply } from './node-client';
import { SentinelWatcher } from './sentinel-watcher';

const quiet: ConsoleLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** A test that did not get through; a server that answered with an error (WRONGPASS...) was still reached. */
function failed(problem: ConnectionProblem): TestConnectionResult {
  return { reachable: answeredByServer(problem), message: failureSentence(problem), problem, role: null, version: null, latencyMs: null, capabilities: null };
}

export async function testConnection(profile: ProfileFields, secrets: ProfileSecrets, logger?: ConsoleLogger): Promise<TestConnectionResult> {
  let dialer: NodeDialer = directDialer;
  try {
    if (profile.ssh?.enabled) dialer = await SshTunnel.open(profile.ssh, secrets, logger ?? quiet);
  } catch (failure) {
    const message = failure instanceof Error ? failure.message : String(failure);
    return failed({ kind: 'ssh', summary: `The SSH tunnel could not be opened: ${message}.`, fix: 'Check the SSH host, port, user and key (or password, or ssh-agent).', field: 'ssh', detail: message });
  }
  try {
    const result = profile.kind === 'sentinel' ? await testSentinels(profile, secrets, dialer) : await testSeed(profile, secrets, dialer);
    return dialer.warnings.length > 0 ? { ...result, message: `${result.message}; ${dialer.warnings.join('; ')}` } : result;
  } finally {
    await dialer.close();
  }
}

/** The names of the master groups a Sentinel monitors (empty when it cannot tell). */
export async function monitoredGroups(client: Redis): Promise<string[]> {
  try {
    const masters = (await client.call('SENTINEL', 'MASTERS')) as unknown[];
    return masters.flatMap((fields) => {
      if (!Array.isArray(fields)) return [];
      const index = fields.indexOf('name');
      return index >= 0 && index + 1 < fields.length ? [String(fields[index + 1])] : [];
    });
  } catch {
    return [];
  }
}

const listed = (names: readonly string[]): string => names.map((name) => `"${name}"`).join(', ');

/**
 * A seed that answers INFO with redis_mode:sentinel given as a data node:
 * monitoring it as one would show a node without replication. Null when the
 * kind fits.
 */
export async function sentinelGivenAsDataNode(client: Redis, address: string, redisMode: string | undefined): Promise<ConnectionProblem | null> {
  if (redisMode !== 'sentinel') return null;
  const groups = await monitoredGroups(client);
  return {
    kind: 'is-a-sentinel',
    summary: `${address} is a Sentinel, not a Redis data node.`,
    fix: `Choose the kind Sentinel and give the master group name${groups.length > 0 ? ` (it monitors ${listed(groups)})` : ''}.`,
    field: 'kind',
    detail: 'redis_mode:sentinel',
  };
}

async function testSentinels(profile: ProfileFields, secrets: ProfileSecrets, dialer: NodeDialer): Promise<TestConnectionResult> {
  const watcher = new SentinelWatcher(profile, secrets, dialer);
  const started = performance.now();
  try {
    await watcher.refresh();
    const groups = watcher.groups().map((group) => `${group.name} (master ${group.masterId}, quorum ${group.quorum}${group.quorumOk === false ? ', NO QUORUM' : ''})`);
    return { reachable: true, message: `the sentinels monitor ${groups.join(', ')}`, problem: null, role: 'sentinel', version: null, latencyMs: performance.now() - started, capabilities: null };
  } catch (failure) {
    return failed(await explainSentinelFailure(profile, secrets, dialer, failure));
  } finally {
    await watcher.close();
  }
}

/**
 * Why the Sentinels could not be read. A reply from a Sentinel (a data node
 * that does not know SENTINEL, an unknown group name) says it directly;
 * otherwise the first seed is dialled on its own to see what it answers.
 */
async function explainSentinelFailure(profile: ProfileFields, secrets: ProfileSecrets, dialer: NodeDialer, failure: unknown): Promise<ConnectionProblem> {
  const seed = profile.seeds[0]!;
  const address = `${seed.host}:${seed.port}`;
  let client: Redis;
  try {
    client = createNodeClient(seed, { ...(profile.sentinelUsername ? { username: profile.sentinelUsername } : {}), ...(profile.tls ? { tls: profile.tls } : {}) }, { ...(secrets.sentinelPassword ? { password: secrets.sentinelPassword } : {}) }, await dialer.endpoint(seed.host, seed.port), true);
  } catch (unusable) {
    return classifyConnectionFailure(unusable, { ...failureContextOf(undefined, address), sentinel: true });
  }
  try {
    if (isRedisReply(failure)) {
      const problem = classifyConnectionFailure(failure, failureContextOf(client));
      if (problem.kind !== 'unknown-master-group') return problem;
      await client.connect();
      const groups = await monitoredGroups(client);
      return { ...problem, summary: `The Sentinels monitor no master group named "${profile.sentinelMasterName ?? ''}".`, fix: groups.length > 0 ? `They monitor ${listed(groups)}: enter one of these.` : problem.fix };
    }
    try {
      await client.connect();
      await client.ping();
    } catch (seedFailure) {
      return (await dialer.failureFor?.(seed.host, seed.port).then((tunnel) => (tunnel === null ? null : sshForwardProblem(tunnel)))) ?? (await explainFailure(seedFailure, client, await dialer.endpoint(seed.host, seed.port)));
    }
    return classifyConnectionFailure(failure, failureContextOf(client));
  } finally {
    client.disconnect();
  }
}

function sshForwardProblem(message: string): ConnectionProblem {
  return { kind: 'ssh-forward', summary: `${message}.`, fix: 'Check that the bastion can reach this address (the seed is dialled from the bastion).', field: 'seeds', detail: message };
}

async function testSeed(profile: ProfileFields, secrets: ProfileSecrets, dialer: NodeDialer): Promise<TestConnectionResult> {
  const seed = profile.seeds[0]!;
  const address = `${seed.host}:${seed.port}`;
  const endpoint = await dialer.endpoint(seed.host, seed.port);
  let client: Redis;
  try {
    client = createNodeClient(seed, profile, secrets, endpoint);
  } catch (unusable) {
    return failed(classifyConnectionFailure(unusable, failureContextOf(undefined, address)));
  }
  const started = performance.now();
  try {
    await client.connect();
    const info = parseInfo(await client.info('server'));
    const latencyMs = performance.now() - started;
    const wrongKind = await sentinelGivenAsDataNode(client, address, info.get('redis_mode'));
    // It answered INFO: reached, but not the kind of server the profile says.
    if (wrongKind !== null) return { ...failed(wrongKind), reachable: true, version: info.get('redis_version') ?? null, latencyMs };
    const role = parseInfo(await client.info('replication')).get('role') ?? null;
    const capabilities = await probeCapabilities(client, profile.username, false);
    let message = `connected to ${address}${profile.ssh?.enabled ? ` through SSH ${profile.ssh.user}@${profile.ssh.host}` : ''}`;
    if (profile.kind === 'cluster') {
      if (info.get('redis_mode') !== 'cluster') {
        const problem: ConnectionProblem = { kind: 'not-a-cluster', summary: `${address} is not a cluster node (redis_mode ${info.get('redis_mode') ?? '?'}).`, fix: 'Choose the kind Standalone.', field: 'kind', detail: `redis_mode:${info.get('redis_mode') ?? '?'}` };
        return { reachable: true, message: `${message}, but it is not a cluster node (redis_mode ${info.get('redis_mode') ?? '?'}): choose the standalone kind`, problem, role, version: info.get('redis_version') ?? null, latencyMs, capabilities };
      }
      const cluster = await readCluster(client, profile.tls?.enabled === true);
      message += `: a cluster of ${cluster.shards.length} shards and ${cluster.nodes.length} nodes, cluster_state ${cluster.state ?? 'unknown'}`;
    }
    return { reachable: true, message, problem: null, role, version: info.get('redis_version') ?? null, latencyMs, capabilities };
  } catch (failure) {
    const tunnel = (await dialer.failureFor?.(seed.host, seed.port)) ?? null;
    return failed(tunnel !== null ? sshForwardProblem(tunnel) : await explainFailure(failure, client, endpoint));
  } finally {
    client.disconnect();
  }
}
