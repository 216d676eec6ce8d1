/**
 * The stream tap's own cost (issue 18 part 1), on a redis-server 7.0 master
 * and on our engine (each a process with one real replica, written to at a
 * steady ~5 MB/s of replication stream by a paced writer in a child
 * process, 1 KiB SETs):
 *  - the console's CPU while the tap decodes that stream (this process does
 *    nothing else: the writer and the servers are other processes), as a
 *    share of one core, and per MB/s decoded;
 *  - the master's CPU (utime + stime from /proc, whole process) over the
 *    same windows with the tap attached and without it, as a ratio.
 * Windows alternate without / with the tap, ROUNDS times; medians reported.
 * Target: the console under 5% of a core at 5 MB/s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { DEFAULT_TAP_OPTIONS } from '../shared/contract/tap';
import { createNodeClient } from '../main/console/monitor/node-client';
import { StreamTap } from '../main/console/tap/stream-tap';
import { startEngineProcess, stopAllEngines } from '../test/support/engine';
import { startRedisServer, stopAllRedisServers } from '../test/support/redis-server';
import { waitForSync } from '../test/support/replication';
import { boundRow, median, type BenchRow } from './lib/report';

const TARGET_BYTES_PER_SEC = 5 * 1024 * 1024;
const VALUE_BYTES = 1024;
const ROUNDS = 5;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const CLOCK_TICKS = 100; // USER_HZ on Linux

/**
 * A child process writing SETs of VALUE_BYTES at `bytesPerSec` of commands,
 * pipelined every 10 ms (as many as are due since the start, so timer
 * jitter does not lower the rate; replies read and dropped).
 */
function pacedWriter(port: number, bytesPerSec: number): ChildProcess {
  const script = `
    const net = require('node:net');
    const socket = net.createConnection({ host: '127.0.0.1', port: ${port} });
    socket.on('data', () => {});
    const value = 'v'.repeat(${VALUE_BYTES});
    let n = 0;
    const one = () => { const key = 'bench:' + (n++ % 10000); return '*3\\r\\n$3\\r\\nSET\\r\\n$' + key.length + '\\r\\n' + key + '\\r\\n$' + value.length + '\\r\\n' + value + '\\r\\n'; };
    const perCommand = one().length;
    const perMs = ${bytesPerSec} / 1000 / perCommand;
    const started = Date.now();
    let sent = 0;
    setInterval(() => { const due = Math.floor((Date.now() - started) * perMs); const parts = []; while (sent < due) { parts.push(one()); sent++; } if (parts.length) socket.write(parts.join('')); }, 10);
  `;
  return spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
}

/** utime + stime of a process, in seconds. */
function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

interface Window {
  readonly masterCpuPercent: number;
  readonly consoleCpuPercent: number;
  readonly decodedBytesPerSec: number;
}

async function measureWindow(pid: number, tap: StreamTap | null, ms: number): Promise<Window> {
  const masterBefore = processCpuSeconds(pid);
  const consoleBefore = process.cpuUsage();
  const bytesBefore = tap?.report().totalBytes ?? 0;
  const started = performance.now();
  await sleep(ms);
  const seconds = (performance.now() - started) / 1000;
  const consoleCpu = process.cpuUsage(consoleBefore);
  return {
    masterCpuPercent: ((processCpuSeconds(pid) - masterBefore) / seconds) * 100,
    consoleCpuPercent: ((consoleCpu.user + consoleCpu.system) / 1e6 / seconds) * 100,
    decodedBytesPerSec: ((tap?.report().totalBytes ?? 0) - bytesBefore) / seconds,
  };
}

async function measureKind(kind: 'redis-server' | 'engine', windowMs: number): Promise<BenchRow[]> {
  const master = kind === 'redis-server' ? await startRedisServer() : await startEngineProcess([], { bundled: true });
  const replica = kind === 'redis-server' ? await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] }) : await startEngineProcess(['--replicaof', '127.0.0.1', String(master.port)], { bundled: true });
  await waitForSync(replica);
  const pid = master.process.pid!;
  const client: Redis = createNodeClient({ host: '127.0.0.1', port: master.port }, {}, {});
  await client.connect();
  const writer = pacedWriter(master.port, TARGET_BYTES_PER_SEC);
  const without: Window[] = [];
  const withTap: Window[] = [];
  try {
    await sleep(2000);
    for (let round = 0; round < ROUNDS; round++) {
      without.push(await measureWindow(pid, null, windowMs));
      const address = { host: '127.0.0.1', port: master.port };
      const tap = await StreamTap.start({ sessionId: 'bench', nodeId: `127.0.0.1:${master.port}`, client, target: { address, via: address }, options: DEFAULT_TAP_OPTIONS, keyNames: 'shown' });
      if (tap.current !== 'streaming') throw new Error(`the tap did not stream: ${tap.report().message}`);
      await sleep(1000);
      withTap.push(await measureWindow(pid, tap, windowMs));
      await tap.stop();
    }
  } finally {
    writer.kill();
    client.disconnect();
    if (kind === 'redis-server') await stopAllRedisServers();
    else await stopAllEngines();
  }
  const decoded = median(withTap.map((window) => window.decodedBytesPerSec)) / 1024 / 1024;
  // The console's CPU is measured with nothing else in this process; the windows without the tap show that idle share.
  const consoleCpu = median(withTap.map((window) => window.consoleCpuPercent)) - median(without.map((window) => window.consoleCpuPercent));
  const masterRatio = median(withTap.map((window) => window.masterCpuPercent)) / median(without.map((window) => window.masterCpuPercent));
  process.stdout.write(`  ${kind} master CPU % per window, without / with the tap: ${without.map((w) => w.masterCpuPercent.toFixed(2)).join(' ')} / ${withTap.map((w) => w.masterCpuPercent.toFixed(2)).join(' ')}\n`);
  process.stdout.write(`  ${kind} master, ${decoded.toFixed(2)} MB/s decoded: console ${consoleCpu.toFixed(2)}% of a core (${(consoleCpu / decoded).toFixed(2)}% per MB/s); master CPU ${median(without.map((w) => w.masterCpuPercent)).toFixed(1)}% without the tap, ${median(withTap.map((w) => w.masterCpuPercent)).toFixed(1)}% with it (x${masterRatio.toFixed(2)})\n`);
  return [
    boundRow('tap', `${kind} master: console CPU at ${decoded.toFixed(1)} MB/s`, '% core', consoleCpu, { below: 5 }),
    boundRow('tap', `${kind} master: console CPU per MB/s decoded`, '% core', consoleCpu / decoded, { below: 1 }),
    boundRow('tap', `${kind} master: master CPU with tap / without`, 'x', masterRatio, { below: 1.5 }),
  ];
}

export async function runTap(windowMs = 8000): Promise<BenchRow[]> {
  return [...(await measureKind('redis-server', windowMs)), ...(await measureKind('engine', windowMs))];
}
