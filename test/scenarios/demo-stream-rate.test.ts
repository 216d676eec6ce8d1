/**
 * The demo's replication stream rate. Found in a new user's trial of the
 * demo in web mode: the Load card said "≈ 41 KiB/s of replication stream"
 * at 300 writes/s of 100-byte values, while the master's own
 * master_repl_offset grew by 37 KiB/s. The card's figure is an estimate
 * from the settings (writes/s × (value + 40 B)): the real SET commands'
 * bytes are not value + 40, and the generator's rate is not exactly the one
 * asked. The measured rate comes from the nodes' offsets.
 *
 *  - demo.status carries the measured stream rate, of the node that is
 *    master, within 10% of what two INFO reads of its master_repl_offset
 *    give; it is not the settings' estimate when the two differ.
 */
import { expect, it } from 'vitest';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { STRING_LOAD, startLoadedDemoPair, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('demo.status carries the stream rate measured from the master\'s master_repl_offset, as INFO gives it, beside the settings\' estimate', async () => {
  const { replscope, master } = await startLoadedDemoPair();
  await new Promise((resolve) => setTimeout(resolve, 2000));

  const offset = async (): Promise<{ at: number; offset: number }> => ({ at: Date.now(), offset: Number((await info({ port: master.port }, 'replication')).get('master_repl_offset')) });
  const first = await offset();
  const measured: number[] = [];
  // The console's figure, read over the same 5 s as INFO's.
  while (Date.now() - first.at < 5000) {
    const live = await replscope.call('demo.status', {});
    if (live.streamRateBytesPerSec !== null) {
      expect(live.streamRateNodeId).toBe(master.id);
      measured.push(live.streamRateBytesPerSec);
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const last = await offset();
  const fromInfo = (last.offset - first.offset) / ((last.at - first.at) / 1000);
  const estimate = STRING_LOAD.opsPerSec * (STRING_LOAD.valueBytes + 40);
  expect(measured.length).toBeGreaterThan(5);
  const mean = measured.reduce((sum, rate) => sum + rate, 0) / measured.length;
  const report = `console ${Math.round(mean)} B/s, INFO ${Math.round(fromInfo)} B/s, settings' estimate ${estimate} B/s`;
  expect(Math.abs(mean - fromInfo) / fromInfo, report).toBeLessThan(0.1);
  // The estimate is what the card labels as one: when INFO disagrees with it by more than the noise, the measured figure follows INFO.
  if (Math.abs(estimate - fromInfo) / fromInfo > 0.05) expect(Math.abs(mean - fromInfo), report).toBeLessThan(Math.abs(estimate - fromInfo));
  console.log(report);

  // No session poll yet measured after a stop: no figure rather than a stale one.
  await replscope.call('demo.stop', {});
  await waitFor(async () => (await replscope.call('demo.status', {})).streamRateBytesPerSec === null, { timeoutMs: 5000, what: 'no measured rate once the demo stopped' });
}, 60_000);
