/**
 * COMMAND introspection against redis-server 7.0, byte for byte in RESP2 and
 * RESP3: COMMAND INFO of every command we implement (arity, flags,
 * movablekeys, legacy key range, ACL categories, tips, key specs,
 * subcommands), COMMAND GETKEYS / GETKEYSANDFLAGS over invocations that
 * take every path of key extraction (ranges, keywords, numkeys, the
 * fallback procs, invalid specs), COMMAND LIST filters, and the errors.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, unordered, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';
import { commandKeys, resolveKeyInfo } from '../../main/engine/commands/meta/key-extraction';
import { keyFlagNames } from '../../main/engine/commands/meta/key-spec';
import { KEY_SPECS } from '../../main/engine/commands/meta/key-spec-table';
import type { ResolvedCommand } from '../../main/engine/commands/command-spec';

const peers = differentialPair();

async function withConnection<T>(port: number, run: (connection: RespConnection) => Promise<T>): Promise<T> {
  const connection = new RespConnection('127.0.0.1', port);
  try {
    return await run(connection);
  } finally {
    connection.close();
  }
}

/** Every full name our engine lists ("config|get" included). */
async function ourCommandNames(): Promise<string[]> {
  return withConnection(peers.ours.port, async (connection) => (await connection.call('COMMAND', 'LIST')) as string[]);
}

/** Top-level commands with subcommands: their INFO/DOCS list them in dict order on Redis. */
function containers(names: ReadonlyArray<string>): Set<string> {
  return new Set(names.filter((name) => name.includes('|')).map((name) => name.split('|')[0]!));
}

const invocations: ReadonlyArray<ReadonlyArray<string>> = [
  ['get', 'k'], ['set', 'k', 'v'], ['set', 'k', 'v', 'GET'], ['set', 'k', 'v', 'EX', '10', 'get'], ['mset', 'a', '1', 'b', '2'],
  ['del', 'a', 'b', 'c'], ['lmove', 'src', 'dst', 'LEFT', 'RIGHT'], ['blmove', 'src', 'dst', 'LEFT', 'RIGHT', '0'],
  ['sort', 'k', 'BY', 'w_*', 'GET', '#', 'STORE', 'out'], ['sort', 'k', 'store', 'a', 'store', 'b'], ['sort', 'k', 'LIMIT', '0', '1', 'STORE'],
  ['sort_ro', 'k', 'BY', 'x'], ['zunionstore', 'dst', '2', 'a', 'b', 'WEIGHTS', '1', '2'], ['zunionstore', 'dst', '5', 'a', 'b'],
  ['zunionstore', 'dst', 'x', 'a'], ['zinterstore', 'dst', '0', 'a'], ['zunion', '2', 'a', 'b'], ['zdiff', '3', 'a', 'b'], ['zintercard', '1', 'a', 'LIMIT', '2'],
  ['sintercard', '2', 'a', 'b'], ['sintercard', '-1', 'a'], ['lmpop', '2', 'a', 'b', 'LEFT'], ['blmpop', '0', '2', 'a', 'b', 'LEFT'],
  ['zmpop', '1', 'z', 'MIN'], ['bzmpop', '1.5', '2', 'a', 'b', 'MAX', 'COUNT', '3'], ['bzpopmin', 'a', 'b', '0'], ['blpop', 'a', 'b', 'c', '0'],
  ['bitfield', 'k', 'GET', 'u8', '0'], ['bitfield', 'k', 'GET', 'u8', '0', 'SET', 'u8', '0', '1'], ['bitfield', 'k', 'OVERFLOW', 'SAT'], ['bitfield', 'k', 'bad'],
  ['bitfield_ro', 'k', 'GET', 'u8', '0'], ['getex', 'k', 'PERSIST'], ['copy', 'a', 'b', 'DB', '1'], ['rename', 'a', 'b'], ['object', 'encoding', 'k'],
  ['memory', 'usage', 'k'], ['smove', 'a', 'b', 'm'], ['rpoplpush', 'a', 'b'], ['lcs', 'key1', 'key2'], ['restore', 'k', '0', 'payload'], ['hset', 'h', 'f', 'v'],
  ['sdiffstore', 'd', 'a', 'b'], ['msetnx', 'a', '1'], ['getdel', 'k'], ['zrangestore', 'dst', 'src', '0', '-1'],
];

describe('COMMAND against redis-server', () => {
  it('COMMAND INFO of every command we implement matches (RESP2 and RESP3)', async () => {
    const names = await ourCommandNames();
    const withChildren = containers(names);
    const exact: Step[] = names.filter((name) => !withChildren.has(name)).map((name) => step('COMMAND', 'INFO', name));
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(exact, protocol)).toEqual([]);
    }
    // Containers: the same entry once subcommands are put in one order.
    const sortedInfo = async (port: number, name: string) =>
      withConnection(port, async (connection) => {
        const [entry] = (await connection.call('COMMAND', 'INFO', name)) as unknown[][];
        const children = (entry![9] as unknown[][]).slice().sort((a, b) => String(a[0]).localeCompare(String(b[0])));
        return [...entry!.slice(0, 9), children.map((child) => child[0])];
      });
    for (const name of withChildren) {
      const ours = await sortedInfo(peers.ours.port, name);
      const redisEntry = await sortedInfo(peers.redis.port, name);
      // Subcommands Redis has that we do not (CLIENT TRACKING...) are left out of the comparison.
      const ourChildren = new Set(ours[9] as string[]);
      expect(ours, name).toEqual([...redisEntry.slice(0, 9), (redisEntry[9] as string[]).filter((child) => ourChildren.has(child))]);
    }
  });

  it('COMMAND DOCS of every command matches: summary, since, group, complexity, doc flags, history, arguments (RESP2 and RESP3)', async () => {
    const names = await ourCommandNames();
    const withChildren = containers(names);
    // Subcommands are asked one by one ("client|kill"): a container lists them in dict order on Redis.
    const exact: Step[] = names.filter((name) => !withChildren.has(name)).map((name) => step('COMMAND', 'DOCS', name));
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(exact, protocol)).toEqual([]);
    }
    // Containers: the same fields, and the same subcommand names in one order.
    const containerDocs = async (port: number, name: string) =>
      withConnection(port, async (connection) => {
        const [, doc] = (await connection.call('COMMAND', 'DOCS', name)) as [string, unknown[]];
        const at = doc.indexOf('subcommands');
        const children = at >= 0 ? (doc[at + 1] as unknown[]).filter((_, i) => i % 2 === 0).map(String).sort() : [];
        return [...(at >= 0 ? doc.slice(0, at) : doc), children];
      });
    for (const name of withChildren) {
      expect(await containerDocs(peers.ours.port, name), name).toEqual(await containerDocs(peers.redis.port, name));
    }
    const [, hmset] = (await withConnection(peers.ours.port, (connection) => connection.call('COMMAND', 'DOCS', 'hmset'))) as [string, unknown[]];
    expect(hmset.slice(6, 14)).toEqual(['complexity', 'O(N) where N is the number of fields being set.', 'doc_flags', ['deprecated'], 'deprecated_since', '4.0.0', 'replaced_by', '`HSET` with multiple field-value pairs']);
  });

  it('COMMAND GETKEYS and GETKEYSANDFLAGS match on every key-extraction path', async () => {
    const steps: Step[] = [];
    for (const args of invocations) steps.push(step('COMMAND', 'GETKEYS', ...args), step('COMMAND', 'GETKEYSANDFLAGS', ...args));
    const manyKeys = Array.from({ length: 300 }, (_, i) => `key${i}`);
    steps.push(step('COMMAND', 'GETKEYS', 'zunionstore', 'target', '300', ...manyKeys));
    steps.push(
      step('COMMAND', 'GETKEYS', 'ping'), step('COMMAND', 'GETKEYS', 'nosuchcommand', 'a'), step('COMMAND', 'GETKEYS', 'get'),
      step('COMMAND', 'GETKEYS', 'get', 'a', 'b'), step('COMMAND', 'GETKEYS', 'config', 'get', 'x'), step('COMMAND', 'GETKEYS', 'config', 'nosuch', 'x'),
      step('COMMAND', 'GETKEYS', 'memory', 'usage', 'k'), step('COMMAND', 'GETKEYS'), step('COMMAND', 'GETKEYSANDFLAGS', 'get'),
    );
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(steps, protocol)).toEqual([]);
    }
  });

  it('key extraction of commands other parts of the engine have yet to register agrees with redis-server', async () => {
    // Our extraction runs in-process on the table's specs, with Redis's arity.
    const pending: ReadonlyArray<ReadonlyArray<string>> = [
      ['xread', 'COUNT', '2', 'STREAMS', 's1', 's2', '0', '0'], ['xread', 'BLOCK', '0', 'STREAMS', 's1', '0'], ['xread', 'STREAMS', 's1', 's2', '0'],
      ['xreadgroup', 'GROUP', 'g', 'c', 'NOACK', 'STREAMS', 'streams', 'k', '0', '0'], ['xadd', 's', '*', 'f', 'v'], ['xgroup', 'create', 'key', 'groupname', '$'],
      ['eval', 'return 1', '2', 'a', 'b', 'arg'], ['eval', 'return 1', '0'], ['eval', 'return 1', 'x'], ['evalsha_ro', 'sha', '1', 'k'], ['fcall', 'f', '1', 'k', 'v'],
      ['migrate', 'h', '1', 'k', '0', '10'], ['migrate', 'h', '1', '', '0', '10', 'COPY', 'AUTH2', 'u', 'p', 'KEYS', 'a', 'b'], ['migrate', 'h', '1', 'k', '0', '10', 'KEYS', 'a'],
      ['georadius', 'g', '0', '0', '1', 'km', 'STORE', 's'], ['georadius', 'g', '0', '0', '1', 'km', 'STORE', 's', 'STOREDIST', 't'],
      ['georadiusbymember', 'g', 'm', '1', 'km', 'STOREDIST', 'd'], ['geosearchstore', 'dst', 'src', 'FROMMEMBER', 'm', 'BYRADIUS', '1', 'km'],
      ['pfcount', 'a', 'b'], ['pfmerge', 'd', 'a', 'b'], ['xautoclaim', 's', 'g', 'c', '10', '0'], ['xinfo', 'stream', 's'],
    ];
    for (const argv of pending) {
      const fullName = argv[0] === 'xgroup' || argv[0] === 'xinfo' ? `${argv[0]}|${argv[1]}` : argv[0]!;
      const [redisKeys, info] = await withConnection(peers.redis.port, async (connection) => [
        await connection.call('COMMAND', 'GETKEYSANDFLAGS', ...argv).catch((failure: unknown) => failure),
        ((await connection.call('COMMAND', 'INFO', fullName)) as unknown[][])[0]!,
      ]);
      const command = { arity: info[1] as number, keyInfo: resolveKeyInfo(fullName, KEY_SPECS[fullName] ?? []) } as ResolvedCommand;
      const ours = commandKeys(command, argv).map((key) => [argv[key.index], keyFlagNames(key.flags)]);
      // Redis's "Invalid arguments specified for command" is our empty answer.
      const expected = redisKeys instanceof Error ? [] : redisKeys;
      expect(ours, argv.join(' ')).toEqual(expected);
    }
  });

  it('COMMAND LIST filters, COMMAND INFO of unknown names and the errors match', async () => {
    const ours = new Set(await ourCommandNames());
    const steps: Step[] = [
      step('COMMAND', 'LIST', 'bad_arg'), step('COMMAND', 'LIST', 'FILTERBY', 'bad_arg'), step('COMMAND', 'LIST', 'FILTERBY', 'bad_arg', 'x'),
      step('COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'x', 'FILTERBY'), step('COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'non_existing_category'),
      step('COMMAND', 'LIST', 'FILTERBY', 'module', 'nomodule'), step('COMMAND', 'LIST', 'filterby', 'pattern', 'non_exists*'),
      step('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'set'), step('COMMAND', 'LIST', 'FILTERBY', 'pattern', 'GET'),
      step('COMMAND', 'INFO', 'get|key'), step('COMMAND', 'INFO', 'config|get|key'), step('COMMAND', 'INFO', 'nosuch', 'GET', 'Config|Get'),
      step('COMMAND', 'DOCS', 'nosuch'), step('COMMAND', 'NOSUCH'), step('COMMAND', 'COUNT', 'x'), step('COMMAND', 'INFO', 'PING', 'ECHO'),
    ];
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(steps, protocol)).toEqual([]);
    }
    // Filtered lists: Redis's answer restricted to the commands we have.
    for (const filter of [['aclcat', 'keyspace'], ['aclcat', 'WRITE'], ['aclcat', 'dangerous'], ['pattern', 'config*'], ['pattern', 'cl*help'], ['pattern', '*|*']]) {
      const [redisNames, ourNames] = await Promise.all([peers.redis.port, peers.ours.port].map((port) =>
        withConnection(port, async (connection) => (await connection.call('COMMAND', 'LIST', 'FILTERBY', ...filter)) as string[])));
      expect(ourNames!.slice().sort(), filter.join(' ')).toEqual(redisNames!.filter((name) => ours.has(name)).sort());
    }
    const unorderedSteps: Step[] = [unordered('COMMAND', 'LIST', 'FILTERBY', 'aclcat', 'transaction')];
    expect(await peers.compare(unorderedSteps)).toEqual([]);
  });
});
