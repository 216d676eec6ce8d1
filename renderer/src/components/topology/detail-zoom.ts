/**
 * Semantic zoom for the topology graph: below this zoom a card's 12-pixel
 * figures render under 7 pixels and cannot be read, so the graph shows
 * roles, health and coloured links only (the table has every figure), and
 * the live figures stop updating, which keeps a 60-node poll cheap.
 */
import type { ComputedRef, InjectionKey } from 'vue';

export const DETAIL_ZOOM = 0.6;
export const DETAIL_KEY: InjectionKey<ComputedRef<boolean>> = Symbol('topology-detail');
