/**
 * How the tap shows keys and values: what the profile's safety mode allows.
 *
 *   ops, demo       key names and prefixes as they are (non-printable bytes
 *                   as \xNN, long ones cut), values cut to VALUE_SHOWN bytes
 *   monitor-only    key names and prefixes hashed, values never shown (only
 *                   their length)
 *
 * The hash is an HMAC-SHA256 with a key drawn once per tap and never sent
 * anywhere: the same prefix gets the same label for as long as the tap runs
 * (so rows can be followed), but a label cannot be checked against guessed
 * names ("user:" would otherwise hash the same for everyone). Raw keys stay
 * in the main process; only labels reach the renderer.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { SafetyMode } from '../../../shared/contract/profiles';

export type KeyNames = 'shown' | 'hashed';

const KEY_SHOWN = 80;
const VALUE_SHOWN = 32;
/** Hex digits of the HMAC in a label: 32 bits, enough to tell a top-N apart. */
const HASH_DIGITS = 8;

export function keyNamesFor(mode: SafetyMode): KeyNames {
  return mode === 'monitor-only' ? 'hashed' : 'shown';
}

function hasControlCharacter(text: string): boolean {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/** Bytes as readable text: UTF-8 when it is valid, else Latin-1 with non-printable bytes as \xNN. */
export function readable(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  const clean = !text.includes('\ufffd') && !hasControlCharacter(text);
  return clean ? text : bytes.toString('latin1').replace(/[^\x20-\x7e]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Where to cut at most `limit` bytes without splitting a UTF-8 sequence (continuation bytes are 10xxxxxx). */
function cutPoint(bytes: Buffer, limit: number): number {
  if (bytes.length <= limit) return bytes.length;
  let end = limit;
  while (end > 0 && end > limit - 3 && (bytes[end]! & 0xc0) === 0x80) end--;
  return end > 0 ? end : limit;
}

/** The first `limit` bytes readable, and how many more the argument had (`fullLength` counts bytes the decoder did not keep). */
function shortened(bytes: Buffer, fullLength: number, limit: number): string {
  const end = cutPoint(bytes, limit);
  const text = readable(bytes.subarray(0, end));
  return fullLength > end ? `${text}…(+${fullLength - end} bytes)` : text;
}

export class KeyLabeler {
  private readonly secret = randomBytes(32);

  constructor(readonly mode: KeyNames) {}

  private hash(raw: Buffer): string {
    return `#${createHmac('sha256', this.secret).update(raw).digest('hex').slice(0, HASH_DIGITS)}`;
  }

  /** A prefix (or whole key) of the breakdown, held as a Latin-1 string byte for byte. */
  prefix(raw: string, separator: string): string {
    const bytes = Buffer.from(raw, 'latin1');
    if (this.mode === 'shown') return shortened(bytes, bytes.length, KEY_SHOWN);
    // A prefix keeps its separator visible, so "#1a2b3c4d:" still reads as a prefix.
    return raw.endsWith(separator) ? `${this.hash(bytes)}${separator}` : this.hash(bytes);
  }

  /**
   * A key argument of a sample (`fullLength` when the decoder kept only part
   * of it; `prefixEnd` where its prefix ends, 0 when it has none). Hashed,
   * its prefix gets the label the breakdown gives it, so a sample can be
   * matched with its prefix row: "#1a2b3c4d:#5e6f7a8b".
   */
  key(bytes: Buffer, fullLength: number, separator: string, prefixEnd: number): string {
    if (this.mode === 'shown') return shortened(bytes, fullLength, KEY_SHOWN);
    if (prefixEnd <= 0 || prefixEnd >= bytes.length) return this.hash(bytes);
    return `${this.prefix(bytes.toString('latin1', 0, prefixEnd), separator)}${this.hash(bytes.subarray(prefixEnd))}`;
  }

  /** A value argument of a sample: cut in ops/demo, only its length in monitor-only. */
  value(bytes: Buffer, fullLength: number): string {
    return this.mode === 'hashed' ? `‹${fullLength} bytes›` : shortened(bytes, fullLength, VALUE_SHOWN);
  }
}
