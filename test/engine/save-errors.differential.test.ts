/**
 * How a failed or killed save is logged, against redis-server 7.0.15:
 * - the temp file cannot be created (its directory was removed after
 *   CONFIG SET dir): SAVE, BGSAVE and DEBUG RELOAD log rdbSave's "Failed
 *   opening the temp RDB file" line with strerror's text and getcwd()'s
 *   "unknown"; BGSAVE replies that it started and then logs "Background
 *   saving error" alone, and rdb_last_bgsave_status turns err;
 * - dbfilename is a directory: the finished temp file cannot be renamed
 *   over it, and SAVE and BGSAVE log rdbSave's "Error moving temp DB file"
 *   line with strerror's "Is a directory" (a Write error line before);
 * - FLUSHALL during a BGSAVE kills it with SIGUSR1: "Background saving
 *   terminated by signal 10", and rdb_last_bgsave_status stays ok.
 * The engine has no child process: its temp file is not named by a child's
 * pid, and its lines carry the main role, so the comparison reads the
 * messages with the temp file's number and the child's pid left out.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { withBothStarted, type StartedNode } from '../support/startup-outcome';
import { waitFor } from '../support/wait';

const dir = path.join(mkdtempSync(path.join(tmpdir(), 'replscope-save-errors-')), 'dätä');
mkdirSync(dir);
afterAll(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

/** The log's messages about saving. */
function saveLines(logfile: string): string[] {
  return readFileSync(path.join(dir, logfile), 'latin1')
    .split('\n')
    .map((line) => line.replace(/^\d+:[CMSX] \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d\.\d{3} . /, ''))
    .filter((message) => /sav|RDB/i.test(message) && !/^(Redis|Engine) version|overcommit/.test(message))
    .map((message) => message.replace(/temp-[\d-]+\.rdb/, 'temp-<n>.rdb').replace(/ by pid \d+$/, ''));
}

async function bgsaveDone(node: StartedNode, call: (...args: string[]) => Promise<unknown>): Promise<string> {
  let status = '';
  await waitFor(
    async () => {
      const info = String(await call('INFO', 'persistence'));
      status = /rdb_last_bgsave_status:(\w+)/.exec(info)?.[1] ?? '';
      return /rdb_bgsave_in_progress:0/.test(info);
    },
    { what: `${node.name} BGSAVE done` },
  );
  return status;
}

describe('save errors are logged as redis-server logs them', () => {
  it('a removed dir: SAVE, BGSAVE and DEBUG RELOAD log the failed open with strerror and getcwd() "unknown"', async () => {
    const seen: Record<string, unknown> = {};
    await withBothStarted(
      // An absolute logfile: redis-server opens a relative one against the current directory at every line.
      (port) => ['--port', String(port), '--logfile', path.join(dir, `gone-${port}.log`), '--enable-protected-configs', 'yes', '--enable-debug-command', 'yes'],
      dir,
      async (node) => {
        const gone = path.join(dir, `gone-${node.port}`, 'ä');
        mkdirSync(gone, { recursive: true });
        const connection = node.connect();
        try {
          expect(await connection.call('CONFIG', 'SET', 'dir', gone), node.name).toBe('OK');
          expect(await connection.call('SET', 'k', 'v'), node.name).toBe('OK');
          rmSync(path.dirname(gone), { recursive: true });
          const save = await connection.call('SAVE');
          expect(await connection.call('BGSAVE'), node.name).toBe('Background saving started');
          const status = await bgsaveDone(node, (...args) => connection.call(...args));
          const reload = await connection.call('DEBUG', 'RELOAD');
          seen[node.name] = {
            save: save instanceof Error ? save.message : save,
            status,
            reload: reload instanceof Error ? reload.message : reload,
            log: saveLines(`gone-${node.port}.log`),
          };
        } finally {
          connection.close();
        }
      },
    );
    expect(seen.redis).toMatchObject({ status: 'err', log: expect.arrayContaining(['Background saving error']) });
    expect(seen.ours).toEqual(seen.redis);
  }, 60_000);

  it('dbfilename is a directory: SAVE and BGSAVE log the failed rename with strerror, rdb_last_bgsave_status err', async () => {
    const seen: Record<string, unknown> = {};
    await withBothStarted(
      (port) => ['--port', String(port), '--logfile', `eisdir-${port}.log`, '--dbfilename', `eisdir-${port}.rdb`],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          mkdirSync(path.join(dir, `eisdir-${node.port}.rdb`));
          expect(await connection.call('SET', 'k', 'v'), node.name).toBe('OK');
          const save = await connection.call('SAVE');
          expect(await connection.call('BGSAVE'), node.name).toBe('Background saving started');
          const status = await bgsaveDone(node, (...args) => connection.call(...args));
          seen[node.name] = {
            save: save instanceof Error ? save.message : save,
            status,
            log: saveLines(`eisdir-${node.port}.log`).map((message) => message.replaceAll(String(node.port), '<port>')),
          };
        } finally {
          connection.close();
        }
      },
    );
    // The log is read byte for byte (latin1), as the directory's name is written there.
    const moving = `Error moving temp DB file temp-<n>.rdb on the final destination eisdir-<port>.rdb (in server root dir ${Buffer.from(dir).toString('latin1')}): Is a directory`;
    expect(seen.redis).toEqual({ save: 'ERR', status: 'err', log: [moving, 'Background saving started', moving, 'Background saving error'] });
    expect(seen.ours).toEqual(seen.redis);
  }, 60_000);

  it('FLUSHALL kills a running BGSAVE: terminated by signal 10, rdb_last_bgsave_status stays ok', async () => {
    const seen: Record<string, unknown> = {};
    await withBothStarted(
      (port) => ['--port', String(port), '--logfile', `killed-${port}.log`, '--dbfilename', `killed-${port}.rdb`, '--rdb-key-save-delay', '100000'],
      dir,
      async (node) => {
        const connection = node.connect();
        try {
          for (let i = 0; i < 20; i++) await connection.call('SET', `k${i}`, 'v');
          expect(await connection.call('BGSAVE'), node.name).toBe('Background saving started');
          expect(await connection.call('FLUSHALL'), node.name).toBe('OK');
          const status = await bgsaveDone(node, (...args) => connection.call(...args));
          seen[node.name] = { status, log: saveLines(`killed-${node.port}.log`) };
        } finally {
          connection.close();
        }
      },
    );
    expect(seen.ours).toEqual(seen.redis);
  }, 60_000);
});
