/**
 * The framing parts of an RDB file: header and aux fields, database
 * sections, one key entry, and the EOF trailer (rdbSaveRio,
 * rdbSaveInfoAuxFields, rdbSaveKeyValuePair).
 */
import { expireMsInt64 } from '../util/integers';
import type { RedisValue } from '../keyspace/values';
import { ENGINE_REDIS_VERSION } from '../version';
import type { ByteWriter } from './byte-writer';
import { RawRdbValue } from './raw-rdb-value';
import { RDB_OPCODE_AUX, RDB_OPCODE_EOF, RDB_OPCODE_EXPIRETIME_MS, RDB_OPCODE_RESIZEDB, RDB_OPCODE_SELECTDB, RDB_VERSION_WRITTEN } from './constants';
import { writeLength, writeString } from './rdb-encoding';
import { rdbTypeOf, writeValue, type ValueWriteOptions } from './value-writer';

export interface ReplicationAuxFields {
  readonly replid: string;
  readonly offset: number;
  readonly streamDb: number;
}

/** "REDIS0010" and the aux fields in 7.0's order: redis-ver, redis-bits, ctime, used-mem, [repl-*], aof-base. */
export function writeHeader(out: ByteWriter, usedMemory: number, replication: ReplicationAuxFields | null): void {
  out.latin1(`REDIS${String(RDB_VERSION_WRITTEN).padStart(4, '0')}`);
  const aux = (key: string, value: string): void => {
    out.byte(RDB_OPCODE_AUX);
    writeString(out, key, false);
    writeString(out, value, false);
  };
  aux('redis-ver', ENGINE_REDIS_VERSION);
  aux('redis-bits', '64');
  aux('ctime', String(Math.floor(Date.now() / 1000)));
  aux('used-mem', String(usedMemory));
  if (replication) {
    aux('repl-stream-db', String(replication.streamDb));
    aux('repl-id', replication.replid);
    aux('repl-offset', String(replication.offset));
  }
  aux('aof-base', '0');
}

export function writeDatabaseHeader(out: ByteWriter, dbIndex: number, keys: number, expires: number): void {
  out.byte(RDB_OPCODE_SELECTDB);
  writeLength(out, dbIndex);
  out.byte(RDB_OPCODE_RESIZEDB);
  writeLength(out, keys);
  writeLength(out, expires);
}

/** [EXPIRETIME_MS <ms>] <type> <key> <value>; a loaded value still in its RDB encoding is copied through. */
export function writeKeyEntry(out: ByteWriter, key: string, value: RedisValue | RawRdbValue, expireMs: number | bigint | undefined, options: ValueWriteOptions): void {
  if (expireMs !== undefined) {
    out.byte(RDB_OPCODE_EXPIRETIME_MS);
    out.int64LE(typeof expireMs === 'bigint' ? expireMs : expireMsInt64(expireMs));
  }
  const raw = value instanceof RawRdbValue;
  out.byte(raw ? value.type : rdbTypeOf(value));
  writeString(out, key, options.compress);
  if (raw) out.bytes(value.bytes);
  else writeValue(out, value, options);
}

export function writeEof(out: ByteWriter): void {
  out.byte(RDB_OPCODE_EOF);
}
