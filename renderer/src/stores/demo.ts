/**
 * The embedded demo: status (pushed by main on every change), start/stop,
 * the load generator and chaos. Starting the demo puts its session on screen.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { ApiRequest, ChaosSpec, DemoStatus, LoadSpec } from '../api/contract';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';
import { useSessionsStore } from './sessions';

export type DemoOperation = 'start' | 'stop' | 'load' | 'chaos' | null;

export function describeChaos(spec: ChaosSpec): string {
  switch (spec.kind) {
    case 'cut-link':
      return `Cut ${spec.replicaId}'s link for ${spec.seconds} s`;
    case 'latency':
      return `${spec.ms} ms latency on ${spec.replicaId}'s link`;
    case 'bandwidth':
      return spec.bytesPerSec === 0 ? `Bandwidth cap removed on ${spec.replicaId}` : `Bandwidth cap on ${spec.replicaId}'s link`;
    case 'pause-replica':
      return `Paused ${spec.replicaId} for ${spec.seconds} s`;
    case 'restart-master':
      return spec.keepReplid ? 'Restarting the master (keeping its replid)' : 'Restarting the master without its replid';
    case 'shrink-backlog':
      return `Shrinking ${spec.nodeId}'s backlog`;
    case 'heal':
      return 'Every fault removed';
  }
}

export const useDemoStore = defineStore('demo', () => {
  const status = shallowRef<DemoStatus | null>(null);
  const busy = ref<DemoOperation>(null);
  let statusVersion = 0;

  async function refresh(): Promise<void> {
    const version = ++statusVersion;
    try {
      const next = await useBridgeStore().call('demo.status', {});
      if (version === statusVersion) status.value = next;
    } catch (error) {
      useNotificationsStore().reportError(error, 'Reading the demo status');
    }
  }

  function receive(next: DemoStatus): void {
    statusVersion += 1;
    status.value = next;
  }

  async function perform(operation: Exclude<DemoOperation, null>, context: string, call: () => Promise<DemoStatus>): Promise<boolean> {
    busy.value = operation;
    try {
      receive(await call());
      return true;
    } catch (error) {
      useNotificationsStore().reportError(error, context);
      return false;
    } finally {
      busy.value = null;
    }
  }

  async function start(spec: ApiRequest<'demo.start'>): Promise<boolean> {
    const started = await perform('start', 'Starting the demo', () => useBridgeStore().call('demo.start', spec));
    const sessionId = status.value?.sessionId ?? null;
    if (started && sessionId !== null) {
      const sessions = useSessionsStore();
      await sessions.refresh();
      sessions.select(sessionId);
    }
    return started;
  }

  function stop(): Promise<boolean> {
    return perform('stop', 'Stopping the demo', () => useBridgeStore().call('demo.stop', {}));
  }

  function setLoad(spec: LoadSpec): Promise<boolean> {
    return perform('load', 'Changing the load', () => useBridgeStore().call('demo.load', spec));
  }

  async function chaos(spec: ChaosSpec): Promise<boolean> {
    const done = await perform('chaos', 'Chaos', () => useBridgeStore().call('demo.chaos', spec));
    if (done) useNotificationsStore().notify('info', 'Chaos', describeChaos(spec));
    return done;
  }

  return { status, busy, refresh, receive, start, stop, setLoad, chaos };
});
