/**
 * Random differential runs: seeded command scripts (test/support/fuzz/)
 * sent to a real redis-server 7.0 and our engine, replies compared byte for
 * byte in RESP2 and RESP3, DEBUG DIGEST at checkpoints. Each failing seed
 * is shrunk to a minimal reproduction and printed as redis-cli lines.
 *
 *   npx tsx scripts/fuzz-differential.ts [--seeds 1-200] [--length 300] [--protocol 2|3|both] [--no-shrink] [--replication]
 *
 * --clients: multi-client scripts instead (test/support/fuzz/fuzz-clients.ts:
 * blocking commands, WATCH/MULTI/EXEC across clients, keyspace
 * notifications, client tracking), every connection's frames compared step
 * by step.
 *
 * --replication: the masters get a replica each, of the other kind (a real
 * redis-server replica of our engine, our engine replica of a real
 * master), and the real master a real replica too; after each seed every
 * replica must reach its master's offset, the masters' DEBUG DIGESTs must
 * be equal and each replica's must equal the real replica's of the real
 * master (test/support/fuzz/fuzz-replication.ts: redis-server's own
 * replica drift is the truth, not a failure).
 */
import { startRedisServer, stopAllRedisServers } from '../test/support/redis-server';
import { startEngine, stopAllEngines } from '../test/support/engine';
import { generateScript } from '../test/support/fuzz/fuzz-generator';
import { datasetDifference, describeOp, runScript, shrinkScript, type PeerAddress } from '../test/support/fuzz/fuzz-runner';
import { replicationDifference, runReplicated } from '../test/support/fuzz/fuzz-replication';
import { generateClientScript } from '../test/support/fuzz/fuzz-clients';
import { describeClientOp, runClientScript, shrinkClientScript } from '../test/support/fuzz/fuzz-clients-runner';
import { waitForSync } from '../test/support/replication';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] ?? fallback : fallback;
}

const [first, last] = option('seeds', '1-100').split('-').map(Number) as [number, number];
const length = Number(option('length', '300'));
const protocols: Array<2 | 3> = option('protocol', 'both') === 'both' ? [2, 3] : [Number(option('protocol', '2')) as 2 | 3];
const shrink = !process.argv.includes('--no-shrink');

const replication = process.argv.includes('--replication');
const clients = process.argv.includes('--clients');
const redis = await startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] });
const ours = await startEngine([['repl-diskless-sync-delay', '0']]);
const redisReplica = replication ? await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(ours.port)] }) : null;
const oursReplica = replication ? await startEngine([['replicaof', `127.0.0.1 ${redis.port}`]]) : null;
const truthReplica = replication ? await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(redis.port)] }) : null;
if (redisReplica && oursReplica && truthReplica) await Promise.all([waitForSync(redisReplica), waitForSync(oursReplica), waitForSync(truthReplica)]);
let failures = 0;
const started = Date.now();
try {
  for (let seed = first; seed <= (last ?? first); seed++) {
    if (clients) {
      const script = generateClientScript(seed, length);
      const mismatch = await runClientScript(redis, ours, script);
      if (!mismatch) continue;
      failures++;
      console.log(`\nseed ${seed} (clients): step ${mismatch.index}: ${mismatch.what}\n  redis: ${mismatch.redis}\n  ours:  ${mismatch.ours}`);
      // A step that did not settle is the machine's timing: replay the seed alone instead of shrinking it.
      if (shrink && mismatch.unsettled !== true) {
        const shrunk = await shrinkClientScript(redis, ours, script, mismatch);
        console.log(`  shrunk to ${shrunk.script.ops.length} steps (protocols ${shrunk.script.protocols.join('')}, config ${JSON.stringify(shrunk.script.config)}, tracking ${JSON.stringify(shrunk.script.tracking)}):`);
        for (const op of shrunk.script.ops) console.log(`    ${describeClientOp(op)}`);
        console.log(`  ${shrunk.mismatch.what}\n  redis: ${shrunk.mismatch.redis}\n  ours:  ${shrunk.mismatch.ours}`);
      }
      continue;
    }
    for (const protocol of protocols) {
      const ops = generateScript(seed, length);
      if (redisReplica && oursReplica && truthReplica) {
        const outcome = await runReplicated({ master: redis, replica: oursReplica, truth: truthReplica }, { master: ours, replica: redisReplica }, ops, protocol);
        const difference = replicationDifference(outcome);
        // redis-server's own drift (its replica's digest not its master's) is reported, not counted.
        const drift = outcome.digests[2] !== outcome.digests[4] ? `; redis-server's replica drifts from its master as ours do` : '';
        console.log(`seed ${seed} RESP${protocol}: offsets ours->redis ${outcome.offsets.ours.join('/')}, redis->ours ${outcome.offsets.redis.join('/')}, redis->redis ${outcome.offsets.truth.join('/')}; digests ${difference === null ? `like for like${drift}` : `DIFFER ${difference}`}${outcome.mismatch ? `; reply mismatch at op ${outcome.mismatch.index}: ${outcome.mismatch.what}` : ''}`);
        if (outcome.mismatch || difference !== null) failures++;
        if (difference !== null) {
          // Keys that differ, like for like: redis-server's side first in each line.
          const comparisons: Array<[string, PeerAddress, PeerAddress]> = [
            ['redis-server master / our master', redis, ours],
            ["redis-server's replica of redis-server / of our master", truthReplica, redisReplica],
            ["redis-server's replica / our replica of redis-server", truthReplica, oursReplica],
          ];
          for (const [what, a, b] of comparisons) {
            const keys = await datasetDifference(a, b);
            if (keys) console.log(`  ${what}: ${keys.redis}\n    ${keys.ours}`);
          }
        }
        continue;
      }
      const mismatch = await runScript(redis, ours, ops, protocol);
      if (!mismatch) continue;
      failures++;
      console.log(`\nseed ${seed} RESP${protocol}: op ${mismatch.index}: ${mismatch.what}\n  redis: ${mismatch.redis}\n  ours:  ${mismatch.ours}`);
      if (shrink) {
        const shrunk = await shrinkScript(redis, ours, ops, mismatch, protocol);
        console.log(`  shrunk to ${shrunk.ops.length} ops:`);
        for (const op of shrunk.ops) console.log(`    ${describeOp(op)}`);
        console.log(`  redis: ${shrunk.mismatch.redis}\n  ours:  ${shrunk.mismatch.ours}`);
      }
    }
  }
} finally {
  console.log(`\nseeds ${first}-${last ?? first}, length ${length}, ${clients ? 'clients' : `RESP ${protocols.join('+')}`}: ${failures} failing runs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await stopAllEngines();
  await stopAllRedisServers();
}
