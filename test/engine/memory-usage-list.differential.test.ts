/**
 * Lists' quicklists against a real redis-server 7.0: the nodes as
 * list-max-listpack-size cuts them (entries per node, or a size class),
 * compressed interior nodes under list-compress-depth, plain nodes past the
 * packed threshold. MEMORY USAGE sums them (the sampled average truncated as
 * Redis's size_t sum does); DEBUG OBJECT's ql_* fields describe them; DUMP
 * and serializedlength write one RDB node per quicklist node. The first
 * lists are built by RPUSH under the config in force; the scripted ones by
 * LPUSH, both ends, pops, LTRIM, LREM and LSET, and under a config changed
 * after the list was made (a quicklist keeps the fill and compress depth it
 * was created with).
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

/** A script per list: the config in force at its creation, then its commands (CONFIG SET among them). */
interface ScriptCase {
  readonly key: string;
  readonly fill: number;
  readonly depth?: number;
  readonly packedThreshold?: number;
  readonly commands: readonly (readonly string[])[];
}

const words = (count: number, make: (i: number) => string): string[] => range(count, make);

const scripts: ScriptCase[] = [
  // LPUSH fills the head node: 2/4/4 where RPUSH makes 4/4/2.
  { key: 'lpush-fill4', fill: 4, commands: [['LPUSH', 'k', ...words(10, (i) => String(i + 1))]] },
  { key: 'lpush-one-by-one', fill: 3, commands: Array.from({ length: 11 }, (_, i) => ['LPUSH', 'k', `e${i}`]) },
  { key: 'lpush-size-class', fill: -1, commands: [['LPUSH', 'k', ...words(1500, (i) => `element-${i}`)]] },
  { key: 'lpush-8k-mixed', fill: -2, commands: [['LPUSH', 'k', ...words(900, (i) => `mixed-${i % 5 === 0 ? 'x'.repeat(50) : i}`)]] },
  { key: 'lpush-count-100', fill: 100, commands: [['LPUSH', 'k', ...words(1000, (i) => `element-${i}`)]] },
  // Both ends: the first node fills from both sides.
  { key: 'mixed-ends', fill: 4, commands: [['RPUSH', 'k', 'a', 'b'], ['LPUSH', 'k', 'c'], ['RPUSH', 'k', 'd', 'e', 'f'], ['LPUSH', 'k', 'g', 'h', 'i', 'j', 'k'], ['RPUSH', 'k', '1', '2']] },
  { key: 'mixed-ends-size', fill: -1, commands: [['RPUSH', 'k', ...words(300, (i) => `right-${i}`)], ['LPUSH', 'k', ...words(300, (i) => `left-${i}`)], ['RPUSH', 'k', ...words(50, (i) => `more-${i}`)]] },
  { key: 'lpush-compressed', fill: 8, depth: 1, commands: [['LPUSH', 'k', ...words(100, (i) => `element-${i}`)]] },
  { key: 'lpush-plain', fill: -2, packedThreshold: 100, commands: [['LPUSH', 'k', 'a', 'z'.repeat(150), 'b', 'c'], ['RPUSH', 'k', 'q'.repeat(120), 'd'], ['LPUSH', 'k', 'e']] },
  // Pops leave their end node short, and pushes fill it again.
  { key: 'pops', fill: 4, commands: [['RPUSH', 'k', ...words(10, (i) => String(i))], ['LPOP', 'k'], ['RPOP', 'k', '3'], ['LPUSH', 'k', 'x'], ['RPUSH', 'k', 'y', 'z'], ['LMPOP', '1', 'k', 'LEFT', 'COUNT', '2']] },
  { key: 'lmove', fill: 4, commands: [['RPUSH', 'k', ...words(9, (i) => String(i))], ['LMOVE', 'k', 'k', 'RIGHT', 'LEFT'], ['LMOVE', 'k', 'k', 'RIGHT', 'LEFT'], ['RPOPLPUSH', 'k', 'k']] },
  // LTRIM and LREM take entries out of their nodes without merging them; LSET replaces one in place.
  { key: 'ltrim', fill: 4, commands: [['RPUSH', 'k', ...words(20, (i) => String(i))], ['LTRIM', 'k', '3', '-6'], ['LPUSH', 'k', 'a']] },
  { key: 'lrem', fill: 4, commands: [['RPUSH', 'k', ...words(20, (i) => (i % 3 === 0 ? 'x' : String(i)))], ['LREM', 'k', '2', 'x'], ['LREM', 'k', '-1', 'x'], ['RPUSH', 'k', 'y']] },
  { key: 'lset', fill: 4, commands: [['RPUSH', 'k', ...words(10, (i) => String(i))], ['LSET', 'k', '1', 'a-much-longer-element-than-before'], ['LSET', 'k', '-1', '7']] },
  // The list keeps the fill and compress depth it was made with.
  { key: 'config-after-create', fill: 4, commands: [['RPUSH', 'k', ...words(10, (i) => String(i))], ['CONFIG', 'SET', 'list-max-listpack-size', '2', 'list-compress-depth', '1'], ['RPUSH', 'k', 'a', 'b', 'c']] },
  { key: 'config-negative-after-create', fill: -1, commands: [['RPUSH', 'k', ...words(500, (i) => `element-${i}`)], ['CONFIG', 'SET', 'list-max-listpack-size', '3'], ['LPUSH', 'k', ...words(10, (i) => `head-${i}`)]] },
  { key: 'copy-keeps-nodes', fill: 4, commands: [['LPUSH', 'k', ...words(10, (i) => String(i))], ['CONFIG', 'SET', 'list-max-listpack-size', '3'], ['COPY', 'k', 'c'], ['DEL', 'k'], ['RENAME', 'c', 'k']] },
];

async function observeScripts(peer: Peer): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const c of scripts) {
    await peer.call('FLUSHALL');
    await peer.call('CONFIG', 'SET', 'list-max-listpack-size', String(c.fill), 'list-compress-depth', String(c.depth ?? 0));
    await peer.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(c.packedThreshold ?? 1 << 30));
    const seen: unknown[] = [];
    for (const command of c.commands) {
      seen.push(await peer.call(...command));
      seen.push(await peer.call('MEMORY', 'USAGE', 'k'), await peer.call('MEMORY', 'USAGE', 'k', 'SAMPLES', '0'));
      seen.push(String(await peer.call('DEBUG', 'OBJECT', 'k')).split(' ').filter((field) => SHAPE_FIELDS.test(field)), await peer.call('DUMP', 'k'));
    }
    out[c.key] = seen;
  }
  await peer.call('CONFIG', 'SET', 'list-max-listpack-size', '-2', 'list-compress-depth', '0');
  await peer.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', String(1 << 30));
  return out;
}

describe('lists\' quicklists as pushes, pops and edits leave them', () => {
  it('MEMORY USAGE, DEBUG OBJECT\'s ql_* fields and DUMP are redis-server\'s for LPUSH-built, both-ends, popped, trimmed and reconfigured lists', async () => {
    const theirs = await observeScripts(peers.redis);
    const ours = await observeScripts(peers.ours);
    expect(ours).toEqual(theirs);
  });
});
