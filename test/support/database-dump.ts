/** Reads our in-memory databases as the same comparable structure dumpDataset() returns. */
import type { Database } from '../../main/engine/keyspace/database';
import type { ZSetValue } from '../../main/engine/keyspace/values';
import { HashValue, ListValue, SetValue, StreamValue } from '../../main/engine/keyspace/values';
import { formatId } from '../../main/engine/keyspace/values/stream-id';
import { sortedGroups, INVALID_ENTRIES_READ } from '../../main/engine/keyspace/values/stream-group';
import { formatDouble17g } from '../../main/engine/resp/format-double';
import type { DumpedKey, DumpedStream, DumpedValue } from './dataset';

function dumpStream(stream: StreamValue): DumpedStream {
  const entries: Array<[string, string[]]> = [];
  const iterator = stream.iterate(null, null);
  while (iterator.next()) entries.push([formatId(iterator.entry.id), iterator.fields()]);
  return {
    entries,
    nodes: stream.nodes.size,
    lastId: formatId(stream.lastId),
    firstId: formatId(stream.firstId),
    maxDeletedId: formatId(stream.maxDeletedId),
    entriesAdded: String(stream.entriesAdded),
    groups: sortedGroups(stream.groups).map(([name, group]) => ({
      name,
      lastId: formatId(group.lastId),
      entriesRead: group.entriesRead === INVALID_ENTRIES_READ ? null : String(group.entriesRead),
      pending: [...group.pel.entries()].map(({ key, value }) => [formatId(key), value.consumer!.name, String(value.deliveryTime), String(value.deliveryCount)]),
      consumers: group.sortedConsumers().map((consumer) => ({ name: consumer.name, seenTime: String(consumer.seenTime), pending: [...consumer.pel.keys()].map(formatId) })),
    })),
  };
}

export function dumpDatabases(dbs: ReadonlyArray<Database>): DumpedKey[] {
  const out: DumpedKey[] = [];
  for (const db of dbs) {
    for (const key of [...db.dict.keys()].sort()) {
      const value = db.dict.get(key)!;
      let dumped: DumpedValue;
      if (typeof value === 'string') dumped = { type: 'string', value };
      else if (value instanceof ListValue) dumped = { type: 'list', value: value.toArray() };
      else if (value instanceof HashValue) dumped = { type: 'hash', value: [...value.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
      else if (value instanceof SetValue) dumped = { type: 'set', value: [...value.items].sort() };
      else if (value instanceof StreamValue) dumped = { type: 'stream', value: dumpStream(value) };
      else {
        const zset = value as ZSetValue;
        dumped = { type: 'zset', value: [...zset.entries()].map(([m, s]) => [m, formatDouble17g(s)] as [string, string]) };
      }
      out.push({ db: db.id, key, value: dumped, expires: db.expires.has(key) });
    }
  }
  return out;
}
