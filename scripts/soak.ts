/**
 * `npm run soak [-- --minutes N]` (default 5): the long versions of the
 * reliability tests, bounded in time, with figures at the end.
 *
 *  1. replication chaos, alternating directions (our master with a real
 *     replica, a real master with our replica), a new seed each round: link
 *     cuts during writes and MULTI; each round must end with equal digests,
 *     every acknowledged write on the replica, and no full sync after the
 *     first;
 *  2. connection storms against our engine: waves of clients that connect,
 *     pipeline, and drop the connection mid-command or mid-reply, while a
 *     control client keeps measuring PING latency; the server must answer
 *     throughout;
 *  3. fuzzing with random seeds: the RESP decoder, the RDB reader (a real
 *     dump, chunked, truncated, mutated), RESTORE of mutated DUMP
 *     payloads and the glob matcher (soak-fuzz.ts);
 *  4. the long console scenarios of test/scenarios (soakOnly, named
 *     "(long) ..."), with vitest, after the timed phases: they take the few
 *     minutes they need.
 *
 * At the end: handles (timers, sockets, servers, child processes) still open
 * compared with the start, which must be none.
 *
 * Exits non-zero at the first failure, printing the seed to replay it.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { ProtocolError, RequestDecoder } from '../main/engine/resp/request-decoder';
import { startEngine, stopAllEngines } from '../test/support/engine';
import { startRedisServer, stopAllRedisServers } from '../test/support/redis-server';
import { RespConnection } from '../test/support/resp-connection';
import { runReplicationChaos } from '../test/support/replication-chaos';
import { dumpPayloadFuzz, globFuzz, rdbFuzz } from './soak-fuzz';

const args = process.argv.slice(2);
const minutes = Number(args[args.indexOf('--minutes') + 1] ?? '') || 5;
const deadline = Date.now() + minutes * 60_000;
const share = (part: number): number => Date.now() + (deadline - Date.now()) * part;

const figures: Record<string, number> = {};
const add = (name: string, value: number): void => {
  figures[name] = (figures[name] ?? 0) + value;
};

async function chaosRounds(until: number): Promise<void> {
  let round = 0;
  while (Date.now() < until) {
    const seed = (Date.now() ^ (round * 2654435761)) >>> 0;
    const oursMaster = round % 2 === 0;
    const master = oursMaster ? await startEngine([['repl-diskless-sync-delay', '0'], ['repl-backlog-size', '64mb']]) : await startRedisServer({ args: ['--repl-diskless-sync-delay', '0', '--repl-backlog-size', '64mb'] });
    const replica = oursMaster ? await startRedisServer() : await startEngine();
    try {
      const report = await runReplicationChaos(master, replica, { seed, durationMs: Math.min(30_000, Math.max(5_000, until - Date.now())) });
      if (report.fullSyncsAfterInitial !== 0) throw new Error(`seed ${seed}: ${report.fullSyncsAfterInitial} full sync(s) where a partial one was possible`);
      add('chaos rounds', 1);
      add('link cuts', report.cuts);
      add('acknowledged writes checked', report.acknowledgedWrites);
      add('partial resyncs', report.partialResyncs);
      // Compared again here, after the round (runReplicationChaos also waits for equal digests).
      const digests = await Promise.all([master, replica].map((peer) => new RespConnection('127.0.0.1', peer.port)).map(async (connection) => {
        try {
          return String(await connection.call('DEBUG', 'DIGEST'));
        } finally {
          connection.close();
        }
      }));
      add('digest comparisons', 1);
      add('digest mismatches', digests[0] === digests[1] ? 0 : 1);
      if (digests[0] !== digests[1]) throw new Error(`seed ${seed}: digests differ after the round (${digests.join(' vs ')})`);
    } catch (failure) {
      throw new Error(`chaos round ${round} (${oursMaster ? 'ours -> real' : 'real -> ours'}, seed ${seed}) failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    } finally {
      await stopAllRedisServers();
      await stopAllEngines();
    }
    round++;
  }
}

async function storms(until: number): Promise<void> {
  const ours = await startEngine();
  const control = new RespConnection('127.0.0.1', ours.port);
  const latencies: number[] = [];
  let probing = true;
  add('control client errors', 0);
  const prober = (async () => {
    while (probing) {
      const started = performance.now();
      const reply = await control.call('PING').catch((failure: unknown) => failure);
      if (reply !== 'PONG') {
        add('control client errors', 1);
        throw new Error(`the control client got ${String(reply)} during a storm`);
      }
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  try {
    while (Date.now() < until) {
      const wave = 5000; // concurrent clients per wave (the soak process and the engine each hold one fd per client)
      await Promise.all(Array.from({ length: wave }, (_, i) => new Promise<void>((resolve) => {
        const socket = net.connect(ours.port, '127.0.0.1');
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.on('connect', () => {
          const pipeline = `*3\r\n$3\r\nSET\r\n$${String(i).length}\r\n${i}\r\n$1\r\nv\r\n`.repeat(20);
          // Half the clients drop mid-command, the others after asking for a big reply they never read.
          if (i % 2 === 0) socket.end(pipeline + '*3\r\n$3\r\nSET\r\n$1\r\nk');
          else socket.write(pipeline + '*2\r\n$4\r\nKEYS\r\n$1\r\n*\r\n');
          setTimeout(() => socket.destroy(), 20);
        });
      })));
      add('storm clients', wave);
    }
  } finally {
    probing = false;
    await prober;
    control.close();
    await stopAllEngines();
  }
  latencies.sort((a, b) => a - b);
  figures['control PING p99 during storms (ms)'] = Number((latencies[Math.floor(latencies.length * 0.99)] ?? 0).toFixed(2));
}

function decoderFuzz(until: number): void {
  while (Date.now() < until) {
    const seed = Date.now() >>> 0;
    const garbage = fc.uint8Array({ maxLength: 512 });
    fc.assert(fc.property(garbage, fc.nat({ max: 512 }), (bytes, cut) => {
      const buffer = Buffer.from(bytes);
      const decoder = new RequestDecoder({ maxBulkLength: 512 * 1024 * 1024, isAuthenticated: () => false });
      try {
        decoder.feed(buffer.subarray(0, cut), () => {});
        decoder.feed(buffer.subarray(cut), () => {});
      } catch (failure) {
        if (!(failure instanceof ProtocolError)) throw new Error(`seed ${seed}: ${String(failure)}`);
      }
    }), { seed, numRuns: 5000 });
    add('decoder fuzz cases', 5000);
  }
}

/** The long scenarios (test/scenarios, soakOnly): vitest in a child process, as `npm test` runs the short ones. */
async function longScenarios(): Promise<void> {
  const vitest = path.resolve(import.meta.dirname, '../node_modules/vitest/vitest.mjs');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', 'test/scenarios', '-t', '\\(long\\)'], { env: { ...process.env, REPLSCOPE_SOAK: '1' }, stdio: 'inherit' });
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`the long scenarios failed (vitest exited with ${code})`);
  add('long scenarios: runs passed', 1);
}

/** Handles that keep a process alive, by kind (stdio excluded: they are always there). */
function openHandles(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) if (!/TTYWrap|PipeWrap|FSReqCallback/.test(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

async function main(): Promise<void> {
  const started = Date.now();
  const handlesAtStart = openHandles();
  process.stdout.write(`soak: ${minutes} min\n`);
  await chaosRounds(share(0.5));
  await storms(share(0.5));
  add('RDB fuzz cases', await rdbFuzz(share(0.4)));
  add('DUMP payload fuzz cases', await dumpPayloadFuzz(share(0.5)));
  add('glob matcher fuzz cases', globFuzz(share(0.3)));
  decoderFuzz(deadline);
  await longScenarios();
  await new Promise((resolve) => setTimeout(resolve, 500));
  const leaked = [...openHandles()].filter(([kind, count]) => count > (handlesAtStart.get(kind) ?? 0));
  figures['leaked handles'] = leaked.reduce((sum, [kind, count]) => sum + count - (handlesAtStart.get(kind) ?? 0), 0);
  if (leaked.length > 0) throw new Error(`handles left open: ${leaked.map(([kind, count]) => `${kind} ${count}`).join(', ')}`);
  figures['max RSS (MB)'] = Math.round(process.resourceUsage().maxRSS / 1024);
  figures['duration (s)'] = Math.round((Date.now() - started) / 1000);
  for (const [name, value] of Object.entries(figures)) process.stdout.write(`${name.padEnd(40)} ${value}\n`);
  process.stdout.write('soak: all checks passed\n');
}

main().catch((failure: unknown) => {
  process.stderr.write(`soak FAILED: ${failure instanceof Error ? failure.message : String(failure)}\n`);
  process.exit(1);
});
