/**
 * Console benchmark (issue 5's performance figures), in this process:
 *  1. monitoring 60 real redis-server nodes (20 masters with 2 replicas each,
 *     discovered from the masters) at 1 Hz: CPU of this process as a share of
 *     one core, and its event-loop delay, over a measured window after
 *     warm-up;
 *  2. the console service running the embedded demo (engines and the load
 *     generator in worker threads) with the load generator at its highest
 *     rate: event-loop delay of the console's own thread, and the rate
 *     achieved.
 * No redis-server comparison applies: the rows are bounds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DeploymentMonitor } from '../main/console/monitor/deployment-monitor';
import { createConsoleService } from '../main/console/create-console-service';
import { MEMORY_ONLY_SECRETS } from '../main/console/service-types';
import { DEFAULT_LOAD } from '../main/console/demo/load-generator';
import type { DemoStatus } from '../shared/contract/demo';
import { startRedisServer, stopAllRedisServers, type RedisProcess } from '../test/support/redis-server';
import { waitFor } from '../test/support/wait';
import { boundRow, type BenchRow } from './lib/report';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const MASTERS = 20;
const REPLICAS_PER_MASTER = 2;

/** The event-loop sampler's timer period; Node's histogram records whole periods, so it is subtracted. */
const SAMPLER_MS = 10;

/** CPU share of one core and event-loop delay p99 / max (ms, beyond the sampler's period) over `ms`. */
async function measure(ms: number): Promise<{ cpuPercent: number; loopP99Ms: number; loopMaxMs: number }> {
  const histogram = monitorEventLoopDelay({ resolution: SAMPLER_MS });
  histogram.enable();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await sleep(ms);
  const cpu = process.cpuUsage(cpuBefore);
  const elapsedMs = performance.now() - started;
  histogram.disable();
  const delay = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - SAMPLER_MS);
  return { cpuPercent: ((cpu.user + cpu.system) / 1000 / elapsedMs) * 100, loopP99Ms: delay(histogram.percentile(99)), loopMaxMs: delay(histogram.max) };
}

async function monitorSixtyNodes(windowMs: number): Promise<BenchRow[]> {
  const masters: RedisProcess[] = await Promise.all(Array.from({ length: MASTERS }, () => startRedisServer({ args: ['--repl-diskless-sync-delay', '0'] })));
  await Promise.all(masters.flatMap((master) => Array.from({ length: REPLICAS_PER_MASTER }, () => startRedisServer({ args: ['--replicaof', '127.0.0.1', String(master.port)] }))));
  const monitor = await DeploymentMonitor.open({
    sessionId: 'bench', pollIntervalMs: 1000, logger: quiet, secrets: {},
    profile: { name: 'bench', kind: 'standalone', seeds: masters.map((master) => ({ host: '127.0.0.1', port: master.port })), environment: 'dev', safetyMode: 'monitor-only' },
  });
  try {
    const total = MASTERS * (1 + REPLICAS_PER_MASTER);
    await waitFor(() => monitor.snapshot().nodes.filter((node) => node.health === 'up').length === total, { timeoutMs: 30_000, intervalMs: 200, what: `${total} nodes discovered` });
    await sleep(3000);
    const figures = await measure(windowMs);
    process.stdout.write(`  monitoring ${total} nodes at 1 Hz: ${figures.cpuPercent.toFixed(2)}% of a core, event-loop p99 ${figures.loopP99Ms.toFixed(1)} ms\n`);
    return [
      boundRow('console', `monitor ${total} nodes @1 Hz, CPU`, '% core', figures.cpuPercent, { below: 5 }),
      boundRow('console', `monitor ${total} nodes, event-loop p99`, 'ms', figures.loopP99Ms, { below: 20 }),
    ];
  } finally {
    await monitor.close();
    await stopAllRedisServers();
  }
}

async function demoAtFullLoad(windowMs: number): Promise<BenchRow[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'replscope-bench-console-'));
  const service = await createConsoleService({ dataDir, mode: 'web', version: 'bench', secretStore: MEMORY_ONLY_SECRETS, logger: quiet, demo: { autoStart: true } });
  try {
    const load = await service.call('demo.load', { ...DEFAULT_LOAD, running: true, opsPerSec: 200_000 });
    if (!load.ok) throw new Error(`demo.load: ${load.message}`);
    await sleep(3000);
    const figures = await measure(windowMs);
    const status = await service.call('demo.status', {});
    const rate = status.ok ? (status.data as DemoStatus).loadOpsPerSec : 0;
    process.stdout.write(`  demo with the load generator flat out (${Math.round(rate)} ops/s): event-loop p99 ${figures.loopP99Ms.toFixed(1)} ms (max ${figures.loopMaxMs.toFixed(1)} ms), whole process (engines and load worker included) ${figures.cpuPercent.toFixed(0)}% of a core\n`);
    return [
      boundRow('console', `demo at full load (${Math.round(rate)} ops/s), event-loop p99`, 'ms', figures.loopP99Ms, { below: 20 }),
    ];
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function runConsole(windowMs = 30_000): Promise<BenchRow[]> {
  return [...(await monitorSixtyNodes(windowMs)), ...(await demoAtFullLoad(windowMs / 2))];
}
