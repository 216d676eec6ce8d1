import type { LinkSnapshot } from '../../../shared/contract/snapshots';
import { formatSeconds } from './format';

/** What the console says for a link's catch-up: "falling behind" when the lag is not closing (shared/contract/catch-up.ts), else the time. */
export const FALLING_BEHIND = 'falling behind';

export function formatCatchUp(link: Pick<LinkSnapshot, 'catchUpSeconds' | 'fallingBehind'>): string {
  return link.fallingBehind ? FALLING_BEHIND : formatSeconds(link.catchUpSeconds);
}

/** What the console says for "out of backlog in" while the replica applies: "not while it keeps up" when its lag is not growing, else the time (outOfBacklog). */
export const NOT_WHILE_IT_KEEPS_UP = 'not while it keeps up';

export function formatOutOfBacklog(link: Pick<LinkSnapshot, 'secondsUntilOutOfBacklog' | 'staysInBacklog'>): string {
  return link.staysInBacklog ? NOT_WHILE_IT_KEEPS_UP : formatSeconds(link.secondsUntilOutOfBacklog);
}
