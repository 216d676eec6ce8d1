/**
 * The Prometheus gauge for "falling behind" (replscope_link_falling_behind),
 * scraped from the real endpoint while the demo's replica is capped below
 * the master's write rate (Chaos → Cap bandwidth 8 KiB/s under 300 ops/s,
 * some 37 KiB/s of stream), then with the cap lifted.
 *
 * Held to the views and to the nodes: each scraped value is the views'
 * state in the poll the scrape names (replscope_session_last_poll_...): 1
 * where the link reads "falling behind", 0 where it shows a catch-up figure;
 * while it reads 1, the nodes' own INFO shows the gap (master_repl_offset
 * minus the replica's slave_repl_offset) growing between two reads, and
 * once it reads 0 again the gap closes.
 */
import { expect, it } from 'vitest';
import type { TopologySnapshot } from '../../shared/contract/snapshots';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { freePort } from '../support/ports';
import { parsePrometheusText, sampleOf } from '../support/prometheus-text';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { startLoadedDemoPair, useScenarioCleanup } from './harness';

useScenarioCleanup();

const KiB = 1024;
const POLL_MS = 500;

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

it('replscope_link_falling_behind reads 1 while the capped replica loses ground in INFO, 0 once the cap is lifted and the gap closes', async () => {
  const port = await freePort();
  const { replscope, master, replica } = await startLoadedDemoPair({
    pollIntervalMs: POLL_MS,
    beforeLoad: async (console) => { await console.call('settings.set', { ...DEFAULT_SETTINGS, pollIntervalMs: POLL_MS, prometheus: { enabled: true, port } }); },
  });
  const labels = { session: replscope.sessionId, master: master.id, replica: replica.id };

  /** The gauge in a scrape (null: no sample) and the poll it comes from, as the views got it. */
  const scraped = async (): Promise<{ value: number | null; poll: TopologySnapshot | undefined }> => {
    const families = parsePrometheusText(await scrape(port));
    const pollMs = Math.round(sampleOf(families, 'replscope_session_last_poll_timestamp_seconds', { session: replscope.sessionId }).value * 1000);
    const samples = (families.get('replscope_link_falling_behind')?.samples ?? []).filter((sample) => Object.entries(labels).every(([label, value]) => sample.labels[label] === value));
    expect(samples.length).toBeLessThanOrEqual(1);
    if (families.has('replscope_link_falling_behind')) expect(families.get('replscope_link_falling_behind')!.type).toBe('gauge');
    return { value: samples[0]?.value ?? null, poll: replscope.snapshots.find((received) => received.snapshot.time === pollMs)?.snapshot };
  };
  /** Waits for a scrape reading `value`, and checks it against the views' link of the same poll. */
  const scrapeReading = async (value: 0 | 1, what: string): Promise<void> => {
    let last: Awaited<ReturnType<typeof scraped>> | undefined;
    await waitFor(async () => {
      last = await scraped();
      return last.value === value && last.poll !== undefined;
    }, { timeoutMs: 30_000, intervalMs: 200, what });
    const link = replscope.link(replica.id, last!.poll!);
    expect({ fallingBehind: link.fallingBehind, catchUpKnown: link.catchUpSeconds !== null }).toEqual(value === 1 ? { fallingBehind: true, catchUpKnown: false } : { fallingBehind: false, catchUpKnown: true });
  };
  /** The gap in the nodes' own words: master_repl_offset minus the replica's slave_repl_offset. */
  const gapInInfo = async (): Promise<number> => {
    const masterOffset = Number((await info({ port: master.port }, 'replication')).get('master_repl_offset'));
    const replicaOffset = Number((await info({ port: replica.port }, 'replication')).get('slave_repl_offset'));
    return masterOffset - replicaOffset;
  };

  // The healthy link under load: 0, never 1.
  await scrapeReading(0, 'a scrape reading 0 on the healthy link');

  await replscope.call('demo.chaos', { kind: 'bandwidth', replicaId: replica.id, bytesPerSec: 8 * KiB });
  await scrapeReading(1, 'a scrape reading 1 with the link capped at 8 KiB/s');
  const first = await gapInInfo();
  await new Promise((resolve) => setTimeout(resolve, 3000));
  const second = await gapInInfo();
  expect(second, `INFO gap ${first} → ${second} bytes`).toBeGreaterThan(first);
  // Still 1 on a poll after the second read, the gap still growing.
  const after = await scraped();
  expect(after.value).toBe(1);

  await replscope.call('demo.chaos', { kind: 'bandwidth', replicaId: replica.id, bytesPerSec: 0 });
  await scrapeReading(0, 'a scrape reading 0 once the cap is lifted');
  let closed = second;
  await waitFor(async () => {
    closed = await gapInInfo();
    return closed < 64 * KiB;
  }, { timeoutMs: 20_000, what: `the INFO gap of ${second} bytes to close` });
  expect(closed).toBeLessThan(second);
}, 90_000);
