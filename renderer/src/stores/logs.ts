/** Log lines pushed by main (engine and console), kept per session, capped. */
import { defineStore } from 'pinia';
import { shallowRef } from 'vue';

export interface LogLine {
  readonly id: number;
  readonly time: number;
  readonly sessionId: string | null;
  readonly nodeId: string | null;
  readonly line: string;
}

const MAX_LINES = 1000;

export const useLogsStore = defineStore('logs', () => {
  const lines = shallowRef<LogLine[]>([]);
  let nextId = 1;

  function receive(sessionId: string | null, nodeId: string | null, line: string): void {
    const next = [...lines.value, { id: nextId++, time: Date.now(), sessionId, nodeId, line }];
    lines.value = next.length > MAX_LINES ? next.slice(next.length - MAX_LINES) : next;
  }

  return { lines, receive };
});
