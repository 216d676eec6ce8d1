/**
 * Server-wide counters reported by INFO stats / errorstats and reset by
 * CONFIG RESETSTAT.
 */
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
  totalErrorReplies = 0;
  /** Error prefix ("ERR", "WRONGTYPE", ...) -> count (INFO errorstats). */
  readonly errorCounts = new Map<string, number>();

  countError(message: string): void {
    this.totalErrorReplies++;
    const space = message.indexOf(' ');
    const prefix = space < 0 ? message : message.slice(0, space);
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
    this.errorCounts.clear();
  }
}
