/**
 * Replication between our engine and a real redis-server 7.0, both
 * directions (conformance checklist §10.1 and §10.2) and through chains
 * that mix them: initial full sync, streaming under the mixed workload
 * (test/support/mixed-workload.ts: every data type, streams with consumer
 * groups, EVAL and FCALL; the function library travels in the RDB),
 * partial resync after a killed link, full resync when the backlog is too
 * small. What is compared is what the nodes say themselves: INFO offsets
 * equal at every hop, DEBUG DIGEST equal, and, since the digest covers
 * stream entries only, XINFO STREAM FULL of every stream (groups, PELs,
 * counters) equal to a real replica's, and FUNCTION LIST equal.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { keyTypes, streamsState, writeMixedWorkload } from '../support/mixed-workload';
import { command, functionLibraries, infoNumber, waitForEqualDigests, waitForOffsets, waitForSync, type Peer } from '../support/replication';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const FAST_SYNC: Array<[string, string]> = [['repl-diskless-sync-delay', '0']];

/** Types every run of the workload leaves in database 0. */
const WORKLOAD_TYPES = ['hash', 'list', 'set', 'stream', 'string', 'zset'];

/**
 * The master and its replicas hold the same data: equal digests, keys of
 * every type the workload writes, the same function libraries; and the
 * replicas (the first one a real redis-server) the same streams state. A
 * master's own groups differ from its replicas' in entries-read and lag,
 * with redis-server too (7.0's propagated XCLAIM carries no entries-read),
 * so only replicas are compared there.
 */
async function expectSameData(master: Peer, replicas: ReadonlyArray<Peer>): Promise<void> {
  await waitForEqualDigests([master, ...replicas]);
  expect(Object.keys(await keyTypes(master)).sort()).toEqual(WORKLOAD_TYPES);
  const libraries = await functionLibraries(master);
  expect(libraries).toHaveLength(1);
  for (const replica of replicas) expect(await functionLibraries(replica)).toEqual(libraries);
  const [reference, ...others] = replicas;
  const streams = await streamsState(reference!);
  expect(Object.values(streams).join()).toMatch(/"pel-count",[1-9]/);
  for (const replica of others) expect(await streamsState(replica)).toEqual(streams);
}

describe('our master, real replica', () => {
  it('full sync then streaming under load: equal digests', async () => {
    const master = await startEngine(FAST_SYNC);
    await writeMixedWorkload(master, 3000, 'before');
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    await writeMixedWorkload(master, 3000, 'during');
    await waitForOffsets(master, replica);
    await expectSameData(master, [replica]);
    expect(await infoNumber(master, 'sync_full')).toBe(1);
  });

  it('streams with consumer groups: a real replica and ours of our master end with the same groups, PELs and counters', async () => {
    const master = await startEngine(FAST_SYNC);
    await writeMixedWorkload(master, 2000, 'before');
    const real = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const ours = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await Promise.all([waitForSync(real), waitForSync(ours)]);
    await writeMixedWorkload(master, 3000, 'during');
    await Promise.all([waitForOffsets(master, real), waitForOffsets(master, ours)]);
    await expectSameData(master, [real, ours]);
    expect(Object.keys(await streamsState(real)).length).toBeGreaterThanOrEqual(14);
  });

  it('CLIENT KILL TYPE replica on the master leads to a partial resync', async () => {
    const master = await startEngine(FAST_SYNC);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    await writeMixedWorkload(master, 1000);
    await waitForOffsets(master, replica);
    await command(master, 'CLIENT', 'KILL', 'TYPE', 'replica');
    await writeMixedWorkload(master, 500, 'after');
    await waitForSync(replica);
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    expect(await infoNumber(master, 'sync_partial_ok')).toBeGreaterThanOrEqual(1);
    expect(await infoNumber(master, 'sync_full')).toBe(1);
  });

  it('a backlog too small for the outage forces a full resync', async () => {
    const master = await startEngine([...FAST_SYNC, ['repl-backlog-size', '16kb']]);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    await command(replica, 'REPLICAOF', 'NO', 'ONE');
    await writeMixedWorkload(master, 3000, 'outage');
    await command(replica, 'REPLICAOF', '127.0.0.1', String(master.port));
    await waitForSync(replica);
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    expect(await infoNumber(master, 'sync_partial_err')).toBeGreaterThanOrEqual(1);
    expect(await infoNumber(master, 'sync_full')).toBe(2);
  });
});

describe('real master, our replica', () => {
  it('full sync then streaming under load: equal digests', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    await writeMixedWorkload(master, 3000, 'before');
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    await writeMixedWorkload(master, 3000, 'during');
    await waitForOffsets(master, replica);
    await expectSameData(master, [replica]);
  });

  it('streams with consumer groups: our replica ends with the same groups, PELs and counters as a real replica', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    await writeMixedWorkload(master, 2000, 'before');
    const ours = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    const real = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await Promise.all([waitForSync(ours), waitForSync(real)]);
    await writeMixedWorkload(master, 3000, 'during');
    await Promise.all([waitForOffsets(master, ours), waitForOffsets(master, real)]);
    await expectSameData(master, [real, ours]);
    expect(Object.keys(await streamsState(real)).length).toBeGreaterThanOrEqual(14);
  });

  it('CLIENT KILL TYPE master on our replica leads to a partial resync', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    await writeMixedWorkload(master, 1000);
    await waitForOffsets(master, replica);
    await command(replica, 'CLIENT', 'KILL', 'TYPE', 'master');
    await writeMixedWorkload(master, 500, 'after');
    await waitForSync(replica);
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    expect(await infoNumber(master, 'sync_partial_ok')).toBeGreaterThanOrEqual(1);
    expect(await infoNumber(master, 'sync_full')).toBe(1);
  });

  it('disk-based (length-prefixed) payload from a master with repl-diskless-sync no', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync', 'no'] });
    await writeMixedWorkload(master, 2000);
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    await writeMixedWorkload(master, 500, 'after');
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
  });
});

describe('chains mixing the two', () => {
  it('real master -> our replica -> real sub-replica under load: offsets equal at each hop, same data everywhere', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    await writeMixedWorkload(master, 2000, 'before');
    const ours = await startEngine([...FAST_SYNC, ['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(ours);
    const sub = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ours.port)] });
    await waitForSync(sub);
    await writeMixedWorkload(master, 3000, 'during');
    await waitForOffsets(master, ours);
    await waitForOffsets(ours, sub);
    await expectSameData(master, [sub, ours]);
    expect(await infoNumber(ours, 'sync_full')).toBe(1);
  });

  it('our master -> real replica -> our sub-replica under load: offsets equal at each hop, same data everywhere', async () => {
    const master = await startEngine(FAST_SYNC);
    await writeMixedWorkload(master, 2000, 'before');
    const real = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0', '--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(real);
    const sub = await startEngine([['replicaof', `127.0.0.1 ${real.port}`]]);
    await waitForSync(sub);
    await writeMixedWorkload(master, 3000, 'during');
    await waitForOffsets(master, real);
    await waitForOffsets(real, sub);
    await expectSameData(master, [real, sub]);
    expect(await infoNumber(real, 'sync_full')).toBe(1);
  });
});
