/**
 * Inline lines from a master, against a redis-server 7.0.15 replica of the
 * same scripted master: processInlineBuffer lets a master send an empty
 * line ("\n", "\r\n") to keep the link alive, but any other inline line,
 * whitespace only included ("   \r\n", whose length is not 0), is "Master
 * using the inline protocol. Desync?": the replica drops the link without
 * caching the master and asks for a full sync (PSYNC ? -1). Compared: the
 * PSYNCs the master got, the keys, and the replica's master_repl_offset.
 *
 * Then the log of such a desync, and of a malformed multibulk request from
 * the master: redis-server warns (processInlineBuffer) for an inline line,
 * logs setProtocolError's line at warning level for its master (the reason,
 * the master client's CLIENT INFO line, a sample of the query buffer from
 * the offending line on), then "Connection with master lost.". A malformed
 * request is first an error reply to the master: "== CRITICAL ==" and the
 * tail of the backlog.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { stopAllEngines } from '../support/engine';
import type { FakeMaster } from '../support/fake-master';
import { replicaOfFakeMaster } from '../support/fake-master-replica';
import { stopAllRedisServers } from '../support/redis-server';
import { encodeRequest } from '../support/resp-reply-parser';
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
  const { master, replica } = await replicaOfFakeMaster(kind, masters);
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

/** CLIENT INFO fields that hold across processes and runs (not id, fd, age, memory figures). */
const STABLE_FIELDS = ['name', 'flags', 'db', 'sub', 'psub', 'ssub', 'multi', 'argv-mem', 'multi-mem', 'obl', 'oll', 'omem', 'events', 'cmd', 'user', 'redir', 'resp'];

/**
 * The replica's log lines about a bad master stream, without pid, role and
 * time; the client info is reduced to its field names, the master's address
 * checked, and the stable fields' values.
 */
function protocolLines(log: string[], masterPort: number): string[] {
  return log
    .map((line) => line.replace(/^\d+:S \d\d \w{3} \d{4} [\d:.]+ /, ''))
    .filter((line) => /Receiving inline protocol|CRITICAL|Latest backlog|Protocol error|Connection with master lost/.test(line))
    .map((line) => line.replace(/from client: (.*)\. Query buffer/, (_, info: string) => {
      const fields = info.split(' ').map((field) => field.split('=') as [string, string]);
      const names = fields.map(([name]) => name).join(',');
      const addr = fields.find(([name]) => name === 'addr')?.[1] === `127.0.0.1:${masterPort}` ? 'master' : 'not the master';
      const stable = fields.filter(([name]) => STABLE_FIELDS.includes(name)).map(([name, value]) => `${name}=${value}`).join(' ');
      return `from client: [${names}] addr=${addr} ${stable}. Query buffer`;
    }));
}

/** The log lines a replica of a fresh fake master writes when `bad` comes after two writes, in one write with the next command. */
async function logAfter(kind: 'redis' | 'ours', bad: string): Promise<string[]> {
  const { master, replica } = await replicaOfFakeMaster(kind, masters);
  master.send(['SELECT', '0'], ['SET', 'a', '1']);
  // One write: the sample of the query buffer then holds the command after `bad` in both.
  master.sendRaw(bad + encodeRequest(['SET', 'b', 'x'.repeat(150)]).toString('latin1'));
  const log = (): string[] => ('logs' in replica ? replica.logs : replica.log().split('\n'));
  await waitFor(() => log().some((line) => line.includes('Connection with master lost.')), { what: `${kind}: the master link to drop` });
  return protocolLines(log(), master.port);
}

describe('a bad master stream is logged as redis-server logs it', () => {
  it.each(['   \r\n', '\r\r\n', '\t\n', '*x\r\n', '*1\r\n$x\r\n', '*1\r\n#3\r\n', '*2\r\n$3\r\nGET\r\n$-1\r\n'])('%j', async (bad) => {
    const redis = await logAfter('redis', bad);
    const ours = await logAfter('ours', bad);
    expect(redis.length).toBeGreaterThanOrEqual(2);
    expect(ours).toEqual(redis);
  }, 60_000);
});
