/**
 * Charts on a slow window (an hour: several seconds per pixel column) only
 * redraw once the plot would move by a pixel. Every chart of a panel reaches
 * that point after the same poll, so they would all redraw in one update and
 * make it the slow one. Each chart instead takes a slot: its redraws are due
 * on a grid of pixel periods shifted by the slot, a little over one poll
 * apart, so a panel's charts redraw after different polls (each a pixel's
 * worth late at most, the newest rows are never dropped).
 */
const SLOT_SPACING_MS = 1100;
const SLOTS = 4;
let nextSlot = 0;

/** The offset of a newly created chart's redraw grid, in ms. */
export function takeDrawSlot(): number {
  const slot = nextSlot;
  nextSlot = (nextSlot + 1) % SLOTS;
  return slot * SLOT_SPACING_MS;
}

/**
 * When the redraw after `lastDrawAt` is due: the next point of the grid
 * `offset + k * pixelMs` after it (all times in performance.now() ms).
 */
export function nextDrawDue(lastDrawAt: number, pixelMs: number, offsetMs: number): number {
  const offset = offsetMs % pixelMs;
  return (Math.floor((lastDrawAt - offset) / pixelMs) + 1) * pixelMs + offset;
}
