/**
 * Where the engine's replication decisions are announced: typed events (the
 * shared EngineEvent contract) for the console, and redis-server style log
 * lines with the numbers an operator needs. Listeners that throw never
 * disturb replication.
 */
import type { EngineEvent } from '../../../shared/contract/engine-events';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type EngineEventInput = DistributiveOmit<EngineEvent, 'time' | 'nodeId'>;

export class ReplicationEvents {
  private readonly listeners = new Set<(event: EngineEvent) => void>();

  constructor(private readonly nodeId: () => string) {}

  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEventInput): void {
    if (this.listeners.size === 0) return;
    const full = { ...event, time: Date.now(), nodeId: this.nodeId() } as EngineEvent;
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch {
        // A console bug must never break replication.
      }
    }
  }
}
