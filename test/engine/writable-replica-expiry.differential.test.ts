/**
 * A writable replica (replica-read-only no) expires the keys its own clients
 * gave a TTL (expire.c rememberSlaveKeyWithExpire / expireSlaveKeys): its
 * master never heard of them, so no DEL will come. Keys its master sent keep
 * waiting for the master's DEL. Found by Redis's own
 * integration/replication-3.tcl ("Slave is able to evict keys created in
 * writable slaves"), which the engine failed: dbsize stayed 3 after the TTLs
 * passed. Held against a real redis-server replica of a real master doing
 * the same, through the replica's DBSIZE and INFO expired_keys.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startEngineProcess, type EngineProcess } from '../support/engine';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../support/redis-server';
import { infoNumber, waitForOffsets, waitForSync } from '../support/replication';
import { sleep, waitFor } from '../support/wait';

const started: Array<RedisProcess | EngineProcess> = [];
afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()));
  await stopAllRedisServers();
});

async function replicaOf(kind: 'redis-server' | 'engine', masterPort: number): Promise<RedisProcess | EngineProcess> {
  const args = ['--replicaof', '127.0.0.1', String(masterPort), '--replica-read-only', 'no', '--hz', '100'];
  const replica = kind === 'redis-server' ? await startRedisServer({ args }) : await startEngineProcess(args, { bundled: true });
  started.push(replica);
  return replica;
}

describe.each(['redis-server', 'engine'] as const)('a writable %s replica', (kind) => {
  it('expires the keys its own clients gave a TTL, and only waits for its master on the keys the master sent', async () => {
    const master = await startRedisServer();
    const replica = await replicaOf(kind, master.port);
    await waitForSync(replica);
    // The master's key: its TTL passes while the master's active expire is off, so no DEL comes.
    expect(await master.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    expect(await master.call('SET', 'from-master', 'v', 'PX', '300')).toBe('OK');
    await waitForOffsets(master, replica);
    expect(await replica.call('SELECT', '5')).toBe('OK');
    for (const key of ['own1', 'own2', 'own3']) expect(await replica.call('SET', key, '1', 'PX', '300')).toBe('OK');
    expect(await replica.call('SET', 'own-no-ttl', '1')).toBe('OK');
    expect(await replica.call('DBSIZE')).toBe(4);
    await waitFor(async () => (await replica.call('DBSIZE')) === 1, { timeoutMs: 20_000, what: `the ${kind} replica to expire its own keys` });
    expect(await infoNumber(replica, 'expired_keys', 'stats')).toBe(3);
    // The master's key is logically expired but stays until the master's DEL.
    await sleep(300);
    expect(await replica.call('SELECT', '0')).toBe('OK');
    expect(await replica.call('DBSIZE')).toBe(1);
    expect(await replica.call('EXISTS', 'from-master')).toBe(0);
    expect(await master.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('OK');
    await waitFor(async () => (await replica.call('DBSIZE')) === 0, { timeoutMs: 20_000, what: `the master's DEL to reach the ${kind} replica` });
  }, 60_000);

  // flushSlaveKeysWithExpireList: FLUSHALL (emptyData(-1)) and a full sync's load forget the
  // replica's own keys, so the master's later key of the same name waits for the master's DEL.
  // The replica's active expire is off until the key's TTL has passed; then a marker key of its own
  // expires, proving a pass over its remembered keys ran: only the marker may count as expired.
  async function expectOnlyMarkerExpires(replica: RedisProcess | EngineProcess): Promise<void> {
    await waitFor(async () => (await replica.call('EXISTS', 'k')) === 0, { timeoutMs: 20_000, what: 'the master key to pass its TTL' });
    expect(await replica.call('DEBUG', 'SET-ACTIVE-EXPIRE', '1')).toBe('OK');
    expect(await replica.call('SET', 'marker', '1', 'PX', '1')).toBe('OK');
    await waitFor(async () => (await infoNumber(replica, 'expired_keys', 'stats')) >= 1, {
      timeoutMs: 20_000, what: `the ${kind} replica to expire its marker key`,
    });
    await sleep(300);
    expect(await infoNumber(replica, 'expired_keys', 'stats')).toBe(1);
    expect(await replica.call('DBSIZE')).toBe(1);
  }

  it('forgets its own keys on FLUSHALL: the master\'s later key of that name is not expired by the replica', async () => {
    const master = await startRedisServer();
    const replica = await replicaOf(kind, master.port);
    await waitForSync(replica);
    expect(await master.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    expect(await replica.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    expect(await replica.call('SET', 'k', 'own', 'PX', '60000')).toBe('OK');
    expect(await replica.call('FLUSHALL')).toBe('OK');
    expect(await master.call('SET', 'k', 'm', 'PX', '300')).toBe('OK');
    await waitForOffsets(master, replica);
    await expectOnlyMarkerExpires(replica);
  }, 60_000);

  it('forgets its own keys on a full sync: the new master\'s key of that name is not expired by the replica', async () => {
    const master = await startRedisServer();
    const replica = await replicaOf(kind, master.port);
    await waitForSync(replica);
    expect(await replica.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    expect(await replica.call('SET', 'k', 'own', 'PX', '60000')).toBe('OK');
    const other = await startRedisServer();
    expect(await other.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    expect(await other.call('SET', 'k', 'm', 'PX', '1500')).toBe('OK');
    const syncsBefore = await infoNumber(other, 'sync_full', 'stats');
    expect(await replica.call('REPLICAOF', '127.0.0.1', String(other.port))).toBe('OK');
    await waitFor(async () => (await infoNumber(other, 'sync_full', 'stats')) > syncsBefore, { timeoutMs: 20_000, what: 'a full sync from the new master' });
    await waitForSync(replica);
    await waitForOffsets(other, replica);
    expect(await replica.call('DBSIZE')).toBe(1);
    await expectOnlyMarkerExpires(replica);
  }, 60_000);

  it('counts the key names its own clients gave a TTL in INFO slave_expires_tracked_keys', async () => {
    const master = await startRedisServer();
    const replica = await replicaOf(kind, master.port);
    await waitForSync(replica);
    expect(await replica.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    expect(await infoNumber(replica, 'slave_expires_tracked_keys', 'stats')).toBe(0);
    expect(await replica.call('SET', 'a', '1', 'PX', '60000')).toBe('OK');
    expect(await replica.call('SET', 'b', '1', 'EX', '600')).toBe('OK');
    expect(await replica.call('SET', 'c', '1')).toBe('OK');
    expect(await replica.call('SELECT', '5')).toBe('OK');
    expect(await replica.call('SET', 'a', '1', 'PX', '60000')).toBe('OK');
    expect(await infoNumber(replica, 'slave_expires_tracked_keys', 'stats')).toBe(2);
    expect(await replica.call('FLUSHALL')).toBe('OK');
    expect(await infoNumber(replica, 'slave_expires_tracked_keys', 'stats')).toBe(0);
  }, 60_000);

  // DEBUG RELOAD (and DEBUG LOADAOF) go through emptyData(-1), which empties the list too.
  it('forgets its own keys on DEBUG RELOAD: INFO slave_expires_tracked_keys drops to 0', async () => {
    const master = await startRedisServer();
    const replica = await replicaOf(kind, master.port);
    await waitForSync(replica);
    expect(await replica.call('DEBUG', 'SET-ACTIVE-EXPIRE', '0')).toBe('OK');
    expect(await replica.call('SET', 'a', '1', 'PX', '60000')).toBe('OK');
    expect(await infoNumber(replica, 'slave_expires_tracked_keys', 'stats')).toBe(1);
    expect(await replica.call('DEBUG', 'RELOAD')).toBe('OK');
    expect(await infoNumber(replica, 'slave_expires_tracked_keys', 'stats')).toBe(0);
  }, 60_000);
});
