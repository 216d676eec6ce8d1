/**
 * A Sentinel that comes back at another address with its own config (its
 * myid kept): the other Sentinels replace its address and publish
 * '+sentinel-address-switch master mymaster <ip> <port> ip <new ip> port
 * <new port> for <myid>' (redis-sentinel 7.0.15). Before, the timeline
 * dropped it; now it is one line saying which Sentinel moved where.
 *
 * Held against the other Sentinels' logs and the moved Sentinel's own
 * SENTINEL MYID.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { startRedisServer } from '../support/redis-server';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startSentinelScenario, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('a Sentinel restarted on a new port with its myid is one line naming its run id and new address', async () => {
  const group = await startSentinelScenario({ kind: 'redis', replicas: 1 });
  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 250, profile: group.profile() });
  await replscope.waitForSnapshot((snapshot) => snapshot.groups.some((entry) => entry.kind === 'sentinel' && entry.sentinels.length === 3 && entry.sentinels.every((sentinel) => sentinel.subscribed)), 'three Sentinels listened to');
  const [first, second, third] = group.sentinels as [typeof group.sentinels[0], typeof group.sentinels[0], typeof group.sentinels[0]];
  const marks = [first.log().length, second.log().length];
  const myid = String(await third.call('SENTINEL', 'MYID'));
  const configFile = path.join(third.dir, `config-${third.port}.conf`);
  await third.stop({ keepDir: true });
  const moved = await startRedisServer({ binary: 'redis-sentinel', configText: readFileSync(configFile, 'utf8') });
  expect(String(await moved.call('SENTINEL', 'MYID'))).toBe(myid);

  const line = new RegExp(`\\+sentinel-address-switch master ${group.name} 127\\.0\\.0\\.1 ${group.master.port} ip 127\\.0\\.0\\.1 port ${moved.port} for ${myid}`);
  await waitFor(() => line.test(first.log().slice(marks[0])) && line.test(second.log().slice(marks[1])), { timeoutMs: 15_000, what: 'both other Sentinels to log +sentinel-address-switch' });
  const isSwitch = (event: { kind: string; numbers: Record<string, unknown> }) => event.kind === 'sentinel' && event.numbers.channel === '+sentinel-address-switch';
  const event = await replscope.waitForEvent(isSwitch, '+sentinel-address-switch on the timeline', 10_000);
  expect(event.message).toContain(`${group.name}: the Sentinel with run id ${myid.slice(0, 8)} now announces 127.0.0.1:${moved.port} (same myid, new address`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(replscope.eventsWhere(isSwitch)).toHaveLength(1);
}, 60_000);
