/**
 * The log line of a protocol error (networking.c setProtocolError): Redis
 * writes it at warning level for its master's connection, at verbose level
 * for any other client:
 *
 *   Protocol error (<reason>) from client: <CLIENT INFO line>. Query buffer during protocol error: '<sample>'
 *
 * The sample is the unparsed input from the offending line's start: whole
 * when under 128 bytes, else its first and last 64 bytes around
 * "(... more N bytes ...)". It is printed with %s, so it ends at a NUL byte,
 * and every byte that is not printable ASCII becomes '.'.
 */
import type { ProtocolError } from './request-decoder';

const PROTO_DUMP_LEN = 128;
/** snprintf's buffer: the sample text is cut at 255 bytes. */
const SAMPLE_BUFFER = 256;

/** The bytes a C string starting at bytes[0] holds: up to the first NUL. */
function cString(bytes: Buffer): Buffer {
  const nul = bytes.indexOf(0);
  return nul < 0 ? bytes : bytes.subarray(0, nul);
}

/** "Query buffer during protocol error: '…'", as Redis samples `input`. */
export function protocolErrorSample(input: Buffer): string {
  const head = "Query buffer during protocol error: '";
  const parts: Buffer[] = [Buffer.from(head, 'latin1')];
  if (input.length < PROTO_DUMP_LEN) {
    parts.push(cString(input), Buffer.from("'", 'latin1'));
  } else {
    const half = PROTO_DUMP_LEN / 2;
    parts.push(
      cString(input.subarray(0, half)),
      Buffer.from(`' (... more ${input.length - PROTO_DUMP_LEN} bytes ...) '`, 'latin1'),
      cString(input.subarray(input.length - half)),
      Buffer.from("'", 'latin1'),
    );
  }
  const text = Buffer.concat(parts).subarray(0, SAMPLE_BUFFER - 1);
  for (let i = 0; i < text.length; i++) {
    if (text[i]! < 0x20 || text[i]! > 0x7e) text[i] = 0x2e; // '.'
  }
  return text.toString('latin1');
}

/** The whole line, given the client's CLIENT INFO line. */
export function protocolErrorLine(failure: ProtocolError, clientInfo: string): string {
  return `Protocol error (${failure.reason}) from client: ${clientInfo}. ${protocolErrorSample(failure.input)}`;
}
