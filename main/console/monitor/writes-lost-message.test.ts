import { describe, expect, it } from 'vitest';
import { writesLostMessage, type WritesLost } from './writes-lost';

/** A loss as the tracker builds it: the old master's stream past the new master's second_repl_offset. */
const loss = (bound: WritesLost['bound'], datasetChanges: number | null): WritesLost => ({
  oldMasterId: '127.0.0.1:7000',
  newMasterId: '127.0.0.1:7001',
  history: '8c1d3f0e9a2b4c5d6e7f8091a2b3c4d5e6f70819',
  fromOffset: 2300,
  toOffset: 4173,
  bytes: 1874,
  bound,
  promotedAt: 0,
  datasetChanges,
});

describe('writesLostMessage', () => {
  it('with an exact end, the count of changes covers every lost byte', () => {
    const message = writesLostMessage(loss('exact', 3));
    expect(message).toContain('writes lost in failover: 1874 bytes between offsets 2300 and 4173 (at most 3 changes to its dataset, by its INFO rdb_changes_since_last_save)');
    expect(message).not.toContain('last polled');
  });

  it('with only a lower bound of the end, the count says it stops at the last polled offset', () => {
    const message = writesLostMessage(loss('at-least', 3));
    expect(message).toContain('writes lost in failover: at least 1874 bytes between offsets 2300 and 4173 (at most 3 changes to its dataset up to offset 4173, the last polled, by its INFO rdb_changes_since_last_save; what it took after that was not read)');
    // Not the exact case's words, which claim the count covers the whole loss.
    expect(message).not.toContain('to its dataset, by its INFO');
    expect(writesLostMessage(loss('at-least', 1))).toContain('(at most 1 change to its dataset up to offset 4173, the last polled,');
  });

  it('with no count, says nothing of changes either way', () => {
    expect(writesLostMessage(loss('at-least', null))).not.toContain('change');
    expect(writesLostMessage(loss('exact', null))).not.toContain('change');
  });
});
