/**
 * Issue 18 part 3: incident bundles, exported and opened again through the
 * console API, on redis-server 7.0 and on our engine. A pair is watched
 * while its replica is promoted (REPLICAOF NO ONE) and attached again (a
 * full resync); the bundle of that range holds the timeline, the topology
 * states before, during and after (the replica as a master in between) and
 * the per-second series, and incident.open gives back exactly what was
 * written. A file that is not JSON, not a bundle, of another version,
 * damaged or too large is refused with a sentence naming the file and the
 * problem, and changes nothing. incident.choose (the Electron dialog) reads
 * the chosen file the same way, and says plainly that web mode has none.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createConsoleService } from '../../main/console/create-console-service';
import { MEMORY_ONLY_SECRETS } from '../../main/console/service-types';
import { BUNDLE_MAX_BYTES, IncidentBundle } from '../../shared/contract/incident-bundle';
import { linkSeriesId } from '../../shared/contract/series';
import { ApiFailure, ConsoleUnderTest, forEachNodeKind, startGroup, useScenarioCleanup } from './harness';

useScenarioCleanup();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function refusal(replscope: ConsoleUnderTest, fileName: string, text: string): Promise<string> {
  try {
    await replscope.call('incident.open', { fileName, text });
  } catch (failure) {
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).code).toBe('invalid-request');
    return (failure as ApiFailure).message;
  }
  throw new Error(`${fileName} was accepted`);
}

forEachNodeKind((kind) => {
  it('a bundle of a promotion and a full resync holds its timeline, topology states and series, and opens as written', async () => {
    const group = await startGroup(kind, { shape: 'pair' });
    const replica = group.replicas[0]!;
    const linkId = `${group.master.id}->${replica.id}`;
    const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500 });
    await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.id === linkId && link.state === 'online'), 'the link online');
    const fromMs = Date.now();
    await group.master.call('SET', 'k', 'v');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await replica.call('REPLICAOF', 'NO', 'ONE');
    await replscope.waitForSnapshot((snapshot) => snapshot.nodes.some((node) => node.id === replica.id && node.role === 'master'), 'the replica shown as a master');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await replica.call('REPLICAOF', '127.0.0.1', String(group.master.port));
    await replscope.waitForEvent((event) => event.kind === 'full-resync' && event.nodeId === replica.id && event.time >= fromMs, 'the full resync after the promotion');
    await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.id === linkId && link.state === 'online'), 'the link online again');
    const toMs = Date.now();

    const exported = await replscope.call('incident.export', { sessionId: replscope.sessionId, fromMs, toMs });
    expect(exported.fileName).toMatch(/^replscope-incident-scenario-.*\.json$/);
    expect(exported.bytes).toBe(Buffer.byteLength(exported.json));
    const bundle = IncidentBundle.parse(JSON.parse(exported.json));
    expect(bundle).toMatchObject({ format: 'replscope-incident', version: 2, range: { fromMs, toMs }, session: { sessionId: replscope.sessionId, name: 'scenario', kind: 'standalone', environment: 'staging' } });
    // The timeline of the range: the promotion and the full resync, nothing outside it.
    expect(bundle.events.every((event) => event.time >= fromMs && event.time <= toMs)).toBe(true);
    expect(bundle.events.some((event) => event.kind === 'full-resync' && event.nodeId === replica.id)).toBe(true);
    expect(bundle.events.map((event) => event.id)).toEqual(replscope.events.filter((event) => event.time >= fromMs && event.time <= toMs).sort((a, b) => a.time - b.time).map((event) => event.id));
    // Topology states: linked at the start, the replica a master in between, linked again at the end.
    const roleAt = (index: number): string | undefined => bundle.topology[index]!.nodes.find((node) => node.id === replica.id)?.role;
    expect(bundle.topology[0]!.time).toBeLessThanOrEqual(fromMs + 500);
    expect(bundle.topology[0]!.links.find((link) => link.id === linkId)?.state).toBe('online');
    expect(bundle.topology.some((_, index) => roleAt(index) === 'master')).toBe(true);
    expect(roleAt(bundle.topology.length - 1)).toBe('replica');
    expect(bundle.topology.at(-1)!.links.find((link) => link.id === linkId)?.state).toBe('online');
    // Fewer states than polls: only changes (and a keyframe every 30 s) are kept.
    expect(bundle.topology.length).toBeLessThan(replscope.snapshots.filter((received) => received.snapshot.time >= fromMs && received.snapshot.time <= toMs).length);
    // The per-second series of the range, with the link's byte lag among them.
    expect(bundle.series.resolution).toBe('second');
    expect(bundle.series.times.length).toBeGreaterThanOrEqual(4);
    expect(bundle.series.times.every((time) => time >= fromMs - 1000 && time <= toMs)).toBe(true);
    expect(bundle.series.series[linkSeriesId(linkId, 'lagBytes')]).toHaveLength(bundle.series.times.length);

    // Opened again: exactly what was written.
    const opened = await replscope.call('incident.open', { fileName: exported.fileName, text: exported.json });
    expect(opened.fileName).toBe(exported.fileName);
    expect(opened.bundle).toEqual(JSON.parse(exported.json));
  }, 90_000);
});

it('refuses files that are not bundles with a clear sentence, and changes nothing', async () => {
  const group = await startGroup('redis', { shape: 'pair' });
  const replscope = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500 });
  await replscope.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.state === 'online'), 'the link online');
  const good = JSON.parse((await replscope.call('incident.export', { sessionId: replscope.sessionId })).json) as Record<string, unknown>;
  const sessionsBefore = await replscope.call('sessions.list', {});

  expect(await refusal(replscope, 'notes.txt', 'these are my notes')).toMatch(/^incident\.open failed \(invalid-request\): notes\.txt is not a Replscope incident bundle: it is not JSON \(/);
  expect(await refusal(replscope, 'package.json', '{"name":"something","version":"1.0.0"}')).toContain('package.json is not a Replscope incident bundle (it has no "format": "replscope-incident")');
  expect(await refusal(replscope, 'list.json', '[1,2,3]')).toContain('list.json is not a Replscope incident bundle: it holds no JSON object');
  expect(await refusal(replscope, 'old.json', JSON.stringify({ replscopeIncident: 1, snapshot: {} }))).toContain('old.json is an incident bundle of format 1');
  expect(await refusal(replscope, 'future.json', JSON.stringify({ ...good, version: 3 }))).toContain('future.json is an incident bundle of version 3; this Replscope reads version 2 (it was written by a newer Replscope)');
  expect(await refusal(replscope, 'cut.json', JSON.stringify(good).slice(0, 200))).toMatch(/cut\.json is not a Replscope incident bundle: it is not JSON/);
  const series = good['series'] as { times: number[]; series: Record<string, unknown[]> };
  const firstId = Object.keys(series.series)[0]!;
  // One value more than there are times: damaged however many polls the bundle holds (one value
  // for a bundle of one time, as the test had it, is a valid series).
  const tooMany = series.times.length + 1;
  const damaged = { ...good, series: { ...series, series: { ...series.series, [firstId]: Array<number>(tooMany).fill(1) } } };
  expect(await refusal(replscope, 'damaged.json', JSON.stringify(damaged))).toContain(`damaged.json is a damaged incident bundle: series.series.${firstId}: has ${tooMany} values for ${series.times.length} times`);
  expect(await refusal(replscope, 'no-topology.json', JSON.stringify({ ...good, topology: [] }))).toContain('no-topology.json is a damaged incident bundle: topology: a bundle needs at least one topology state');
  expect(await refusal(replscope, 'extra.json', JSON.stringify({ ...good, secrets: 'x' }))).toContain('extra.json is a damaged incident bundle');
  const huge = ' '.repeat(BUNDLE_MAX_BYTES + 1);
  expect(await refusal(replscope, 'huge.json', huge)).toMatch(/text: larger than the 5 MB a bundle may have/);

  // Nothing changed: the same sessions, still polled.
  expect(await replscope.call('sessions.list', {})).toEqual(sessionsBefore);
  const polled = replscope.snapshots.length;
  await replscope.waitForSnapshot(() => replscope.snapshots.length > polled + 1, 'polls going on');

  // Ranges that cannot be a bundle.
  await expect(replscope.call('incident.export', { sessionId: replscope.sessionId, fromMs: Date.now(), toMs: Date.now() - 1000 })).rejects.toThrow(/the range ends before it starts/);
  // A range reaching before the session starts at its first topology state (nothing to replay before it).
  const clamped = JSON.parse((await replscope.call('incident.export', { sessionId: replscope.sessionId, fromMs: Date.now() - 8 * 86_400_000 })).json) as { range: { fromMs: number }; topology: Array<{ time: number }> };
  expect(clamped.range.fromMs).toBe(clamped.topology[0]!.time);
  expect(clamped.range.fromMs).toBeGreaterThan(Date.now() - 60_000);
  // Web mode has no file dialog, and says what to do instead.
  await expect(replscope.call('incident.choose', {})).rejects.toThrow(/no file dialog \(web mode\): upload the bundle with Open incident bundle/);
}, 60_000);

it('incident.choose reads the file the host dialog chose (Electron), and answers null when cancelled', async () => {
  const group = await startGroup('engine', { shape: 'pair' });
  const watcher = await ConsoleUnderTest.attach(group.master, { pollIntervalMs: 500 });
  await watcher.waitForSnapshot((snapshot) => snapshot.links.some((link) => link.state === 'online'), 'the link online');
  const exported = await watcher.call('incident.export', { sessionId: watcher.sessionId });
  const dir = mkdtempSync(path.join(tmpdir(), 'replscope-bundle-'));
  dirs.push(dir);
  const file = path.join(dir, exported.fileName);
  writeFileSync(file, exported.json);
  const bad = path.join(dir, 'bad.json');
  writeFileSync(bad, '{');
  const answers: Array<string | null> = [file, null, bad];
  const asked: Array<{ title: string; extensions: readonly string[] }> = [];
  const logger = { info: () => {}, warn: () => {}, error: () => {} };
  const electronLike = await createConsoleService({
    dataDir: dir, mode: 'electron', version: 'test', secretStore: MEMORY_ONLY_SECRETS, logger,
    chooseFile: async (request) => {
      asked.push(request);
      return answers.shift() ?? null;
    },
  });
  try {
    const chosen = await electronLike.call('incident.choose', {});
    expect(chosen.ok && chosen.data?.fileName).toBe(exported.fileName);
    expect(chosen.ok && chosen.data?.bundle).toEqual(JSON.parse(exported.json));
    expect(await electronLike.call('incident.choose', {})).toEqual({ ok: true, data: null });
    expect(await electronLike.call('incident.choose', {})).toMatchObject({ ok: false, code: 'invalid-request', message: expect.stringContaining('bad.json is not a Replscope incident bundle: it is not JSON') });
    expect(asked).toEqual(Array(3).fill({ title: 'Open an incident bundle', extensions: ['json'] }));
  } finally {
    await electronLike.close();
  }
}, 60_000);
