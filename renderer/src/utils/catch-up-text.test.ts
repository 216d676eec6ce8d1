import { describe, expect, it } from 'vitest';
import { syntheticLink } from '../../test-support/synthetic-topology';
import { formatCatchUp } from './catch-up-text';
import { linkInfoRows } from './info-fields';

describe('the catch-up shown for a link', () => {
  it('says "falling behind" (not "—") when the lag is not closing, and the time when it is', () => {
    const behind = { ...syntheticLink('m', 'r'), lagBytes: 905 * 1024, catchUpSeconds: null, fallingBehind: true };
    expect(formatCatchUp(behind)).toBe('falling behind');
    expect(linkInfoRows(behind).find((row) => row.field === 'catch-up time')?.value).toBe('falling behind');
    const closing = { ...syntheticLink('m', 'r'), lagBytes: 900 * 1024, catchUpSeconds: 113, fallingBehind: false };
    expect(formatCatchUp(closing)).toBe('1 min 53 s');
    expect(formatCatchUp({ catchUpSeconds: null, fallingBehind: false })).toBe('—');
  });
});
