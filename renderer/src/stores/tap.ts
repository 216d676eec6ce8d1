/**
 * The replication-stream taps of the sessions on screen: the last report of
 * each tapped master (pushed once a second by main while it streams), the
 * preflight shown before a start, and the start/stop/configure requests.
 * The store subscribes to 'tap' pushes itself when first used and reads
 * `tap.list` for the session then, so a report pushed before is not missed.
 */
import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { TapOptions, TapPreflight, TapReport } from '../api/contract';
import { useBridgeStore } from './bridge';
import { useNotificationsStore } from './notifications';

const keyOf = (sessionId: string, nodeId: string): string => `${sessionId}|${nodeId}`;

export const useTapStore = defineStore('tap', () => {
  const bridge = useBridgeStore();
  /** Reports by session|node; replaced whole (shallow), never deep-reactive. */
  const reports = shallowRef<ReadonlyMap<string, TapReport>>(new Map());
  const preflights = shallowRef<ReadonlyMap<string, TapPreflight>>(new Map());
  const busy = ref<string | null>(null);
  const listed = new Set<string>();

  function put(report: TapReport): void {
    const next = new Map(reports.value);
    next.set(keyOf(report.sessionId, report.nodeId), report);
    reports.value = next;
  }

  bridge.onPush('tap', (message) => put(message.report));
  bridge.onReconnect(() => {
    for (const sessionId of listed) void list(sessionId);
  });

  function report(sessionId: string, nodeId: string): TapReport | null {
    return reports.value.get(keyOf(sessionId, nodeId)) ?? null;
  }

  function preflightOf(sessionId: string, nodeId: string): TapPreflight | null {
    return preflights.value.get(keyOf(sessionId, nodeId)) ?? null;
  }

  async function list(sessionId: string): Promise<void> {
    listed.add(sessionId);
    try {
      for (const entry of await bridge.call('tap.list', { sessionId })) put(entry);
    } catch (error) {
      useNotificationsStore().reportError(error, 'Reading the stream taps');
    }
  }

  async function run<T>(key: string, what: string, request: () => Promise<T>): Promise<T | null> {
    busy.value = key;
    try {
      return await request();
    } catch (error) {
      useNotificationsStore().reportError(error, what);
      return null;
    } finally {
      if (busy.value === key) busy.value = null;
    }
  }

  async function preflight(sessionId: string, nodeId: string): Promise<void> {
    const key = keyOf(sessionId, nodeId);
    const result = await run(key, 'The tap preflight', () => bridge.call('tap.preflight', { sessionId, nodeId }));
    if (result === null) return;
    const next = new Map(preflights.value);
    next.set(key, result);
    preflights.value = next;
  }

  function clearPreflight(sessionId: string, nodeId: string): void {
    const next = new Map(preflights.value);
    next.delete(keyOf(sessionId, nodeId));
    preflights.value = next;
  }

  async function start(sessionId: string, nodeId: string, options: TapOptions, confirmMinReplicas: boolean): Promise<void> {
    const result = await run(keyOf(sessionId, nodeId), 'Starting the tap', () => bridge.call('tap.start', { sessionId, nodeId, options, confirmMinReplicas }));
    if (result === null) return;
    put(result);
    clearPreflight(sessionId, nodeId);
  }

  async function stop(sessionId: string, nodeId: string): Promise<void> {
    const result = await run(keyOf(sessionId, nodeId), 'Stopping the tap', () => bridge.call('tap.stop', { sessionId, nodeId }));
    if (result !== null) put(result);
  }

  async function configure(sessionId: string, nodeId: string, options: TapOptions): Promise<void> {
    const result = await bridge.call('tap.configure', { sessionId, nodeId, options }).catch((error: unknown) => {
      useNotificationsStore().reportError(error, 'Changing the tap grouping');
      return null;
    });
    if (result !== null) put(result);
  }

  return { reports, preflights, busy, report, preflightOf, list, preflight, clearPreflight, start, stop, configure };
});
