/**
 * CONFIG SET grammar against redis-server 7.0.15: an odd number of
 * arguments past the arity is a syntax error; "save" is split on single
 * spaces into "<seconds> <changes>" pairs, each strtoll to its end (an
 * empty argument is 0), seconds at least 1, changes at least 0, printed
 * back as a time_t and an int; sanitize-dump-payload is the enum no, yes,
 * clients. The other values of several arguments (oom-score-adj-values,
 * latency-tracking-info-percentiles, shutdown-on-sigint) are split on
 * single spaces too: an extra space is an empty argument, which each
 * checks as it checks any.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

const SAVES = [
  '', '10 1 10 1', '  10   5  ', '10 ', '10 -1', '0 1', 'x 1', '10 1 20', '+10 +1', '-0 1', '10 -0', '010 02', '10\t 1',
  '99999999999999999999 1', '10 4294967297', '10 4294967295', '10 2147483648', '3600 1 300 100 60 10000',
];

const MULTI_ARGUMENT = [
  ['oom-score-adj-values', '0 200  800'], ['oom-score-adj-values', ' 0 200 800'], ['oom-score-adj-values', '0 200 800 '], ['oom-score-adj-values', '0  200'],
  ['oom-score-adj-values', '+1 -0 \t5'], ['oom-score-adj-values', '1 2 2001'], ['oom-score-adj-values', '0 200 800'],
  ['latency-tracking-info-percentiles', '50  99'], ['latency-tracking-info-percentiles', ' 50'], ['latency-tracking-info-percentiles', '50 '],
  ['latency-tracking-info-percentiles', ''], ['latency-tracking-info-percentiles', '50 99 99.9'],
  ['shutdown-on-sigint', 'nosave  now'], ['shutdown-on-sigint', ' now'], ['shutdown-on-sigint', 'now '], ['shutdown-on-sigint', ''], ['shutdown-on-sigint', 'default'],
];

describe('CONFIG SET grammar against redis-server', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    const steps: Step[] = [
      step('CONFIG', 'SET', 'maxmemory', '1', 'hz'), step('CONFIG', 'SET', 'maxmemory', '1', 'hz', '10', 'save'), step('CONFIG', 'GET', 'maxmemory'),
      ...SAVES.flatMap((value) => [step('CONFIG', 'SET', 'save', value), step('CONFIG', 'GET', 'save')]),
      ...['maybe', 'clients', 'CLIENTS', 'yes', 'no'].flatMap((value) => [step('CONFIG', 'SET', 'sanitize-dump-payload', value), step('CONFIG', 'GET', 'sanitize-dump-payload')]),
      ...MULTI_ARGUMENT.flatMap(([name, value]) => [step('CONFIG', 'SET', name!, value!), step('CONFIG', 'GET', name!)]),
      step('CONFIG', 'SET', 'save', '3600 1 300 100 60 10000'), step('CONFIG', 'SET', 'maxmemory', '0'),
    ];
    expect(await peers.compare(steps, protocol)).toEqual([]);
  });
});
