/**
 * CLIENT LIST's filters against redis-server 7.0.15: TYPE with exactly one
 * value or ID with one or more, never both, nothing else after them (a
 * syntax error); any int64 is a valid ID (0 and negatives list nobody),
 * anything else "Invalid client ID"; IDs list in the order given, as often
 * as given. Client lines differ between the servers (ids, addresses,
 * ages): compared are the errors and how many lines come back.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';

const peers = differentialPair();

/** An error as its text, a list as its number of lines. */
const lines = (raw: Buffer): string => {
  const text = raw.toString('latin1');
  if (text.startsWith('-')) return text;
  return `lines:${text.split('\n').filter((line) => line.startsWith('id=')).length}`;
};

const LISTS = [
  ['ID', '0'], ['ID', '-5'], ['ID', '9223372036854775807'], ['ID', '9223372036854775808'], ['ID', 'x'], ['ID', '+5'], ['ID', '05'], ['ID', '1', 'x'],
  ['ID'], ['TYPE'], ['TYPE', 'normal'], ['TYPE', 'NORMAL'], ['TYPE', 'master'], ['TYPE', 'replica'], ['TYPE', 'slave'], ['TYPE', 'pubsub'], ['TYPE', 'bogus'],
  ['TYPE', 'normal', 'ID', '1'], ['ID', '1', 'TYPE', 'normal'], ['TYPE', 'normal', 'extra'], ['bogus'], [],
];

describe('CLIENT LIST filters match redis-server', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    const steps: Step[] = LISTS.map((args) => ({ cmd: ['CLIENT', 'LIST', ...args], compare: lines }));
    expect(await peers.compare(steps, protocol)).toEqual([]);
  });

  it('lists IDs in the order given, as often as given', async () => {
    const observed: string[][] = [];
    for (const port of [peers.redis.port, peers.ours.port]) {
      const first = new RespConnection('127.0.0.1', port);
      const second = new RespConnection('127.0.0.1', port);
      try {
        const [a, b] = [String(await first.call('CLIENT', 'ID')), String(await second.call('CLIENT', 'ID'))];
        const listed = String(await first.call('CLIENT', 'LIST', 'ID', b, a, b, '0'));
        observed.push(listed.split('\n').filter((line) => line !== '').map((line) => (line.startsWith(`id=${a} `) ? 'first' : line.startsWith(`id=${b} `) ? 'second' : line)));
      } finally {
        first.close();
        second.close();
      }
    }
    expect(observed[0]).toEqual(['second', 'first', 'second']);
    expect(observed[1]).toEqual(observed[0]);
  });
});
