/**
 * Issue 18 part 3: the Prometheus text exposition of the derived figures,
 * on redis-server 7.0 and on our engine. The console attaches to a
 * master+replica pair with the exposition switched on (a free loopback
 * port), and every scrape is read by a strict parser of the text format
 * (test/support/prometheus-text.ts). The truths it is held to:
 *
 *  - the figures are the console's own: each link figure equals the field
 *    of the snapshot of the poll named by replscope_session_last_poll_...;
 *  - byte lag is master_repl_offset - the replica offset of that one poll,
 *    and agrees with the nodes' INFO read around the poll: 0 <= lag <=
 *    (master offset read after) - (replica offset read before);
 *  - replscope_resyncs_total moves exactly as the master's sync_full and
 *    sync_partial_ok move, for a partial resync (CLIENT KILL TYPE replica)
 *    and a full one (REPLICAOF NO ONE, then back: a new history);
 *  - it is off by default, binds 127.0.0.1 only, answers /metrics only,
 *    refuses a foreign Host, reports a port already in use, and closes its
 *    port when switched off.
 */
import { createServer, request as httpRequest } from 'node:http';
import { expect, it } from 'vitest';
import type { TopologySnapshot } from '../../shared/contract/snapshots';
import { DEFAULT_SETTINGS } from '../../shared/contract/settings';
import { freePort } from '../support/ports';

import { backlogGeometry } from '../../renderer/src/utils/backlog-geometry';
import { parsePrometheusText, sampleOf, type ParsedFamily } from '../support/prometheus-text';
import { waitFor } from '../support/wait';
import { ConsoleUnderTest, WriteLoad, forEachNodeKind, startGroup, useScenarioCleanup, type Group } from './harness';

useScenarioCleanup();

const POLL_MS = 500;

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest({ host: '127.0.0.1', port, path, headers: { Host: host }, agent: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type'] ?? ''), body }));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function scrape(port: number): Promise<Map<string, ParsedFamily>> {
  const response = await get(port, '/metrics');
  expect(response.status).toBe(200);
  expect(response.type).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parsePrometheusText(response.body);
}

async function attachWithExposition(group: Group): Promise<{ replscope: ConsoleUnderTest; port: number }> {
  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: POLL_MS });
  const off = await replscope.call('metrics.status', {});
  expect(off).toMatchObject({ enabled: false, listening: false, url: null });
  const port = await freePort();
  await replscope.call('settings.set', { ...DEFAULT_SETTINGS, pollIntervalMs: POLL_MS, prometheus: { enabled: true, port } });
  expect(await replscope.call('metrics.status', {})).toEqual({ enabled: true, port, listening: true, url: `http://127.0.0.1:${port}/metrics`, error: null });
  return { replscope, port };
}

/** Sum of replscope_resyncs_total for one master and type. */
function resyncs(families: Map<string, ParsedFamily>, masterId: string, type: string): number {
  return (families.get('replscope_resyncs_total')?.samples ?? []).filter((sample) => sample.labels['master'] === masterId && sample.labels['type'] === type).reduce((sum, sample) => sum + sample.value, 0);
}

async function syncCounters(group: Group): Promise<{ full: number; partial: number }> {
  const stats = await group.master.info('stats');
  return { full: Number(stats.get('sync_full')), partial: Number(stats.get('sync_partial_ok')) };
}

forEachNodeKind((kind) => {
  it('link figures equal the snapshot of their poll, and byte lag agrees with both nodes\' INFO', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.replicas[0]!;
    const linkId = `${group.master.id}->${replica.id}`;
    const { replscope, port } = await attachWithExposition(group);
    await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.id === linkId && link.state === 'online'), 'the link online');
    const load = WriteLoad.start(group.master, { opsPerSec: 400, valueBytes: 200 });
    try {
      for (let round = 0; round < 4; round++) {
        const replicaBefore = Number((await replica.info('replication')).get('slave_repl_offset'));
        const askedAt = Date.now();
        let families = await scrape(port);
        let poll: TopologySnapshot | undefined;
        // A poll whose requests all went out after the replica's offset was read (its time is at least a poll interval later).
        await waitFor(async () => {
          families = await scrape(port);
          const pollMs = Math.round(sampleOf(families, 'replscope_session_last_poll_timestamp_seconds', { session: replscope.sessionId }).value * 1000);
          poll = replscope.snapshots.find((received) => received.snapshot.time === pollMs)?.snapshot;
          return pollMs >= askedAt + POLL_MS && poll !== undefined && poll.nodes.every((node) => !node.stale);
        }, { what: 'a scrape of a poll made after the replica offset was read' });
        const masterAfter = Number((await group.master.info('replication')).get('master_repl_offset'));
        const link = poll!.links.find((candidate) => candidate.id === linkId)!;
        const master = poll!.nodes.find((node) => node.id === group.master.id)!;
        const labels = { session: replscope.sessionId, master: group.master.id, replica: replica.id };
        const lag = sampleOf(families, 'replscope_link_lag_bytes', labels).value;
        // The console's own figures, to the byte.
        expect(lag).toBe(link.lagBytes);
        expect(lag).toBe(master.masterReplOffset! - link.replicaOffset!);
        expect(sampleOf(families, 'replscope_link_ack_age_seconds', labels).value).toBe(link.ackAgeSeconds);
        expect(sampleOf(families, 'replscope_link_backlog_headroom_bytes', labels).value).toBe(link.backlogHeadroomBytes);
        expect(sampleOf(families, 'replscope_link_up', labels).value).toBe(1);
        if (link.outageCoveredSeconds !== null) expect(sampleOf(families, 'replscope_link_outage_covered_seconds', labels).value).toBeCloseTo(link.outageCoveredSeconds, 9);
        if (link.ackLagBytes !== null) expect(sampleOf(families, 'replscope_link_ack_lag_bytes', labels).value).toBe(link.ackLagBytes);
        // The nodes' own INFO, read before and after that poll.
        expect(lag).toBeGreaterThanOrEqual(0);
        expect(lag).toBeLessThanOrEqual(masterAfter - replicaBefore);
        // Headroom, one definition with the Backlog tab's column: the bytes the master may still write before the
        // replica's position can leave the backlog, repl-backlog-size - byte lag (Redis never trims below the size),
        // from the poll's INFO figures; while the backlog fills, that is more than the history behind the replica.
        const backlog = master.backlog!;
        expect(backlog.sizeBytes).toBe(Number((await group.master.info('replication')).get('repl_backlog_size')));
        expect(sampleOf(families, 'replscope_link_backlog_headroom_bytes', labels).value).toBe(backlog.sizeBytes - (master.masterReplOffset! - link.replicaOffset!));
        expect(sampleOf(families, 'replscope_link_backlog_headroom_bytes', labels).value).toBe(backlogGeometry({ backlog, writeRateBytesPerSec: master.writeRateBytesPerSec, links: poll!.links, sampledAt: poll!.time, now: poll!.time }).markers.find((marker) => marker.replicaId === replica.id)!.headroomBytes);
        // Types and units by convention.
        expect(families.get('replscope_link_lag_bytes')!.type).toBe('gauge');
        expect(families.get('replscope_link_ack_age_seconds')!.type).toBe('gauge');
        expect(sampleOf(families, 'replscope_session_info', { session: replscope.sessionId }).labels).toMatchObject({ deployment: 'scenario', kind: 'standalone', environment: 'staging' });
      }
    } finally {
      await load.stop();
    }
  }, 90_000);

  it('a full backlog reads fill ratio 1, on the gauge and the Backlog tab alike, though Redis holds a block more than repl-backlog-size', async () => {
    const group = await startGroup(kind, { shape: 'pair', masterArgs: ['--repl-backlog-size', '64kb'] });
    const { replscope, port } = await attachWithExposition(group);
    const load = WriteLoad.start(group.master, { opsPerSec: 400, valueBytes: 500 });
    try {
      // The node's truth: once full, redis-server keeps whole 16 KiB blocks, so repl_backlog_histlen passes the size.
      const size = 64 * 1024;
      await waitFor(async () => Number((await group.master.info('replication')).get('repl_backlog_histlen')) >= size, { what: 'the backlog full', timeoutMs: 15_000 });
      let families = await scrape(port);
      let poll: TopologySnapshot | undefined;
      await waitFor(async () => {
        families = await scrape(port);
        const pollMs = Math.round(sampleOf(families, 'replscope_session_last_poll_timestamp_seconds', { session: replscope.sessionId }).value * 1000);
        poll = replscope.snapshots.find((received) => received.snapshot.time === pollMs)?.snapshot;
        const backlog = poll?.nodes.find((node) => node.id === group.master.id)?.backlog;
        // On redis-server, a poll that saw histlen past the size (the engine may hold exactly the size).
        return backlog !== undefined && backlog !== null && (kind === 'redis' ? backlog.histlenBytes > backlog.sizeBytes : backlog.histlenBytes >= backlog.sizeBytes);
      }, { what: 'a scrape of a poll that saw the backlog full', timeoutMs: 15_000 });
      const master = poll!.nodes.find((node) => node.id === group.master.id)!;
      expect(master.backlog!.sizeBytes).toBe(size);
      const ratio = sampleOf(families, 'replscope_node_backlog_fill_ratio', { session: replscope.sessionId, node: group.master.id }).value;
      expect(ratio, `histlen ${master.backlog!.histlenBytes} of ${master.backlog!.sizeBytes}`).toBe(1);
      expect(backlogGeometry({ backlog: master.backlog!, writeRateBytesPerSec: master.writeRateBytesPerSec, links: poll!.links, sampledAt: poll!.time, now: poll!.time }).filledFraction).toBe(ratio);
    } finally {
      await load.stop();
    }
  });

  it('replscope_resyncs_total moves as the master\'s sync_full and sync_partial_ok move', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.replicas[0]!;
    const { replscope, port } = await attachWithExposition(group);
    await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.replicaId === replica.id && link.state === 'online' && (link.replicaOffset ?? 0) > 0), 'the link online');
    await group.master.call('SET', 'before', 'x');
    // Whatever the console saw of the first sync has settled: counts and counters are both steady for three polls.
    const baseline = async (): Promise<{ full: number; partial: number; exposedFull: number; exposedPartial: number }> => {
      const counters = await syncCounters(group);
      const families = await scrape(port);
      return { ...counters, exposedFull: resyncs(families, group.master.id, 'full'), exposedPartial: resyncs(families, group.master.id, 'partial') };
    };
    let before = await baseline();
    await waitFor(async () => {
      await new Promise((resolve) => setTimeout(resolve, 3 * POLL_MS));
      const again = await baseline();
      const steady = JSON.stringify(again) === JSON.stringify(before);
      before = again;
      return steady;
    }, { timeoutMs: 20_000, what: 'steady resync counts' });

    // A partial resync: the master drops its replica, which continues from its offset.
    await group.master.call('CLIENT', 'KILL', 'TYPE', 'replica');
    await waitFor(async () => (await syncCounters(group)).partial === before.partial + 1, { what: 'sync_partial_ok + 1' });
    await replscope.waitForEvent((event) => event.kind === 'partial-resync' && event.nodeId === replica.id, 'the partial-resync event');
    // A full resync: the replica starts a history of its own, then follows the master again.
    await replica.call('REPLICAOF', 'NO', 'ONE');
    await replica.call('SET', 'own', 'history');
    await replica.call('REPLICAOF', '127.0.0.1', String(group.master.port));
    await waitFor(async () => (await syncCounters(group)).full === before.full + 1, { timeoutMs: 20_000, what: 'sync_full + 1' });
    await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id && event.time > Date.now() - 30_000, 'the full-resync event');

    const counters = await syncCounters(group);
    let families = await scrape(port);
    await waitFor(async () => {
      families = await scrape(port);
      return resyncs(families, group.master.id, 'full') - before.exposedFull === counters.full - before.full
        && resyncs(families, group.master.id, 'partial') - before.exposedPartial === counters.partial - before.partial;
    }, { timeoutMs: 20_000, what: 'the exposition counting what INFO counts' });
    expect(families.get('replscope_resyncs_total')!.type).toBe('counter');
    const full = (families.get('replscope_resyncs_total')!.samples).filter((sample) => sample.labels['type'] === 'full' && sample.labels['replica'] === replica.id);
    expect(full.length).toBeGreaterThan(0);
    for (const sample of full) expect(sample.labels['cause']).toMatch(/^[a-z-]+$/);
    // And it stays so: nothing counted twice over the next polls.
    await new Promise((resolve) => setTimeout(resolve, 4 * POLL_MS));
    families = await scrape(port);
    const after = await syncCounters(group);
    expect(resyncs(families, group.master.id, 'full') - before.exposedFull).toBe(after.full - before.full);
    expect(resyncs(families, group.master.id, 'partial') - before.exposedPartial).toBe(after.partial - before.partial);
  }, 90_000);
});

it('is off by default, loopback only, /metrics only, reports a busy port, and closes when switched off', async () => {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: POLL_MS });
  expect((await replscope.call('metrics.status', {})).enabled).toBe(false);

  // A port already taken: a clear error in the status, nothing thrown.
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
  const busyPort = (busy.address() as { port: number }).port;
  try {
    await replscope.call('settings.set', { ...DEFAULT_SETTINGS, prometheus: { enabled: true, port: busyPort } });
    const status = await replscope.call('metrics.status', {});
    expect(status).toMatchObject({ enabled: true, listening: false, url: null });
    expect(status.error).toContain(`could not listen on 127.0.0.1:${busyPort}`);
    expect(status.error).toContain('EADDRINUSE');
  } finally {
    await new Promise<void>((resolve) => busy.close(() => resolve()));
  }

  const port = await freePort();
  await replscope.call('settings.set', { ...DEFAULT_SETTINGS, prometheus: { enabled: true, port } });
  // No session yet: an empty, valid exposition.
  expect((await get(port, '/metrics')).body).toBe('');
  expect((await get(port, '/')).status).toBe(404);
  expect((await get(port, '/metrics', `evil.example:${port}`)).status).toBe(403);
  // Bound to loopback only: the same port on another local address is not ours.
  const { networkInterfaces } = await import('node:os');
  const other = Object.values(networkInterfaces()).flat().find((address) => address?.family === 'IPv4' && !address.internal)?.address;
  if (other !== undefined) await expect(new Promise((resolve, reject) => httpRequest({ host: other, port, path: '/metrics', agent: false }, resolve).on('error', reject).end())).rejects.toThrow(/ECONNREFUSED/);

  await replscope.call('settings.set', { ...DEFAULT_SETTINGS, prometheus: { enabled: false, port } });
  expect(await replscope.call('metrics.status', {})).toMatchObject({ enabled: false, listening: false });
  await expect(get(port, '/metrics')).rejects.toThrow(/ECONNREFUSED/);
});
