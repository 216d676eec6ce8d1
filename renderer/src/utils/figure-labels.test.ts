import { describe, expect, it } from 'vitest';
import { figureLabel, outcomeText } from './figure-labels';

describe('figure labels', () => {
  it('says an outcome id in words', () => {
    expect(outcomeText('partial-resync')).toBe('partial resync');
    expect(outcomeText('timed-out')).toBe('timed out');
  });

  it('labels known keys with their INFO field and spells out the rest', () => {
    expect(figureLabel('syncPartialOkDelta')).toBe('Partial resyncs accepted (sync_partial_ok change)');
    expect(figureLabel('offsetAfter')).toBe('Offset after');
    expect(figureLabel('replicaOffset')).toBe('Replica offset');
  });
});
