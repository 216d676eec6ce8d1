/**
 * DUMP / RESTORE payloads (cluster.c createDumpPayload, verifyDumpPayload):
 *
 *   [RDB type byte][value in RDB encoding][RDB version: 2 bytes LE][CRC64 of all before: 8 bytes LE]
 *
 * We write version 10 (Redis 7.0). A payload is accepted when its version is
 * at most 10 (what 7.0 accepts) and its CRC64 matches; then the value is read
 * with the streaming RDB loader, by framing it as a one-key RDB file
 * (magic, SELECTDB 0, the type byte, key "k", the value, EOF, no checksum),
 * so every encoding the loader knows RESTOREs, with the same validation.
 */
import type { RedisValue } from '../keyspace/values';
import { ByteWriter } from './byte-writer';
import { Crc64 } from './crc64';
import { RdbFormatError } from './format-error';
import { writeString } from './rdb-encoding';
import { RdbLoader } from './rdb-loader';
import type { EncodingLimits } from './value-builders';
import { rdbTypeOf, writeValue, type ValueWriteOptions } from './value-writer';

const DUMP_VERSION = 10;
const FOOTER = 10;

export function createDumpPayload(value: RedisValue, options: ValueWriteOptions): Buffer {
  const out = new ByteWriter(1024);
  out.byte(rdbTypeOf(value));
  writeValue(out, value, options);
  out.byte(DUMP_VERSION & 0xff);
  out.byte(DUMP_VERSION >> 8);
  const body = out.drain();
  const crc = new Crc64().update(body).value();
  const trailer = Buffer.alloc(8);
  trailer.writeBigUInt64LE(crc);
  return Buffer.concat([body, trailer]);
}

/** verifyDumpPayload: false when the version is newer than ours or the CRC64 does not match. */
export function verifyDumpPayload(payload: Buffer): boolean {
  if (payload.length < FOOTER + 1) return false;
  const version = payload.readUInt16LE(payload.length - FOOTER);
  if (version > DUMP_VERSION) return false;
  const stored = payload.readBigUInt64LE(payload.length - 8);
  return new Crc64().update(payload.subarray(0, payload.length - 8)).value() === stored;
}

/**
 * The value of a verified payload, in the encoding the server's current
 * thresholds give it (rdbLoadObject converts as it loads: a 4-field hash
 * is a hashtable under hash-max-listpack-entries 3, whatever the payload
 * held); throws RdbFormatError when the value itself is malformed.
 */
export function readDumpPayload(payload: Buffer, limits: { databases: number; encoding: EncodingLimits }): RedisValue {
  const head = new ByteWriter(64);
  head.bytes(Buffer.from(`REDIS${String(DUMP_VERSION).padStart(4, '0')}`));
  head.byte(0xfe);
  head.byte(0);
  head.byte(payload[0]!);
  writeString(head, 'k', false);
  const file = Buffer.concat([head.drain(), payload.subarray(1, payload.length - FOOTER), Buffer.from([0xff]), Buffer.alloc(8)]);
  const loader = new RdbLoader({ databases: limits.databases, keepExpired: true, keepEncoded: false, limits: limits.encoding });
  const used = loader.feed(file);
  const loaded = loader.finish();
  if (used !== file.length) throw new RdbFormatError('trailing bytes after the value', used);
  const value = loaded.dbs[0]?.dict.get('k');
  if (value === undefined) throw new RdbFormatError('the payload holds no value of a supported type', 0);
  return value;
}
