/**
 * The `bind` addresses at startup, as redis-server 7.0.15's listenToPort
 * takes them. An address that cannot be bound is logged with the address as
 * `bind` wrote it ("*" for every IPv4 address), the port and anetTcpServer's
 * error ("bind: <strerror>", or gai_strerror for a name that does not
 * resolve); then main() logs "Failed listening on port N (TCP), aborting."
 * and exits 1, unless the address is optional ("-") and not on this machine.
 * IPv6 sockets are IPv6-only, so "*" and "::*" share a port.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bothOutcomes, withBothStarted } from '../support/startup-outcome';
import { RespConnection } from '../support/resp-connection';

const dir = mkdtempSync(path.join(tmpdir(), 'replscope-startup-listen-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The last two log lines, without their pid and time. */
function lastLines(stdout: string): string[] {
  return stdout.split('\n').slice(-2);
}

describe('a port in use stops startup', () => {
  it('logs the address as written, bind: strerror, and the abort line; exit 1', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen({ port: 0, host: '0.0.0.0' }, resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      for (const bind of ['*', '127.0.0.1']) {
        const { redis, ours } = await bothOutcomes(['--port', String(port), '--bind', bind, '--save', ''], dir);
        expect(redis.status, bind).toBe(1);
        expect(lastLines(redis.stdout), bind).toEqual([
          `<pid>:M <time> # Warning: Could not create server TCP listening socket ${bind}:${port}: bind: Address already in use`,
          `<pid>:M <time> # Failed listening on port ${port} (TCP), aborting.`,
        ]);
        expect({ status: ours.status, lines: lastLines(ours.stdout) }, bind).toEqual({ status: redis.status, lines: lastLines(redis.stdout) });
      }
    } finally {
      holder.close();
    }
  }, 60_000);
});

/** An address of TEST-NET-1 (RFC 5737): on no interface of this machine, so bind(2) gives EADDRNOTAVAIL. */
const ABSENT = '192.0.2.1';

describe('addresses that cannot be bound, optional or not', () => {
  it('an optional address not on this machine is skipped after its Warning; nothing left to listen on exits 1', async () => {
    const { redis, ours } = await bothOutcomes((port) => ['--port', String(port), '--bind', `-${ABSENT}`, '--save', ''], dir);
    expect(redis.status).toBe(1);
    expect(lastLines(redis.stdout)[1]).toBe('<pid>:M <time> # Configured to not listen anywhere, exiting.');
    const port = (stdout: string): string => /listening socket \S+:(\d+):/.exec(stdout)?.[1] ?? 'none';
    const shape = (stdout: string): string[] => lastLines(stdout).map((line) => line.replace(`:${port(stdout)}:`, ':<port>:'));
    expect(shape(redis.stdout)[0]).toBe(`<pid>:M <time> # Warning: Could not create server TCP listening socket ${ABSENT}:<port>: bind: Cannot assign requested address`);
    expect({ status: ours.status, lines: shape(ours.stdout) }).toEqual({ status: redis.status, lines: shape(redis.stdout) });
  }, 60_000);

  it('a port in use, or a name that does not resolve, aborts even for an optional address', async () => {
    for (const bind of ['127.0.0.1 -127.0.0.1', '-nonexistent.invalid']) {
      const { redis, ours } = await bothOutcomes((port) => ['--port', String(port), '--bind', bind, '--save', ''], dir);
      const port = (stdout: string): string => /Failed listening on port (\d+) /.exec(stdout)?.[1] ?? 'none';
      const shape = (stdout: string): string[] => lastLines(stdout).map((line) => line.replaceAll(port(stdout), '<port>'));
      expect(redis.status, bind).toBe(1);
      expect(shape(redis.stdout)[0], bind).toMatch(bind.startsWith('127') ? /socket 127\.0\.0\.1:<port>: bind: Address already in use$/ : /socket nonexistent\.invalid:<port>: Name or service not known$/);
      expect({ status: ours.status, lines: shape(ours.stdout) }, bind).toEqual({ status: redis.status, lines: shape(redis.stdout) });
    }
  }, 60_000);

  it('the Warning of a skipped optional address is logged and the others listen', async () => {
    const seen: Record<string, string[]> = {};
    await withBothStarted((port) => ['--port', String(port), '--bind', `-${ABSENT} 127.0.0.1`, '--logfile', `skipped-${port}.log`], dir, async (node) => {
      const warnings = readFileSync(path.join(dir, `skipped-${node.port}.log`), 'utf8').split('\n').filter((line) => line.includes('Could not create'));
      seen[node.name] = warnings.map((line) => line.replace(/^.* # /, '').replace(`:${node.port}:`, ':<port>:'));
    });
    expect(seen.redis).toEqual([`Warning: Could not create server TCP listening socket ${ABSENT}:<port>: bind: Cannot assign requested address`]);
    expect(seen.ours).toEqual(seen.redis);
  }, 60_000);
});

describe('IPv4 and IPv6 on one port', () => {
  // Redis's default, and both families required: each listens on ::1 beside 127.0.0.1, with no Warning.
  for (const bind of ['* -::*', '* ::*']) {
    it(`--bind '${bind}' listens on both families`, async () => {
      const seen: Record<string, unknown> = {};
      await withBothStarted((port) => ['--port', String(port), '--bind', bind, '--logfile', `both-${port}.log`], dir, async (node) => {
        const v4 = node.connect();
        const v6 = new RespConnection('::1', node.port);
        try {
          const log = readFileSync(path.join(dir, `both-${node.port}.log`), 'utf8');
          seen[node.name] = {
            bind: await v4.call('CONFIG', 'GET', 'bind'),
            v6: await v6.call('PING').catch((failure: unknown) => String(failure)),
            warnings: log.split('\n').filter((line) => line.includes('Could not create')),
          };
        } finally {
          v4.close();
          v6.close();
        }
      });
      expect(seen.redis).toEqual({ bind: ['bind', bind], v6: 'PONG', warnings: [] });
      expect(seen.ours).toEqual(seen.redis);
    }, 60_000);
  }
});
