/**
 * LZF-compressed strings DUMP to redis-server's very bytes: strings over
 * 20 bytes are stored LZF-compressed when that saves 4 bytes or more, and
 * the engine's compressor must choose liblzf's matches (runs of one byte,
 * repeated words, long repeats past the 264-byte match limit, matches up
 * to 8 KB back, data that only just compresses or just fails to) for the
 * payload, its CRC and DEBUG OBJECT's serializedlength to match. Lists
 * carry compressed listpacks, hashes compressed values.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';
import { seededRandom } from '../support/seeded-random';

const peers = differentialPair();

/** Latin-1 text of `length` bytes drawn from `alphabet` (small alphabets compress). */
function sample(random: ReturnType<typeof seededRandom>, length: number, alphabet: string): string {
  let text = '';
  while (text.length < length) {
    // Words copied from earlier in the text make back references at every distance.
    if (text.length > 8 && random.next() < 0.3) {
      const from = random.int(text.length - 4);
      text += text.slice(from, from + 3 + random.int(300));
    } else {
      text += alphabet[random.int(alphabet.length)];
    }
  }
  return text.slice(0, length);
}

describe('LZF-compressed DUMP payloads match redis-server byte for byte', () => {
  it('strings, list and hash values of many shapes', async () => {
    const random = seededRandom(7015);
    const alphabets = ['a', 'ab', 'abc ', 'abcdefghij', 'abcdefghijklmnopqrstuvwxyz0123456789', Array.from({ length: 256 }, (_, i) => String.fromCharCode(i)).join('')];
    const steps: Step[] = [step('FLUSHALL')];
    const lengths = [21, 22, 24, 25, 30, 33, 34, 40, 64, 100, 263, 264, 265, 266, 280, 300, 1000, 4096, 8200, 9000, 20000];
    let index = 0;
    for (const alphabet of alphabets) {
      for (const length of lengths) {
        const key = `s${index++}`;
        steps.push(step('SET', key, Buffer.from(sample(random, length, alphabet), 'latin1')), step('DUMP', key), step('DEBUG', 'OBJECT', key));
      }
    }
    for (let i = 0; i < 120; i++) {
      const key = `r${i}`;
      steps.push(step('SET', key, Buffer.from(sample(random, 21 + random.int(2000), random.pick(alphabets)), 'latin1')), step('DUMP', key));
    }
    steps.push(
      step('SET', 'ones', 'x'.repeat(100000)), step('DUMP', 'ones'),
      step('RPUSH', 'list', 'y'.repeat(70), 'y'.repeat(80), sample(random, 500, 'ab')), step('DUMP', 'list'),
      // One field each: a hashtable-encoded hash DUMPs its fields in dict order, which differs.
      step('HSET', 'hash', 'f', 'z'.repeat(5000)), step('DUMP', 'hash'), step('HSET', 'hash2', 'g', sample(random, 3000, 'abcd')), step('DUMP', 'hash2'),
    );
    // DEBUG OBJECT's address and LRU clock are the node's own: compare its serializedlength only.
    const comparable = steps.map((s) => (s.cmd[0] === 'DEBUG' ? { ...s, compare: (raw: Buffer) => /serializedlength:\d+/.exec(raw.toString())?.[0] ?? raw.toString() } : s));
    expect(await peers.compare(comparable)).toEqual([]);
  });
});
