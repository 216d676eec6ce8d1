/**
 * A demoted master's full resync says how many stream bytes it had past the
 * promotion point and how many of them could be data, by its own count.
 *
 * SENTINEL FAILOVER of a master (redis-server 7.0, three redis-sentinel);
 * after the promotion, while the old master still reports "master" (Sentinel
 * converts it only after 8 s), a client runs three SETs on it. Its offset
 * goes on growing meanwhile with Sentinel's hello PUBLISHes (every 2 s from
 * each Sentinel, propagated like any command), so the bytes the new master
 * refuses ("Requested offset for second ID was X, but I can reply up to Y")
 * are mostly hellos. The full resync's message once said "it took X - Y bytes
 * of writes ... and those writes are discarded": a claim of some 1.7 KB of
 * data writes where the node's INFO rdb_changes_since_last_save moved by 3.
 *
 * Held against the nodes: the new master's log line (the bytes), the old
 * master's INFO rdb_changes_since_last_save read around the SETs while its
 * INFO still said role:master (the changes), and the exact RESP size of the
 * SETs (far less than the bytes: the rest is not data).
 */
import { describe, expect, it } from 'vitest';
import { parseInfo } from '../../main/console/monitor/info-fields';
import { LOG, scenarioNodeKinds, sentinelFailoverWatched, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

/** The size of a command as RESP in the replication stream (a multibulk of bulk strings). */
function respSize(args: readonly string[]): number {
  return Buffer.byteLength(`*${args.length}\r\n`) + args.reduce((sum, arg) => sum + Buffer.byteLength(`$${Buffer.byteLength(arg)}\r\n${arg}\r\n`), 0);
}

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0 with three Sentinels', () => {
  it('three SETs on the old master after the promotion among Sentinel\'s hellos: the resync gives the bytes and "at most 3" changes, not "bytes of writes"', async () => {
    const { oldMaster, newMaster, replscope, marks } = await sentinelFailoverWatched();
    const newMasterId = newMaster.id;
    await replscope.waitForEvent((event) => event.kind === 'promotion' && event.nodeId === newMasterId, `the promotion of ${newMasterId}`, 20_000);

    // The old master's own count of dataset changes around three SETs, each read while it was still a master.
    const readChanges = async (): Promise<number> => {
      const info = parseInfo(String(await oldMaster.call('INFO', 'replication', 'persistence')));
      expect(info.get('role'), `${oldMaster.id} still a master`).toBe('master');
      return Number(info.get('rdb_changes_since_last_save'));
    };
    const before = await readChanges();
    const sets = [['SET', 'after-promotion:1', 'a'], ['SET', 'after-promotion:2', 'b'], ['SET', 'after-promotion:3', 'c']];
    for (const set of sets) expect(await oldMaster.call(...set)).toBe('OK');
    const changes = (await readChanges()) - before;
    expect(changes).toBe(3);

    const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === oldMaster.id, `the full resync of the demoted ${oldMaster.id}`, 40_000);
    expect(resync).toMatchObject({ cause: 'demoted-master', peerId: newMasterId });
    const refusal = await waitForLog(newMaster, LOG.secondIdOffsetTooHigh, marks.get(newMasterId)!);
    const [, requested, upTo] = LOG.secondIdOffsetTooHigh.exec(refusal)!;
    const bytes = Number(requested) - Number(upTo);
    // Those bytes hold the three SETs, a SELECT before them only when nothing since the stream's start selected
    // db 0 already, and the hellos Sentinel published on the old master before it converted it (none when the
    // conversion came within a hello period: 134 bytes past the promotion for the SETs' 132, seen on a quiet machine).
    const setBytes = sets.reduce((sum, set) => sum + respSize(set), 0);
    expect(bytes, refusal).toBeGreaterThanOrEqual(setBytes);

    // The message: the node's bytes (exact, or marked as a bound of them) and its count of changes, never "bytes of writes".
    expect(resync.message, refusal).not.toMatch(/bytes of writes/);
    const [, bound, stated] = /it had (at least )?(\d+) bytes of replication stream past the point where/.exec(resync.message) ?? [];
    expect(stated, resync.message).toBeDefined();
    if (bound) expect(Number(stated), `${resync.message}\n${refusal}`).toBeLessThanOrEqual(bytes);
    else expect(Number(stated), `${resync.message}\n${refusal}`).toBe(bytes);
    expect(resync.message).toContain(`carrying at most ${changes} changes to its dataset`);
    if (!bound) expect(resync.message).toMatch(new RegExp(`and with them at most ${changes} writes$`));

    // The writes-lost event counts the same changes.
    const lost = await replscope.waitForEvent((event) => event.kind === 'writes-lost', 'the writes-lost event', 20_000);
    expect(lost.numbers.datasetChanges, lost.message).toBe(changes);
  }, 90_000);
});
