/**
 * The replication-stream tap against real masters: Debian's redis-server 7.0
 * and our engine (as a process, so a test may block this one while the
 * master keeps writing). Each master has a real replica first, so its
 * backlog exists (a master without one can only offer a full resync).
 *
 *  - under load (redis-benchmark plus a known mix): counts by command, db and
 *    prefix equal what was sent; INFO and ROLE list the tap; stop frees it;
 *  - WAIT counts it (the real replica and the tap);
 *  - monitor-only profiles see hashed prefixes;
 *  - a promotion while tapped: the tap stops and names the new master;
 *  - client-output-buffer-limit replica: the master drops a tap that cannot
 *    read (this process blocked by spawnSync of a writer) and the tap says so;
 *  - PSYNC at a position the master cannot continue from: +FULLRESYNC (or a
 *    queued one) is declined, no RDB is read, the master frees the tap;
 *  - the preflight: opt-in, min-replicas consent, ACL DRYRUN refusal;
 *  - real Sentinels watching the master do not adopt the tap as a replica
 *    (they cannot resolve its name, and log that), as the preflight says.
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import type { ProfileFields } from '../../shared/contract/profiles';
import { DEFAULT_TAP_OPTIONS, type TapReport } from '../../shared/contract/tap';
import { createNodeClient } from '../../main/console/monitor/node-client';
import { WINDOW_SECONDS } from '../../main/console/tap/stream-stats';
import { StreamTap } from '../../main/console/tap/stream-tap';
import { tapPreflight } from '../../main/console/tap/tap-preflight';
import { startEngineProcess, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { startSentinelGroup } from '../support/sentinel-group';
import { command, info, waitForSync, type Peer } from '../support/replication';
import { waitFor } from '../support/wait';

interface Master extends Peer {
  call(...args: Array<string | number>): Promise<unknown>;
}

const clients: Redis[] = [];
const taps: StreamTap[] = [];

afterEach(async () => {
  for (const tap of taps.splice(0)) await tap.stop();
  for (const client of clients.splice(0)) client.disconnect();
  await stopAllRedisServers();
  await stopAllEngines();
});

const SERVERS = {
  'redis-server': async (args: string[] = []): Promise<Master> => startRedisServer({ args }),
  engine: async (args: string[] = []): Promise<Master> => startEngineProcess(args, { bundled: true }),
} as const;

/**
 * A master with one real replica attached (so its backlog is active). The
 * replica's full sync starts at once: with 7.0's default
 * repl-diskless-sync-delay (5 s) the master waits for more replicas first.
 */
async function masterWithReplica(kind: keyof typeof SERVERS, args: string[] = []): Promise<{ master: Master; replica: Master }> {
  const master = await SERVERS[kind](['--repl-diskless-sync-delay', '0', ...args]);
  const replica = await SERVERS[kind](['--replicaof', '127.0.0.1', String(master.port)]);
  await waitForSync(replica);
  return { master, replica };
}

async function clientOf(peer: Peer): Promise<Redis> {
  const client = createNodeClient({ host: '127.0.0.1', port: peer.port }, {}, {});
  clients.push(client);
  await client.connect();
  return client;
}

function profile(peer: Peer, extra: Partial<ProfileFields> = {}): ProfileFields {
  return { name: 'tap test', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: peer.port }], environment: 'staging', safetyMode: 'ops', streamTap: true, ...extra };
}

async function tapOf(peer: Peer, extra: Partial<Parameters<typeof StreamTap.start>[0]> = {}): Promise<{ tap: StreamTap; ended: Promise<TapReport> }> {
  let resolveEnd: (report: TapReport) => void = () => {};
  const ended = new Promise<TapReport>((resolve) => (resolveEnd = resolve));
  const address = { host: '127.0.0.1', port: peer.port };
  const tap = await StreamTap.start({
    sessionId: 'test', nodeId: `127.0.0.1:${peer.port}`, client: await clientOf(peer), target: { address, via: address },
    options: DEFAULT_TAP_OPTIONS, keyNames: 'shown', onEnd: resolveEnd, ...extra,
  });
  taps.push(tap);
  return { tap, ended };
}

function row(rows: TapReport['byCommand'], label: string): number {
  return rows.find((entry) => entry.label === label)?.commands ?? 0;
}

async function replicaLines(master: Peer): Promise<string[]> {
  const fields = await info(master, 'replication');
  return [...fields].filter(([name]) => /^slave\d+$/.test(name)).map(([, value]) => value);
}

describe.each(Object.keys(SERVERS) as Array<keyof typeof SERVERS>)('stream tap on %s', (kind) => {
  it('decodes a master under load: counts by command, db and prefix equal what was sent', async () => {
    const { master } = await masterWithReplica(kind);
    // Breakdowns cover the last WINDOW_SECONDS; on a loaded machine this workload takes longer than
    // that in real time and its first seconds would leave the window (18671 SETs of 20300 at load 20).
    // The tap's clock runs 100 times slower, so the whole workload stays inside one window.
    const base = Date.now();
    const clock = (): number => base + (Date.now() - base) / 100;
    const { tap } = await tapOf(master, { clock });
    expect(tap.current).toBe('streaming');
    expect(tap.report().message).toBeNull();
    // The master lists the tap as a replica, by the name it announced.
    await waitFor(async () => (await replicaLines(master)).some((line) => line.startsWith('ip=replscope-tap,port=0,')), { what: 'the tap in INFO' });
    const role = (await master.call('ROLE')) as [string, number, Array<[string, string, string]>];
    expect(role[2].map((entry) => entry[0])).toContain('replscope-tap');

    const benchmark = spawn('redis-benchmark', ['-p', String(master.port), '-n', '20000', '-t', 'set', '-r', '1000', '-d', '64', '--dbnum', '5', '-q']);
    const benchmarkDone = new Promise<number | null>((resolve) => benchmark.on('exit', resolve));
    for (let index = 0; index < 300; index++) await command(master, 'SET', `user:${index}`, 'x'.repeat(200));
    await master.call('SELECT', 3);
    for (let index = 0; index < 200; index++) await master.call('HSET', `order:${index % 50}`, 'total', String(index));
    for (let index = 0; index < 50; index++) await master.call('INCR', 'counter');
    expect(await benchmarkDone).toBe(0);
    const masterOffset = Number((await info(master, 'replication')).get('master_repl_offset'));
    await waitFor(() => (tap.report().offset ?? 0) >= masterOffset, { what: 'the tap at the master offset' });

    const reportAt = clock();
    const report = tap.report(reportAt);
    // The window reaches back to the tap's start: the rows count the whole stream.
    expect(reportAt - report.startedAt).toBeLessThan((WINDOW_SECONDS - 1) * 1000);
    expect(report.windowSeconds).toBeCloseTo((reportAt - report.startedAt) / 1000, 6);
    expect(report.state).toBe('streaming');
    expect(row(report.byCommand, 'set')).toBe(20300);
    expect(row(report.byCommand, 'hset')).toBe(200);
    expect(row(report.byCommand, 'incr')).toBe(50);
    expect(row(report.byPrefix, 'key:')).toBe(20000);
    expect(row(report.byPrefix, 'user:')).toBe(300);
    expect(row(report.byPrefix, 'order:')).toBe(200);
    expect(row(report.byPrefix, 'counter')).toBe(50);
    expect(row(report.byDb, 'db5')).toBeGreaterThanOrEqual(20000);
    expect(row(report.byDb, 'db3')).toBeGreaterThanOrEqual(250);
    // Every breakdown sums to the stream's bytes; the tap counted exactly the bytes the master's offset moved.
    const sum = (rows: TapReport['byDb']): number => rows.reduce((total, entry) => total + entry.bytes, 0);
    expect(report.totalBytes).toBe((report.offset ?? 0) - (report.startOffset ?? 0) + 1);
    expect(sum(report.byCommand)).toBe(sum(report.byDb));
    expect(sum(report.byPrefix)).toBe(sum(report.byCommand));
    expect(report.bytesPerSec).toBeGreaterThan(0);
    expect(report.backlogFillSeconds).toBeCloseTo((report.backlogSizeBytes ?? 0) / report.bytesPerSec, 6);
    // Samples: values cut, keys shown (ops mode).
    const sample = report.samples.find((entry) => entry.command === 'set' && entry.args[0]?.startsWith('user:'));
    if (sample) expect(sample.args[1]).toMatch(/^x{32}…\(\+168 bytes\)$/);

    await tap.stop();
    expect(tap.report().state).toBe('stopped');
    await waitFor(async () => (await replicaLines(master)).every((line) => !line.startsWith('ip=replscope-tap')), { what: 'the master to free the tap' });
  });

  it('counts for WAIT: it answers GETACK with the offset it has read', async () => {
    const { master } = await masterWithReplica(kind);
    await tapOf(master);
    await master.call('SET', 'waited', '1');
    expect(await master.call('WAIT', 2, 5000)).toBe(2);
    expect(await master.call('WAIT', 3, 200)).toBe(2);
  });

  it('hashes prefixes for a monitor-only profile', async () => {
    const { master } = await masterWithReplica(kind);
    const { tap } = await tapOf(master, { keyNames: 'hashed' });
    for (let index = 0; index < 20; index++) await master.call('SET', `secret:${index}`, 'value');
    await waitFor(() => row(tap.report().byCommand, 'set') === 20, { what: '20 SETs' });
    const report = tap.report();
    expect(report.byPrefix.map((entry) => entry.label).join(' ')).not.toContain('secret');
    expect(report.byPrefix.some((entry) => /^#[0-9a-f]{8}:$/.test(entry.label) && entry.commands === 20)).toBe(true);
    expect(JSON.stringify(report.samples)).not.toContain('secret');
    expect(JSON.stringify(report.samples)).not.toContain('value');
  });

  it('stops and names the new master when the tapped master is demoted', async () => {
    const { master, replica } = await masterWithReplica(kind);
    const { ended } = await tapOf(master);
    await replica.call('REPLICAOF', 'NO', 'ONE');
    await master.call('REPLICAOF', '127.0.0.1', String(replica.port));
    const report = await ended;
    expect(report.state).toBe('stopped');
    expect(report.newMasterId).toBe(`127.0.0.1:${replica.port}`);
    expect(report.message).toContain(`is now a replica of 127.0.0.1:${replica.port}`);
  });

  it('says so when the master drops it for client-output-buffer-limit replica', async () => {
    const { master } = await masterWithReplica(kind, ['--client-output-buffer-limit', 'replica 1mb 0 0', '--repl-backlog-size', '1mb']);
    const { ended } = await tapOf(master);
    // This process (and so the tap) reads nothing while redis-benchmark writes ~40 MB: the master's buffer for the tap overflows.
    const run = spawnSync('redis-benchmark', ['-p', String(master.port), '-n', '4000', '-t', 'set', '-r', '100', '-d', '10000', '-q'], { timeout: 60_000 });
    expect(run.status).toBe(0);
    const report = await ended;
    expect(report.state).toBe('stopped');
    expect(report.message).toContain('client-output-buffer-limit replica');
    expect(report.message).toContain('hard 1 MiB');
  });

  it('declines a full resync and reads no RDB', async () => {
    const { master } = await masterWithReplica(kind);
    const before = Number((await info(master, 'stats')).get('sync_full'));
    const { tap } = await tapOf(master, { position: { replid: '0123456789012345678901234567890123456789', offset: 1 } });
    const report = tap.report();
    expect(report.state).toBe('declined');
    expect(report.message).toMatch(/\+FULLRESYNC|queued a full resync/);
    expect(report.message).toMatch(/no RDB|read no RDB/);
    expect(report.totalBytes).toBe(0);
    expect(Number((await info(master, 'stats')).get('sync_full'))).toBe(before + 1);
    await waitFor(async () => (await replicaLines(master)).length === 1, { what: 'the master to keep only its real replica' });
  });

  it('preflight: opt-in, min-replicas consent, permissions by ACL DRYRUN', async () => {
    const { master } = await masterWithReplica(kind);
    const client = await clientOf(master);
    const context = { sessionId: 'test', nodeId: `127.0.0.1:${master.port}`, embedded: false, foreignInDemo: false, client, alreadyTapped: false };
    const off = await tapPreflight({ ...context, profile: profile(master, { streamTap: false }) });
    expect(off.preflight.allowed).toBe(false);
    expect(off.preflight.checks.find((check) => check.name === 'profile')?.status).toBe('refuse');

    const on = await tapPreflight({ ...context, profile: profile(master) });
    expect(on.preflight.allowed).toBe(true);
    expect(on.preflight.needsConfirmation).toBe(false);
    expect(on.preflight.statements.join(' ')).toContain('never writes');

    await master.call('CONFIG', 'SET', 'min-replicas-to-write', '1');
    const guarded = await tapPreflight({ ...context, profile: profile(master) });
    expect(guarded.preflight.needsConfirmation).toBe(true);
    expect(guarded.preflight.checks.find((check) => check.name === 'min-replicas-to-write')?.status).toBe('confirm');
    await master.call('CONFIG', 'SET', 'min-replicas-to-write', '0');

    await master.call('ACL', 'SETUSER', 'watcher', 'on', '>pw', '+@read', '+info', '+config|get', '+acl|dryrun', '~*');
    const limited = await tapPreflight({ ...context, profile: profile(master, { username: 'watcher' }) });
    expect(limited.preflight.allowed).toBe(false);
    const psync = limited.preflight.checks.find((check) => check.name === 'permission PSYNC');
    expect(psync?.status).toBe('refuse');
    // The master's own reply first, verbatim, then what it means (as an attach's NOPERM is said).
    const verbatim = String(await master.call('ACL', 'DRYRUN', 'watcher', 'PSYNC', '?', '-1'));
    expect(verbatim).toBe("This user has no permissions to run the 'psync' command");
    expect(psync?.detail).toBe(`ACL DRYRUN watcher PSYNC answered "${verbatim}": watcher may not run PSYNC, which the tap needs.`);

    // A user that may not run ACL DRYRUN itself: the master's NOPERM first, verbatim, then that nothing could be checked.
    await master.call('ACL', 'SETUSER', 'blind', 'on', '>pw', '+@read', '+info', '+config|get', '~*');
    const blindClient = createNodeClient({ host: '127.0.0.1', port: master.port }, { username: 'blind' }, { password: 'pw' });
    clients.push(blindClient);
    await blindClient.connect();
    const dryRunRefused = await blindClient.call('ACL', 'DRYRUN', 'blind', 'PSYNC', '?', '-1').then(String, (failure: unknown) => (failure as Error).message);
    expect(dryRunRefused).toBe("NOPERM this user has no permissions to run the 'acl|dryrun' command");
    const blind = await tapPreflight({ ...context, client: blindClient, profile: profile(master, { username: 'blind' }) });
    expect(blind.preflight.checks.find((check) => check.name === 'permission PSYNC')?.detail)
      .toBe(`ACL DRYRUN answered "${dryRunRefused}": PSYNC could not be checked for blind. If it is refused, the tap stops with the master's answer.`);
  });
});

describe('stream tap under Sentinel', () => {
  it('is not adopted as a replica by the Sentinels (they log that its name does not resolve)', async () => {
    const group = await startSentinelGroup({ name: 'tapped' });
    const { tap } = await tapOf(group.master);
    expect(tap.current).toBe('streaming');
    const sentinel = group.sentinels[0]!;
    // Sentinels read a master's INFO every 10 s.
    await waitFor(() => sentinel.log().includes("Failed to resolve hostname 'replscope-tap'"), { timeoutMs: 25_000, what: 'a Sentinel reading the tap in INFO' });
    const replicas = (await sentinel.call('SENTINEL', 'REPLICAS', 'tapped')) as string[][];
    expect(replicas.map((fields) => fields[fields.indexOf('name') + 1])).toEqual(group.replicas.map((replica) => `127.0.0.1:${replica.port}`));
  }, 40_000);
});
