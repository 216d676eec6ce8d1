/**
 * Server-wide counters reported by INFO stats / errorstats and reset by
 * CONFIG RESETSTAT.
 */
/** Samples kept per instantaneous metric (STATS_METRIC_SAMPLES). */
const METRIC_SAMPLES = 16;

type MetricName = 'commands' | 'netInput' | 'netOutput' | 'netReplInput' | 'netReplOutput';

export class ServerStats {
  readonly startTime = Date.now();
  commandsProcessed = 0;
  connectionsReceived = 0;
  rejectedConnections = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  netReplInputBytes = 0;
  netReplOutputBytes = 0;
  syncFull = 0;
  syncPartialOk = 0;
  syncPartialErr = 0;
  evictedKeys = 0;
  /** Clients closed for going over their output-buffer limit (logged; 7.0 has no INFO field for it). */
  outputBufferDisconnections = 0;
  totalErrorReplies = 0;
  /** Error replies to our master's client or to a replica's connection (error-replies.ts). */
  unexpectedErrorReplies = 0;
  readsProcessed = 0;
  writesProcessed = 0;
  /** Reply buffers the clients cron shrank / grew (reply-buffer.ts). */
  replyBufferShrinks = 0;
  replyBufferExpands = 0;
  /** Clients closed by maxmemory-clients (client-eviction.ts). */
  evictedClients = 0;
  private readonly samples = new Map<MetricName, { last: number; lastTime: number; values: number[] }>();
  /** Error prefix ("ERR", "WRONGTYPE", ...) -> count (INFO errorstats). */
  readonly errorCounts = new Map<string, number>();

  /**
   * trackInstantaneousMetric: called from the cron; per-second rates over the
   * last samples, as INFO's instantaneous_* fields report them.
   */
  sampleMetrics(now: number): void {
    const current: Record<MetricName, number> = {
      commands: this.commandsProcessed,
      netInput: this.netInputBytes,
      netOutput: this.netOutputBytes,
      netReplInput: this.netReplInputBytes,
      netReplOutput: this.netReplOutputBytes,
    };
    for (const name of Object.keys(current) as MetricName[]) {
      const entry = this.samples.get(name);
      if (!entry) {
        this.samples.set(name, { last: current[name], lastTime: now, values: [] });
        continue;
      }
      const elapsed = now - entry.lastTime;
      if (elapsed <= 0) continue;
      entry.values.push(((current[name] - entry.last) * 1000) / elapsed);
      if (entry.values.length > METRIC_SAMPLES) entry.values.shift();
      entry.last = current[name];
      entry.lastTime = now;
    }
  }

  instantaneous(name: MetricName): number {
    const values = this.samples.get(name)?.values ?? [];
    if (values.length === 0) return 0;
    return Math.round(values.reduce((sum, v) => sum + v, 0) / values.length);
  }

  /**
   * afterErrorReply: the code is what comes before the first space of the
   * reply line ("-" + message) within its first 32 bytes; no space there
   * counts as ERR.
   */
  countError(message: string): void {
    this.totalErrorReplies++;
    const space = message.indexOf(' ');
    const prefix = space >= 0 && space < 31 ? message.slice(0, space) : 'ERR';
    this.errorCounts.set(prefix, (this.errorCounts.get(prefix) ?? 0) + 1);
  }

  reset(): void {
    this.commandsProcessed = 0;
    this.connectionsReceived = 0;
    this.rejectedConnections = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.netReplInputBytes = 0;
    this.netReplOutputBytes = 0;
    this.syncFull = 0;
    this.syncPartialOk = 0;
    this.syncPartialErr = 0;
    this.evictedKeys = 0;
    this.totalErrorReplies = 0;
    this.unexpectedErrorReplies = 0;
    this.replyBufferShrinks = 0;
    this.replyBufferExpands = 0;
    this.evictedClients = 0;
    this.errorCounts.clear();
  }
}
