import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step } from '../support/differential';

const peers = differentialPair();

const script = [
  step('PING'),
  step('PING', 'hello'),
  step('PING', 'a', 'b'),
  step('ECHO', 'x'),
  step('ECHO'),
  step('SELECT', '1'),
  step('SELECT', '16'),
  step('SELECT', '-1'),
  step('SELECT', 'x'),
  step('SELECT', '0'),
  step('NOSUCH', 'a', 'b'),
  step('nosuch'),
  step('SET', 'k', 'v'),
  step('GET', 'k'),
  step('GET', 'missing'),
  step('GET'),
  step('AUTH', 'x'),
  step('AUTH', 'a', 'b', 'c'),
  step('HELLO', '4'),
  step('HELLO', 'x'),
];

describe('connection commands match redis-server', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    const mismatches = await peers.compare(script, protocol);
    expect(mismatches).toEqual([]);
  });
});
