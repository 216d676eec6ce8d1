/**
 * CONFIG SET grammar against redis-server 7.0.15: an odd number of
 * arguments past the arity is a syntax error; "save" is split on single
 * spaces into "<seconds> <changes>" pairs, each strtoll to its end (an
 * empty argument is 0), seconds at least 1, changes at least 0, printed
 * back as a time_t and an int; sanitize-dump-payload is the enum no, yes,
 * clients.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

const SAVES = [
  '', '10 1 10 1', '  10   5  ', '10 ', '10 -1', '0 1', 'x 1', '10 1 20', '+10 +1', '-0 1', '10 -0', '010 02', '10\t 1',
  '99999999999999999999 1', '10 4294967297', '10 4294967295', '10 2147483648', '3600 1 300 100 60 10000',
];

describe('CONFIG SET grammar against redis-server', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    const steps: Step[] = [
      step('CONFIG', 'SET', 'maxmemory', '1', 'hz'), step('CONFIG', 'SET', 'maxmemory', '1', 'hz', '10', 'save'), step('CONFIG', 'GET', 'maxmemory'),
      ...SAVES.flatMap((value) => [step('CONFIG', 'SET', 'save', value), step('CONFIG', 'GET', 'save')]),
      ...['maybe', 'clients', 'CLIENTS', 'yes', 'no'].flatMap((value) => [step('CONFIG', 'SET', 'sanitize-dump-payload', value), step('CONFIG', 'GET', 'sanitize-dump-payload')]),
      step('CONFIG', 'SET', 'save', '3600 1 300 100 60 10000'), step('CONFIG', 'SET', 'maxmemory', '0'),
    ];
    expect(await peers.compare(steps, protocol)).toEqual([]);
  });
});
