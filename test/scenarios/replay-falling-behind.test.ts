/**
 * A replay shows "falling behind" where the live view did.
 *
 * The recorded series kept only `catchUp` (catchUpSeconds), which is null
 * both while a link falls behind and while a rate is unknown; the replay
 * laid it over the topology state in effect (kept on changes of roles, link
 * states..., not of the catch-up), whose fallingBehind was that of the last
 * state kept, before the cap: the replica panel of a replayed bundle showed
 * "—" where the live panel had said "falling behind".
 *
 * The demo pair under 300 ops/s (some 37 KiB/s of stream), its replica link
 * capped at 8 KiB/s, then freed; the nodes' INFO shows the gap
 * (master_repl_offset - slave_repl_offset) growing while capped. The range
 * is exported as an incident bundle (incident.export) and every series row
 * of it is replayed as the Replay view does (frameAt, the cursor at the
 * poll the row holds), its catch-up text (formatCatchUp, the panel's) held
 * to the live snapshot of that poll.
 */
import { expect, it } from 'vitest';
import { FALLING_BEHIND, formatCatchUp } from '../../renderer/src/utils/catch-up-text';
import { frameAt } from '../../renderer/src/utils/replay-frame';
import { IncidentBundle } from '../../shared/contract/incident-bundle';
import { info } from '../support/replication';
import { waitFor } from '../support/wait';
import { startLoadedDemoPair, useScenarioCleanup } from './harness';

useScenarioCleanup();

const KiB = 1024;

it('a bundle replayed over a capped link reads "falling behind" at every poll the live view did, and the catch-up figure where it showed one', async () => {
  const { replscope, master, replica } = await startLoadedDemoPair();
  const gapInInfo = async (): Promise<number> => Number((await info({ port: master.port }, 'replication')).get('master_repl_offset')) - Number((await info({ port: replica.port }, 'replication')).get('slave_repl_offset'));

  const fromMs = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  await replscope.call('demo.chaos', { kind: 'bandwidth', replicaId: replica.id, bytesPerSec: 8 * KiB });
  await replscope.waitForSnapshot((snapshot) => replscope.link(replica.id, snapshot).fallingBehind, 'the live link to read falling behind', 30_000);
  const first = await gapInInfo();
  await new Promise((resolve) => setTimeout(resolve, 4000));
  const second = await gapInInfo();
  expect(second, `INFO gap ${first} → ${second} bytes`).toBeGreaterThan(first);
  await replscope.call('demo.chaos', { kind: 'bandwidth', replicaId: replica.id, bytesPerSec: 0 });
  await waitFor(async () => (await gapInInfo()) < 64 * KiB, { timeoutMs: 20_000, what: 'the INFO gap to close' });
  await replscope.waitForSnapshot((snapshot) => { const link = replscope.link(replica.id, snapshot); return !link.fallingBehind && link.catchUpSeconds !== null; }, 'a catch-up figure again', 20_000);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const toMs = Date.now();

  const exported = await replscope.call('incident.export', { sessionId: replscope.sessionId, fromMs, toMs });
  const bundle = IncidentBundle.parse(JSON.parse(exported.json));
  // A 1-second row holds the first poll of its second, at the second's start (series-archive.ts): the live
  // snapshot of that poll, and the replay with its cursor at the same moment.
  const polls = replscope.snapshots.map((received) => received.snapshot).sort((a, b) => a.time - b.time);
  const compared: Array<{ time: number; live: string; replayed: string }> = [];
  for (const rowTime of bundle.series.times) {
    const snapshot = polls.find((poll) => poll.time >= rowTime && poll.time < rowTime + 1000);
    if (snapshot === undefined) continue;
    const liveLink = snapshot.links.find((link) => link.replicaId === replica.id);
    const replayedLink = frameAt(bundle, snapshot.time).links.find((link) => link.replicaId === replica.id);
    if (liveLink === undefined || replayedLink === undefined) continue;
    compared.push({ time: snapshot.time, live: formatCatchUp(liveLink), replayed: formatCatchUp(replayedLink) });
  }
  const behind = compared.filter((row) => row.live === FALLING_BEHIND);
  // The capped seconds were recorded and replayed: several rows the live view said "falling behind" at, and rows it did not.
  expect(behind.length, JSON.stringify(compared)).toBeGreaterThanOrEqual(3);
  expect(compared.length - behind.length, JSON.stringify(compared)).toBeGreaterThanOrEqual(3);
  expect(compared.map((row) => row.replayed)).toEqual(compared.map((row) => row.live));
}, 90_000);
