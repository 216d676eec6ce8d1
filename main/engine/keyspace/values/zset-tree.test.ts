import { describe, expect, it } from 'vitest';
import { compareEntries, type ZSetNode } from './zset-order';
import { ZSetTree } from './zset-tree';
import { seededRandom } from '../../../../test/support/seeded-random';

type Entry = [string, number];

function sortedModel(model: Map<string, number>): Entry[] {
  return [...model.entries()].sort((a, b) => compareEntries(a[1], a[0], b[1], b[0]));
}

function walk(start: ZSetNode | null, step: (node: ZSetNode) => ZSetNode | null): Entry[] {
  const out: Entry[] = [];
  for (let node = start; node; node = step(node)) out.push([node.member, node.score]);
  return out;
}

/** Everything a command can read from the tree, against the sorted model. */
function expectMatches(tree: ZSetTree, model: Map<string, number>, random: () => number): void {
  const sorted = sortedModel(model);
  expect(tree.size).toBe(sorted.length);
  expect([...tree.entries()]).toEqual(sorted);
  expect(walk(tree.first(), (node) => node.next)).toEqual(sorted);
  expect(walk(tree.last(), (node) => node.backward)).toEqual([...sorted].reverse());
  sorted.forEach(([member], rank) => {
    expect(tree.rank(member)).toBe(rank);
    expect(tree.nodeAtRank(rank)?.member).toBe(member);
  });
  expect(tree.nodeAtRank(sorted.length)).toBeNull();
  expect(tree.nodeAtRank(-1)).toBeNull();
  expect(tree.rank('absent')).toBeUndefined();
  for (let probe = 0; probe < 60; probe++) {
    const pick = sorted[Math.floor(random() * sorted.length)];
    const bound = pick !== undefined && random() < 0.7 ? pick[1] : Math.floor(random() * 40) - 20 + (random() < 0.3 ? 0.5 : 0);
    expect(tree.firstInScoreRange(bound, false)?.member).toBe(sorted.find(([, s]) => s >= bound)?.[0]);
    expect(tree.firstInScoreRange(bound, true)?.member).toBe(sorted.find(([, s]) => s > bound)?.[0]);
    expect(tree.lastInScoreRange(bound, false)?.member).toBe(sorted.findLast(([, s]) => s <= bound)?.[0]);
    expect(tree.lastInScoreRange(bound, true)?.member).toBe(sorted.findLast(([, s]) => s < bound)?.[0]);
  }
}

describe('ZSetTree (the skiplist encoding of a sorted set)', () => {
  it('keeps order, ranks and ranges through inserts, updates and deletes across node splits and merges', () => {
    const random = seededRandom(7).next;
    const scores = [0, 1, -1, 2.5, -Infinity, Infinity, 7, 13];
    const tree = new ZSetTree();
    const model = new Map<string, number>();
    const memberOf = (n: number): string => `m:${n}${n % 3 === 0 ? '\u00ff' : ''}`;
    // Grow to ~12,000 entries (two branch levels), checking on the way, then shrink to nothing.
    for (let step = 0; step < 40_000; step++) {
      const member = memberOf(Math.floor(random() * 16_000));
      if (step > 30_000 || random() < 0.1) {
        expect(tree.delete(member)).toBe(model.delete(member));
      } else {
        const score = random() < 0.5 ? scores[Math.floor(random() * scores.length)]! : Math.floor(random() * 30) - 15;
        const expected = !model.has(member) ? 'added' : model.get(member) === score ? 'unchanged' : 'updated';
        expect(tree.set(member, score)).toBe(expected);
        model.set(member, score);
      }
      if (step === 300 || step === 4_000 || step === 30_000 || step === 36_000) expectMatches(tree, model, random);
    }
    for (const member of [...model.keys()]) {
      expect(tree.delete(member)).toBe(true);
      model.delete(member);
      if (model.size === 2_000 || model.size === 30) expectMatches(tree, model, random);
    }
    expect(tree.size).toBe(0);
    expect(tree.first()).toBeNull();
    expect(tree.last()).toBeNull();
    expect([...tree.entries()]).toEqual([]);
    tree.set('again', 1);
    expect(tree.rank('again')).toBe(0);
  });

  it('orders equal scores by member bytes and finds lex bounds', () => {
    const random = seededRandom(3).next;
    const tree = new ZSetTree();
    const model = new Map<string, number>();
    for (let i = 0; i < 5_000; i++) {
      const member = `member:${Math.floor(random() * 100_000)}`;
      tree.set(member, 0);
      model.set(member, 0);
    }
    expectMatches(tree, model, random);
    const members = sortedModel(model).map(([member]) => member);
    for (const bound of ['member:5', 'member:50000', members[0]!, members.at(-1)!, 'a', 'z', members[1234]!]) {
      expect(tree.firstInLexRange(bound, false)?.member).toBe(members.find((m) => m >= bound));
      expect(tree.firstInLexRange(bound, true)?.member).toBe(members.find((m) => m > bound));
      expect(tree.lastInLexRange(bound, false)?.member).toBe(members.findLast((m) => m <= bound));
      expect(tree.lastInLexRange(bound, true)?.member).toBe(members.findLast((m) => m < bound));
    }
  });

  it('builds the same set from ascending, descending and cloned loads', () => {
    const count = 9_000;
    const ascending = new ZSetTree();
    const descending = new ZSetTree();
    const model = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      ascending.set(`a${i}`, i);
      descending.set(`a${count - 1 - i}`, count - 1 - i);
      model.set(`a${i}`, i);
    }
    const random = seededRandom(5).next;
    expectMatches(ascending, model, random);
    expectMatches(descending, model, random);
    const copy = descending.clone();
    descending.delete('a0');
    expectMatches(copy, model, random);
  });
});
