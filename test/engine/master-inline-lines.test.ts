/**
 * Inline lines from a master, against a redis-server 7.0.15 replica of the
 * same scripted master: processInlineBuffer lets a master send an empty
 * line ("\n", "\r\n") to keep the link alive, but any other inline line,
 * whitespace only included ("   \r\n", whose length is not 0), is "Master
 * using the inline protocol. Desync?": the replica drops the link without
 * caching the master and asks for a full sync (PSYNC ? -1). Compared: the
 * PSYNCs the master got, the keys, and the replica's master_repl_offset.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';
import { startFakeMaster, type FakeMaster } from '../support/fake-master';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { command, infoNumber, waitForSync } from '../support/replication';
import { waitFor } from '../support/wait';

const masters: FakeMaster[] = [];

afterEach(async () => {
  for (const master of masters.splice(0)) await master.close();
  await stopAllRedisServers();
  await stopAllEngines();
});

/** What a replica of a fresh fake master does with `line` between two writes: the PSYNCs it sent and the keys it holds. */
async function replicaAfter(kind: 'redis' | 'ours', line: string): Promise<{ psyncs: Array<[string, number]>; a: unknown; b: unknown; offset: number }> {
  const master = await startFakeMaster();
  masters.push(master);
  const replica = kind === 'redis'
    ? await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] })
    : await startEngine([['replicaof', `127.0.0.1 ${master.port}`]]);
  await master.synced();
  await waitForSync(replica);
  master.send(['SELECT', '0'], ['SET', 'a', '1']);
  master.sendRaw(line);
  master.send(['SET', 'b', '2']);
  // Either the write after the line arrives, or the replica asks for a new sync.
  await waitFor(async () => master.psyncs.length > 1 || (await command(replica, 'GET', 'b')) === '2', { what: `${kind}: b, or a new PSYNC` });
  if (master.psyncs.length > 1) await waitForSync(replica);
  // The offset the replica reports: whether an empty line's bytes count in it.
  const offset = await infoNumber(replica, 'master_repl_offset', 'replication');
  return { psyncs: [...master.psyncs], a: await command(replica, 'GET', 'a'), b: await command(replica, 'GET', 'b'), offset };
}

describe('inline lines from a master', () => {
  it.each(['\n', '\r\n', '   \r\n', ' \n', '\r\r\n', '\t\n'])('%j: the same outcome as a redis-server replica', async (line) => {
    const redis = await replicaAfter('redis', line);
    const ours = await replicaAfter('ours', line);
    expect(ours).toEqual(redis);
  }, 60_000);
});
