/**
 * Attaching through the ways staging is reached: an SSH tunnel (a real
 * OpenSSH server on loopback) that also carries the nodes discovered behind
 * the seed, host-key pinning and trust on first use, refused keys; and TLS
 * (self-made CA) with verification on, a wrong CA refused, the insecure switch
 * flagged.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileFields, SshSettings } from '../../shared/contract/profiles';
import { testConnection } from '../../main/console/monitor/connection-test';
import { DeploymentMonitor } from '../../main/console/monitor/deployment-monitor';
import { freePort } from '../support/ports';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { waitForSync } from '../support/replication';
import { startSshServer, type SshServer } from '../support/ssh-server';
import { makeTlsFiles, type TlsFiles } from '../support/tls-certificates';
import { waitFor } from '../support/wait';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const monitors: DeploymentMonitor[] = [];

afterEach(async () => {
  for (const monitor of monitors.splice(0)) await monitor.close();
  await stopAllRedisServers();
});

async function open(fields: ProfileFields, secrets = {}): Promise<DeploymentMonitor> {
  const monitor = await DeploymentMonitor.open({ sessionId: 'attach', profile: fields, secrets, pollIntervalMs: 200, logger: quiet });
  monitors.push(monitor);
  return monitor;
}

function profile(seedPort: number, extra: Partial<ProfileFields>): ProfileFields {
  return { name: 'staging', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: seedPort }], environment: 'staging', safetyMode: 'ops', ...extra };
}

describe('SSH tunnel', () => {
  let sshd: SshServer;
  let master: RedisProcess;
  let replica: RedisProcess;
  const ssh = (extra: Partial<SshSettings> = {}): SshSettings => ({ enabled: true, host: '127.0.0.1', port: sshd.port, user: sshd.user, auth: 'key', keyFile: sshd.clientKeyFile, hostKeyFingerprint: sshd.hostKeyFingerprint, ...extra });

  beforeAll(async () => {
    sshd = await startSshServer();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  async function pair(): Promise<void> {
    master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
  }

  it('discovers the replica behind the seed through the tunnel, and loses every node when the tunnel goes', async () => {
    await pair();
    const monitor = await open(profile(master.port, { ssh: ssh() }));
    await waitFor(async () => (await monitor.pollNow()).nodes.filter((node) => node.health === 'up').length === 2, { what: 'both nodes up through SSH' });
    const snapshot = monitor.snapshot();
    // Node ids are the deployment's own addresses, not the tunnel's loopback ports.
    expect(snapshot.nodes.map((node) => node.id).sort()).toEqual([`127.0.0.1:${master.port}`, `127.0.0.1:${replica.port}`].sort());
    expect(snapshot.links).toHaveLength(1);
    expect(snapshot.links[0]!.state).toBe('online');
    expect(monitor.warnings.join(' ')).not.toMatch(/first use/);
    // Proof the traffic goes through sshd: stop it and the (still running) nodes become unreachable.
    await sshd.stop();
    try {
      for (const client of [master, replica]) expect(await client.call('PING')).toBe('PONG');
      await waitFor(async () => (await monitor.pollNow()).nodes.every((node) => node.health === 'unreachable'), { timeoutMs: 20_000, what: 'nodes unreachable once sshd is gone' });
    } finally {
      sshd = await startSshServer();
    }
  });

  it('trusts an unpinned host key on first use and says so; refuses a pinned key that does not match', async () => {
    await pair();
    const monitor = await open(profile(master.port, { ssh: ssh({ hostKeyFingerprint: undefined }) }));
    expect(monitor.warnings.join(' ')).toContain(`trusted ${sshd.hostKeyFingerprint} on first use`);
    const forged = 'SHA256:' + 'A'.repeat(43);
    await expect(open(profile(master.port, { ssh: ssh({ hostKeyFingerprint: forged }) }))).rejects.toThrow(/host key .* does not match: expected SHA256:A+, the server presented SHA256:/);
  });

  it('a key the server refuses, or sshd not listening, fails the attach and the test with SSH\'s reason', async () => {
    await pair();
    await expect(open(profile(master.port, { ssh: ssh({ keyFile: sshd.strangerKeyFile }) }))).rejects.toThrow(/authentication failed/);
    const nobody = await freePort();
    const tested = await testConnection(profile(master.port, { ssh: ssh({ port: nobody }) }), {});
    expect(tested.reachable).toBe(false);
    expect(tested.message).toMatch(/connection refused/);
    const ok = await testConnection(profile(master.port, { ssh: ssh() }), {});
    expect(ok).toMatchObject({ reachable: true, role: 'master' });
    expect(ok.message).toContain(`through SSH ${sshd.user}@127.0.0.1`);
  });

  it('a node the SSH host cannot reach shows unreachable with the channel failure', async () => {
    await pair();
    const monitor = await open(profile(master.port, { ssh: ssh() }));
    await waitFor(async () => (await monitor.pollNow()).nodes.length === 2, { what: 'both nodes' });
    await replica.stop();
    await waitFor(async () => {
      const node = (await monitor.pollNow()).nodes.find((candidate) => candidate.id === `127.0.0.1:${replica.port}`);
      return node?.health === 'unreachable' && /through SSH .*(refused|failure)/i.test(node.healthDetail ?? '');
    }, { timeoutMs: 20_000, what: 'the stopped replica reported unreachable through SSH' });
    expect(monitor.snapshot().nodes.find((node) => node.id === `127.0.0.1:${master.port}`)?.health).toBe('up');
  });
});

describe('TLS', () => {
  let files: TlsFiles;
  beforeAll(() => {
    files = makeTlsFiles();
  });
  afterAll(() => files?.remove());

  async function tlsPair(): Promise<{ master: RedisProcess; masterTls: number; replicaTls: number }> {
    const tlsArgs = (port: number) => ['--tls-port', String(port), '--tls-cert-file', files.certFile, '--tls-key-file', files.keyFile, '--tls-ca-cert-file', files.caFile, '--tls-auth-clients', 'no', '--tls-replication', 'yes'];
    const masterTls = await freePort();
    const master = await startRedisServer({ args: [...tlsArgs(masterTls), '--repl-diskless-sync-delay', '0'] });
    const replicaTls = await freePort();
    // With tls-replication the replica links over TLS and announces its TLS port.
    const replica = await startRedisServer({ args: [...tlsArgs(replicaTls), '--replicaof', '127.0.0.1', String(masterTls)] });
    await waitForSync(replica);
    return { master, masterTls, replicaTls };
  }

  it('attaches with verification on against the CA, and discovers the replica on its TLS port', async () => {
    const { masterTls, replicaTls } = await tlsPair();
    const monitor = await open(profile(masterTls, { tls: { enabled: true, caFile: files.caFile, insecureSkipVerify: false } }));
    await waitFor(async () => (await monitor.pollNow()).nodes.filter((node) => node.health === 'up').length === 2, { what: 'both TLS nodes up' });
    expect(monitor.snapshot().nodes.map((node) => node.port).sort()).toEqual([masterTls, replicaTls].sort());
    expect(monitor.warnings).not.toContain('TLS certificate verification is OFF for this profile');
  });

  it('a certificate from another CA is refused with the reason; the insecure switch connects and is flagged', async () => {
    const { masterTls } = await tlsPair();
    const refused = await testConnection(profile(masterTls, { tls: { enabled: true, caFile: files.otherCaFile, insecureSkipVerify: false } }), {});
    expect(refused.reachable).toBe(false);
    expect(refused.message).toMatch(/certificate/i);
    await expect(open(profile(masterTls, { tls: { enabled: true, caFile: files.otherCaFile, insecureSkipVerify: false } }))).rejects.toThrow(/certificate/i);
    const insecure = await open(profile(masterTls, { tls: { enabled: true, insecureSkipVerify: true } }));
    expect(insecure.warnings).toContain('TLS certificate verification is OFF for this profile');
    expect(insecure.snapshot().nodes.find((node) => node.port === masterTls)?.health).toBe('up');
  });
});
