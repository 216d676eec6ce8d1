/**
 * Encodes a Reply into RESP2 or RESP3 bytes (see reply.ts for the mapping
 * between kinds and the two protocols). Small constant headers are cached,
 * like Redis's shared objects (OBJ_SHARED_BULKHDR_LEN).
 */
import { formatDouble17g } from './format-double';
import type { OutputBuffer } from './output-buffer';
import type { Reply } from './reply';

export type Protocol = 2 | 3;

const LINE_BREAK = /[\r\n]/;
const LINE_BREAKS = /[\r\n]/g;

const HEADER_CACHE = 32;
const bulkHeaders = Array.from({ length: HEADER_CACHE }, (_, n) => `$${n}\r\n`);
const arrayHeaders = Array.from({ length: HEADER_CACHE }, (_, n) => `*${n}\r\n`);

function bulkHeader(length: number): string {
  return length < HEADER_CACHE ? bulkHeaders[length]! : `$${length}\r\n`;
}

function arrayHeader(length: number): string {
  return length < HEADER_CACHE ? arrayHeaders[length]! : `*${length}\r\n`;
}

export function encodeReply(out: OutputBuffer, reply: Reply, protocol: Protocol): void {
  switch (reply.kind) {
    case 'simple':
      out.writeLine(0x2b /* '+' */, reply.value);
      return;
    case 'error':
      // An error is one line whatever a command put in it (an argument echoed
      // back): CR and LF become spaces, as addReplyErrorFormat makes them.
      out.writeLine(0x2d /* '-' */, LINE_BREAK.test(reply.message) ? reply.message.replace(LINE_BREAKS, ' ') : reply.message);
      return;
    case 'integer':
      if (typeof reply.value === 'number') out.writeNumberLine(0x3a /* ':' */, reply.value);
      else out.writeLatin1(`:${reply.value}\r\n`);
      return;
    case 'bulk':
      writeBulk(out, reply.value);
      return;
    case 'bulkArray': {
      out.writeLatin1(arrayHeader(reply.values.length));
      const nullBulk = protocol === 3 ? '_\r\n' : '$-1\r\n';
      for (const value of reply.values) {
        if (value === null) out.writeLatin1(nullBulk);
        else writeBulk(out, value);
      }
      return;
    }
    case 'null':
      out.writeLatin1(protocol === 3 ? '_\r\n' : '$-1\r\n');
      return;
    case 'nullArray':
      out.writeLatin1(protocol === 3 ? '_\r\n' : '*-1\r\n');
      return;
    case 'array':
      out.writeLatin1(arrayHeader(reply.items.length));
      for (const item of reply.items) encodeReply(out, item, protocol);
      return;
    case 'map':
      out.writeLatin1(protocol === 3 ? `%${reply.items.length / 2}\r\n` : arrayHeader(reply.items.length));
      for (const item of reply.items) encodeReply(out, item, protocol);
      return;
    case 'set':
      out.writeLatin1(protocol === 3 ? `~${reply.items.length}\r\n` : arrayHeader(reply.items.length));
      for (const item of reply.items) encodeReply(out, item, protocol);
      return;
    case 'push':
      out.writeLatin1(protocol === 3 ? `>${reply.items.length}\r\n` : arrayHeader(reply.items.length));
      for (const item of reply.items) encodeReply(out, item, protocol);
      return;
    case 'double': {
      const text = reply.text ?? formatDouble17g(reply.value);
      if (protocol === 3) out.writeLatin1(`,${text}\r\n`);
      else writeBulk(out, text);
      return;
    }
    case 'bool':
      if (protocol === 3) out.writeLatin1(reply.value ? '#t\r\n' : '#f\r\n');
      else out.writeLatin1(reply.value ? ':1\r\n' : ':0\r\n');
      return;
    case 'verbatim':
      if (protocol === 3) {
        out.writeLatin1(`=${reply.value.length + 4}\r\n${reply.format}:`);
        out.writeLatin1(reply.value);
        out.writeLatin1('\r\n');
      } else {
        writeBulk(out, reply.value);
      }
      return;
    case 'bigNumber':
      if (protocol === 3) out.writeLatin1(`(${reply.value}\r\n`);
      else writeBulk(out, reply.value);
      return;
    case 'attribute':
      if (protocol === 3) {
        out.writeLatin1(`|${reply.items.length / 2}\r\n`);
        for (const item of reply.items) encodeReply(out, item, protocol);
      }
      encodeReply(out, reply.reply, protocol);
      return;
    case 'raw':
      out.writeBytes(reply.bytes);
      return;
    case 'streamId':
      out.writeStreamIdBulk(reply.ms, reply.seq);
      return;
    case 'none':
      return;
  }
}

function writeBulk(out: OutputBuffer, value: string): void {
  if (value.length < HEADER_CACHE) out.writeLatin1(bulkHeaders[value.length]!);
  else out.writeNumberLine(0x24 /* '$' */, value.length);
  out.writeLatin1(value);
  out.writeLatin1('\r\n');
}

/** Encodes a command the way a master propagates it: an array of bulk strings. */
export function encodeCommand(argv: ReadonlyArray<string>): Buffer {
  let size = 0;
  const header = arrayHeader(argv.length);
  size += header.length;
  for (const arg of argv) size += bulkHeader(arg.length).length + arg.length + 2;
  const bytes = Buffer.allocUnsafe(size);
  let pos = bytes.write(header, 0, 'latin1');
  for (const arg of argv) {
    pos += bytes.write(bulkHeader(arg.length), pos, 'latin1');
    pos += bytes.write(arg, pos, 'latin1');
    bytes[pos++] = 13;
    bytes[pos++] = 10;
  }
  return bytes;
}
