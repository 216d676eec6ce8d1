import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ListValue } from './list-value';

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
});
