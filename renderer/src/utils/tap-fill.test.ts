import { describe, expect, it } from 'vitest';
import { backlogFill, backlogSizeText } from './tap-fill';

describe('backlogFill', () => {
  it('reads a bare number as MiB and units as typed', () => {
    expect(backlogFill('1', 1024 * 1024, 2 * 1024 * 1024)).toEqual({ bytes: 1024 * 1024, seconds: 1, secondsAtPeak: 0.5 });
    expect(backlogFill('512kb', 1024, 0)).toEqual({ bytes: 512 * 1024, seconds: 512, secondsAtPeak: null });
  });

  it('refuses sizes that are not sizes, and fills nothing at rate 0', () => {
    expect(backlogFill('lots', 1, 1)).toBeNull();
    expect(backlogFill('0', 1, 1)).toBeNull();
    expect(backlogFill('1', 0, 0)).toEqual({ bytes: 1024 * 1024, seconds: null, secondsAtPeak: null });
  });

  it('starts from the master backlog in MiB', () => {
    expect(backlogSizeText(1024 * 1024)).toBe('1');
    expect(backlogSizeText(512 * 1024)).toBe('0.5');
    expect(backlogSizeText(null)).toBe('1');
  });
});
