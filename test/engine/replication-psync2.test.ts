/**
 * PSYNC2 across mixed topologies (reference §4, Redis's psync2 tests):
 * chains through our engine, promotion and re-pointing resynchronize
 * partially through replid2, and a master restarted from its RDB keeps
 * its replicas' histories.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/ports';
import { startEngine, stopAllEngines } from '../support/engine';
import { startRedisServer, stopAllRedisServers } from '../support/redis-server';
import { command, info, infoNumber, waitForEqualDigests, waitForOffsets, waitForSync } from '../support/replication';

afterEach(async () => {
  await stopAllRedisServers();
  await stopAllEngines();
});

async function writeStrings(peer: { call(...args: Array<string | number>): Promise<unknown> }, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await peer.call('SET', `k${i}`, `v${i}`);
}

describe('chains and promotions', () => {
  it('real -> ours -> real: one stream, equal offsets and digests; promoting ours re-points both partially', async () => {
    const m = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
    await writeStrings(m, 0, 300);
    const a = await startEngine([['replicaof', `127.0.0.1 ${m.port}`], ['repl-diskless-sync-delay', '0']]);
    await waitForSync(a);
    const b = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(a.port)] });
    await waitForSync(b);
    await writeStrings(m, 300, 600);
    await waitForOffsets(m, b);
    await waitForEqualDigests([m, a, b]);

    await command(a, 'REPLICAOF', 'NO', 'ONE');
    await command(m, 'REPLICAOF', '127.0.0.1', String(a.port));
    await waitForSync(m);
    await waitForSync(b);
    await writeStrings(a, 600, 700);
    await waitForOffsets(a, m);
    await waitForOffsets(a, b);
    await waitForEqualDigests([m, a, b]);
    const promoted = await info(a);
    expect(promoted.get('sync_partial_ok')).toBe('2');
    expect(promoted.get('sync_full')).toBe('1'); // only b's initial sync
    expect(Number(promoted.get('second_repl_offset'))).toBeGreaterThan(1);
  });

  it('ours -> real -> ours: our replica of a real replica of our master', async () => {
    const m = await startEngine([['repl-diskless-sync-delay', '0']]);
    await writeStrings(m, 0, 300);
    const r = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(m.port), '--repl-diskless-sync-delay', '0'] });
    await waitForSync(r);
    const s = await startEngine([['replicaof', `127.0.0.1 ${r.port}`]]);
    await waitForSync(s);
    await writeStrings(m, 300, 600);
    await waitForOffsets(m, s);
    await waitForEqualDigests([m, r, s]);
    // The chained replica has the top master's replication id.
    const [mi, si] = await Promise.all([info(m), info(s)]);
    expect(si.get('master_replid')).toBe(mi.get('master_replid'));
  });

  it('a demoted master re-points to the promoted replica with a partial resync', async () => {
    const m = await startEngine([['repl-diskless-sync-delay', '0']]);
    const r = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(m.port), '--repl-diskless-sync-delay', '0'] });
    await waitForSync(r);
    await writeStrings(m, 0, 200);
    await waitForOffsets(m, r);
    await command(r, 'REPLICAOF', 'NO', 'ONE');
    await command(m, 'REPLICAOF', '127.0.0.1', String(r.port));
    await waitForSync(m);
    await writeStrings(r, 200, 300);
    await waitForOffsets(r, m);
    await waitForEqualDigests([m, r]);
    expect(await infoNumber(r, 'sync_partial_ok')).toBe(1);
    expect(await infoNumber(r, 'sync_full')).toBe(0);
  });
});

describe('restarts (PSYNC2 with the replication ids saved in the RDB)', () => {
  it('our master restarted from its RDB lets its real replica resync partially', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'replscope-restart-'));
    const port = await freePort();
    const m = await startEngine([['repl-diskless-sync-delay', '0'], ['port', String(port)]], { dir });
    const r = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(port)] });
    await waitForSync(r);
    await writeStrings(m, 0, 200);
    await waitForOffsets(m, r);
    await command(m, 'SAVE');
    await m.stop();
    const restarted = await startEngine([['repl-diskless-sync-delay', '0'], ['port', String(port)]], { dir });
    await waitForSync(r);
    await writeStrings(restarted, 200, 250);
    await waitForOffsets(restarted, r);
    await waitForEqualDigests([restarted, r]);
    expect(await infoNumber(restarted, 'sync_partial_ok')).toBe(1);
    expect(await infoNumber(restarted, 'sync_full')).toBe(0);
    await restarted.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
