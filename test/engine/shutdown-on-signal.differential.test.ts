/**
 * shutdown-on-sigint / shutdown-on-sigterm (SHUTDOWN's options for a
 * signal) against redis-server 7.0.15: CONFIG SET/GET and the errors, and a
 * SIGTERM of an engine process honouring them.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step } from '../support/differential';
import { startEngineProcess } from '../support/engine';
import { waitFor } from '../support/wait';

const peers = differentialPair();

describe('shutdown-on-sigint and shutdown-on-sigterm', () => {
  it('CONFIG SET and GET match redis-server', async () => {
    const steps = ['shutdown-on-sigint', 'shutdown-on-sigterm'].flatMap((name) => [
      step('CONFIG', 'GET', name), step('CONFIG', 'SET', name, 'nosave now'), step('CONFIG', 'GET', name),
      step('CONFIG', 'SET', name, 'FORCE now SAVE'), step('CONFIG', 'GET', name), step('CONFIG', 'SET', name, 'save nosave'),
      step('CONFIG', 'SET', name, 'bogus'), step('CONFIG', 'SET', name, ''), step('CONFIG', 'SET', name, 'default now'), step('CONFIG', 'GET', name),
      step('CONFIG', 'SET', name, 'default'), step('CONFIG', 'GET', name),
    ]);
    for (const protocol of [2, 3] as const) expect(await peers.compare(steps, protocol)).toEqual([]);
  });

  it('SIGTERM shuts the engine down with the options shutdown-on-sigterm gives', async () => {
    const saving = await startEngineProcess(['--save', '3600 1']);
    await saving.call('SET', 'k', 'v');
    await saving.call('CONFIG', 'SET', 'shutdown-on-sigterm', 'nosave');
    saving.signal('SIGTERM');
    await waitFor(() => saving.process.exitCode !== null, { what: 'the engine exiting' });
    expect(saving.process.exitCode).toBe(0);
    expect(saving.output()).toMatch(/Received SIGTERM scheduling shutdown\.\.\./);
    expect(saving.output()).not.toMatch(/Saving the final RDB snapshot/);
    expect(existsSync(path.join(saving.dir, 'dump.rdb'))).toBe(false);

    const defaults = await startEngineProcess(['--save', '3600 1']);
    await defaults.call('SET', 'k', 'v');
    defaults.signal('SIGTERM');
    await waitFor(() => defaults.process.exitCode !== null, { what: 'the engine exiting' });
    expect(defaults.output()).toMatch(/Saving the final RDB snapshot before exiting\./);
    expect(existsSync(path.join(defaults.dir, 'dump.rdb'))).toBe(true);
    await saving.stop();
    await defaults.stop();
  }, 60_000);
});
