/**
 * Redis 7.0's consumer-group lag bookkeeping (t_stream.c
 * streamRangeHasTombstones, streamEstimateDistanceFromFirstEverEntry,
 * streamReplyWithCGLag, and the entries_read update on delivery).
 *
 * entries_added counts every entry ever added to the stream. A group's
 * entries_read is the logical position of its last-delivered ID in that
 * count, when it can be known; lag = entries_added - entries_read. Deleted
 * entries (tombstones) between the group's position and the end make the
 * count unknowable, and then the lag is null; the counter is re-derived
 * where an ID's position is known exactly (the last entry, the first entry
 * of a stream without tombstones, anything before it).
 */
import { compareIds, increment, isZeroId, MIN_ID, subtract, type Counter, type StreamId } from './stream-id';
import { INVALID_ENTRIES_READ, type StreamGroup } from './stream-group';
import type { StreamValue } from './stream-value';

/**
 * streamRangeHasTombstones: might [start, end] (null: unbounded) hold a
 * deleted entry? Only the maximum deleted ID is known, so this answers
 * whether it falls inside the range (and after the first live entry).
 */
export function rangeHasTombstones(stream: StreamValue, start: StreamId | null, end: StreamId | null): boolean {
  if (stream.length === 0 || isZeroId(stream.maxDeletedId)) return false;
  if (compareIds(stream.firstId, stream.maxDeletedId) > 0) return false;
  const from = start ?? MIN_ID;
  if (compareIds(from, stream.maxDeletedId) > 0) return false;
  return end === null || compareIds(stream.maxDeletedId, end) <= 0;
}

/**
 * streamEstimateDistanceFromFirstEverEntry: the logical read counter of
 * `id`, or INVALID_ENTRIES_READ (-1) when it cannot be known.
 */
export function estimateDistance(stream: StreamValue, id: StreamId): Counter {
  if (stream.entriesAdded === 0) return 0;
  const versusLast = compareIds(id, stream.lastId);
  if (stream.length === 0 && versusLast < 1) return stream.entriesAdded;
  if (versusLast === 0) return stream.entriesAdded;
  if (versusLast > 0) return INVALID_ENTRIES_READ;
  const versusFirst = compareIds(id, stream.firstId);
  const noFragmentation = isZeroId(stream.maxDeletedId) || compareIds(stream.maxDeletedId, stream.firstId) < 0;
  if (noFragmentation) {
    if (versusFirst < 0) return subtract(stream.entriesAdded, stream.length);
    if (versusFirst === 0) return increment(subtract(stream.entriesAdded, stream.length));
  }
  return INVALID_ENTRIES_READ;
}

/** streamReplyWithCGLag's value: the group's lag, or null when unknown. */
export function groupLag(stream: StreamValue, group: StreamGroup): Counter | null {
  if (stream.entriesAdded === 0) return 0;
  if (group.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(stream, group.lastId, null)) {
    return subtract(stream.entriesAdded, group.entriesRead);
  }
  const entriesRead = estimateDistance(stream, group.lastId);
  return entriesRead === INVALID_ENTRIES_READ ? null : subtract(stream.entriesAdded, entriesRead);
}

/**
 * A group delivered `id` (above its last-delivered ID): advance the read
 * counter when it is valid and nothing deleted lies ahead, else re-derive it.
 */
export function advanceGroup(stream: StreamValue, group: StreamGroup, id: StreamId): void {
  if (group.entriesRead !== INVALID_ENTRIES_READ && !rangeHasTombstones(stream, id, null)) {
    group.entriesRead = increment(group.entriesRead);
  } else if (stream.entriesAdded !== 0) {
    group.entriesRead = estimateDistance(stream, id);
  }
  group.lastId = id;
}
