/**
 * The persisted timeline: every event of every session appended as one JSON
 * line to `<dataDir>/events.jsonl`, the last MAX_EVENTS read back at start
 * (unreadable lines are skipped and counted), filtered for events.list.
 * Read-back replays the lines as append kept them, evictions included, so the
 * timeline after a restart is the one shown before it. The
 * file is rewritten with only the retained events when it grows past twice
 * that, so it stays bounded.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ReplicationEvent, type EventFilter } from '../../../shared/contract/events';
import type { ConsoleLogger } from '../service-types';

const MAX_EVENTS = 5000;
/** Earlier versions kept per event recorded again under its id (a Sentinel SLAVEOF re-sent every second: some 8 minutes). */
const MAX_VERSIONS_PER_EVENT = 500;

export class EventLog {
  /** Oldest first; each id at most once (an event recorded again under its id takes its line's place). */
  private readonly events: ReplicationEvent[] = [];
  /** Where each kept event is: its position counted from the first event ever kept (events[0] is at `evicted`). */
  private readonly positions = new Map<string, number>();
  /** How many events were dropped off the front: the position of events[0]. */
  private evicted = 0;
  /**
   * The earlier versions of each kept event recorded again under its id (a
   * repeat line's count and last time at each repeat), oldest first, at most
   * MAX_VERSIONS_PER_EVENT: the line as it stood at a time (asOf). In memory
   * only; read-back rebuilds them from the file's lines of the id.
   */
  private readonly versions = new Map<string, ReplicationEvent[]>();
  private appendedSinceCompaction = 0;
  private readonly file: string;

  constructor(dataDir: string, private readonly logger: ConsoleLogger) {
    mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'events.jsonl');
    if (!existsSync(this.file)) return;
    let skipped = 0;
    for (const line of readFileSync(this.file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      try {
        const parsed = ReplicationEvent.safeParse(JSON.parse(line));
        if (!parsed.success) {
          skipped++;
          continue;
        }
        // As append did: an id recorded again after its first line was evicted is a new line, last, not its first
        // line's place (which read-back would otherwise have kept it at, out of the order the timeline showed).
        this.put(parsed.data);
        if (this.events.length > MAX_EVENTS) this.evictOldest();
      } catch {
        skipped++;
      }
    }
    if (skipped > 0) logger.warn(`events.jsonl: ${skipped} unreadable line(s) skipped`);
  }

  /** Appends an event; one with the id of an event already kept is that line updated and takes its place (in the file, its later line wins at read-back). */
  append(event: ReplicationEvent): void {
    this.put(event);
    if (this.events.length > MAX_EVENTS) this.evictOldest();
    try {
      appendFileSync(this.file, `${JSON.stringify(event)}\n`);
      if (++this.appendedSinceCompaction > MAX_EVENTS) this.compact();
    } catch (failure) {
      this.logger.warn(`could not persist an event: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  /** An event with a kept id replaces it in place; any other is added last. O(1): a lookup, not a search of the kept events. */
  private put(event: ReplicationEvent): void {
    const position = this.positions.get(event.id);
    if (position !== undefined) {
      const earlier = this.versions.get(event.id) ?? [];
      earlier.push(this.events[position - this.evicted]!);
      if (earlier.length > MAX_VERSIONS_PER_EVENT) earlier.shift();
      this.versions.set(event.id, earlier);
      this.events[position - this.evicted] = event;
      return;
    }
    this.positions.set(event.id, this.evicted + this.events.length);
    this.events.push(event);
  }

  private evictOldest(): void {
    const oldest = this.events.shift();
    if (oldest === undefined) return;
    this.positions.delete(oldest.id);
    this.versions.delete(oldest.id);
    this.evicted += 1;
  }

  /**
   * `event` (as list gives it) as it stood at `time`: its latest version
   * whose last time (`lastTime`: a repeat line's last notice) is at or before
   * `time`. An incident bundle of a range that ends while a line goes on
   * repeating holds its count and last time within the range, not as of the
   * export. The event itself when it is no later; when no version that early
   * is kept (older ones dropped past MAX_VERSIONS_PER_EVENT), the oldest kept,
   * the nearest to `time`; the event itself when none is kept (lost with a
   * compaction before a restart).
   */
  asOf(event: ReplicationEvent, time: number, lastTime: (event: ReplicationEvent) => number): ReplicationEvent {
    if (lastTime(event) <= time) return event;
    const earlier = this.versions.get(event.id) ?? [];
    for (let index = earlier.length - 1; index >= 0; index--) if (lastTime(earlier[index]!) <= time) return earlier[index]!;
    return earlier[0] ?? event;
  }

  list(filter: EventFilter): ReplicationEvent[] {
    const matching = this.events.filter((event) =>
      (!filter.sessionId || event.sessionId === filter.sessionId)
      && (!filter.kinds || filter.kinds.includes(event.kind))
      && (!filter.nodeId || event.nodeId === filter.nodeId || event.peerId === filter.nodeId)
      && (filter.sinceMs === undefined || event.time >= filter.sinceMs));
    return matching.slice(-(filter.limit ?? 1000));
  }

  private compact(): void {
    const temp = `${this.file}.tmp-${process.pid}`;
    writeFileSync(temp, this.events.map((event) => JSON.stringify(event)).join('\n') + '\n');
    renameSync(temp, this.file);
    this.appendedSinceCompaction = 0;
  }
}
