/**
 * Encodes a Reply into RESP2 or RESP3 bytes (see reply.ts for the mapping
 * between kinds and the two protocols). Small constant headers are cached,
 * like Redis's shared objects (OBJ_SHARED_BULKHDR_LEN).
 */
import { formatDouble17g } from './format-double';
import type { OutputBuffer } from './output-buffer';
import type {
  ArrayReply, AttributeReply, BigNumberReply, BoolReply, BulkArrayReply, BulkReply, DoubleReply, ErrorReply, IntegerReply,
  MapReply, PushReply, RawReply, Reply, SetReply, SimpleReply, StreamIdReply, VerbatimReply,
} from './reply';

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
  encodeReplyOfKind(out, reply, reply.kind, protocol);
}

/**
 * encodeReply with `kind`, which must be `reply.kind`, read already. Reply
 * objects come in a dozen shapes, so every site reading `kind` is a
 * megamorphic load (a stub-cache probe): the request path reads it once,
 * where the handler's result is told from a block request
 * (Dispatcher.call), and passes it down to the client and here.
 */
export function encodeReplyOfKind(out: OutputBuffer, reply: Reply, kind: Reply['kind'], protocol: Protocol): void {
  // `reply` is the member of the union `kind` names (the casts below restate the switch).
  switch (kind) {
    case 'simple':
      out.writeLine(0x2b /* '+' */, (reply as SimpleReply).value);
      return;
    case 'error': {
      // An error is one line whatever a command put in it (an argument echoed
      // back): CR and LF become spaces, as addReplyErrorFormat makes them.
      const { message } = reply as ErrorReply;
      out.writeLine(0x2d /* '-' */, LINE_BREAK.test(message) ? message.replace(LINE_BREAKS, ' ') : message);
      return;
    }
    case 'integer': {
      const { value } = reply as IntegerReply;
      if (typeof value === 'number') out.writeNumberLine(0x3a /* ':' */, value);
      else out.writeLatin1(`:${value}\r\n`);
      return;
    }
    case 'bulk':
      out.writeBulk((reply as BulkReply).value);
      return;
    case 'bulkArray': {
      out.writeBulkArray((reply as BulkArrayReply).values, protocol === 3 ? '_\r\n' : '$-1\r\n');
      return;
    }
    case 'null':
      out.writeLatin1(protocol === 3 ? '_\r\n' : '$-1\r\n');
      return;
    case 'nullArray':
      out.writeLatin1(protocol === 3 ? '_\r\n' : '*-1\r\n');
      return;
    case 'array': {
      const { items } = reply as ArrayReply;
      out.writeLatin1(arrayHeader(items.length));
      for (const item of items) encodeReply(out, item, protocol);
      return;
    }
    case 'map': {
      const { items } = reply as MapReply;
      out.writeLatin1(protocol === 3 ? `%${items.length / 2}\r\n` : arrayHeader(items.length));
      for (const item of items) encodeReply(out, item, protocol);
      return;
    }
    case 'set': {
      const { items } = reply as SetReply;
      out.writeLatin1(protocol === 3 ? `~${items.length}\r\n` : arrayHeader(items.length));
      for (const item of items) encodeReply(out, item, protocol);
      return;
    }
    case 'push': {
      const { items } = reply as PushReply;
      out.writeLatin1(protocol === 3 ? `>${items.length}\r\n` : arrayHeader(items.length));
      for (const item of items) encodeReply(out, item, protocol);
      return;
    }
    case 'double': {
      const { text: exact, value } = reply as DoubleReply;
      const text = exact ?? formatDouble17g(value);
      if (protocol === 3) out.writeLatin1(`,${text}\r\n`);
      else out.writeBulk(text);
      return;
    }
    case 'bool': {
      const { value } = reply as BoolReply;
      if (protocol === 3) out.writeLatin1(value ? '#t\r\n' : '#f\r\n');
      else out.writeLatin1(value ? ':1\r\n' : ':0\r\n');
      return;
    }
    case 'verbatim': {
      const verbatimReply = reply as VerbatimReply;
      if (protocol === 3) {
        out.writeLatin1(`=${verbatimReply.value.length + 4}\r\n${verbatimReply.format}:`);
        out.writeLatin1(verbatimReply.value);
        out.writeLatin1('\r\n');
      } else {
        out.writeBulk(verbatimReply.value);
      }
      return;
    }
    case 'bigNumber': {
      const { value } = reply as BigNumberReply;
      if (protocol === 3) out.writeLatin1(`(${value}\r\n`);
      else out.writeBulk(value);
      return;
    }
    case 'attribute': {
      const attributes = reply as AttributeReply;
      if (protocol === 3) {
        out.writeLatin1(`|${attributes.items.length / 2}\r\n`);
        for (const item of attributes.items) encodeReply(out, item, protocol);
      }
      encodeReply(out, attributes.reply, protocol);
      return;
    }
    case 'raw':
      out.writeBytes((reply as RawReply).bytes);
      return;
    case 'streamId': {
      const { ms, seq } = reply as StreamIdReply;
      out.writeStreamIdBulk(ms, seq);
      return;
    }
    case 'none':
      return;
  }
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
