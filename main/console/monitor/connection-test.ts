/**
 * profiles.test: can we reach the deployment, who answers, what may this user
 * do. Goes the same way an attach goes (SSH tunnel, TLS, credentials), opens
 * nothing that outlives the call, and turns every failure into a message.
 */
import type { ProfileFields, ProfileSecrets } from '../../../shared/contract/profiles';
import type { TestConnectionResult } from '../../../shared/contract/sessions';
import type { ConsoleLogger } from '../service-types';
import { directDialer, type NodeDialer } from '../net/node-dialer';
import { SshTunnel } from '../net/ssh-tunnel';
import { probeCapabilities } from './capabilities';
import { readCluster } from './cluster-topology';
import { parseInfo } from './info-fields';
import { classifyFailure, createNodeClient } from './node-client';
import { SentinelWatcher } from './sentinel-watcher';

const unreachable = (message: string): TestConnectionResult => ({ reachable: false, message, role: null, version: null, latencyMs: null, capabilities: null });

export async function testConnection(profile: ProfileFields, secrets: ProfileSecrets, logger?: ConsoleLogger): Promise<TestConnectionResult> {
  let dialer: NodeDialer = directDialer;
  try {
    if (profile.ssh?.enabled) dialer = await SshTunnel.open(profile.ssh, secrets, logger ?? { info: () => {}, warn: () => {}, error: () => {} });
  } catch (failure) {
    return unreachable(failure instanceof Error ? failure.message : String(failure));
  }
  try {
    const result = profile.kind === 'sentinel' ? await testSentinels(profile, secrets, dialer) : await testSeed(profile, secrets, dialer);
    return dialer.warnings.length > 0 ? { ...result, message: `${result.message}; ${dialer.warnings.join('; ')}` } : result;
  } finally {
    await dialer.close();
  }
}

async function testSentinels(profile: ProfileFields, secrets: ProfileSecrets, dialer: NodeDialer): Promise<TestConnectionResult> {
  const watcher = new SentinelWatcher(profile, secrets, dialer);
  const started = performance.now();
  try {
    await watcher.refresh();
    const groups = watcher.groups().map((group) => `${group.name} (master ${group.masterId}, quorum ${group.quorum}${group.quorumOk === false ? ', NO QUORUM' : ''})`);
    return { reachable: true, message: `the sentinels monitor ${groups.join(', ')}`, role: 'sentinel', version: null, latencyMs: performance.now() - started, capabilities: null };
  } catch (failure) {
    return unreachable(failure instanceof Error ? failure.message : String(failure));
  } finally {
    await watcher.close();
  }
}

async function testSeed(profile: ProfileFields, secrets: ProfileSecrets, dialer: NodeDialer): Promise<TestConnectionResult> {
  const seed = profile.seeds[0]!;
  const client = createNodeClient(seed, profile, secrets, await dialer.endpoint(seed.host, seed.port));
  const started = performance.now();
  try {
    await client.connect();
    const info = parseInfo(await client.info('server'));
    const latencyMs = performance.now() - started;
    const role = parseInfo(await client.info('replication')).get('role') ?? null;
    const capabilities = await probeCapabilities(client, profile.username, false);
    let message = `connected to ${seed.host}:${seed.port}${profile.ssh?.enabled ? ` through SSH ${profile.ssh.user}@${profile.ssh.host}` : ''}`;
    if (profile.kind === 'cluster') {
      if (info.get('redis_mode') !== 'cluster') return { reachable: true, message: `${message}, but it is not a cluster node (redis_mode ${info.get('redis_mode') ?? '?'}): choose the standalone kind`, role, version: info.get('redis_version') ?? null, latencyMs, capabilities };
      const cluster = await readCluster(client, profile.tls?.enabled === true);
      message += `: a cluster of ${cluster.shards.length} shards and ${cluster.nodes.length} nodes, cluster_state ${cluster.state ?? 'unknown'}`;
    }
    return { reachable: true, message, role, version: info.get('redis_version') ?? null, latencyMs, capabilities };
  } catch (failure) {
    return unreachable((await dialer.failureFor?.(seed.host, seed.port)) ?? classifyFailure(failure, client).detail);
  } finally {
    client.disconnect();
  }
}
