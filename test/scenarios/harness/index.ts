/**
 * The scenario harness (test/scenarios/README.md says how to write one):
 * real nodes (redis-server or our engine), replication groups, a write load,
 * the console attached as the app attaches it, and the nodes' own truth.
 *
 *   useScenarioCleanup()       afterEach: consoles closed, nodes and Sentinels stopped
 *   forEachNodeKind(fn)        the same scenario on redis-server and on our engine
 *   soakOnly(name, body)       a long scenario: run by `npm run soak`, skipped by `npm test`
 */
import { afterEach, describe, it } from 'vitest';
import { stopAllRedisServers } from '../../support/redis-server';
import { closeAllConsoles } from './console-under-test';
import { NODE_KINDS, stopAllNodes, type NodeKind } from './scenario-node';

export * from './announced-pair';
export * from './console-under-test';
export * from './demo-restart-until-seen';
export * from './full-resync-by-hand';
export * from './loaded-demo-pair';
export * from './scenario-node';
export * from './sentinel';
export * from './sentinel-failover-watched';
export * from './sentinel-slaveof-stuck';
export * from './topology';
export * from './truth';
export * from './write-load';

/** Closes the consoles and stops the nodes (and Sentinels) a test started, after each test (also when it failed). */
export function useScenarioCleanup(): void {
  afterEach(async () => {
    await closeAllConsoles();
    await stopAllNodes();
    await stopAllRedisServers();
  });
}

/**
 * Which node kinds scenarios run on: both by default;
 * REPLSCOPE_SCENARIO_NODES=redis (or engine) narrows it while developing.
 */
export function scenarioNodeKinds(): readonly NodeKind[] {
  const wanted = process.env.REPLSCOPE_SCENARIO_NODES;
  return wanted ? NODE_KINDS.filter((kind) => wanted.split(',').includes(kind)) : NODE_KINDS;
}

/** `describe` the same scenario once per node kind ("on redis-server", "on our engine"). */
export function forEachNodeKind(body: (kind: NodeKind) => void): void {
  for (const kind of scenarioNodeKinds()) describe(kind === 'redis' ? 'on redis-server 7.0' : 'on our engine', () => body(kind));
}

/**
 * Long scenarios: run by `npm run soak` (REPLSCOPE_SOAK=1, which selects
 * them by the "(long)" their names start with), skipped by `npm test`.
 */
export function soakOnly(name: string, body: () => Promise<void>, timeoutMs = 10 * 60_000): void {
  it.runIf(process.env.REPLSCOPE_SOAK === '1')(`(long) ${name}`, body, timeoutMs);
}
