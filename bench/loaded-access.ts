/**
 * What a read of a loaded key costs, in-process: the RDB section's mixed
 * dump.rdb is loaded into an EngineNode as a start-up load does (values
 * kept in their RDB encoding, rdb/loaded-keys.ts), and every string key is
 * read once with GET (its first access), then again (later accesses); a
 * small string is decoded from its RDB bytes by every read and kept per
 * key nowhere (LoadedKeys.read; the working set's keys, read again soon,
 * keep theirs in the bounded recent-reads cache, rdb/recent-reads.ts), a
 * bigger value is decoded and kept by the first. The baseline ("a key in the Map", the issue's 0.25 us) is the
 * same keys built by commands in another node (every key in the Map part
 * of the dictionary), read in the same order.
 *
 * Before the first pass, 50,000 GETs of absent keys compile the command
 * path (a server that has served anything has it compiled), so the first
 * pass measures a key's first access rather than V8's warm-up.
 *
 * Keys are read in one random order (the same for every pass), so a read
 * pays the cache misses of a million-key table as a real workload's would,
 * on both sides; a second pair of figures reads 1,000 of them over and
 * over (a working set that stays in the CPU caches). The dispatcher runs in-process as bench/command-cost.ts
 * runs it (batches of 16, the reply dropped before it is encoded), and the
 * figure is the process's CPU time per GET, which other processes on a
 * shared machine do not inflate as they inflate wall time.
 *
 * The measurement runs bundled, in a process of its own with the engine's
 * young-generation flags (measureLoadedAccessBundled), as the engine runs
 * in the bench and the app:
 * under tsx every imported binding is a getter call, which added 0.6-1 us
 * to each of these GETs. `npx tsx bench/loaded-access.ts <dump.rdb>` runs it
 * alone on the rdb section's dump.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ENGINE_NODE_FLAGS } from '../main/engine/memory/young-generation';
import { EngineNode } from '../main/engine/node';
import { RdbLoader } from '../main/engine/rdb/rdb-loader';
import { Client } from '../main/engine/server/client';
import { bundledScript } from './lib/build-engine';
import { datasetArgv, keyName, stringKeys } from './lib/mixed-dataset';
import { median } from './lib/report';

const PIPELINE = 16;
/** The loader is fed the file in chunks of this size, as a start-up load reads it. */
const CHUNK = 1 << 20;
const WORKING_SET = 1000;
const WORKING_SET_PASSES = 500;
/** GETs of absent keys that compile the command path before the first pass. */
const WARM_UP = 50_000;

export interface LoadedAccessCosts {
  /** CPU ns per GET: the first GET of each loaded key. */
  readonly firstNs: number;
  /** CPU ns per GET: later GETs of loaded keys (median of the later passes). */
  readonly laterNs: number;
  /** CPU ns per GET of the same keys built by commands (median of its passes). */
  readonly mapNs: number;
  /** CPU ns per GET, 1,000 keys read over and over (all in cache), loaded (after their first access) / built. */
  readonly hotLaterNs: number;
  readonly hotMapNs: number;
  /** CPU ns per bare Map.get of the same keys (fresh key strings, same order): what the "a key in the Map" compares with. */
  readonly bareMapNs: number;
  readonly hotBareMapNs: number;
  readonly keys: number;
}

function benchClient(): Client {
  const client = new Client(1, null, 'bench', 'bench', () => {});
  client.authenticated = true;
  return client;
}

function quietNode(): EngineNode {
  return new EngineNode({ config: [['save', ''], ['port', '0']], logSink: () => {} });
}

/**
 * CPU ns per command for one pass of GET over the keys numbered `order`.
 * Each GET gets a key string made just then, as the request parser makes
 * one per request (a string kept from an earlier pass would be a cache
 * miss of its own, which no real request has).
 */
function getPass(node: EngineNode, client: Client, order: Int32Array, keyName: (n: number) => string): number {
  const argv = ['GET', ''];
  const started = process.cpuUsage();
  for (let sent = 0; sent < order.length; ) {
    node.dispatcher.beginBatch();
    for (let i = 0; i < PIPELINE && sent < order.length; i++, sent++) {
      argv[1] = keyName(order[sent]!);
      node.dispatcher.processCommand(client, argv);
    }
    node.dispatcher.endBatch();
  }
  const used = process.cpuUsage(started);
  return ((used.user + used.system) * 1000) / order.length;
}

/**
 * CPU ns per bare `Map.get` for the keys numbered `order`, in a Map of those
 * keys alone (to one shared value), each key string made just then as
 * getPass makes it: the lookup a GET of a key in the Map cannot go below.
 */
function bareMapPass(map: Map<string, string>, order: Int32Array, keyName: (n: number) => string): number {
  let found = 0;
  const started = process.cpuUsage();
  for (let i = 0; i < order.length; i++) if (map.get(keyName(order[i]!)) !== undefined) found++;
  const used = process.cpuUsage(started);
  if (found !== order.length) throw new Error(`bare Map found ${found} of ${order.length} keys`);
  return ((used.user + used.system) * 1000) / order.length;
}

/** A Fisher-Yates shuffle with a fixed-seed generator, so every run reads in the same order. */
function shuffled(items: Int32Array): Int32Array {
  let seed = 0x9e3779b9;
  const random = (): number => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = items[i]!;
    items[i] = items[j]!;
    items[j] = held;
  }
  return items;
}

/** WARM_UP negative key numbers: keys no dataset here has (checked before use). */
function absentKeys(): Int32Array {
  return Int32Array.from({ length: WARM_UP }, (_, i) => -1 - i);
}

/** The first WORKING_SET keys of `keys`, WORKING_SET_PASSES times over: reads whose data stays in the CPU caches. */
function workingSet(keys: Int32Array): Int32Array {
  const size = Math.min(WORKING_SET, keys.length);
  const out = new Int32Array(size * WORKING_SET_PASSES);
  for (let pass = 0; pass < WORKING_SET_PASSES; pass++) out.set(keys.subarray(0, size), pass * size);
  return out;
}

/**
 * Loads `dumpPath` into a node, reads its string keys (numbered
 * `stringKeys`, named by `keyName`) first, then `laterPasses` more times,
 * and reads the same keys on a node where `commands` built the dataset.
 */
export function measureLoadedAccess(dumpPath: string, stringKeys: Int32Array, keyName: (n: number) => string, commands: Iterable<string[]>, laterPasses = 3): LoadedAccessCosts {
  const file = readFileSync(dumpPath);
  const loadedNode = quietNode();
  const loader = new RdbLoader({ databases: loadedNode.keyspace.dbs.length, keepExpired: false, access: loadedNode.keyspace.access });
  for (let at = 0; at < file.length; at += CHUNK) loader.feed(file.subarray(at, at + CHUNK));
  loadedNode.replaceAllDatabases(loader.finish().dbs);
  const db = loadedNode.keyspace.dbs[0]!;
  const client = benchClient();
  const order = shuffled(stringKeys.slice());
  for (const n of order) if (!db.dict.has(keyName(n))) throw new Error(`key ${keyName(n)} is missing after the load`);

  // The command path is compiled first on GETs of absent keys, as in a server that has served
  // anything before: the first pass measures what a key's first access costs, not V8's warm-up.
  const absent = absentKeys();
  for (const n of absent) if (db.dict.has(keyName(n))) throw new Error(`warm-up key ${keyName(n)} exists`);
  getPass(loadedNode, client, absent, keyName);
  const firstNs = getPass(loadedNode, client, order, keyName);
  const later: number[] = [];
  for (let pass = 0; pass < laterPasses; pass++) later.push(getPass(loadedNode, client, order, keyName));
  const hot = workingSet(order);
  const hotLaterNs = getPass(loadedNode, client, hot, keyName);

  const builtNode = quietNode();
  const builder = benchClient();
  for (const argv of commands) builtNode.dispatcher.processCommand(builder, argv);
  const map: number[] = [];
  for (let pass = 0; pass <= laterPasses; pass++) map.push(getPass(builtNode, client, order, keyName));
  const hotMapNs = getPass(builtNode, client, hot, keyName);

  const bareMap = new Map<string, string>();
  for (const n of stringKeys) bareMap.set(keyName(n), 'v');
  const bare: number[] = [];
  for (let pass = 0; pass <= laterPasses; pass++) bare.push(bareMapPass(bareMap, order, keyName));
  bareMapPass(bareMap, hot, keyName);
  const hotBareMapNs = bareMapPass(bareMap, hot, keyName);
  return { firstNs, laterNs: median(later), mapNs: median(map), hotLaterNs, hotMapNs, bareMapNs: median(bare), hotBareMapNs, keys: order.length };
}

/** measureLoadedAccess on the mixed dataset's dump, bundled, in a child process. */
export async function measureLoadedAccessBundled(dumpPath: string): Promise<LoadedAccessCosts> {
  const script = await bundledScript('bench/loaded-access.ts', 'loaded-access');
  const output = execFileSync(process.execPath, [...ENGINE_NODE_FLAGS, script, dumpPath], { env: { ...process.env, LOADED_ACCESS_CHILD: '1' }, encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(output) as LoadedAccessCosts;
}

/** Run as a script: the child's JSON (LOADED_ACCESS_CHILD), or a printed report. */
async function main(dumpPath: string): Promise<void> {
  if (process.env['LOADED_ACCESS_CHILD']) {
    process.stdout.write(JSON.stringify(measureLoadedAccess(dumpPath, stringKeys(), keyName, datasetArgv())));
    return;
  }
  const costs = await measureLoadedAccessBundled(dumpPath);
  process.stdout.write(`GET in-process, ${costs.keys} string keys in random order: loaded first ${costs.firstNs.toFixed(0)} ns, later ${costs.laterNs.toFixed(0)} ns; baseline, a key in the Map (built by commands) ${costs.mapNs.toFixed(0)} ns; a bare Map.get ${costs.bareMapNs.toFixed(0)} ns\n`);
  process.stdout.write(`GET in-process, 1,000 keys over and over: loaded ${costs.hotLaterNs.toFixed(0)} ns; baseline, a key in the Map ${costs.hotMapNs.toFixed(0)} ns; a bare Map.get ${costs.hotBareMapNs.toFixed(0)} ns\n`);
}

const invokedPath = process.argv[1];
if (invokedPath !== undefined && invokedPath === fileURLToPath(import.meta.url)) {
  const dumpPath = process.argv[2];
  if (!dumpPath) throw new Error('usage: npx tsx bench/loaded-access.ts <dump.rdb of the rdb section>');
  void main(dumpPath);
}
