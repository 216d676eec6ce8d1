/**
 * Lists' quicklists against a real redis-server 7.0: the nodes as
 * list-max-listpack-size cuts them (entries per node, or a size class),
 * compressed interior nodes under list-compress-depth, plain nodes past the
 * packed threshold. MEMORY USAGE sums them (the sampled average truncated as
 * Redis's size_t sum does); DEBUG OBJECT's ql_* fields describe them; DUMP
 * and serializedlength write one RDB node per quicklist node. Every list is
 * built by RPUSH under the config in force.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

type Peer = { call(...args: string[]): Promise<unknown> };

/** One list per case: its config, then RPUSH of its elements in chunks. */
interface ListCase {
  readonly key: string;
  readonly fill: number;
  readonly depth?: number;
  readonly packedThreshold?: number;
  readonly elements: readonly string[];
  /** SAMPLES arguments asked besides the default (0 = all nodes). */
  readonly samples?: readonly number[];
}

const range = (count: number, make: (i: number) => string): string[] => Array.from({ length: count }, (_, i) => make(i));

const cases: ListCase[] = [
  // 10 entries at 4 per node: 3 nodes in Redis.
  { key: 'fill4', fill: 4, elements: range(10, (i) => String(i + 1)), samples: [0, 1] },
  // Sampled nodes of 16, 32 and 32 bytes over 4 nodes: 200 / 3 * 4 = 266.67, truncated to 266.
  { key: 'truncated', fill: 4, elements: ['1', '2', '3', '4', ...range(8, () => 'abcd'), '5'], samples: [3] },
  { key: 'fill100', fill: 100, elements: range(1000, (i) => `element-${i}`), samples: [0, 2] },
  { key: 'size-class-4k', fill: -1, elements: range(2000, (i) => `element-${i}`), samples: [0, 3] },
  { key: 'size-class-8k', fill: -2, elements: range(2000, (i) => `element-${i}`), samples: [0] },
  { key: 'size-class-16k', fill: -3, elements: range(3000, (i) => `mixed-${i % 7 === 0 ? 'x'.repeat(60) : i}`), samples: [0] },
  { key: 'count-capped-by-8k', fill: 1000, elements: range(600, (i) => `value-${'y'.repeat(20)}-${i}`), samples: [0] },
  // Interior nodes LZF-compressed (repetitive listpacks shrink, small or random ones stay raw).
  { key: 'compressed-depth1', fill: 16, depth: 1, elements: range(200, (i) => `element-${i}`), samples: [0, 1, 2] },
  { key: 'compressed-depth2', fill: -1, depth: 2, elements: range(3000, (i) => `element-${i}`), samples: [0, 3] },
  { key: 'compressed-small-nodes', fill: 4, depth: 1, elements: range(40, (i) => String(i * 7919)), samples: [0] },
  { key: 'compressed-short-list', fill: 4, depth: 3, elements: range(20, (i) => `element-${i}`), samples: [0] },
  // A fill outside quicklistSetFill's range is clamped to -5 / 32767 (DEBUG OBJECT prints the clamped one).
  { key: 'fill-below-range', fill: -10, elements: range(30, (i) => `element-${i}`) },
  { key: 'fill-above-range', fill: 100000, elements: range(30, (i) => `element-${i}`) },
  // Plain nodes for elements at or over the threshold, compressed in the interior too.
  { key: 'plain-nodes', fill: -2, depth: 1, packedThreshold: 100, elements: ['a', 'z'.repeat(150), 'b', 'c', `${'q'.repeat(120)}${'0123456789'.repeat(10)}`, 'd', 'e'.repeat(300), 'f'], samples: [0] },
];

/** DEBUG OBJECT's fields that do not depend on the address or the clock. */
const SHAPE_FIELDS = /^(encoding|serializedlength|ql_nodes|ql_avg_node|ql_listpack_max|ql_compressed|ql_uncompressed_size):/;

interface Observed {
  readonly usage: Record<string, unknown>;
  /** Per list: DEBUG OBJECT's shape fields and DUMP, with rdbcompression yes and no. */
  readonly shape: Record<string, unknown>;
}

async function observe(peer: Peer): Promise<Observed> {
  const usage: Record<string, unknown> = {};
  const shape: Record<string, unknown> = {};
  await peer.call('FLUSHALL');
  for (const c of cases) {
    await peer.call('CONFIG', 'SET', 'list-max-listpack-size', String(c.fill), 'list-compress-depth', String(c.depth ?? 0));
    await peer.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(c.packedThreshold ?? 1 << 30));
    for (let i = 0; i < c.elements.length; i += 100) await peer.call('RPUSH', c.key, ...c.elements.slice(i, i + 100));
    usage[c.key] = [await peer.call('MEMORY', 'USAGE', c.key)];
    for (const samples of c.samples ?? []) (usage[c.key] as unknown[]).push(await peer.call('MEMORY', 'USAGE', c.key, 'SAMPLES', String(samples)));
    const fields: unknown[] = [];
    for (const compression of ['yes', 'no']) {
      await peer.call('CONFIG', 'SET', 'rdbcompression', compression);
      fields.push(String(await peer.call('DEBUG', 'OBJECT', c.key)).split(' ').filter((field) => SHAPE_FIELDS.test(field)), await peer.call('DUMP', c.key));
    }
    await peer.call('CONFIG', 'SET', 'rdbcompression', 'yes');
    shape[c.key] = fields;
  }
  await peer.call('CONFIG', 'SET', 'list-max-listpack-size', '-2', 'list-compress-depth', '0');
  await peer.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(1 << 30));
  return { usage, shape };
}

describe('lists\' quicklists', () => {
  let observed: Promise<[Observed, Observed]> | undefined;
  const both = (): Promise<[Observed, Observed]> => (observed ??= (async () => [await observe(peers.redis), await observe(peers.ours)] as [Observed, Observed])());

  it('MEMORY USAGE is redis-server\'s figure for the quicklist list-max-listpack-size and list-compress-depth make', async () => {
    const [theirs, ours] = await both();
    expect(ours.usage).toEqual(theirs.usage);
  });

  it('DEBUG OBJECT\'s ql_* fields and serializedlength, and DUMP (one RDB node per quicklist node, compressed ones as LZF), are redis-server\'s', async () => {
    const [theirs, ours] = await both();
    expect(ours.shape).toEqual(theirs.shape);
  });
});
