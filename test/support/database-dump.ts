/** Reads our in-memory databases as the same comparable structure dumpDataset() returns. */
import type { Database } from '../../main/engine/keyspace/database';
import type { ZSetValue } from '../../main/engine/keyspace/values';
import { HashValue, ListValue, SetValue } from '../../main/engine/keyspace/values';
import { formatDouble17g } from '../../main/engine/resp/format-double';
import type { DumpedKey, DumpedValue } from './dataset';

export function dumpDatabases(dbs: ReadonlyArray<Database>): DumpedKey[] {
  const out: DumpedKey[] = [];
  for (const db of dbs) {
    for (const key of [...db.dict.keys()].sort()) {
      const value = db.dict.get(key)!;
      let dumped: DumpedValue;
      if (typeof value === 'string') dumped = { type: 'string', value };
      else if (value instanceof ListValue) dumped = { type: 'list', value: value.toArray() };
      else if (value instanceof HashValue) dumped = { type: 'hash', value: [...value.fields.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)) };
      else if (value instanceof SetValue) dumped = { type: 'set', value: [...value.items].sort() };
      else {
        const zset = value as ZSetValue;
        dumped = { type: 'zset', value: [...zset.entries()].map(([m, s]) => [m, formatDouble17g(s)] as [string, string]) };
      }
      out.push({ db: db.id, key, value: dumped, expires: db.expires.has(key) });
    }
  }
  return out;
}
