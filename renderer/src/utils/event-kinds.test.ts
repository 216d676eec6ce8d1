import { describe, expect, it } from 'vitest';
import { showsCause } from './event-kinds';

describe('which events show their cause', () => {
  it('a known cause is always shown', () => {
    expect(showsCause('link-up', 'network')).toBe(true);
    expect(showsCause('partial-resync', 'chaos')).toBe(true);
  });

  it('"cause unknown" only where the cause is the point of the event', () => {
    expect(showsCause('full-resync', 'unknown')).toBe(true);
    expect(showsCause('link-down', 'unknown')).toBe(true);
    expect(showsCause('sync-finished', 'unknown')).toBe(false);
    expect(showsCause('link-up', 'unknown')).toBe(false);
    expect(showsCause('partial-resync', 'unknown')).toBe(false);
  });
});
