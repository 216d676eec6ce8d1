/**
 * Replication links that authenticate as an ACL user (masteruser /
 * masterauth), both directions with a real redis-server 7.0: the master's
 * default user has a password and the replication user may run only what
 * a replica needs (PSYNC, REPLCONF, PING). A wrong password keeps the link
 * down with Redis's log line; the right one brings it up, the dataset
 * arrives, and the master's ACL log shows nothing denied.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { info, waitForSync } from '../support/replication';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

const ADMIN_PASSWORD = 'admin-secret';
const REPLICATION_USER = ['repl', 'on', '>repl-secret', '+psync', '+replconf', '+ping'];

/** A connection authenticated as the default user. */
async function adminConnection(port: number, password: string | null): Promise<RespConnection> {
  const connection = new RespConnection('127.0.0.1', port);
  if (password !== null) expect(await connection.call('AUTH', password)).toBe('OK');
  return connection;
}

async function waitForSameDigest(master: RespConnection, replica: RespConnection): Promise<void> {
  await waitFor(async () => {
    const [a, b] = await Promise.all([master.call('DEBUG', 'DIGEST'), replica.call('DEBUG', 'DIGEST')]);
    return a === b && a !== '0'.repeat(40);
  }, { timeoutMs: 30_000, what: 'equal digests' });
}

describe('replication links authenticated as an ACL user', () => {
  it('our replica of a real master: masteruser/masterauth, a wrong password first', async () => {
    const master = await startRedisServer({ args: ['--requirepass', ADMIN_PASSWORD, '--user', ...REPLICATION_USER, '--repl-diskless-sync-delay', '0'], password: ADMIN_PASSWORD });
    const masterAdmin = await adminConnection(master.port, ADMIN_PASSWORD);
    const replica = await startEngine([['replicaof', `127.0.0.1 ${master.port}`], ['masteruser', 'repl'], ['masterauth', 'wrong'], ['repl-timeout', '5']]);
    await waitFor(() => replica.logs.some((line) => line.includes('Unable to AUTH to MASTER: -WRONGPASS invalid username-password pair or user is disabled.')), { timeoutMs: 15_000, what: 'the AUTH refusal in our log' });
    expect((await info(replica, 'replication')).get('master_link_status')).toBe('down');
    expect(await replica.call('CONFIG', 'SET', 'masterauth', 'repl-secret')).toBe('OK');
    await waitForSync(replica);
    for (let index = 0; index < 200; index++) await masterAdmin.call('SET', `key:${index}`, `value:${index}`);
    const replicaConnection = await adminConnection(replica.port, null);
    await waitForSameDigest(masterAdmin, replicaConnection);
    const replicaClient = String(await masterAdmin.call('CLIENT', 'LIST', 'TYPE', 'replica'));
    expect(replicaClient).toMatch(/ user=repl /);
    expect(await masterAdmin.call('ACL', 'LOG')).toHaveLength(1); // the refused AUTH
    masterAdmin.close();
    replicaConnection.close();
  });

  it('a real replica of our master: the replication user may run only PSYNC, REPLCONF and PING', async () => {
    const master = await startEngine([['requirepass', ADMIN_PASSWORD], ['user', REPLICATION_USER.join(' ')], ['repl-diskless-sync-delay', '0']]);
    const masterAdmin = await adminConnection(master.port, ADMIN_PASSWORD);
    for (let index = 0; index < 500; index++) await masterAdmin.call('SET', `before:${index}`, `${index}`);
    const replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port), '--masteruser', 'repl', '--masterauth', 'repl-secret'] });
    await waitForSync(replica);
    for (let index = 0; index < 500; index++) await masterAdmin.call('RPUSH', 'after', `${index}`);
    const replicaConnection = await adminConnection(replica.port, null);
    await waitForSameDigest(masterAdmin, replicaConnection);
    // Acknowledgements (REPLCONF ACK) keep flowing: the replica's offset catches up.
    await waitFor(async () => {
      const replication = String(await masterAdmin.call('INFO', 'replication'));
      const masterOffset = /master_repl_offset:(\d+)/.exec(replication)?.[1];
      return masterOffset !== undefined && replication.includes(`offset=${masterOffset},`);
    }, { timeoutMs: 15_000, what: 'the replica to acknowledge the master offset' });
    expect(String(await masterAdmin.call('CLIENT', 'LIST', 'TYPE', 'replica'))).toMatch(/ user=repl /);
    expect(await masterAdmin.call('ACL', 'LOG')).toEqual([]);
    // The same user cannot read data.
    const asReplicationUser = new RespConnection('127.0.0.1', master.port);
    expect(await asReplicationUser.call('AUTH', 'repl', 'repl-secret')).toBe('OK');
    expect(((await asReplicationUser.call('GET', 'before:1')) as Error).message).toBe("NOPERM this user has no permissions to run the 'get' command");
    asReplicationUser.close();
    masterAdmin.close();
    replicaConnection.close();
  });
});
