/**
 * Replication between our engine and a real redis-server 7.0, both
 * directions (conformance checklist §10.1 and §10.2): initial full sync,
 * streaming under a concurrent write load of every type (EVAL and FCALL
 * included; the function library travels in the RDB), partial resync
 * after a killed link, full resync when the backlog is too small.
 * Streams with consumer groups are in the load; besides DEBUG DIGEST (which
 * covers stream entries only), our replica's consumer groups are compared
 * with those of a real replica of the same master.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { command, functionLibraries, infoNumber, streamsState, waitForEqualDigests, waitForOffsets, waitForSync, writeMixedDataset } from '../support/replication';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const FAST_SYNC: Array<[string, string]> = [['repl-diskless-sync-delay', '0']];

describe('our master, real replica', () => {
  it('full sync then streaming under load: equal digests', async () => {
    const master = await startEngine(FAST_SYNC);
    await writeMixedDataset(master, 3000, 'before');
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    await writeMixedDataset(master, 3000, 'during');
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    expect(await functionLibraries(replica)).toEqual(await functionLibraries(master));
    expect(await infoNumber(master, 'sync_full')).toBe(1);
  });

  it('streams with consumer groups: a real replica and ours of our master end with the same groups, PELs and counters', async () => {
    const master = await startEngine(FAST_SYNC);
    await writeMixedDataset(master, 2000, 'before');
    const real = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    const ours = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await Promise.all([waitForSync(real), waitForSync(ours)]);
    await writeMixedDataset(master, 3000, 'during');
    await Promise.all([waitForOffsets(master, real), waitForOffsets(master, ours)]);
    await waitForEqualDigests([master, real, ours]);
    const expected = await streamsState(real);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(14);
    expect(Object.values(expected).join()).toMatch(/"pel-count",[1-9]/);
    expect(await streamsState(ours)).toEqual(expected);
  });

  it('CLIENT KILL TYPE replica on the master leads to a partial resync', async () => {
    const master = await startEngine(FAST_SYNC);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await waitForSync(replica);
    await writeMixedDataset(master, 1000);
    await waitForOffsets(master, replica);
    await command(master, 'CLIENT', 'KILL', 'TYPE', 'replica');
    await writeMixedDataset(master, 500, 'after');
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
    await writeMixedDataset(master, 3000, 'outage');
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
    await writeMixedDataset(master, 3000, 'before');
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    await writeMixedDataset(master, 3000, 'during');
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    expect(await functionLibraries(replica)).toEqual(await functionLibraries(master));
  });

  it('streams with consumer groups: our replica ends with the same groups, PELs and counters as a real replica', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    await writeMixedDataset(master, 2000, 'before');
    const ours = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    const real = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] });
    await Promise.all([waitForSync(ours), waitForSync(real)]);
    await writeMixedDataset(master, 3000, 'during');
    await Promise.all([waitForOffsets(master, ours), waitForOffsets(master, real)]);
    await waitForEqualDigests([master, ours, real]);
    const expected = await streamsState(real);
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(14);
    expect(Object.values(expected).join()).toMatch(/"pel-count",[1-9]/);
    expect(await streamsState(ours)).toEqual(expected);
  });

  it('CLIENT KILL TYPE master on our replica leads to a partial resync', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    await writeMixedDataset(master, 1000);
    await waitForOffsets(master, replica);
    await command(replica, 'CLIENT', 'KILL', 'TYPE', 'master');
    await writeMixedDataset(master, 500, 'after');
    await waitForSync(replica);
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
    expect(await infoNumber(master, 'sync_partial_ok')).toBeGreaterThanOrEqual(1);
    expect(await infoNumber(master, 'sync_full')).toBe(1);
  });

  it('disk-based (length-prefixed) payload from a master with repl-diskless-sync no', async () => {
    const master = await startRedisServer({ args: ['--repl-diskless-sync', 'no'] });
    await writeMixedDataset(master, 2000);
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
    await waitForSync(replica);
    await writeMixedDataset(master, 500, 'after');
    await waitForOffsets(master, replica);
    await waitForEqualDigests([master, replica]);
  });
});
