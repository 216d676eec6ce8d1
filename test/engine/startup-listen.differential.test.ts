/**
 * A port redis-server 7.0.15 cannot bind at startup: listenToPort logs the
 * address as `bind` wrote it ("*" for every IPv4 address), the port and
 * anetListen's "bind: <strerror>", then main() logs "Failed listening on
 * port N (TCP), aborting." and exits 1. Both servers are started on a port
 * this test holds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bothOutcomes } from '../support/startup-outcome';

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
