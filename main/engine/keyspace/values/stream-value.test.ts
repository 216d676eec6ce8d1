/**
 * The stream value against a plain model: random appends (auto, explicit,
 * repeated and changing field sets, integer-looking and long values),
 * deletes and exact/approximate trims, with small node limits; after each
 * operation forward and reverse iteration (whole and over random ranges),
 * length and first/last IDs agree with the model, and every node is a listpack that the RDB checker
 * accepts with the counts the node keeps. Also the exact listpack layout of
 * a two-entry node.
 */
import { describe, expect, it } from 'vitest';
import { checkStreamListpack } from '../../rdb/stream-listpack-check';
import { decodeListpack } from '../../rdb/listpack';
import { compareIds, formatId, type StreamId } from './stream-id';
import { trimStream } from './stream-trim';
import { StreamValue } from './stream-value';

interface ModelEntry {
  readonly id: StreamId;
  readonly fields: string[];
}

function checkNodes(stream: StreamValue): void {
  let live = 0;
  for (const { key, value } of stream.nodes.entries()) {
    expect(value.master).toEqual(key);
    const layout = checkStreamListpack(Buffer.from(value.listpack()));
    expect(layout.live).toBe(value.live);
    expect(layout.deleted).toBe(value.deleted);
    expect(layout.masterFields).toEqual(value.masterFields);
    live += value.live;
  }
  expect(live).toBe(stream.length);
}

function contents(stream: StreamValue, reverse: boolean, start: StreamId | null = null, end: StreamId | null = null): string[] {
  const out: string[] = [];
  const iterator = stream.iterate(start, end, reverse);
  while (iterator.next()) out.push(`${formatId(iterator.entry.id)} ${iterator.fields().join(',')}`);
  return out;
}

describe('StreamValue', () => {
  it('lays a node out as Redis does: master entry, SAMEFIELDS entry, full entry', () => {
    const stream = new StreamValue();
    const limits = { streamNodeMaxBytes: 4096, streamNodeMaxEntries: 100 };
    stream.append(['a', '1', 'b', 'x'], 0, { ms: 5, seq: 1 }, limits);
    stream.append(['a', '2', 'b', 'y'], 0, { ms: 7, seq: 0 }, limits);
    stream.append(['c', 'z'], 0, { ms: 7, seq: 1 }, limits);
    const node = stream.nodes.first()!.value;
    expect(decodeListpack(Buffer.from(node.listpack()))).toEqual([
      '3', '0', '2', 'a', 'b', '0',
      '2', '0', '0', '1', 'x', '5',
      '2', '2', '-1', '2', 'y', '5',
      '0', '2', '0', '1', 'c', 'z', '6',
    ]);
    expect(stream.deleteEntry({ ms: 7, seq: 0 })).toBe(true);
    expect(decodeListpack(Buffer.from(node.listpack())).slice(0, 2)).toEqual(['2', '1']);
    expect(decodeListpack(Buffer.from(node.listpack()))[12]).toBe('3');
  });

  it('matches a model under random appends, deletes and trims with small nodes', () => {
    let seed = 99;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const limits of [{ streamNodeMaxBytes: 4096, streamNodeMaxEntries: 3 }, { streamNodeMaxBytes: 90, streamNodeMaxEntries: 0 }, { streamNodeMaxBytes: 0, streamNodeMaxEntries: 130 }]) {
      const stream = new StreamValue();
      let model: ModelEntry[] = [];
      let clock = 1000;
      for (let step = 0; step < 1500; step++) {
        const roll = random(20);
        if (roll < 12) {
          const fields = random(3) === 0 ? ['f', String(random(300) - 150), 'long', 'v'.repeat(random(80))] : ['f', String(step)];
          clock += random(3);
          const id = random(4) === 0 ? { ms: clock, seq: 7 } : stream.autoId(clock);
          if (stream.append(fields, 0, id, limits) === 'ok') model.push({ id, fields });
        } else if (roll < 17 && model.length > 0) {
          const victim = model[random(model.length)]!;
          expect(stream.deleteEntries([victim.id])).toBe(1);
          model = model.filter((entry) => entry !== victim);
        } else if (roll < 19) {
          const maxlen = random(model.length + 2);
          const approx = random(2) === 0;
          const deleted = trimStream(stream, { strategy: { kind: 'maxlen', maxlen }, approx, limit: 0 });
          model = model.slice(deleted);
          if (!approx) expect(model.length).toBe(Math.min(model.length, Math.max(maxlen, 0)));
        } else if (model.length > 0) {
          const minid = model[random(model.length)]!.id;
          const deleted = trimStream(stream, { strategy: { kind: 'minid', minid }, approx: false, limit: 0 });
          const kept = model.filter((entry) => compareIds(entry.id, minid) >= 0);
          expect(deleted).toBe(model.length - kept.length);
          model = kept;
        }
        expect(stream.length).toBe(model.length);
        if (step % 25 === 0 || step > 1450) {
          const expected = model.map((entry) => `${formatId(entry.id)} ${entry.fields.join(',')}`);
          expect(contents(stream, false)).toEqual(expected);
          expect(contents(stream, true)).toEqual([...expected].reverse());
          checkNodes(stream);
          if (model.length > 0) {
            expect(stream.firstId).toEqual(model[0]!.id);
            expect(stream.lastValidId()).toEqual(model.at(-1)!.id);
            const middle = model[model.length >> 1]!;
            expect(stream.entry(middle.id)).toEqual(middle.fields);
            // Ranges starting and ending mid-node: on an entry, or at seq 3 of its ms (often between entries).
            for (let range = 0; range < 4; range++) {
              const pick = (): StreamId => {
                const id = model[random(model.length)]!.id;
                return random(2) === 0 ? id : { ms: id.ms, seq: 3 };
              };
              const [start, end] = [pick(), pick()].sort(compareIds) as [StreamId, StreamId];
              const inRange = expected.filter((_, i) => compareIds(model[i]!.id, start) >= 0 && compareIds(model[i]!.id, end) <= 0);
              expect(contents(stream, false, start, end)).toEqual(inRange);
              expect(contents(stream, true, start, end)).toEqual([...inRange].reverse());
            }
          }
        }
      }
    }
  });

  it('clones deeply: the copy does not change with the original', () => {
    const stream = new StreamValue();
    const limits = { streamNodeMaxBytes: 4096, streamNodeMaxEntries: 2 };
    for (let i = 1; i <= 5; i++) stream.append(['n', String(i)], 0, { ms: i, seq: 0 }, limits);
    const copy = stream.clone();
    stream.deleteEntry({ ms: 3, seq: 0 });
    stream.append(['n', '6'], 0, { ms: 6, seq: 0 }, limits);
    expect(contents(copy, false)).toEqual(['1-0 n,1', '2-0 n,2', '3-0 n,3', '4-0 n,4', '5-0 n,5']);
    expect(copy.length).toBe(5);
  });
});
