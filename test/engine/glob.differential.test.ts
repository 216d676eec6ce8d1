/**
 * The glob matcher through the commands that use it, against redis-server:
 * random patterns (fixed seed) over keys made of the same awkward alphabet
 * (stars, brackets, backslashes, high bytes, NUL, the empty key), KEYS and
 * SCAN MATCH case-sensitive, COMMAND LIST FILTERBY PATTERN and CONFIG GET
 * case-insensitive; and the CVE-2022-36021 pattern that froze the engine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { step, unordered, type Step } from '../support/differential';
import { globCases } from '../support/glob-reference';
import { differentialPair } from '../support/differential-pair';

interface Peer {
  call(...args: string[]): Promise<unknown>;
}

const peers = differentialPair();

describe('glob patterns match redis-server', () => {
  it('KEYS and SCAN MATCH over random patterns and awkward keys', async () => {
    const cases = fc.sample(globCases(), { seed: 36021, numRuns: 400 });
    const keys = [...new Set(cases.map((entry) => entry.text))].slice(0, 150);
    const script: Step[] = [step('FLUSHALL'), ...keys.map((key) => step('SET', Buffer.from(key, 'latin1'), 'v'))];
    for (const { pattern } of cases) {
      const bytes = Buffer.from(pattern, 'latin1');
      script.push(unordered('KEYS', bytes), unordered('SCAN', '0', 'MATCH', bytes, 'COUNT', '1000'));
    }
    // SCAN's reply is [cursor, keys]: compare the keys in order-free form on their own.
    const scanFree = script.map((entry) => (entry.cmd[0] === 'SCAN' ? { ...entry, cmd: ['KEYS', entry.cmd[3]!] } : entry));
    expect(await peers.compare(scanFree)).toEqual([]);
  });

  it('case-insensitive users: CONFIG GET and COMMAND LIST FILTERBY PATTERN pick the same names among those both know', async () => {
    const configNames = async (peer: Peer, pattern: string): Promise<string[]> => {
      const reply = (await peer.call('CONFIG', 'GET', pattern)) as string[];
      return reply.filter((_, index) => index % 2 === 0);
    };
    const commandNames = async (peer: Peer, pattern: string): Promise<string[]> => (await peer.call('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', pattern)) as string[];
    for (const [list, patterns] of [
      [configNames, ['GET', 'MAXMEMORY-*', '*Max*Mem*', '[a-c]*', '[^a-x]*', 'REPL-[B-D]*', 'h\\*', '*SS*A*', '?ort']],
      [commandNames, ['GET', 'g?t', '[A-C]?T', 'Z[^r]*', '*RANGE*', 'H[SE]*', '[^a-y]*']],
    ] as const) {
      const known = new Set(await list(peers.ours, '*'));
      for (const pattern of patterns) {
        const theirs = (await list(peers.redis, pattern)).filter((name) => known.has(name)).sort();
        expect({ pattern, names: (await list(peers.ours, pattern)).sort() }).toEqual({ pattern, names: theirs });
      }
      expect(known.size).toBeGreaterThan(50);
    }
  });

  it('KEYS a*a*...a*b over a long run of a answers at once (CVE-2022-36021)', async () => {
    const pattern = `${'a*'.repeat(20)}b`;
    const script: Step[] = [step('FLUSHALL'), step('SET', 'a'.repeat(40), '1'), step('KEYS', pattern), step('SCAN', '0', 'MATCH', pattern), step('PING')];
    expect(await peers.compare(script)).toEqual([]);
  });
});
