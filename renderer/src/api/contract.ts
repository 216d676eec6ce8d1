/**
 * The renderer's window onto shared/contract. Types only, plus the series
 * helpers (plain functions, no zod): importing the schema modules would put
 * zod and every schema into the bundle for nothing, since main validates
 * everything that crosses the boundary.
 */
export type * from '../../../shared/contract/api';
export type * from '../../../shared/contract/actions';
export type * from '../../../shared/contract/alerts';
export type * from '../../../shared/contract/bridge';
export type * from '../../../shared/contract/demo';
export type * from '../../../shared/contract/envelope';
export type * from '../../../shared/contract/events';
export type * from '../../../shared/contract/node-facts';
export type * from '../../../shared/contract/fleet';
export type * from '../../../shared/contract/history-archive';
export type * from '../../../shared/contract/metrics';
export type * from '../../../shared/contract/incident-bundle';
export type * from '../../../shared/contract/profiles';
export type * from '../../../shared/contract/sessions';
export { answeredByServer } from '../../../shared/contract/sessions';
export { aclRefusal } from '../../../shared/contract/acl-refusal';
export type * from '../../../shared/contract/settings';
export type * from '../../../shared/contract/snapshots';
export type * from '../../../shared/contract/min-replicas';
export { NOREPLICAS_ERROR, STALE_READS_REFUSED_TEXT, WRITABLE_REPLICA_TEXT, writeRefusalText } from '../../../shared/contract/min-replicas-text';
export type * from '../../../shared/contract/tap';
export { LINK_METRICS, NODE_METRICS, linkSeriesId, nodeSeriesId, seriesValuesOf } from '../../../shared/contract/series';
export { compareEventTimes } from '../../../shared/contract/event-order';
export { DEMO_BACKLOG_BYTES } from '../../../shared/contract/demo';
export { backlogFillRatio, backlogHeadroomBytes } from '../../../shared/contract/backlog-window';
export { BACKLOG_SAFETY_FACTOR, recommendBacklogBytes, recommendationRate } from '../../../shared/contract/backlog-recommendation';
export type { LinkMetric, NodeMetric } from '../../../shared/contract/series';

/** The error codes of the envelope, repeated as a value (envelope.ts's list sits next to zod). */
export const KNOWN_ERROR_CODES = [
  'invalid-request',
  'unknown-method',
  'not-found',
  'unreachable',
  'auth-failed',
  'permission-denied',
  'forbidden-by-safety-mode',
  'confirmation-required',
  'stale-preflight',
  'conflict',
  'timeout',
  'internal',
] as const;
