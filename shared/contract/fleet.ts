/**
 * The fleet view (fleet.get): one row per attached session, the figures an
 * operator scans across deployments before opening one. Built in main from
 * each session's latest snapshot and its timeline, so every row is as
 * current as that session's last poll (`polledAt`).
 */
import { z } from 'zod';
import { CauseCode } from './events';
import { DeploymentKind, EnvironmentTag, SafetyMode } from './profiles';

/** The worst value of a link figure across the deployment, and which link has it. */
export const WorstLink = z.object({ value: z.number(), linkId: z.string(), replicaId: z.string() });
export type WorstLink = z.infer<typeof WorstLink>;

export const FleetFullResync = z.object({
  time: z.number(),
  /** The replica that full-synced. */
  replicaId: z.string(),
  masterId: z.string().nullable(),
  cause: CauseCode,
  inferred: z.boolean(),
  message: z.string(),
});
export type FleetFullResync = z.infer<typeof FleetFullResync>;

/**
 * A session's alerts as the fleet shows them, from the alert center's
 * per-session summary (alerts.summary); null only for a session the alert
 * center does not watch. Nothing firing gives zeros, not null.
 */
export const FleetAlerts = z.object({
  /** Alerts firing now (silenced ones included). */
  firing: z.number(),
  /** Alerts neither acknowledged nor silenced. */
  unacknowledged: z.number(),
  worstFiring: z.enum(['warning', 'critical']).nullable(),
});
export type FleetAlerts = z.infer<typeof FleetAlerts>;

export const FleetRow = z.object({
  sessionId: z.string(),
  name: z.string(),
  kind: z.union([DeploymentKind, z.literal('demo')]),
  environment: EnvironmentTag,
  safetyMode: SafetyMode,
  /** When the session's latest snapshot was taken; null before its first poll. */
  polledAt: z.number().nullable(),
  nodes: z.object({ total: z.number(), up: z.number(), masters: z.number(), stale: z.number() }),
  links: z.object({ total: z.number(), down: z.number(), syncing: z.number() }),
  /** Worst byte lag over online links (master offset − replica position). */
  worstLagBytes: WorstLink.nullable(),
  /** Worst ACK age (INFO lag: seconds since the last REPLCONF ACK, not time behind). */
  worstAckAgeSeconds: WorstLink.nullable(),
  /** The latest full resync on the session's timeline. */
  lastFullResync: FleetFullResync.nullable(),
  /** Full resyncs on the timeline in the last 24 hours. */
  fullResyncsLastDay: z.number(),
  splitBrain: z.boolean(),
  alerts: FleetAlerts.nullable(),
});
export type FleetRow = z.infer<typeof FleetRow>;
