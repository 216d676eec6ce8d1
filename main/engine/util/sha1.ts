/**
 * SHA-1 (FIPS 180-4 §6.1) of short inputs, without a hash object per call.
 *
 * DEBUG DIGEST hashes every key, value and element, most a few dozen
 * bytes, and then the 20-byte running digest itself after each of them
 * (debug.c mixDigest): six or seven SHA-1s per string key. Node's
 * createHash costs a native object, a binding call per update and a Buffer
 * per digest, far more than the one 64-byte block such an input fills; at
 * 200k keys DEBUG DIGEST took ~3.5x redis-server's time because of it.
 *
 * Here a hash is five int32 words, H0..H4 of FIPS 180-4: word i holds
 * digest bytes 4i..4i+3 big-endian, so xoring two digests word by word is
 * xoring their bytes, and the hash of a digest (mixDigest's second step)
 * reads the words as the message directly. One module-level Int32Array is
 * the message schedule W[0..79] of every call (calls are synchronous and
 * never nest; a worker thread has its own module instance).
 *
 * Message padding (§5.1.1): the bytes, 0x80, zeros, then the length in bits
 * as a 64-bit big-endian number in the last 8 bytes of the last block. An
 * input whose tail is 56..63 bytes long needs a second block for the length.
 *
 *   block: | W0 | W1 | ... | W13 | W14 = bits / 2^32 | W15 = bits mod 2^32 |
 *
 * Inputs past LONG_INPUT bytes go to node:crypto (OpenSSL), which is faster
 * once its per-call cost is amortised: the two cost about the same at
 * 256-512 bytes, ~4 blocks of this code.
 * Values stay int32 throughout so V8 keeps to small-integer arithmetic.
 */
import { createHash } from 'node:crypto';

/** The message schedule, shared by every call. */
const W = new Int32Array(80);

/** Latin1 inputs longer than this are hashed by node:crypto (see above). */
const LONG_INPUT = 256;

/** Sets `hash` to the initial hash value H(0). */
function initHash(hash: Int32Array): void {
  hash[0] = 0x67452301 | 0;
  hash[1] = 0xefcdab89 | 0;
  hash[2] = 0x98badcfe | 0;
  hash[3] = 0x10325476 | 0;
  hash[4] = 0xc3d2e1f0 | 0;
}

/** One block: W[0..15] holds the message block; expands W and updates `hash` (§6.1.2). */
function compress(hash: Int32Array): void {
  // The round constants are literals and W a local: a bundler turns module-level consts into vars,
  // which V8 cannot fold and reloads at every use (a block took 770 ns bundled with K0..K3 as
  // module consts, 255 ns like this).
  const w = W;
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    w[t] = (x << 1) | (x >>> 31);
  }
  let a = hash[0]!;
  let b = hash[1]!;
  let c = hash[2]!;
  let d = hash[3]!;
  let e = hash[4]!;
  for (let t = 0; t < 20; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + w[t]! + 0x5a827999) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 20; t < 40; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[t]! + 0x6ed9eba1) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 40; t < 60; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + w[t]! + (0x8f1bbcdc | 0)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 60; t < 80; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + w[t]! + (0xca62c1d6 | 0)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  hash[0] = (hash[0]! + a) | 0;
  hash[1] = (hash[1]! + b) | 0;
  hash[2] = (hash[2]! + c) | 0;
  hash[3] = (hash[3]! + d) | 0;
  hash[4] = (hash[4]! + e) | 0;
}

/** node:crypto's SHA-1 of the bytes of a latin1 string, as words, into `out`. */
function sha1Long(text: string, out: Int32Array): void {
  const digest = createHash('sha1').update(text, 'latin1').digest();
  for (let i = 0; i < 5; i++) out[i] = digest.readInt32BE(i * 4);
}

/**
 * SHA-1 of a latin1 string (one byte per char; a char code above 255
 * counts its low byte, as Buffer.from(text, 'latin1') does), as five
 * big-endian words written to `out`.
 */
export function sha1Latin1(text: string, out: Int32Array): void {
  const length = text.length;
  if (length > LONG_INPUT) {
    sha1Long(text, out);
    return;
  }
  initHash(out);
  const w = W;
  let at = 0;
  while (length - at >= 64) {
    for (let i = 0; i < 16; i++, at += 4) w[i] = wordAt(text, at);
    compress(out);
  }
  // The last block: the rest's whole words, then a word with its last 0..3 bytes and 0x80, then zeros.
  const rest = length - at;
  const wholeWords = rest >> 2;
  let i = 0;
  for (; i < wholeWords; i++, at += 4) w[i] = wordAt(text, at);
  let last = 0x80 << (24 - 8 * (rest & 3));
  for (let j = 0; j < (rest & 3); j++) last |= (text.charCodeAt(at + j) & 0xff) << (24 - 8 * j);
  w[i++] = last;
  for (; i < 16; i++) w[i] = 0;
  if (rest >= 56) {
    // No room left for the length: it goes in a block of its own.
    compress(out);
    for (i = 0; i < 14; i++) w[i] = 0;
  }
  // The length in bits: `length << 3` is its low 32 bits (ToInt32 then shift, mod 2^32).
  w[14] = Math.floor(length / 0x20000000);
  w[15] = length << 3;
  compress(out);
}

/** Four latin1 chars from `at` as a big-endian word. */
function wordAt(text: string, at: number): number {
  return ((text.charCodeAt(at) & 0xff) << 24) | ((text.charCodeAt(at + 1) & 0xff) << 16) | ((text.charCodeAt(at + 2) & 0xff) << 8) | (text.charCodeAt(at + 3) & 0xff);
}

/** SHA-1 of a 4-byte big-endian unsigned integer (debug.c's htonl'd aux), into `out`. */
export function sha1Uint32(value: number, out: Int32Array): void {
  initHash(out);
  W[0] = value | 0;
  W[1] = 0x80000000 | 0;
  for (let w = 2; w < 15; w++) W[w] = 0;
  W[15] = 32;
  compress(out);
}

/** Replaces a 20-byte hash (five words) with the SHA-1 of its bytes. */
export function sha1OfHashInPlace(hash: Int32Array): void {
  for (let w = 0; w < 5; w++) W[w] = hash[w]!;
  W[5] = 0x80000000 | 0;
  for (let w = 6; w < 15; w++) W[w] = 0;
  W[15] = 160;
  initHash(hash);
  compress(hash);
}

/** hashHex's bytes (one Buffer for every call: toString('hex') of it is 4x faster than formatting the words). */
const hexBytes = Buffer.alloc(20);

/** The 40 lowercase hex chars of a hash (its bytes in order). */
export function hashHex(hash: Int32Array): string {
  for (let w = 0; w < 5; w++) hexBytes.writeInt32BE(hash[w]!, w * 4);
  return hexBytes.toString('hex');
}
