/**
 * Sentinel's hello messages are not writes lost in a failover.
 *
 * SENTINEL FAILOVER of a master no client writes to (redis-server 7.0,
 * three redis-sentinel processes). Sentinel re-points the old master only
 * after it has reported "master" for 8 s; meanwhile every Sentinel PUBLISHes
 * its hello to it every 2 s, and PUBLISH is propagated, so the old master's
 * offset passes the promotion point by some 1.7 KB and the new master
 * refuses its PSYNC ("Requested offset for second ID was X, but I can reply
 * up to Y"): a full resync. Found in a new-user walk: the console filed
 * "writes lost in failover: 1742 bytes" and a critical Writes lost alert,
 * though nothing was written and no key was lost. The old master's own
 * count of dataset changes (INFO rdb_changes_since_last_save) did not move
 * across those bytes; the console now reads it, reports no loss, and its
 * full resync's cause says the bytes discarded held no data.
 *
 * Held against the nodes: the new master's log line (bytes discarded), the
 * old master's INFO commandstats (PUBLISH among them, and not one command
 * COMMAND INFO flags `write`), and its dataset (empty throughout).
 */
import { describe, expect, it } from 'vitest';
import { parseInfo } from '../../main/console/monitor/info-fields';
import { sleep } from '../support/wait';
import { LOG, scenarioNodeKinds, sentinelFailoverWatched, useScenarioCleanup, waitForLog } from './harness';

useScenarioCleanup();

describe.runIf(scenarioNodeKinds().includes('redis'))('on redis-server 7.0 with three Sentinels', () => {
  it('SENTINEL FAILOVER with no client writes: the old master\'s refused PSYNC is a full resync, not writes lost', async () => {
    const { oldMaster, newMaster, replscope, marks } = await sentinelFailoverWatched();
    const newMasterId = newMaster.id;
    // Sentinel converts the old master after 8 s; the new master then refuses its PSYNC for bytes past the promotion.
    const resync = await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === oldMaster.id, `the full resync of the demoted ${oldMaster.id}`, 40_000);
    expect(resync).toMatchObject({ cause: 'demoted-master', peerId: newMasterId });
    expect(resync.message).toMatch(/none of them a change to its dataset .* with no data lost$/);
    const refusal = await waitForLog(newMaster, LOG.secondIdOffsetTooHigh, marks.get(newMasterId)!);
    const [, requested, upTo] = LOG.secondIdOffsetTooHigh.exec(refusal)!;
    const discarded = Number(requested) - Number(upTo);
    expect(discarded, refusal).toBeGreaterThan(0);

    // The old master's truth: no client wrote to it, its dataset is empty, and no command it ran is a write.
    expect(await oldMaster.call('DBSIZE')).toBe(0);
    const ran = [...parseInfo(String(await oldMaster.call('INFO', 'commandstats'))).keys()].map((name) => name.replace(/^cmdstat_/, ''));
    expect(ran).toContain('publish');
    const writing: string[] = [];
    for (const name of ran) {
      const [info] = (await oldMaster.call('COMMAND', 'INFO', name.split('|')[0]!)) as Array<[string, number, string[]] | null>;
      if (info?.[2]?.includes('write')) writing.push(name);
    }
    expect(writing, `commands ${oldMaster.id} ran: ${ran.join(', ')}`).toEqual([]);

    // The console: a few polls past the resync, no loss filed and no alert.
    await sleep(2_000);
    const lost = replscope.eventsWhere((event) => event.kind === 'writes-lost');
    expect(lost.map((event) => event.message), `the new master discarded ${discarded} bytes: ${refusal}`).toEqual([]);
    expect(replscope.alertPushesWhere((alert) => alert.rule === 'writes-lost')).toEqual([]);
  }, 90_000);
});
