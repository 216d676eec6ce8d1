/**
 * The demo's Restart master, run until the console has seen the master go.
 * An empty node restarts between two polls on a quiet machine, and the
 * console then sees nothing go (no health event to judge). DEBUG POPULATE
 * 300000 makes the save and the load before the new process listens take a
 * few 100 ms polls; should the gap still fall between polls, the restart is
 * run again, four times at most. (DEBUG POPULATE is not propagated: the
 * keys are the master's alone, as on redis-server.)
 *
 * Each restart is checked against the node's own truth: its run_id changes
 * (a new process) and its log says "User requested shutdown...", "DB saved
 * on disk", "Ready to accept connections", in that order. `afterEach` runs
 * after every restart (e.g. to wait for the replica to follow). Resolves
 * with the time the first restart was asked; fails unless a node-unreachable
 * event for the master was recorded since.
 */
import { expect } from 'vitest';
import type { DemoNodeInfo } from '../../../shared/contract/demo';
import { command, info } from '../../support/replication';
import type { ConsoleUnderTest } from './console-under-test';

export async function restartDemoMasterUntilSeenDown(replscope: ConsoleUnderTest, master: DemoNodeInfo, afterEach?: () => Promise<void>): Promise<number> {
  expect(await command({ port: master.port }, 'DEBUG', 'POPULATE', '300000')).toBe('OK');
  const since = Date.now();
  const seenDown = (): boolean => replscope.eventsWhere((event) => event.kind === 'node-unreachable' && event.nodeId === master.id && event.time >= since).length > 0;
  for (let attempt = 1; attempt <= 4 && !seenDown(); attempt++) {
    const runIdBefore = (await info({ port: master.port }, 'server')).get('run_id');
    const fromLog = replscope.logs.length;
    await replscope.call('demo.chaos', { kind: 'restart-master', keepReplid: true });
    expect((await info({ port: master.port }, 'server')).get('run_id')).not.toBe(runIdBefore);
    await afterEach?.();
    const own = replscope.logs.slice(fromLog).filter((line) => line.startsWith(`${master.id} `));
    const at = (pattern: RegExp): number => own.findIndex((line) => pattern.test(line));
    expect(at(/User requested shutdown\.\.\./), own.join('\n')).toBeGreaterThanOrEqual(0);
    expect(at(/DB saved on disk/), own.join('\n')).toBeGreaterThan(at(/User requested shutdown\.\.\./));
    expect(at(/Ready to accept connections/), own.join('\n')).toBeGreaterThan(at(/DB saved on disk/));
    // A few polls for the console to file what it saw of this restart.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  expect(seenDown(), replscope.describeEvents()).toBe(true);
  return since;
}
