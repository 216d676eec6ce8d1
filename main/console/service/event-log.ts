/**
 * The persisted timeline: every event of every session appended as one JSON
 * line to `<dataDir>/events.jsonl`, the last MAX_EVENTS read back at start
 * (unreadable lines are skipped and counted), filtered for events.list. The
 * file is rewritten with only the retained events when it grows past twice
 * that, so it stays bounded.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ReplicationEvent, type EventFilter } from '../../../shared/contract/events';
import type { ConsoleLogger } from '../service-types';

const MAX_EVENTS = 5000;

export class EventLog {
  private events: ReplicationEvent[] = [];
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
        if (parsed.success) this.put(parsed.data);
        else skipped++;
      } catch {
        skipped++;
      }
    }
    if (skipped > 0) logger.warn(`events.jsonl: ${skipped} unreadable line(s) skipped`);
    this.events = this.events.slice(-MAX_EVENTS);
  }

  /** Appends an event; one with the id of an event already kept is that line updated and takes its place (in the file, its later line wins at read-back). */
  append(event: ReplicationEvent): void {
    this.put(event);
    if (this.events.length > MAX_EVENTS) this.events.shift();
    try {
      appendFileSync(this.file, `${JSON.stringify(event)}\n`);
      if (++this.appendedSinceCompaction > MAX_EVENTS) this.compact();
    } catch (failure) {
      this.logger.warn(`could not persist an event: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }

  private put(event: ReplicationEvent): void {
    const index = this.events.findLastIndex((kept) => kept.id === event.id);
    if (index >= 0) this.events[index] = event;
    else this.events.push(event);
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
