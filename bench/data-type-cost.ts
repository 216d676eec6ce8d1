/**
 * `npx tsx bench/data-type-cost.ts [CASE,...] [SAMPLES]` (V8 flags for the measured
 * process in DATA_TYPE_COST_NODE_FLAGS): what one command of
 * the throughput bench's data-type rows costs in the engine's command path,
 * in CPU nanoseconds (issue 19: XADD, EVAL/EVALSHA of a one-call script,
 * PFADD, GEOADD; INCR, SET, GET and ZADD beside them for scale; LPUSH, HSET and ZADD_ONE
 * as redis-benchmark sends them, for the `-P 16` row).
 *
 * As bench/command-cost.ts: the dispatcher runs in-process (no socket; the
 * reply is dropped before it is encoded), batches of 16 as a -P 16 pipeline
 * arrives, and the process's CPU time is measured, which the shared
 * machine's load moves far less than redis-benchmark's req/s.
 *
 * The commands are the bench's own (engine-throughput.ts): PFADD and GEOADD
 * add random elements out of 100,000 (redis-benchmark -r 100000) to a key
 * that starts empty in every sample, so the cost includes the HLL turning
 * dense and the sorted set growing, as in the bench run.
 *
 * With DATA_TYPE_COST_DECODE=1 each batch of 16 reaches the dispatcher as
 * the server gets it: one RESP chunk through the connection's RequestDecoder
 * (the client's requestProgress), as tcp-server.ts feeds a read. That path
 * is not the plain one for every command: PFADD hashes an element from the
 * bytes the decoder still holds (ArgumentBytes), and a repeated argument
 * is the string decoded last time, so the argv-only figures leave out both
 * the decode and what the decoder hands the command.
 *
 * The engine is measured as the bench runs it: bundled by esbuild into
 * plain JS (tsx's module wrappers turn every imported binding into a getter
 * call, which moves these figures by up to 2x). This file bundles itself
 * into bench/results/build and runs each case in a process of its own
 * (two Lua runtimes in one process make the calls into WebAssembly
 * polymorphic and slow both).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { EngineNode } from '../main/engine/node';
import { Client } from '../main/engine/server/client';
import { RequestDecoder } from '../main/engine/resp/request-decoder';
import { bundleSelf } from './lib/bundle-self';

const PIPELINE = 16;
const ONE_CALL_SCRIPT = "return redis.call('incr',KEYS[1])";
const ONE_CALL_SHA = createHash('sha1').update(ONE_CALL_SCRIPT).digest('hex');
const KEY_SPACE = 100_000;
/** A script that builds a 10-key table and walks it with pairs() (Lua 5.1 order, lua-key-order51.ts). */
const PAIRS_SCRIPT = 'local t = {} for i = 1, #ARGV do t[ARGV[i]] = i end local n = 0 for k, v in pairs(t) do n = n + v end return n';
const PAIRS_ARGV = Array.from({ length: 10 }, (_, i) => `field:${i}`);

const randomElement = (prefix: string): string => `${prefix}:${Math.floor(Math.random() * KEY_SPACE)}`;

/** argv of command `i` of sample `sample`. */
type Command = (sample: number) => string[];
const CASES: Record<string, Command> = {
  INCR: () => ['INCR', 'counter'],
  // SET and GET as redis-benchmark sends them (no -r: one key), the figures INCR is held against.
  SET: () => ['SET', 'key:__rand_int__', 'xxx'],
  GET: () => ['GET', 'key:__rand_int__'],
  // redis-benchmark's own LPUSH, HSET and ZADD (no -r: one key, one 20-char field / member).
  LPUSH: () => ['LPUSH', 'mylist', 'xxx'],
  HSET: () => ['HSET', 'myhash', 'element:000000000000', 'xxx'],
  ZADD_ONE: () => ['ZADD', 'myzset', '0', 'element:000000000000'],
  ZADD: (sample) => ['ZADD', `zset:${sample}`, '3471579339700058', randomElement('member')],
  EVAL: () => ['EVAL', ONE_CALL_SCRIPT, '1', 'counter'],
  EVALSHA: () => ['EVALSHA', ONE_CALL_SHA, '1', 'counter'],
  EVAL_PAIRS: () => ['EVAL', PAIRS_SCRIPT, '0', ...PAIRS_ARGV],
  EVAL_CJSON: () => ['EVAL', 'return cjson.encode({id=1, name=ARGV[1], tags={ARGV[2]}, score=2.5})', '0', 'n', 't'],
  PFADD: (sample) => ['PFADD', `hll:${sample}`, randomElement('element')],
  // The bench's steady state: one key for every sample, dense from the warm-up sample on.
  PFADD_DENSE: () => ['PFADD', 'hll', randomElement('element')],
  GEOADD: (sample) => ['GEOADD', `geo:${sample}`, '13.361389', '38.115556', randomElement('member')],
  // The bench's steady state: one key for every sample, its members mostly there already after the warm-up sample.
  GEOADD_ONE: () => ['GEOADD', 'geo', '13.361389', '38.115556', randomElement('member')],
  XADD: () => ['XADD', 'bench:stream', '*', 'field', 'value'],
};
const COMMANDS_PER_SAMPLE = 100_000;

/** The argv as RESP, PIPELINE requests to a chunk (one read of a -P 16 client). */
function pipelinedChunks(argvs: ReadonlyArray<ReadonlyArray<string>>): Buffer[] {
  const chunks: Buffer[] = [];
  for (let sent = 0; sent < argvs.length; sent += PIPELINE) {
    let text = '';
    for (const argv of argvs.slice(sent, sent + PIPELINE)) {
      text += `*${argv.length}\r\n`;
      for (const argument of argv) text += `$${Buffer.byteLength(argument, 'latin1')}\r\n${argument}\r\n`;
    }
    chunks.push(Buffer.from(text, 'latin1'));
  }
  return chunks;
}

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** CPU ns per command: the median of `samples` samples after one warm-up sample. */
async function measure(name: string, samples: number): Promise<number[]> {
  const command = CASES[name];
  if (!command) throw new Error(`no case ${name} (cases: ${Object.keys(CASES).join(', ')})`);
  const node = new EngineNode({ config: [['save', ''], ['port', '0']], logSink: () => {} });
  await node.scripting.init();
  const client = new Client(1, null, 'bench', 'bench', () => {});
  client.authenticated = true;
  node.dispatcher.processCommand(client, ['SCRIPT', 'LOAD', ONE_CALL_SCRIPT]);
  const decode = process.env['DATA_TYPE_COST_DECODE'] === '1';
  const decoder = new RequestDecoder({ maxBulkLength: 512 * 1024 * 1024, isAuthenticated: () => true });
  if (decode) client.requestProgress = decoder;
  // As tcp-server.ts's onRequest: the decoded argv run at once, while the decoder still holds its bytes.
  const onRequest = (argv: string[]): boolean => {
    client.currentArgv = argv;
    node.dispatcher.processCommand(client, argv);
    client.currentArgv = null;
    return true;
  };
  const costs: number[] = [];
  for (let sample = 0; sample <= samples; sample++) {
    // The argv (or the RESP chunks) are made before the clock starts.
    const argvs: string[][] = [];
    for (let i = 0; i < COMMANDS_PER_SAMPLE; i++) argvs.push(command(sample));
    const chunks = decode ? pipelinedChunks(argvs) : [];
    const started = process.cpuUsage();
    if (decode) {
      for (const chunk of chunks) {
        client.beginInputBatch();
        node.dispatcher.beginBatch();
        decoder.feed(chunk, onRequest);
        node.dispatcher.endBatch();
        client.endInputBatch();
      }
    } else {
      for (let sent = 0; sent < COMMANDS_PER_SAMPLE; sent += PIPELINE) {
        node.dispatcher.beginBatch();
        for (let i = sent; i < sent + PIPELINE; i++) node.dispatcher.processCommand(client, argvs[i]!);
        node.dispatcher.endBatch();
      }
    }
    const used = process.cpuUsage(started);
    if (sample > 0) costs.push(((used.user + used.system) * 1000) / COMMANDS_PER_SAMPLE);
  }
  return costs;
}

async function main(): Promise<void> {
  const names = (process.argv[2] ?? Object.keys(CASES).join(',')).split(',');
  const samples = Number(process.argv[3] ?? 5);
  if (process.env['DATA_TYPE_COST_CASE']) {
    const costs = await measure(process.env['DATA_TYPE_COST_CASE'], samples);
    process.stdout.write(`${JSON.stringify(costs)}\n`);
    process.exit(0);
  }
  const script = await bundleSelf(import.meta.url, 'data-type-cost');
  process.stdout.write('command   CPU ns/command (median)   samples\n');
  for (const name of names) {
    // DATA_TYPE_COST_NODE_FLAGS: V8 flags for the measured process, e.g. fixed
    // `--hash-seed=1 --random-seed=1` so base and branch hash their strings alike.
    const flags = (process.env['DATA_TYPE_COST_NODE_FLAGS'] ?? '').split(' ').filter((flag) => flag !== '');
    const child = spawnSync(process.execPath, [...flags, script, name, String(samples)], { env: { ...process.env, DATA_TYPE_COST_CASE: name }, encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`${name}: ${child.stderr}`);
    const costs = JSON.parse(child.stdout.trim()) as number[];
    process.stdout.write(`${name.padEnd(9)} ${median(costs).toFixed(0).padStart(10)}                ${costs.map((cost) => cost.toFixed(0)).join(' ')}\n`);
  }
}

void main();
