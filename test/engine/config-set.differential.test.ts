/**
 * CONFIG SET / GET against redis-server 7.0: percent-or-memory values
 * (maxmemory-clients), rollback when one value of a CONFIG SET is invalid,
 * rollback when applying fails (a port in use: every value of the same
 * CONFIG SET keeps its old value and the server still listens where it
 * did), moving to a free port, hidden parameters, several names at once;
 * every parameter 7.0.15 lists, with its default, bounds and validation.
 */
import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { runDifferential, step, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';
import { freePort } from '../support/ports';
import { startEngine } from '../support/engine';
import { startRedisServer } from '../support/redis-server';

const peers = differentialPair();

async function occupiedPort(): Promise<net.Server> {
  const server = net.createServer(() => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('protected configs against redis-server', () => {
  const steps: Step[] = [
    step('CONFIG', 'SET', 'dir', '/tmp'), step('CONFIG', 'SET', 'dbfilename', 'other.rdb'), step('CONFIG', 'SET', 'dbfilename', 'a/b.rdb'),
    step('CONFIG', 'SET', 'maxmemory', '5', 'dir', '/tmp'), step('CONFIG', 'GET', 'maxmemory'), step('CONFIG', 'GET', 'dbfilename'),
    step('CONFIG', 'SET', 'enable-protected-configs', 'yes'),
  ];

  it('refuses dir and dbfilename with enable-protected-configs no (the default)', async () => {
    expect(await peers.compare(steps)).toEqual([]);
  });

  it('allows them to a local client with enable-protected-configs local, checking dbfilename is a file name', async () => {
    const [redis, ours] = await Promise.all([startRedisServer({ args: ['--enable-protected-configs', 'local'] }), startEngine([['enable-protected-configs', 'local']])]);
    expect(await runDifferential(redis, ours, [...steps, step('CONFIG', 'SET', 'dbfilename', 'dump.rdb')])).toEqual([]);
  });

  it('prints dir as the absolute directory, as redis-server prints its working directory', async () => {
    const here = mkdtempSync(path.join(tmpdir(), 'replscope-dir-'));
    const previous = process.cwd();
    process.chdir(here);
    try {
      const ours = await startEngine([['dir', '.']], { dir: '.' });
      expect(await ours.call('CONFIG', 'GET', 'dir')).toEqual(['dir', here]);
    } finally {
      process.chdir(previous);
    }
  });
});

// Before the port tests: the last one leaves the in-process engine's configured port 0, not listening.
describe('CONFIG GET * and CONFIG SET of every parameter against redis-server', () => {
  // Set by the two harnesses' command lines or naming their own paths and ports.
  const startup = new Set(['port', 'dir', 'logfile', 'bind', 'save', 'appendonly', 'enable-debug-command', 'protected-mode', 'daemonize', 'pidfile']);

  it('lists the same parameters with the same default values', async () => {
    const listed: Array<Map<string, string>> = [];
    for (const peer of [peers.redis, peers.ours]) {
      const reply = (await peer.call('CONFIG', 'GET', '*')) as string[];
      const pairs = new Map<string, string>();
      for (let i = 0; i < reply.length; i += 2) if (!startup.has(reply[i]!)) pairs.set(reply[i]!, reply[i + 1]!);
      listed.push(pairs);
    }
    const [redis, ours] = listed as [Map<string, string>, Map<string, string>];
    expect([...ours.keys()].sort()).toEqual([...redis.keys()].sort());
    expect(Object.fromEntries([...ours].sort())).toEqual(Object.fromEntries([...redis].sort()));
  });

  it('refuses the same parameters as immutable: each set to the value it has', async () => {
    const immutable: string[][] = [];
    for (const peer of [peers.redis, peers.ours]) {
      const reply = (await peer.call('CONFIG', 'GET', '*')) as string[];
      const refused: string[] = [];
      for (let i = 0; i < reply.length; i += 2) {
        const answer = await peer.call('CONFIG', 'SET', reply[i]!, reply[i + 1]!);
        if (String(answer).endsWith("can't set immutable config")) refused.push(reply[i]!);
      }
      immutable.push(refused.sort());
    }
    // rdbchecksum among them (config.c IMMUTABLE_CONFIG): the engine once let CONFIG SET change it.
    expect(immutable[0]).toContain('rdbchecksum');
    expect(immutable[1]).toEqual(immutable[0]);
  });

  it('checks values as redis-server does: 64-bit bounds, unsigned types, enums, immutable ones, config.c validations', async () => {
    const steps: Step[] = [
      step('CONFIG', 'SET', 'activedefrag', 'yes'),
      step('CONFIG', 'SET', 'activedefrag', 'no'),
      step('CONFIG', 'SET', 'active-defrag-cycle-max', '100'),
      step('CONFIG', 'SET', 'active-defrag-ignore-bytes', '0'),
      step('CONFIG', 'SET', 'active-defrag-ignore-bytes', '1kb'),
      step('CONFIG', 'GET', 'active-defrag-ignore-bytes'),
      step('CONFIG', 'SET', 'active-defrag-max-scan-fields', '0'),
      step('CONFIG', 'SET', 'io-threads', '2'),
      step('CONFIG', 'SET', 'io-threads-do-reads', 'yes'),
      step('CONFIG', 'SET', 'tls-port', '6390'),
      step('CONFIG', 'SET', 'tls-port', '70000'),
      step('CONFIG', 'SET', 'tls-port', '0'),
      step('CONFIG', 'SET', 'tls-replication', 'yes'),
      step('CONFIG', 'SET', 'tls-cluster', 'yes'),
      step('CONFIG', 'SET', 'tls-cert-file', '/nonexistent'),
      step('CONFIG', 'GET', 'tls-cert-file'),
      step('CONFIG', 'SET', 'tls-cert-file', ''),
      step('CONFIG', 'SET', 'tls-auth-clients', 'maybe'),
      step('CONFIG', 'SET', 'tls-auth-clients', 'optional'),
      step('CONFIG', 'GET', 'tls-auth-clients'),
      step('CONFIG', 'SET', 'tls-auth-clients', 'yes'),
      step('CONFIG', 'SET', 'cluster-enabled', 'yes'),
      step('CONFIG', 'SET', 'cluster-announce-hostname', 'bad_host!'),
      step('CONFIG', 'SET', 'cluster-announce-hostname', 'good.host'),
      step('CONFIG', 'SET', 'cluster-announce-hostname', ''),
      step('CONFIG', 'SET', 'cluster-preferred-endpoint-type', 'x'),
      step('CONFIG', 'SET', 'proc-title-template', '{bad}'),
      step('CONFIG', 'SET', 'proc-title-template', '{title}'),
      step('CONFIG', 'SET', 'proc-title-template', '{{x'),
      step('CONFIG', 'SET', 'proc-title-template', '{title'),
      step('CONFIG', 'SET', 'proc-title-template', '{port} {title}'),
      step('CONFIG', 'GET', 'proc-title-template'),
      step('CONFIG', 'SET', 'proc-title-template', '{title} {listen-addr} {server-mode}'),
      step('CONFIG', 'SET', 'oom-score-adj-values', '1 2'),
      step('CONFIG', 'SET', 'oom-score-adj-values', '-2001 0 0'),
      step('CONFIG', 'SET', 'oom-score-adj-values', '100 +50 800'),
      step('CONFIG', 'GET', 'oom-score-adj-values'),
      step('CONFIG', 'SET', 'oom-score-adj-values', '0 200 800'),
      step('CONFIG', 'SET', 'oom-score-adj', 'relative'),
      step('CONFIG', 'GET', 'oom-score-adj'),
      step('CONFIG', 'SET', 'oom-score-adj', 'bogus'),
      step('CONFIG', 'SET', 'oom-score-adj', 'no'),
      step('CONFIG', 'SET', 'unixsocketperm', '700'),
      step('CONFIG', 'SET', 'supervised', 'auto'),
      step('CONFIG', 'SET', 'syslog-facility', 'local1'),
      step('CONFIG', 'SET', 'cluster-link-sendbuf-limit', '-1'),
      step('CONFIG', 'SET', 'cluster-link-sendbuf-limit', '18446744073709551616'),
      step('CONFIG', 'GET', 'cluster-link-sendbuf-limit'),
      step('CONFIG', 'SET', 'cluster-link-sendbuf-limit', '0'),
      step('CONFIG', 'SET', 'socket-mark-id', '1'),
      step('CONFIG', 'SET', 'appenddirname', 'x'),
      step('CONFIG', 'SET', 'cluster-node-timeout', '-1'),
      step('CONFIG', 'SET', 'cluster-node-timeout', '9223372036854775807'),
      step('CONFIG', 'GET', 'cluster-node-timeout'),
      step('CONFIG', 'SET', 'cluster-node-timeout', '15000'),
      step('CONFIG', 'SET', 'slowlog-max-len', '-1'),
      step('CONFIG', 'SET', 'slowlog-max-len', '01'),
      step('CONFIG', 'SET', 'slowlog-max-len', '9223372036854775807'),
      step('CONFIG', 'GET', 'slowlog-max-len'),
      step('CONFIG', 'SET', 'slowlog-max-len', '128'),
      step('CONFIG', 'SET', 'maxmemory', '18446744073709551615'),
      step('CONFIG', 'GET', 'maxmemory'),
      step('CONFIG', 'SET', 'maxmemory', ''),
      step('CONFIG', 'GET', 'maxmemory'),
      step('CONFIG', 'SET', 'maxmemory', 'kb'),
      step('CONFIG', 'SET', 'maxmemory', '0'),
      step('CONFIG', 'SET', 'hz', '1000'),
      step('CONFIG', 'GET', 'hz'),
      step('CONFIG', 'SET', 'hz', '0'),
      step('CONFIG', 'GET', 'hz'),
      step('CONFIG', 'SET', 'hz', '10'),
      step('CONFIG', 'SET', 'timeout', '2147483648'), step('CONFIG', 'SET', 'maxmemory-samples', '2147483647'), step('CONFIG', 'GET', 'maxmemory-samples'),
      step('CONFIG', 'SET', 'maxmemory-samples', '2147483648'), step('CONFIG', 'SET', 'maxmemory-samples', '5'),
      step('CONFIG', 'SET', 'maxclients', '4294967296'),
      step('CONFIG', 'SET', 'maxclients', '0'),
      step('CONFIG', 'SET', 'appendfsync', 'x'),
      step('CONFIG', 'SET', 'hash-max-listpack-value', '1kb'),
      step('CONFIG', 'GET', 'hash-max-listpack-value'),
      step('CONFIG', 'SET', 'hash-max-listpack-value', '64'),
      step('CONFIG', 'SET', 'maxmemory-clients', '9223372036854775808'),
      step('CONFIG', 'SET', 'proto-max-bulk-len', '9223372036854775807'),
      step('CONFIG', 'GET', 'proto-max-bulk-len'),
      step('CONFIG', 'SET', 'proto-max-bulk-len', '512mb'),
      step('CONFIG', 'SET', 'auto-aof-rewrite-min-size', '1gb'),
      step('CONFIG', 'GET', 'auto-aof-rewrite-min-size'),
      step('CONFIG', 'SET', 'auto-aof-rewrite-min-size', '64mb'),
      step('CONFIG', 'SET', 'active-defrag-threshold-lower', '1001'),
      step('CONFIG', 'SET', 'cluster-replica-validity-factor', '-1'),
      step('CONFIG', 'GET', 'cluster-slave-validity-factor'),
    ];
    expect(await peers.compare(steps)).toEqual([]);
  });
});

describe('CONFIG SET against redis-server', () => {
  it('parses maxmemory-clients as a memory or a percentage and rolls a CONFIG SET back when one value is invalid', async () => {
    const steps: Step[] = [];
    for (const value of ['10%', '0', '1mb', '100%', '101%', '200%', 'abc', '-5', '5%%', '%']) {
      steps.push(step('CONFIG', 'SET', 'maxmemory-clients', value), step('CONFIG', 'GET', 'maxmemory-clients'));
    }
    steps.push(
      step('CONFIG', 'SET', 'maxmemory', '10000002'),
      step('CONFIG', 'SET', 'maxmemory', '10000001', 'maxmemory-clients', '200%', 'client-query-buffer-limit', 'invalid'),
      step('CONFIG', 'GET', 'maxmemory'), step('CONFIG', 'GET', 'maxmemory-clients'), step('CONFIG', 'GET', 'client-query-buffer-limit'),
      step('CONFIG', 'SET', 'maxmemory', '10000001', 'maxmemory', '10000002'), step('CONFIG', 'SET', 'daemonize', 'yes'),
      step('CONFIG', 'SET', 'maxmemory', '0', 'maxmemory-clients', '0'),
      step('CONFIG', 'GET', 'key-load-delay'), step('CONFIG', 'GET', 'rdb-key-save-delay'),
    );
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(steps, protocol)).toEqual([]);
    }
    const several: string[][] = [];
    for (const peer of [peers.redis, peers.ours]) {
      const all = (await peer.call('CONFIG', 'GET', '*')) as string[];
      expect(all).not.toContain('key-load-delay');
      expect(all).not.toContain('rdb-key-save-delay');
      // Names and patterns together, each parameter once (Redis answers in its dict's order).
      const reply = (await peer.call('CONFIG', 'GET', 'maxmemory', 'maxmemory*', 'bind', '*of')) as string[];
      const pairs: string[] = [];
      for (let i = 0; i < reply.length; i += 2) pairs.push(`${reply[i]}=${reply[i + 1]}`);
      several.push(pairs.sort());
    }
    expect(several[1]).toEqual(several[0]);
  });

  it('rolls the whole CONFIG SET back when the port is in use, and keeps listening where it did', async () => {
    const blocker = await occupiedPort();
    const used = (blocker.address() as net.AddressInfo).port;
    try {
      const steps: Step[] = [
        step('CONFIG', 'SET', 'maxmemory', '10000001', 'port', String(used), 'client-query-buffer-limit', '10m'),
        step('CONFIG', 'GET', 'maxmemory'), step('CONFIG', 'GET', 'client-query-buffer-limit'), step('PING'),
      ];
      expect(await peers.compare(steps)).toEqual([]);
      for (const peer of [peers.redis, peers.ours]) {
        const fresh = new RespConnection('127.0.0.1', peer.port);
        expect(await fresh.call('PING')).toBe('PONG');
        fresh.close();
      }
    } finally {
      blocker.close();
    }
  });

  it('moves to a free port: new connections there, established ones kept, and back', async () => {
    const original = peers.ours.port;
    const connection = new RespConnection('127.0.0.1', original);
    try {
      const configuredBefore = await connection.call('CONFIG', 'GET', 'port');
      const target = await freePort();
      expect(await connection.call('CONFIG', 'SET', 'port', String(target))).toBe('OK');
      expect(await connection.call('CONFIG', 'GET', 'port')).toEqual(['port', String(target)]);
      expect(await connection.call('PING')).toBe('PONG');
      const moved = new RespConnection('127.0.0.1', target);
      expect(await moved.call('PING')).toBe('PONG');
      await expect(new RespConnection('127.0.0.1', original).call('PING')).rejects.toThrow();
      expect(await moved.call('CONFIG', 'SET', 'port', String(original))).toBe('OK');
      moved.close();
      const back = new RespConnection('127.0.0.1', original);
      expect(await back.call('PING')).toBe('PONG');
      await back.call('CONFIG', 'SET', 'port', (configuredBefore as string[])[1]!);
      back.close();
    } finally {
      connection.close();
    }
  });
});
