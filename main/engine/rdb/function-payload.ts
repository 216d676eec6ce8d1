/**
 * Function libraries in RDB form (rdb.c rdbSaveFunctions / rdbFunctionLoad,
 * functions.c FUNCTION DUMP / RESTORE):
 *
 *   RDB file:       ... aux fields, then per library:
 *                   [0xF5 RDB_OPCODE_FUNCTION2][RDB string: library code] ...
 *   FUNCTION DUMP:  [0xF5][code] ... [RDB version: 2 bytes LE][CRC64: 8 bytes LE]
 *
 * The pre-GA form (0xF6, written by 7.0 release candidates) carries name,
 * engine, an optional description and the code; it is read by rebuilding
 * the "#!<engine> name=<name>\n<code>" payload Redis 7.0 rebuilds.
 */
import { ByteQueue } from './byte-queue';
import { ByteWriter } from './byte-writer';
import { RDB_OPCODE_FUNCTION2, RDB_OPCODE_FUNCTION_PRE_GA, RDB_VERSION_WRITTEN } from './constants';
import { Crc64 } from './crc64';
import { RdbFormatError } from './format-error';
import { writeString } from './rdb-encoding';
import { RdbReader } from './rdb-reader';

const FOOTER = 10;

/** Appends one FUNCTION2 entry per library code. */
export function writeFunctionEntries(out: ByteWriter, codes: Iterable<string>, compress: boolean): void {
  for (const code of codes) {
    out.byte(RDB_OPCODE_FUNCTION2);
    writeString(out, code, compress);
  }
}

/** FUNCTION DUMP's payload. */
export function createFunctionsPayload(codes: Iterable<string>, compress: boolean): Buffer {
  const out = new ByteWriter(1024);
  writeFunctionEntries(out, codes, compress);
  out.byte(RDB_VERSION_WRITTEN & 0xff);
  out.byte(RDB_VERSION_WRITTEN >> 8);
  const body = out.drain();
  const trailer = Buffer.alloc(8);
  trailer.writeBigUInt64LE(new Crc64().update(body).value());
  return Buffer.concat([body, trailer]);
}

/** The library payload of a pre-GA (0xF6) entry, read after its opcode. */
export function readPreGaFunction(reader: RdbReader): string {
  const name = reader.string();
  const engine = reader.string();
  if (reader.length() !== 0) reader.string();
  const code = reader.string();
  return `#!${engine} name=${name}\n${code}`;
}

/**
 * The library codes of a FUNCTION RESTORE payload, or Redis's error text:
 * a wrong version or checksum, an entry that is not a function, or a
 * truncated entry.
 */
export function readFunctionsPayload(payload: Buffer): { codes: string[] } | { error: string } {
  if (payload.length < FOOTER) return { error: 'DUMP payload version or checksum are wrong' };
  const version = payload.readUInt16LE(payload.length - FOOTER);
  const stored = payload.readBigUInt64LE(payload.length - 8);
  if (version > RDB_VERSION_WRITTEN || new Crc64().update(payload.subarray(0, payload.length - 8)).value() !== stored) {
    return { error: 'DUMP payload version or checksum are wrong' };
  }
  const queue = new ByteQueue();
  const body = payload.subarray(0, payload.length - FOOTER);
  queue.push(body);
  const reader = new RdbReader(queue);
  const codes: string[] = [];
  try {
    while (queue.position < body.length) {
      const type = reader.byte();
      if (type === RDB_OPCODE_FUNCTION2) codes.push(reader.string());
      else if (type === RDB_OPCODE_FUNCTION_PRE_GA) codes.push(readPreGaFunction(reader));
      else return { error: 'given type is not a function' };
    }
  } catch (failure) {
    if (failure instanceof RdbFormatError) return { error: 'failed loading the given functions payload' };
    return { error: 'can not read data type' };
  }
  return { codes };
}
