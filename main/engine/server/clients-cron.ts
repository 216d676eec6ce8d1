/**
 * clientsCron (server.c): the per-client work of every cron tick.
 *
 *   1. `timeout`: a client idle longer than `timeout` seconds is closed,
 *      unless it is a replica, our master, blocked or subscribed
 *      (clientsCronHandleTimeout; blocked clients time out on their own).
 *   2. The query buffer and the reply buffer are resized toward what the
 *      client really uses (query-buffer.ts, reply-buffer.ts).
 *   3. The biggest input and output buffers of the last 8 seconds are kept
 *      for INFO's client_recent_max_input_buffer / _output_buffer
 *      (clientsCronTrackExpansiveClients: one slot per second, the slot
 *      after the current one is zeroed so each slot holds one second).
 *
 * Redis visits numclients/hz clients per tick (at least 5), so each client
 * about once a second; this visits every client every tick, the cheaper
 * choice at the client counts an embedded node serves, and the one that
 * gives the same figures at Redis's default hz on idle clients.
 */
import type { Client } from './client';
import type { DebugSettings } from './debug-settings';
import type { ReplyBufferStats } from './reply-buffer';

/** CLIENTS_PEAK_MEM_USAGE_SLOTS. */
const PEAK_SLOTS = 8;

export interface ClientsCronHost {
  readonly clients: Iterable<Client>;
  readonly debug: DebugSettings;
  readonly stats: ReplyBufferStats;
  /** The `timeout` config, seconds; 0 = never. */
  idleTimeoutSeconds(): number;
  /** Closes an idle client (logged by the caller as Redis does). */
  closeIdleClient(client: Client): void;
}

export class ClientsCron {
  private readonly peakInput = new Array<number>(PEAK_SLOTS).fill(0);
  private readonly peakOutput = new Array<number>(PEAK_SLOTS).fill(0);

  constructor(private readonly host: ClientsCronHost) {}

  run(now: number): void {
    const unixSeconds = Math.floor(now / 1000);
    const slot = unixSeconds % PEAK_SLOTS;
    const nextSlot = (slot + 1) % PEAK_SLOTS;
    this.peakInput[nextSlot] = 0;
    this.peakOutput[nextSlot] = 0;
    const maxIdle = this.host.idleTimeoutSeconds();
    const debug = this.host.debug;
    for (const client of [...this.host.clients]) {
      if (client.socket === null || client.closed) continue;
      const idleSeconds = unixSeconds - Math.floor(client.lastInteraction / 1000);
      if (maxIdle > 0 && idleSeconds > maxIdle && mayTimeOut(client)) {
        this.host.closeIdleClient(client);
        continue;
      }
      const bulk = client.requestProgress?.bulkInProgress ?? -1;
      client.queryBuffer.cron(idleSeconds, bulk);
      const pending = client.outputBacklogBytes;
      if (debug.replyBufferResizing) client.replyBuffer.cron(now, pending, debug.replyBufferPeakResetMs, this.host.stats);
      const input = client.queryBuffer.allocated;
      const output = client.replyBuffer.inList(pending).bytes;
      if (input > (this.peakInput[slot] ?? 0)) this.peakInput[slot] = input;
      if (output > (this.peakOutput[slot] ?? 0)) this.peakOutput[slot] = output;
    }
  }

  /** client_recent_max_input_buffer / client_recent_max_output_buffer. */
  recentMaxBuffers(): { input: number; output: number } {
    return { input: Math.max(...this.peakInput), output: Math.max(...this.peakOutput) };
  }
}

function mayTimeOut(client: Client): boolean {
  return !client.isReplica && !client.isMaster && !client.isMonitor && client.blocked === null && client.subscriptionCount === 0;
}
