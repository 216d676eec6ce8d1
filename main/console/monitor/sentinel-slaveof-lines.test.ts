import { describe, expect, it } from 'vitest';
import type { ReplicationEvent } from '../../../shared/contract/events';
import type { TopologySnapshot } from '../../../shared/contract/snapshots';
import { parseSentinelNotice } from './sentinel-notice';
import { SentinelSlaveofLines } from './sentinel-slaveof-lines';

const WATCHED = '127.0.0.1:7101';
const ANNOUNCED = '127.0.0.1:7201';

/** One poll reading the watched node the same each time (a SLAVEOF not taking effect). */
const poll = { nodes: [{ id: WATCHED, role: 'master', masterHost: null, masterPort: null, replid: 'a'.repeat(40) }] } as unknown as TopologySnapshot;

function notice(instance: string, time: number) {
  return parseSentinelNotice('127.0.0.1:7300', '+convert-to-slave', `slave ${instance} ${instance.split(':')[0]} ${instance.split(':')[1]} @ group 127.0.0.1 7100`, time);
}

function repeatNote(instance: string, failedExecs: (nodeId: string) => number | null): string {
  const lines = new SentinelSlaveofLines(failedExecs, (address) => (address === ANNOUNCED ? WATCHED : address));
  lines.observe(poll);
  const first = notice(instance, 1_000);
  lines.shown(first, { id: 'e1', time: first.time, message: '+convert-to-slave', numbers: {} } as unknown as ReplicationEvent);
  lines.observe(poll);
  const again = lines.repeat(notice(instance, 2_000));
  expect(again).not.toBeNull();
  return again!.message;
}

describe('SentinelSlaveofLines repeat note', () => {
  it('names the watched node the polls read, with the announced address Sentinel used', () => {
    const message = repeatNote(ANNOUNCED, () => null);
    expect(message).toContain(`; ${WATCHED} (announced as ${ANNOUNCED})'s role, master and replication id read unchanged by every poll`);
  });

  it('names the watched node alone when Sentinel used its address', () => {
    const message = repeatNote(WATCHED, () => null);
    expect(message).toContain(`; ${WATCHED}'s role, master and replication id read unchanged by every poll`);
    expect(message).not.toContain('announced as');
  });

  it('names the watched node whose commandstats counted the failed EXECs', () => {
    let calls = 0;
    const message = repeatNote(ANNOUNCED, () => (calls++ === 0 ? 3 : 5));
    expect(message).toContain(`and ${WATCHED} (announced as ${ANNOUNCED}) counted 2 more failed EXEC`);
  });
});
