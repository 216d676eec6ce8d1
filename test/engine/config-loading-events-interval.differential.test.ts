/**
 * redis-server 7.0.15 knows the hidden integer config
 * loading-process-events-interval-bytes (default 2097152, 1024..INT_MAX, no
 * memory units); Redis's own integration/rdb.tcl sets it. The engine rejected it.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

describe('loading-process-events-interval-bytes against redis-server', () => {
  it('CONFIG GET / SET with its default and bounds', async () => {
    const name = 'loading-process-events-interval-bytes';
    const steps: Step[] = [
      step('CONFIG', 'GET', name),
      step('CONFIG', 'SET', name, '1023'),
      step('CONFIG', 'SET', name, '2mb'),
      step('CONFIG', 'SET', name, '1024'),
      step('CONFIG', 'GET', name),
      step('CONFIG', 'SET', name, '2147483648'),
      step('CONFIG', 'SET', name, '2097152'),
      step('CONFIG', 'GET', name),
    ];
    expect(await peers.compare(steps, 2)).toEqual([]);
  });
});
