import type { LinkSnapshot } from '../../../shared/contract/snapshots';
import { formatSeconds } from './format';

/** What the console says for a link's catch-up: "falling behind" when the lag is not closing (shared/contract/catch-up.ts), else the time. */
export const FALLING_BEHIND = 'falling behind';

export function formatCatchUp(link: Pick<LinkSnapshot, 'catchUpSeconds' | 'fallingBehind'>): string {
  return link.fallingBehind ? FALLING_BEHIND : formatSeconds(link.catchUpSeconds);
}
