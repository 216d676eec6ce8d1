import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ListValue } from './list-value';
import { MATERIALIZE_MAX_ELEMENTS, MAX_TRACKED_NODES, QuicklistNodes, quicklistLayout } from '../../memory/quicklist-layout';

type Operation = { kind: 'pushHead' | 'pushTail'; element: string } | { kind: 'popHead' | 'popTail' };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({ kind: fc.constantFrom('pushHead' as const, 'pushTail' as const), element: fc.string({ maxLength: 3 }) }),
  fc.record({ kind: fc.constantFrom('popHead' as const, 'popTail' as const) }),
);

describe('ListValue', () => {
  it('keeps the order an array would, across the ring wrapping at both ends, growing and shrinking', () => {
    fc.assert(
      fc.property(fc.nat({ max: 12 }), fc.array(operation, { maxLength: 400 }), (initialCapacity, operations) => {
        const list = new ListValue(initialCapacity);
        const model: string[] = [];
        for (const op of operations) {
          if (op.kind === 'pushHead') {
            list.pushHead(op.element);
            model.unshift(op.element);
          } else if (op.kind === 'pushTail') {
            list.pushTail(op.element);
            model.push(op.element);
          } else if (op.kind === 'popHead') {
            expect(list.popHead()).toBe(model.shift());
          } else {
            expect(list.popTail()).toBe(model.pop());
          }
          expect(list.length).toBe(model.length);
        }
        expect(list.toArray()).toEqual(model);
        for (let i = 0; i < model.length; i++) expect(list.at(i)).toBe(model[i]);
        // Ranges starting anywhere, so some start past the ring's end or wrap within (LRANGE).
        for (let start = 0; start < model.length; start += 3) {
          const end = Math.min(model.length - 1, start + 5);
          expect(list.range(start, end)).toEqual(model.slice(start, end + 1));
        }
      }),
    );
  });

  it('holds a long run of head pushes in reverse order (LPUSH)', () => {
    const list = new ListValue();
    for (let i = 0; i < 10_000; i++) list.pushHead(String(i));
    expect(list.length).toBe(10_000);
    expect(list.at(0)).toBe('9999');
    expect(list.at(9_999)).toBe('0');
    expect(list.range(4_998, 5_001)).toEqual(['5001', '5000', '4999', '4998']);
  });

  it('gives an empty range, not a RangeError, when start is past end', () => {
    const list = ListValue.from(['a', 'b', 'c']);
    expect(list.range(2, 0)).toEqual([]);
    expect(list.range(1, 0)).toEqual([]);
    expect(list.range(3, 2)).toEqual([]);
    expect(ListValue.from([]).range(0, -1)).toEqual([]);
  });
});

/** The list RPUSH under `fill` builds: it holds the shared tracker of a list only pushed at its tail. */
function rpushBuilt(fill: number, length: number): ListValue {
  const list = new ListValue();
  list.quicklist = QuicklistNodes.forConfig(fill, 0, 1 << 30);
  for (let i = 0; i < length; i++) list.pushTail(`element-${i}`);
  return list;
}

describe('ListValue quicklist tracking bounds', () => {
  it('cuts the nodes of a list of up to MATERIALIZE_MAX_ELEMENTS at its first pop, and keeps them', () => {
    const list = rpushBuilt(4, MATERIALIZE_MAX_ELEMENTS);
    const before = quicklistLayout(list, 4, 1 << 30);
    list.popHead();
    expect(list.quicklist!.shared).toBe(false);
    const tracked = list.quicklist!.shapes();
    expect(tracked).not.toBeNull();
    // The head node lost its first entry; the others are the RPUSH cut's.
    expect(tracked!.map((node) => node.count)).toEqual([before[0]!.count - 1, ...before.slice(1).map((node) => node.count)]);
  });

  it('does not read a longer RPUSH-built list\'s elements at its first pop, LSET, LREM or LINSERT: the list is left untracked', () => {
    for (const change of [
      (list: ListValue) => list.popHead(),
      (list: ListValue) => list.popTail(),
      (list: ListValue) => list.set(3, 'x'),
      (list: ListValue) => list.replaceAll(['a', 'b']),
    ]) {
      const list = rpushBuilt(-2, MATERIALIZE_MAX_ELEMENTS + 1);
      const shared = list.quicklist!;
      const reads = vi.spyOn(list, 'at');
      change(list);
      expect(reads).not.toHaveBeenCalled();
      expect(list.quicklist).toBe(shared.inexact());
      expect(list.quicklist!.shapes()).toBeNull();
      // Untracked, it is cut as RPUSH would under its own fill (-2), not the one asked (1).
      reads.mockRestore();
      expect(quicklistLayout(list, 1, 1 << 30).length).toBeLessThan(list.length);
    }
  });

  it('LINSERT\'s edit drops a short list\'s nodes without cutting them first', () => {
    const list = rpushBuilt(4, 10);
    const reads = vi.spyOn(list, 'at');
    list.replaceAll(['a', 'b', 'c']);
    expect(reads).not.toHaveBeenCalled();
    expect(list.quicklist!.shapes()).toBeNull();
  });

  it('tracks at most MAX_TRACKED_NODES nodes: one more head node leaves the list untracked', () => {
    const list = new ListValue();
    list.quicklist = QuicklistNodes.forConfig(1, 0, 1 << 30);
    for (let i = 0; i < MAX_TRACKED_NODES; i++) list.pushHead(String(i));
    expect(list.quicklist.shapes()).toHaveLength(MAX_TRACKED_NODES);
    list.pushHead('one more');
    expect(list.quicklist.shapes()).toBeNull();
    expect(quicklistLayout(list, 1, 1 << 30)).toHaveLength(MAX_TRACKED_NODES + 1);
  });

  it('leaves untracked at its first pop a short list with more than MAX_TRACKED_NODES nodes', () => {
    const list = rpushBuilt(1, MAX_TRACKED_NODES + 1);
    list.popHead();
    expect(list.quicklist!.shapes()).toBeNull();
    expect(quicklistLayout(list, 4, 1 << 30)).toHaveLength(MAX_TRACKED_NODES);
  });
});
