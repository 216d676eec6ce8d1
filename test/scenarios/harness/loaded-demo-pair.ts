/**
 * The demo's two-node pair under a steady write load, as the demo scenarios
 * about lag, catch-up and the backlog start: the console polling every
 * pollIntervalMs, the demo started through the API, the load on, and both
 * nodes steady in the console's view. The default load is 300 SETs/s of
 * 100-byte values (about 40 KB/s of replication stream).
 */
import type { ApiRequest } from '../../../shared/contract/api';
import type { DemoNodeInfo } from '../../../shared/contract/demo';
import { ConsoleUnderTest } from './console-under-test';

export const STRING_LOAD: ApiRequest<'demo.load'> = { running: true, opsPerSec: 300, valueBytes: 100, keySpace: 10_000, mix: { string: 100, list: 0, hash: 0, set: 0, zset: 0, script: 0, stream: 0 } };

export interface LoadedDemoPair {
  readonly replscope: ConsoleUnderTest;
  readonly master: DemoNodeInfo;
  readonly replica: DemoNodeInfo;
}

/** `beforeLoad` runs once the demo is up, before the load starts (settings a test needs from the first loaded poll). */
export async function startLoadedDemoPair(options: { pollIntervalMs?: number; load?: ApiRequest<'demo.load'>; beforeLoad?: (replscope: ConsoleUnderTest) => Promise<void> } = {}): Promise<LoadedDemoPair> {
  const replscope = await ConsoleUnderTest.start({ pollIntervalMs: options.pollIntervalMs ?? 500 });
  const status = await replscope.startDemo({ topology: 'pair' });
  const master = status.nodes.find((node) => node.role === 'master')!;
  const replica = status.nodes.find((node) => node.role === 'replica')!;
  await options.beforeLoad?.(replscope);
  await replscope.call('demo.load', options.load ?? STRING_LOAD);
  await replscope.waitForSteadyGroup(status.nodes.map((node) => node.id));
  return { replscope, master, replica };
}
