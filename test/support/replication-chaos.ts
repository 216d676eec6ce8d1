/**
 * A replication chaos run: a master, a replica whose link goes through a
 * ChaosProxy, a writer that records every write the master acknowledged,
 * and a seeded chaos loop that cuts the link at random moments (so cuts land
 * mid-handshake, mid-transfer and mid-MULTI). Used by the test suite (short,
 * fixed seed) and by `npm run soak` (long).
 *
 * What it checks at the end: equal DEBUG DIGEST on both sides, every
 * acknowledged write present on the replica with its acknowledged value, and
 * that after the initial sync every reconnection was a partial resync (the
 * backlog is sized so that one always is possible).
 */
import { ChaosProxy } from '../../main/console/demo/chaos-proxy';
import { RespConnection } from './resp-connection';
import { seededRandom } from './seeded-random';
import { command, infoNumber, waitForEqualDigests, waitForOffsets, waitForSync, type Peer } from './replication';

export interface ChaosOptions {
  readonly seed: number;
  readonly durationMs: number;
  /** Cut length bounds. */
  readonly minCutMs?: number;
  readonly maxCutMs?: number;
  /** Pause between cuts bounds. */
  readonly minGapMs?: number;
  readonly maxGapMs?: number;
}

export interface ChaosReport {
  readonly cuts: number;
  readonly acknowledgedWrites: number;
  readonly transactions: number;
  readonly fullSyncsAfterInitial: number;
  readonly partialResyncs: number;
  readonly digest: string;
}

/** The writes the master acknowledged: key -> value (null = deleted). */
class AcknowledgedModel {
  readonly values = new Map<string, string | null>();
  writes = 0;
  transactions = 0;
}

async function writerLoop(master: Peer, random: () => number, model: AcknowledgedModel, stop: () => boolean): Promise<void> {
  const connection = new RespConnection('127.0.0.1', master.port);
  try {
    let i = 0;
    while (!stop()) {
      const key = `chaos:${Math.floor(random() * 500)}`;
      const roll = random();
      if (roll < 0.15) {
        // A transaction: MULTI/EXEC reaches the replica as one atomic block.
        const other = `chaos:${Math.floor(random() * 500)}`;
        const replies = await connection.pipeline([['MULTI'], ['SET', key, `m${i}`], ['SET', other, `n${i}`], ['DEL', `chaos:tmp${i % 7}`], ['EXEC']]);
        if (Array.isArray(replies[4])) {
          model.values.set(key, `m${i}`);
          model.values.set(other, `n${i}`);
          model.values.set(`chaos:tmp${i % 7}`, null);
          model.transactions++;
        }
      } else if (roll < 0.25) {
        if (typeof (await connection.call('DEL', key)) === 'number') model.values.set(key, null);
      } else {
        const value = `v${i}:${'x'.repeat(Math.floor(random() * 200))}`;
        if ((await connection.call('SET', key, value)) === 'OK') model.values.set(key, value);
      }
      model.writes++;
      i++;
    }
  } finally {
    connection.close();
  }
}

/**
 * Runs the chaos loop against an already started master/replica pair: the
 * replica is pointed at the master through a fresh proxy (the first sync is
 * also cut at random), then the loop runs for `durationMs`.
 */
export async function runReplicationChaos(master: Peer, replica: Peer, options: ChaosOptions): Promise<ChaosReport> {
  const random = seededRandom(options.seed).next; // the same sequence per seed as before it moved to seeded-random.ts
  // A replica retries a refused connection once a second, so gaps around that
  // length let most cuts end in a reconnection (and some land mid-handshake).
  const minCut = options.minCutMs ?? 20;
  const maxCut = options.maxCutMs ?? 300;
  const minGap = options.minGapMs ?? 700;
  const maxGap = options.maxGapMs ?? 1600;
  const proxy = new ChaosProxy('127.0.0.1', master.port);
  const proxyPort = await proxy.listen();
  const model = new AcknowledgedModel();
  let stopped = false;
  let cuts = 0;
  try {
    // A dataset big enough that the initial transfer takes a moment, then a cut in the middle of it.
    const filler = new RespConnection('127.0.0.1', master.port);
    const fill: string[][] = [];
    for (let i = 0; i < 20_000; i++) fill.push(['SET', `fill:${i}`, 'y'.repeat(100)]);
    await filler.pipeline(fill);
    filler.close();
    await command(replica, 'REPLICAOF', '127.0.0.1', String(proxyPort));
    await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 30)));
    proxy.cut(0.2);
    cuts++;
    await waitForSync(replica);
    const fullBefore = await infoNumber(master, 'sync_full');
    const partialBefore = await infoNumber(master, 'sync_partial_ok');

    const writer = writerLoop(master, random, model, () => stopped);
    const deadline = Date.now() + options.durationMs;
    while (Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, minGap + random() * (maxGap - minGap)));
      proxy.cut((minCut + random() * (maxCut - minCut)) / 1000);
      cuts++;
    }
    stopped = true;
    await writer;
    proxy.heal();
    await waitForSync(replica);
    await waitForOffsets(master, replica);
    const digest = await waitForEqualDigests([master, replica]);
    await verifyAcknowledged(replica, model);
    return {
      cuts,
      acknowledgedWrites: model.writes,
      transactions: model.transactions,
      fullSyncsAfterInitial: (await infoNumber(master, 'sync_full')) - fullBefore,
      partialResyncs: (await infoNumber(master, 'sync_partial_ok')) - partialBefore,
      digest,
    };
  } finally {
    stopped = true;
    await proxy.close();
  }
}

async function verifyAcknowledged(replica: Peer, model: AcknowledgedModel): Promise<void> {
  const connection = new RespConnection('127.0.0.1', replica.port);
  try {
    const keys = [...model.values.keys()];
    const replies = await connection.pipeline(keys.map((key) => ['GET', key]));
    keys.forEach((key, index) => {
      const expected = model.values.get(key) ?? null;
      const actual = replies[index] ?? null;
      if (actual !== expected) throw new Error(`acknowledged write lost on the replica: ${key} is ${String(actual)}, expected ${String(expected)}`);
    });
  } finally {
    connection.close();
  }
}
