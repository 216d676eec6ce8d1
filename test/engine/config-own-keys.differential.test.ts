/**
 * Config lookup tables match only their own names, as redis-server 7.0.15's
 * string compares do: a client class, a memory unit or a proc-title variable
 * named like an Object.prototype member ("constructor", "__proto__",
 * "toString") is unknown, not a function that slips through.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

const INHERITED = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

describe('config lookups against redis-server: inherited names', () => {
  it.each([2, 3] as const)('RESP%i', async (protocol) => {
    const steps: Step[] = [
      ...INHERITED.flatMap((name) => [
        step('CONFIG', 'SET', 'client-output-buffer-limit', `${name} 1 2 3`),
        step('CONFIG', 'SET', 'client-output-buffer-limit', `normal 1${name} 0 0`),
        step('CONFIG', 'SET', 'client-output-buffer-limit', `normal 0 1${name} 0`),
        step('CONFIG', 'SET', 'maxmemory', `1${name}`),
        step('CONFIG', 'SET', 'proc-title-template', `{title} {${name}}`),
      ]),
      step('CONFIG', 'GET', 'client-output-buffer-limit'), step('CONFIG', 'GET', 'maxmemory'), step('CONFIG', 'GET', 'proc-title-template'),
    ];
    expect(await peers.compare(steps, protocol)).toEqual([]);
  });
});
