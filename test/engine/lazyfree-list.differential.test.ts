/**
 * UNLINK of a list against a real redis-server 7.0: a list goes to the
 * lazy-free job (lazyfreed_objects in INFO memory) when its free effort,
 * the quicklist's node count, is above 64 (LAZYFREE_THRESHOLD). The nodes
 * are the ones list-max-listpack-size cuts (entries per node, or a size
 * class, whatever the elements' sizes), plain nodes counting one each.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

type Peer = { call(...args: string[]): Promise<unknown> };

interface ListCase {
  readonly name: string;
  readonly fill: number;
  readonly packedThreshold?: number;
  readonly elements: readonly string[];
}

const range = (count: number, make: (i: number) => string): string[] => Array.from({ length: count }, (_, i) => make(i));

const cases: ListCase[] = [
  // 4 KB nodes of about four 1000-byte elements: 75 nodes, though the first 16 elements are one byte each.
  { name: 'size class, small elements first', fill: -1, elements: [...range(16, () => 'a'), ...range(300, (i) => `${'x'.repeat(1000)}${i}`)] },
  { name: '64 nodes of 4 entries', fill: 4, elements: range(256, (i) => String(i)) },
  { name: '65 nodes of 4 entries', fill: 4, elements: range(257, (i) => String(i)) },
  { name: 'count capped by 8 KB', fill: 1000, elements: range(700, (i) => `${'y'.repeat(700)}${i}`) },
  { name: 'small elements, few nodes', fill: -2, elements: range(5000, (i) => String(i)) },
  { name: 'plain nodes', fill: -2, packedThreshold: 100, elements: range(70, (i) => `${'z'.repeat(120)}${i}`) },
];

/** lazyfreed_objects once no lazy free is pending. */
async function lazyfreed(peer: Peer): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const info = String(await peer.call('INFO', 'memory'));
    const pending = Number(/lazyfree_pending_objects:(\d+)/.exec(info)?.[1]);
    if (pending === 0) return Number(/lazyfreed_objects:(\d+)/.exec(info)?.[1]);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('lazyfree_pending_objects never reached 0');
}

async function observe(peer: Peer): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  await peer.call('FLUSHALL');
  await peer.call('CONFIG', 'RESETSTAT');
  for (const c of cases) {
    await peer.call('CONFIG', 'SET', 'list-max-listpack-size', String(c.fill));
    await peer.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(c.packedThreshold ?? 1 << 30));
    for (let i = 0; i < c.elements.length; i += 100) await peer.call('RPUSH', 'l', ...c.elements.slice(i, i + 100));
    const before = await lazyfreed(peer);
    await peer.call('UNLINK', 'l');
    out[c.name] = (await lazyfreed(peer)) - before;
  }
  await peer.call('CONFIG', 'SET', 'list-max-listpack-size', '-2');
  await peer.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(1 << 30));
  return out;
}

describe('UNLINK of a list', () => {
  it('frees it lazily exactly when redis-server does (more than 64 quicklist nodes)', async () => {
    const theirs = await observe(peers.redis);
    expect(theirs['65 nodes of 4 entries']).toBe(1);
    expect(theirs['64 nodes of 4 entries']).toBe(0);
    expect(await observe(peers.ours)).toEqual(theirs);
  });
});
