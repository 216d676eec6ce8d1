/**
 * CLIENT KILL's filters and their errors against redis-server 7.0.15: ID,
 * TYPE, USER, ADDR, LADDR and SKIPME are the filters of 7.0 (MAXAGE came
 * in a later Redis: a syntax error here), each checked as it is read (a
 * filter without its value is a syntax error only when reached), and the
 * old one-argument form answers "No such client".
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step } from '../support/differential';

const peers = differentialPair();

const script = [
  step('CLIENT', 'KILL', 'MAXAGE', '0'),
  step('CLIENT', 'KILL', 'MAXAGE', '100000'),
  step('CLIENT', 'KILL', 'ID', '0'),
  step('CLIENT', 'KILL', 'ID', 'x'),
  step('CLIENT', 'KILL', 'ID', '999999'),
  step('CLIENT', 'KILL', 'TYPE', 'bogus'),
  step('CLIENT', 'KILL', 'TYPE', 'pubsub'),
  step('CLIENT', 'KILL', 'USER', 'nouser'),
  step('CLIENT', 'KILL', 'SKIPME', 'maybe'),
  step('CLIENT', 'KILL', 'ADDR', '1.2.3.4:5'),
  step('CLIENT', 'KILL', 'LADDR', '1.2.3.4:5', 'SKIPME', 'no'),
  step('CLIENT', 'KILL', 'ID'),
  step('CLIENT', 'KILL', 'ID', '1', 'TYPE'),
  // Filters are read in order: an earlier one's error comes before a later one's missing value.
  step('CLIENT', 'KILL', 'ID', '0', 'TYPE'),
  step('CLIENT', 'KILL', 'TYPE', 'bogus', 'ID'),
  step('CLIENT', 'KILL', 'USER', 'nouser', 'SKIPME'),
  step('CLIENT', 'KILL', 'SKIPME', 'maybe', 'ID'),
  step('CLIENT', 'KILL', 'ID', 'x', 'TYPE', 'normal', 'ADDR'),
  step('CLIENT', 'KILL', 'TYPE', 'normal', 'ID'),
  step('CLIENT', 'KILL', '1.2.3.4:5'),
  step('CLIENT', 'KILL', 'TYPE', 'normal', 'MAXAGE', '1'),
  step('PING'),
];

describe('CLIENT KILL filters match redis-server', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    expect(await peers.compare(script, protocol)).toEqual([]);
  });
});
