/**
 * DEBUG against redis-server 7.0: PROTOCOL's test values in RESP2 and RESP3
 * (attributes, push, bignum, verbatim...), HELP, ERROR, argument checks,
 * QUICKLIST-PACKED-THRESHOLD (lists with PLAIN nodes dumped byte for byte
 * and reloaded), RELOAD's options, LOADAOF keeping the dataset and its
 * TTLs, DEBUG OBJECT's encoding and serialized length, and POPULATE's key
 * names.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { runDifferential, step, type Normalizer, type Step } from '../support/differential';
import { startEngineProcess } from '../support/engine';
import { startRedisServer } from '../support/redis-server';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

const peers = differentialPair();

const protocolTypes = ['string', 'integer', 'double', 'bignum', 'null', 'array', 'set', 'map', 'attrib', 'push', 'verbatim', 'true', 'false', 'nosuch', 'STRING'];

describe('DEBUG against redis-server', () => {
  it('PROTOCOL answers every type the same in RESP2 and RESP3', async () => {
    const steps: Step[] = protocolTypes.map((type) => step('DEBUG', 'PROTOCOL', type));
    // push is followed by a second reply: read it with a PING's turn.
    for (const protocol of [2, 3] as const) {
      const withFollowUp = steps.flatMap((s) => (s.cmd[2] === 'push' && protocol === 3 ? [s, { cmd: ['PING'] }] : [s]));
      expect(await peers.compare(withFollowUp, protocol)).toEqual([]);
    }
  });

  it('HELP, ERROR, LOG, SLEEP and the argument checks match', async () => {
    const steps: Step[] = [
      step('DEBUG', 'ERROR', 'MYERR something went wrong'), step('DEBUG', 'ERROR', 'two\r\nlines'),
      step('DEBUG', 'LOG', 'hello'), step('DEBUG', 'SLEEP', '0'), step('DEBUG', 'SLEEP', 'abc'), step('DEBUG', 'SLEEP', '0.01'),
      step('DEBUG', 'NOSUCH'), step('DEBUG', 'SLEEP'), step('DEBUG', 'OBJECT'), step('DEBUG', 'PROTOCOL'), step('DEBUG', 'HELP', 'x'),
      step('DEBUG', 'SET-ACTIVE-EXPIRE', 'x'), step('DEBUG', 'SET-ACTIVE-EXPIRE', '1'), step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', 'abc'),
      step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5gb'), step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'),
      // memtoull: no digits is 0 (the default threshold), a unit alone too; 4095mb is under the limit, 4gb not.
      step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', ''), step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', 'k'), step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '4095mb'),
      step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '4gb'), step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1.5k'), step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'), step('DEBUG', 'REPLYBUFFER', 'nosuch', '1'),
      step('DEBUG', 'REPLYBUFFER', 'peak-reset-time', 'x'), step('DEBUG', 'REPLYBUFFER', 'peak-reset-time', 'reset'), step('DEBUG', 'REPLYBUFFER', 'resizing', '1'),
      step('DEBUG', 'RELOAD', 'bogus'), step('DEBUG', 'OBJECT', 'nosuchkey'), step('DEBUG', 'PAUSE-CRON', '0'),
    ];
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(steps, protocol)).toEqual([]);
    }
    // Debian's redis-server is built with jemalloc and lists MALLCTL; we are not, and do not.
    const help = (await peers.redis.call('DEBUG', 'HELP')) as string[];
    const withoutJemalloc = help.filter((line) => !/^MALLCTL|^ {4}Get or set a malloc tuning/.test(line));
    expect(await peers.ours.call('DEBUG', 'HELP')).toEqual(withoutJemalloc);
  });

  it('POPULATE names keys as snprintf(buf[128], "%s:%lu") does: the prefix cut at its NUL, the key at 127 bytes', async () => {
    const long = 'x'.repeat(200);
    const edge = 'y'.repeat(125);
    const steps: Step[] = [
      step('FLUSHALL'), step('DEBUG', 'POPULATE', '2', long, '3'), step('DBSIZE'), step('GET', 'x'.repeat(127)), step('EXISTS', `${long}:0`),
      // 'y'×125 + ':10' is 128 bytes: cut to ':1', a key already there, so keys 10 and 11 are not made.
      step('FLUSHALL'), step('DEBUG', 'POPULATE', '12', edge), step('DBSIZE'), step('GET', `${edge}:9`), step('GET', `${edge}:1`), step('EXISTS', `${edge}:10`),
      step('FLUSHALL'), step('DEBUG', 'POPULATE', '2', 'pre\u0000fix'), step('DBSIZE'), step('GET', 'pre:1'), step('EXISTS', 'pre\u0000fix:1'),
    ];
    expect(await peers.compare(steps)).toEqual([]);
  });

  it('lists with PLAIN quicklist nodes dump byte for byte, restore across, and survive RELOAD and LOADAOF', async () => {
    const short = ['aa', 'bbbbbbbbbb', '9', '12345678901234567890', 'x'.repeat(20)];
    const steps: Step[] = [
      step('FLUSHALL'), step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1b'), step('RPUSH', 'plain', ...short), step('DUMP', 'plain'),
      step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '5b'), step('RPUSH', 'mixed', 'a', 'bb', 'cccccc', 'd', 'eeeeeeeeee', 'f'), step('DUMP', 'mixed'),
      step('DEBUG', 'RELOAD'), step('LRANGE', 'plain', '0', '-1'), step('LRANGE', 'mixed', '0', '-1'), step('DUMP', 'mixed'),
      step('CONFIG', 'SET', 'appendonly', 'yes'), step('SET', 'ttl', 'v', 'EX', '100'), step('SET', 'ttl', 'v2', 'KEEPTTL'),
    ];
    expect(await peers.compare(steps)).toEqual([]);
    // Redis needs its AOF written before it can load it (it exits without one).
    await waitFor(async () => String(await peers.redis.call('INFO', 'persistence')).includes('aof_rewrite_in_progress:0'));
    const afterAof: Step[] = [
      step('DEBUG', 'LOADAOF'), step('LRANGE', 'mixed', '0', '-1'), step('GET', 'ttl'), step('CONFIG', 'SET', 'appendonly', 'no'),
    ];
    expect(await peers.compare(afterAof)).toEqual([]);
    for (const peer of [peers.redis, peers.ours]) {
      const ttl = Number(await peer.call('TTL', 'ttl'));
      expect(ttl).toBeGreaterThan(90);
    }
    const reloads: Step[] = [
      step('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0'), step('DEBUG', 'RELOAD', 'NOSAVE'), step('LLEN', 'plain'), step('EXISTS', 'ttl'),
      step('SET', 'added', '1'), step('DEBUG', 'RELOAD', 'NOSAVE', 'NOFLUSH', 'MERGE'), step('GET', 'added'), step('LLEN', 'mixed'),
    ];
    expect(await peers.compare(reloads)).toEqual([]);
    // A payload with PLAIN nodes made by each side restores on the other.
    await peers.redis.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1b');
    // Replies are latin1 strings: send the payload back as the same bytes.
    const fromRedis = Buffer.from((await peers.redis.call('DUMP', 'plain')) as string, 'latin1');
    expect(await peers.ours.call('RESTORE', 'copy', '0', fromRedis, 'REPLACE')).toBe('OK');
    expect(await peers.ours.call('LRANGE', 'copy', '0', '-1')).toEqual(short);
    await peers.ours.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1b');
    const fromOurs = Buffer.from((await peers.ours.call('DUMP', 'plain')) as string, 'latin1');
    expect(await peers.redis.call('RESTORE', 'copy', '0', fromOurs, 'REPLACE')).toBe('OK');
    expect(await peers.redis.call('LRANGE', 'copy', '0', '-1')).toEqual(short);
    for (const peer of [peers.redis, peers.ours]) await peer.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0');
  });

  it('OBJECT reports the encoding and serialized length redis-server does', async () => {
    const setup: Step[] = [
      step('FLUSHALL'), step('SET', 'int', '12345'), step('SET', 'neg', '-99999999999'), step('SET', 'emb', 'hello world'),
      // Incompressible: our LZF finds other (equally valid) matches than Redis's, so compressed lengths differ.
      step('SET', 'raw', Array.from({ length: 60 }, (_, i) => String.fromCharCode(33 + ((i * 7) % 90))).join('')), step('RPUSH', 'list', 'a', 'b', 'c'), step('HSET', 'hash', 'f', 'v'), step('SADD', 'iset', '1', '2', '3'),
      step('ZADD', 'zset', '1', 'a', '2.5', 'b'),
    ];
    expect(await peers.compare(setup)).toEqual([]);
    const fields = async (port: number, key: string) => {
      const connection = new RespConnection('127.0.0.1', port);
      try {
        const line = String(await connection.call('DEBUG', 'OBJECT', key));
        return line.split(' ').filter((field) => /^(refcount|encoding|serializedlength|ql_nodes|ql_avg_node|ql_listpack_max|ql_compressed):/.test(field));
      } finally {
        connection.close();
      }
    };
    for (const key of ['int', 'neg', 'emb', 'raw', 'list', 'hash', 'iset', 'zset']) {
      expect(await fields(peers.ours.port, key), key).toEqual(await fields(peers.redis.port, key));
    }
  });

  it('LOADAOF with appendonly no closes the connection and exits with status 1, as redis-server does', async () => {
    // debug.c empties the dataset, finds no AOF manifest and calls exit(1): no reply.
    const [redis, ours] = await Promise.all([startRedisServer(), startEngineProcess([], { bundled: true })]);
    const steps: Step[] = [step('SET', 'k', 'v'), step('CONFIG', 'GET', 'appendonly'), step('DEBUG', 'LOADAOF')];
    expect(await runDifferential(redis, ours, steps)).toEqual([]);
    for (const child of [redis.process, ours.process]) {
      await waitFor(() => child.exitCode !== null, { what: 'the server to exit' });
      expect(child.exitCode).toBe(1);
    }
  });

  it('SDSLEN, LISTPACK, QUICKLIST and CLIENT-EVICTION answer as redis-server does', async () => {
    const steps: Step[] = [
      step('FLUSHALL'), step('SET', 'k', 'v'), step('SET', 'int', '123'), step('SET', 'emb', 'x'.repeat(44)), step('SET', 'raw', 'y'.repeat(45)),
      step('SET', 'a-key-of-exactly-thirty-one-char', 'z'.repeat(300)), step('SET', 'empty', ''), step('SET', 'big', 'b'.repeat(70000)),
      step('SET', '', 'empty key'), step('HSET', 'h', 'f', 'v'), step('RPUSH', 'l', 'a'), step('SADD', 'iset', '1'), step('SADD', 's', 'a'), step('ZADD', 'z', '1', 'a'),
      step('SET', 'gone', 'v', 'PX', '1'), step('DEBUG', 'SLEEP', '0.01'),
      ...['k', 'int', 'emb', 'raw', 'a-key-of-exactly-thirty-one-char', 'empty', 'big', '', 'h', 'nosuch'].map((key) => step('DEBUG', 'SDSLEN', key)),
      ...['h', 'l', 'iset', 's', 'z', 'k', 'nosuch', 'gone'].flatMap((key) => [step('DEBUG', 'LISTPACK', key), step('DEBUG', 'QUICKLIST', key)]),
      step('DEBUG', 'QUICKLIST', 'l', '1'), step('DEBUG', 'QUICKLIST', 'l', '1', '2'), step('DEBUG', 'LISTPACK'), step('DEBUG', 'SDSLEN', 'k', 'x'),
      step('DEBUG', 'CLIENT-EVICTION'), step('DEBUG', 'CLIENT-EVICTION', 'x'),
    ];
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(steps, protocol)).toEqual([]);
    }
    // The buckets: labels and client counts exact; the byte sums are each server's own client memory figures.
    const sumsBlanked: Normalizer = (raw) => raw.toString('latin1').replace(/tot-mem: +\d+/g, 'tot-mem: N');
    const withBuckets: Step[] = [step('CONFIG', 'SET', 'maxmemory-clients', '1gb'), { cmd: ['DEBUG', 'CLIENT-EVICTION'], compare: sumsBlanked }, step('CONFIG', 'SET', 'maxmemory-clients', '0')];
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(withBuckets, protocol)).toEqual([]);
    }
  });
});
