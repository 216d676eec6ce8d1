/**
 * A small RESP2/RESP3 reply parser for tests. It re-parses from the start of
 * its buffer on each attempt (simple, and fine for test traffic) and reports
 * the exact byte span of each reply, so differential tests can compare raw
 * bytes while assertions use decoded values.
 *
 * Decoding: simple strings -> string; errors -> RespError; integers -> number
 * (bigint beyond 2^53); bulk/verbatim strings -> latin1 string; null -> null;
 * arrays/sets/pushes -> arrays; maps -> Map (keys decoded); doubles -> number;
 * booleans -> boolean; big numbers -> bigint.
 */
export class RespError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RespError';
  }
}

export class RespPush {
  constructor(readonly items: unknown[]) {}
}

export interface ParsedReply {
  readonly value: unknown;
  readonly end: number;
}

const CRLF = Buffer.from('\r\n');

export function parseReply(buffer: Buffer, start = 0): ParsedReply | null {
  if (start >= buffer.length) return null;
  const lineEnd = buffer.indexOf(CRLF, start);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(buffer[start]!);
  const line = buffer.toString('latin1', start + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RespError(line), end: next };
    case ':': {
      const n = BigInt(line);
      return { value: n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n, end: next };
    }
    case '$':
    case '=':
    case '!': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buffer.length < next + length + 2) return null;
      let text = buffer.toString('latin1', next, next + length);
      if (type === '=') text = text.slice(4);
      const value = type === '!' ? new RespError(text) : text;
      return { value, end: next + length + 2 };
    }
    case '*':
    case '~':
    case '>': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: unknown[] = [];
      let pos = next;
      for (let i = 0; i < count; i++) {
        const item = parseReply(buffer, pos);
        if (!item) return null;
        items.push(item.value);
        pos = item.end;
      }
      return { value: type === '>' ? new RespPush(items) : items, end: pos };
    }
    case '%':
    case '|': {
      const count = Number(line);
      const map = new Map<unknown, unknown>();
      let pos = next;
      for (let i = 0; i < count; i++) {
        const key = parseReply(buffer, pos);
        if (!key) return null;
        const value = parseReply(buffer, key.end);
        if (!value) return null;
        map.set(key.value, value.value);
        pos = value.end;
      }
      if (type === '|') {
        // An attribute precedes the real reply: skip it.
        return parseReply(buffer, pos);
      }
      return { value: map, end: pos };
    }
    case '_':
      return { value: null, end: next };
    case ',':
      return { value: line === 'inf' ? Infinity : line === '-inf' ? -Infinity : Number(line), end: next };
    case '#':
      return { value: line === 't', end: next };
    case '(':
      return { value: BigInt(line), end: next };
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)} at ${start}`);
  }
}

/**
 * Encodes a command as a RESP multibulk request. A JS string is sent as
 * UTF-8 (test literals); a bulk string decoded by parseReply (one character
 * per byte) goes back unchanged only as Buffer.from(value, 'latin1'):
 * resp-reply-parser-binary.test.ts.
 */
export function encodeRequest(args: ReadonlyArray<string | number | Buffer>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const bytes = Buffer.isBuffer(arg) ? arg : Buffer.from(String(arg), typeof arg === 'string' ? 'utf8' : 'latin1');
    parts.push(Buffer.from(`$${bytes.length}\r\n`), bytes, CRLF);
  }
  return Buffer.concat(parts);
}
