/**
 * Issue 18 part 4: the fleet view's rows (fleet.get) for two deployments
 * attached to one console at once, a redis-server 7.0 pair and a pair of our
 * engine: nodes and links as each session's poll shows them, worst lag over
 * live links, the last full resync from the timeline (which replica, why),
 * and a link counted down when its master goes away.
 */
import { expect, it } from 'vitest';
import type { FleetRow } from '../../shared/contract/fleet';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();

it('two sessions side by side: figures, the last full resync and a link down', async () => {
  const [redisPair, enginePair] = await Promise.all([startGroup('redis', { shape: 'pair' }), startGroup('engine', { shape: 'pair' })]);
  const console = await ConsoleUnderTest.attach(redisPair.master, { pollIntervalMs: 500, profile: { name: 'redis pair' } });
  const redisSession = console.sessionId;
  const saved = await console.call('profiles.save', { fields: { name: 'engine pair', kind: 'standalone', seeds: [{ host: '127.0.0.1', port: enginePair.master.port }], environment: 'staging', safetyMode: 'ops' } });
  const engineSession = (await console.call('sessions.connect', { profileId: saved.id })).sessionId;

  const rows = async (): Promise<Map<string, FleetRow>> => new Map((await console.call('fleet.get', {})).map((row) => [row.sessionId, row]));
  let fleet = new Map<string, FleetRow>();
  await waitFor(async () => {
    fleet = await rows();
    return [redisSession, engineSession].every((id) => fleet.get(id)?.nodes.up === 2 && fleet.get(id)?.links.total === 1 && fleet.get(id)?.worstLagBytes !== null);
  }, { timeoutMs: 20_000, what: 'both sessions with two nodes up, one link and a lag figure' });
  expect(fleet.size).toBe(2);
  const engineRow = fleet.get(engineSession)!;
  expect(engineRow).toMatchObject({ name: 'engine pair', kind: 'standalone', environment: 'staging', nodes: { total: 2, up: 2, masters: 1 }, links: { total: 1, down: 0 }, splitBrain: false, alerts: { firing: 0, worstFiring: null } });
  expect(engineRow.worstLagBytes!.replicaId).toBe(enginePair.replicas[0]!.id);
  expect(engineRow.worstLagBytes!.value).toBeGreaterThanOrEqual(0);
  expect(engineRow.worstAckAgeSeconds!.linkId).toBe(`${enginePair.master.id}->${enginePair.replicas[0]!.id}`);
  expect(fleet.get(redisSession)!.name).toBe('redis pair');

  // A full resync on the engine pair: its replica restarts without a cached master.
  await enginePair.replicas[0]!.restart();
  await waitFor(async () => (await rows()).get(engineSession)?.lastFullResync !== null, { timeoutMs: 20_000, what: 'a full resync on the engine row' });
  const resynced = (await rows()).get(engineSession)!;
  expect(resynced.lastFullResync!.replicaId).toBe(enginePair.replicas[0]!.id);
  expect(resynced.lastFullResync!.masterId).toBe(enginePair.master.id);
  expect(resynced.lastFullResync!.cause).not.toBe('unknown');
  expect(resynced.fullResyncsLastDay).toBeGreaterThanOrEqual(1);
  const timeline = await console.call('events.list', { sessionId: engineSession, kinds: ['full-resync'] });
  expect(resynced.lastFullResync!.time).toBe(timeline.at(-1)!.time);
  // The other deployment's row is untouched by it.
  expect((await rows()).get(redisSession)!.lastFullResync).toBeNull();

  // The redis-server master goes away: its replica's link is down, one node of two up, no lag figure.
  await redisPair.master.stop();
  await waitFor(async () => (await rows()).get(redisSession)?.links.down === 1, { timeoutMs: 20_000, what: 'the redis row with its link down' });
  const down = (await rows()).get(redisSession)!;
  expect(down.nodes.up).toBe(1);
  expect(down.worstLagBytes).toBeNull();
  // The alert center's default rules fire for it (node unreachable, link down) and the row counts them, as alerts.summary does.
  await waitFor(async () => ((await rows()).get(redisSession)?.alerts?.firing ?? 0) > 0, { timeoutMs: 20_000, what: 'alerts firing on the redis row' });
  const summary = (await console.call('alerts.summary', {})).find((entry) => entry.sessionId === redisSession)!;
  const withAlerts = (await rows()).get(redisSession)!;
  expect(withAlerts.alerts!.firing).toBe(summary.firing);
  expect(withAlerts.alerts!.worstFiring).toBe(summary.worstFiring);
}, 90_000);
