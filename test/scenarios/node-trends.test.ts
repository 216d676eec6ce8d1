/**
 * Issue 18 part 4: the `redis-cli --stat` trends of every node, read from
 * the same INFO poll as the replication figures: commands/s and evictions/s
 * from counter deltas (total_commands_processed, evicted_keys), connected
 * clients, used memory and keys; a counter that starts again (CONFIG
 * RESETSTAT, a restart) gives no rate for one poll instead of a negative
 * one. Held against the nodes' own INFO.
 */
import { expect, it } from 'vitest';
import { infoNumber } from '../../main/console/monitor/info-fields';
import { keyCount } from '../../main/console/monitor/counter-rates';
import { sleep, waitFor } from '../support/wait';
import { ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup, WriteLoad } from './harness';

useScenarioCleanup();

forEachNodeKind((kind) => {
  it('ops/s, clients, memory and keys match the nodes; CONFIG RESETSTAT and a restart give a gap, never a negative rate', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const [master, replica] = [group.master, group.replicas[0]!];
    const console = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500 });
    await console.waitForSteadyGroup([master.id, replica.id]);

    // Keys: 500 written on the master, the replica has them too.
    for (let index = 0; index < 500; index += 100) {
      const args: string[] = [];
      for (let key = index; key < index + 100; key++) args.push(`trend:${key}`, 'x');
      await master.call('MSET', ...args);
    }
    const truthKeys = keyCount(await master.info('keyspace').then((fields) => new Map([...fields, ['redis_version', 'x']])));
    expect(truthKeys).toBe(500);
    await console.waitForSnapshot((snapshot) => console.node(master.id, snapshot).keys === 500 && console.node(replica.id, snapshot).keys === 500, 'both nodes at 500 keys');

    // Clients and memory: the console's figure is INFO's, read at its poll.
    const clients = infoNumber(await master.info('clients'), 'connected_clients')!;
    await console.waitForSnapshot((snapshot) => Math.abs((console.node(master.id, snapshot).connectedClients ?? -100) - clients) <= 1, `about ${clients} clients on the master`);
    const memory = infoNumber(await master.info('memory'), 'used_memory')!;
    const shownMemory = console.node(master.id).usedMemoryBytes!;
    expect(Math.abs(shownMemory - memory) / memory).toBeLessThan(0.25);

    // Ops/s under a 1,000 writes/s load: the rate from the counter's delta.
    const load = WriteLoad.start(master, { opsPerSec: 1000, valueBytes: 50 });
    await sleep(2500);
    const loaded = console.snapshotsSince(Date.now() - 1500).map((received) => console.node(master.id, received.snapshot).opsPerSec).filter((rate): rate is number => rate !== null);
    expect(loaded.length).toBeGreaterThan(0);
    for (const rate of loaded) {
      expect(rate).toBeGreaterThan(500);
      expect(rate).toBeLessThan(2500);
    }

    // CONFIG RESETSTAT: total_commands_processed starts from 0 while writes go on.
    const beforeReset = Date.now();
    expect(await master.call('CONFIG', 'RESETSTAT')).toBe('OK');
    await waitFor(() => console.snapshotsSince(beforeReset).length >= 4, { timeoutMs: 10_000, what: 'four polls after the reset' });
    const afterReset = console.snapshotsSince(beforeReset).map((received) => console.node(master.id, received.snapshot).opsPerSec);
    expect(afterReset.some((rate) => rate === null), `a gap at the reset: ${JSON.stringify(afterReset)}`).toBe(true);
    expect(afterReset.every((rate) => rate === null || rate >= 0)).toBe(true);
    expect(afterReset.at(-1)).toBeGreaterThan(500);
    await load.stop();

    // A restart (new run_id, nothing persisted): the replica's counters start again, no negative rate, the keys it full-syncs back.
    const masterKeys = keyCount(await master.info('keyspace').then((fields) => new Map([...fields, ['redis_version', 'x']])))!;
    expect(masterKeys).toBeGreaterThan(500);
    const beforeRestart = Date.now();
    await replica.restart();
    await console.waitForSnapshot((snapshot) => console.node(replica.id, snapshot).keys === masterKeys && console.node(replica.id, snapshot).opsPerSec !== null && snapshot.time > beforeRestart + 1500, `the restarted replica back with the master's ${masterKeys} keys and a rate`);
    for (const received of console.snapshotsSince(beforeRestart)) {
      const node = received.snapshot.nodes.find((candidate) => candidate.id === replica.id);
      if (node?.opsPerSec != null) expect(node.opsPerSec).toBeGreaterThanOrEqual(0);
    }
  }, 60_000);

  it('evictions/s from evicted_keys when maxmemory is reached', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--maxmemory-policy', 'allkeys-random'] });
    const master = group.master;
    const console = await ConsoleUnderTest.attach(master, { pollIntervalMs: 500 });
    await console.waitForSteadyGroup(group.nodes.map((node) => node.id));
    expect(console.node(master.id).evictionsPerSec ?? 0).toBe(0);
    const used = infoNumber(await master.info('memory'), 'used_memory')!;
    expect(await master.call('CONFIG', 'SET', 'maxmemory', String(used + 2 * 1024 * 1024))).toBe('OK');
    const load = WriteLoad.start(master, { opsPerSec: 2000, valueBytes: 1000, keySpace: 1_000_000 });
    const evicting = await console.waitForSnapshot((snapshot) => (console.node(master.id, snapshot).evictionsPerSec ?? 0) > 0, 'evictions on the master', 30_000);
    await load.stop();
    const evicted = infoNumber(await master.info('stats'), 'evicted_keys')!;
    expect(evicted).toBeGreaterThan(0);
    // The rate times the time between the two answers it came from is the
    // number of keys evicted in between: never more than the node evicted in
    // total since the test began. (The answers' spacing is not the poll
    // interval: a late answer followed by a punctual one is less apart.)
    const sampledAt = console.node(master.id, evicting).sampledAt;
    const earlier = console
      .snapshotsSince(0)
      .map((received) => received.snapshot.nodes.find((node) => node.id === master.id)?.sampledAt ?? 0)
      .filter((time) => time < sampledAt);
    const previousSampledAt = Math.max(...earlier);
    expect(previousSampledAt).toBeGreaterThan(0);
    const evictedBetween = (console.node(master.id, evicting).evictionsPerSec! * (sampledAt - previousSampledAt)) / 1000;
    expect(evictedBetween).toBeLessThanOrEqual(evicted + 0.5);
  }, 60_000);
});
