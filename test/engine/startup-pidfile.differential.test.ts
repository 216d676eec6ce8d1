/**
 * pidfile, against redis-server 7.0.15: written once the server is
 * initialized ("<pid>\n", a relative name from dir), removed at SHUTDOWN.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RespConnection } from '../support/resp-connection';
import { withBothStarted } from '../support/startup-outcome';
import { waitFor } from '../support/wait';

const dir = mkdtempSync(path.join(tmpdir(), 'replscope-startup-pidfile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pidfile', () => {
  it('holds the process id while the server runs, and is removed at SHUTDOWN', async () => {
    await withBothStarted(
      (port) => ['--port', String(port), '--pidfile', `pïd-${port}.pid`],
      dir,
      async (node) => {
        const file = path.join(dir, `pïd-${node.port}.pid`);
        const connection = node.connect();
        try {
          const info = String(await connection.call('INFO', 'server'));
          const pid = /process_id:(\d+)/.exec(info)?.[1];
          expect(pid, node.name).toBeDefined();
          expect(readFileSync(file, 'utf8'), node.name).toBe(`${pid}\n`);
          await connection.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
        } finally {
          connection.close();
        }
        await waitFor(() => !existsSync(file), { what: `${node.name} removing its pidfile` });
      },
    );
  }, 60_000);

  it('a pidfile it cannot remove (a directory) does not stop SHUTDOWN', async () => {
    await withBothStarted(
      (port) => {
        mkdirSync(path.join(dir, `dir-${port}.pid`));
        return ['--port', String(port), '--pidfile', `dir-${port}.pid`];
      },
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          await connection.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
        } finally {
          connection.close();
        }
        await waitFor(
          async () => {
            const probe = new RespConnection('127.0.0.1', node.port);
            try {
              await probe.call('PING');
              return false;
            } catch {
              return true;
            } finally {
              probe.close();
            }
          },
          { what: `${node.name} exiting after SHUTDOWN` },
        );
        expect(existsSync(path.join(dir, `dir-${node.port}.pid`)), node.name).toBe(true);
      },
    );
  }, 60_000);
});
