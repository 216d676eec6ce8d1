/**
 * `npx tsx bench/command-cost.ts [ROUNDS]`: what one SET costs in the
 * engine's command path, in CPU nanoseconds, with the features that hook
 * every write (client tracking, keyspace notifications) unused and in use.
 *
 * redis-benchmark's requests/s on a shared two-core machine swing by 30%
 * from one run to the next; a few percent of per-command cost cannot be
 * seen through that. This runs the dispatcher in-process (no socket: the
 * reply is dropped before it is encoded, so what is measured is the
 * command path, not RESP encoding or the network), batches of 16 commands
 * as a -P 16 pipeline arrives, and measures the process's CPU time (not
 * wall time, which counts the time other processes hold the cores).
 * Every configuration gets a fresh node; the configurations run in turn,
 * ROUNDS times (default 5), and the median of the rounds is printed. The
 * engine is measured bundled, as the bench runs it (lib/bundle-self.ts):
 * this file bundles itself and runs the bundle in a child process.
 *
 *   baseline          nobody tracks, notify-keyspace-events ""
 *   tracking-client   one other client has CLIENT TRACKING on (default
 *                     mode): every write looks the key up in the table
 *   keyspace-events   notify-keyspace-events KEA, nobody subscribed:
 *                     every write builds its two notifications
 *   maxmemory         a limit set (4 GB, never reached): every command
 *                     checks it, and every write is counted
 *                     (memory/write-accounting.ts)
 *
 * "baseline" is the figure the tracking and notification code must not
 * move: with both unused a write pays one flag test for each.
 */
import { spawnSync } from 'node:child_process';
import { EngineNode } from '../main/engine/node';
import { Client } from '../main/engine/server/client';
import { bundleSelf } from './lib/bundle-self';

const COMMANDS_PER_SAMPLE = 400_000;
const PIPELINE = 16;
const SAMPLES = 7;

interface Configuration {
  readonly name: string;
  readonly config: ReadonlyArray<readonly [string, string]>;
  readonly trackingClient: boolean;
}

const CONFIGURATIONS: ReadonlyArray<Configuration> = [
  { name: 'baseline', config: [], trackingClient: false },
  { name: 'tracking-client', config: [], trackingClient: true },
  { name: 'keyspace-events', config: [['notify-keyspace-events', 'KEA']], trackingClient: false },
  { name: 'maxmemory', config: [['maxmemory', String(4 * 1024 * 1024 * 1024)]], trackingClient: false },
];

function newClient(id: number): Client {
  const client = new Client(id, null, 'bench', 'bench', () => {});
  client.authenticated = true;
  return client;
}

/** CPU ns per SET on a fresh node: the median of SAMPLES samples after one warm-up sample. */
function measure(configuration: Configuration): number {
  const node = new EngineNode({ config: [['save', ''], ['port', '0'], ...configuration.config], logSink: () => {} });
  const writer = newClient(1);
  if (configuration.trackingClient) {
    const reader = newClient(2);
    node.dispatcher.processCommand(reader, ['CLIENT', 'TRACKING', 'on']);
    // The reader caches the key the writer keeps changing: each SET invalidates it, each GET tracks it again.
    node.dispatcher.processCommand(reader, ['GET', 'key:__rand_int__']);
  }
  const argv = ['SET', 'key:__rand_int__', 'xxx'];
  const samples: number[] = [];
  for (let sample = 0; sample <= SAMPLES; sample++) {
    const started = process.cpuUsage();
    for (let sent = 0; sent < COMMANDS_PER_SAMPLE; sent += PIPELINE) {
      node.dispatcher.beginBatch();
      for (let i = 0; i < PIPELINE; i++) node.dispatcher.processCommand(writer, argv);
      node.dispatcher.endBatch();
    }
    const used = process.cpuUsage(started);
    if (sample > 0) samples.push(((used.user + used.system) * 1000) / COMMANDS_PER_SAMPLE);
  }
  return median(samples);
}

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Set in the bundled child: it measures; the tsx parent only bundles and starts it. */
const CHILD_ENV = 'COMMAND_COST_BUNDLED';

function measureAll(): void {
  const rounds = Number(process.argv[2] ?? 5);
  const results = new Map<string, number[]>(CONFIGURATIONS.map((configuration) => [configuration.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const configuration of CONFIGURATIONS) {
      const cost = measure(configuration);
      results.get(configuration.name)!.push(cost);
      process.stdout.write(`round ${round + 1} ${configuration.name}: ${cost.toFixed(1)} CPU ns/SET\n`);
    }
  }
  const baseline = median(results.get('baseline')!);
  process.stdout.write('\nconfiguration      CPU ns/SET (median of rounds)   vs baseline\n');
  for (const [name, costs] of results) {
    const cost = median(costs);
    process.stdout.write(`${name.padEnd(18)} ${cost.toFixed(1).padStart(10)}                       ${(cost / baseline).toFixed(3)}\n`);
  }
  process.exit(0);
}

async function main(): Promise<void> {
  if (process.env[CHILD_ENV]) {
    measureAll();
    return;
  }
  const script = await bundleSelf(import.meta.url, 'command-cost');
  const child = spawnSync(process.execPath, [script, ...process.argv.slice(2)], { env: { ...process.env, [CHILD_ENV]: '1' }, stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

void main();
