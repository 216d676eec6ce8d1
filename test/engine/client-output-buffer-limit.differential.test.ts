/**
 * client-output-buffer-limit against redis-server 7.0.15
 * (updateClientOutputBufferLimit): a CONFIG SET or a startup line names
 * some classes and the others keep their limits (CONFIG GET always prints
 * all three); the value is split on single spaces and checked group by
 * group, class first, then hard and soft (memtoull: units, saturation,
 * wrapping) and the seconds (strtoll into an int, not negative), each
 * failure with its own error text; and limits a later CONFIG SET did not
 * name are still enforced (a pubsub subscriber that reads nothing is
 * closed).
 */
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';
import { waitFor } from '../support/wait';

const VALUES = [
  'normal 1k 2mb 3', 'replica 1 2 3', 'slave 4 5 6 pubsub 7 8 9', 'NORMAL 1 2 3', 'normal 1 2 3 normal 4 5 6',
  '', '   ', 'normal  1 2', 'bogus 1 2 3', 'master 1 2 3', 'normal x 2 3', 'normal 1 -2 3', 'normal 1 2 -3', 'normal 1 2 3.5',
  'normal 1 2 3gb', 'pubsub 1gb 2GB 3', 'normal x 2 3 bogus 1 2 3', 'bogus 1 2 3 normal x 2 3', 'slave 1 2 3 pubsub 1 2',
  'normal kb 0 0', 'normal +5 0 0', 'normal 00012 1 1', 'normal 1 2 +3', 'normal 1 2 -0', 'normal 1 2 \t4', 'normal 1 2 +',
  'normal 1 2 2147483648', 'normal 1 2 4294967297', 'normal 1 2 9223372036854775808',
  'normal 18446744073709551615 1 1', 'normal 18446744073709551616 1 1', 'normal 18446744073709551615k 1 1',
  `normal ${'9'.repeat(127)} 1 1`, `normal ${'1'.repeat(128)} 1 1`,
  'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60',
];

describe('CONFIG SET client-output-buffer-limit against redis-server', () => {
  const peers = differentialPair();

  it('merges the named classes into the others, with every error text in its order', async () => {
    const steps: Step[] = VALUES.flatMap((value) => [
      step('CONFIG', 'SET', 'client-output-buffer-limit', value),
      step('CONFIG', 'GET', 'client-output-buffer-limit'),
    ]);
    // One bad parameter of several: nothing changes.
    steps.push(step('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1 1 1', 'maxmemory', 'x'), step('CONFIG', 'GET', 'client-output-buffer-limit'));
    expect(await peers.compare(steps)).toEqual([]);
  });

  it('still enforces the pubsub limits after a CONFIG SET naming only the normal class', async () => {
    const closed: boolean[] = [];
    for (const port of [peers.redis.port, peers.ours.port]) {
      const admin = new RespConnection('127.0.0.1', port);
      const subscriber = new Socket();
      try {
        await admin.ok('CONFIG', 'SET', 'client-output-buffer-limit', 'pubsub 1mb 0 0');
        await admin.ok('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0');
        await new Promise<void>((resolve, reject) => {
          subscriber.once('error', reject);
          subscriber.connect(port, '127.0.0.1', () => resolve());
        });
        subscriber.on('error', () => undefined);
        subscriber.write('*3\r\n$6\r\nCLIENT\r\n$7\r\nSETNAME\r\n$3\r\nsub\r\n*2\r\n$9\r\nSUBSCRIBE\r\n$2\r\nch\r\n');
        await waitFor(async () => String(await admin.call('PUBSUB', 'NUMSUB', 'ch')) === 'ch,1', { what: 'the subscription' });
        // The subscriber reads nothing: 8 MB of messages pile up past its 1 MB hard limit.
        subscriber.pause();
        const message = 'x'.repeat(100_000);
        for (let i = 0; i < 80; i++) await admin.call('PUBLISH', 'ch', message);
        await waitFor(async () => String(await admin.call('PUBSUB', 'NUMSUB', 'ch')) === 'ch,0', { what: 'the subscriber to be closed', timeoutMs: 5000 }).catch(() => undefined);
        closed.push(!String(await admin.call('CLIENT', 'LIST')).includes('name=sub '));
      } finally {
        subscriber.destroy();
        await admin.ok('CONFIG', 'SET', 'client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60');
        admin.close();
      }
    }
    expect(closed).toEqual([true, true]);
  }, 30_000);
});

describe('client-output-buffer-limit lines at startup against redis-server', () => {
  const peers = differentialPair([['client-output-buffer-limit', 'replica 1mb 2mb 3'], ['client-output-buffer-limit', 'pubsub 4 5 6']]);

  it('each line sets its class, the others keep their defaults', async () => {
    expect(await peers.compare([step('CONFIG', 'GET', 'client-output-buffer-limit')])).toEqual([]);
  });
});
