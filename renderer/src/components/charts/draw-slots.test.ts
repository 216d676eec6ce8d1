import { describe, expect, it } from 'vitest';
import { nextDrawDue, takeDrawSlot } from './draw-slots';

describe('chart draw slots', () => {
  it('charts created together get slots more than a poll apart', () => {
    const slots = [takeDrawSlot(), takeDrawSlot(), takeDrawSlot()];
    const sorted = [...slots].sort((a, b) => a - b);
    expect(sorted[1]! - sorted[0]!).toBeGreaterThan(1000);
    expect(sorted[2]! - sorted[1]!).toBeGreaterThan(1000);
  });

  it('the next redraw is the next point of the shifted pixel grid, at most one pixel period away', () => {
    expect(nextDrawDue(0, 5000, 1100)).toBe(1100);
    expect(nextDrawDue(1100, 5000, 1100)).toBe(6100);
    expect(nextDrawDue(5999, 5000, 1100)).toBe(6100);
    expect(nextDrawDue(6100, 5000, 2200)).toBe(7200);
    for (let last = 0; last < 20_000; last += 333) {
      const due = nextDrawDue(last, 5000, 2200);
      expect(due).toBeGreaterThan(last);
      expect(due - last).toBeLessThanOrEqual(5000);
      expect((due - 2200) % 5000).toBe(0);
    }
  });

  it('charts in different slots are due at different times', () => {
    const dueA = nextDrawDue(10_000, 5000, 0);
    const dueB = nextDrawDue(10_000, 5000, 1100);
    const dueC = nextDrawDue(10_000, 5000, 2200);
    expect(new Set([dueA % 5000, dueB % 5000, dueC % 5000]).size).toBe(3);
  });
});
