/**
 * The ACL log (acl.c addACLLogEntry / ACL LOG): denied commands, keys,
 * channels and failed authentications, newest first, at most
 * acllog-max-len entries. An event like one of the 10 newest entries (same
 * reason, context, object and user, within 60 s of it) bumps that entry's
 * count, refreshes its time and client info, and moves it to the front,
 * instead of adding a new one.
 */
export type AclLogReason = 'command' | 'key' | 'channel' | 'auth';
export type AclLogContext = 'toplevel' | 'multi' | 'lua' | 'module';

export interface AclLogEntry {
  count: number;
  readonly reason: AclLogReason;
  readonly context: AclLogContext;
  /** The command's full name, the key or channel, or for auth the command typed (AUTH, HELLO). */
  readonly object: string;
  readonly username: string;
  /** Time of the last occurrence, unix ms. */
  time: number;
  /** CLIENT LIST line of the client of the last occurrence. */
  clientInfo: string;
}

const GROUPING_WINDOW_MS = 60_000;
const GROUPING_SCAN = 10;

export class AclLog {
  entries: AclLogEntry[] = [];

  constructor(private readonly maxLength: () => number) {}

  add(entry: Omit<AclLogEntry, 'count'>): void {
    const scanned = Math.min(GROUPING_SCAN, this.entries.length);
    for (let index = 0; index < scanned; index++) {
      const current = this.entries[index]!;
      if (
        current.reason === entry.reason &&
        current.context === entry.context &&
        Math.abs(current.time - entry.time) <= GROUPING_WINDOW_MS &&
        current.object === entry.object &&
        current.username === entry.username
      ) {
        this.entries.splice(index, 1);
        this.entries.unshift(current);
        current.count++;
        current.time = entry.time;
        current.clientInfo = entry.clientInfo;
        return;
      }
    }
    this.entries.unshift({ count: 1, ...entry });
    const max = this.maxLength();
    if (this.entries.length > max) this.entries.length = max;
  }

  reset(): void {
    this.entries = [];
  }
}
