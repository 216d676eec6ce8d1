/**
 * Alerts: rules a deployment is judged by, and the alerts they fire.
 *
 * Rules are kept per profile, with one set of defaults for profiles that have
 * none of their own (and for the demo). The console service evaluates them
 * from the snapshots and events it already has (main/console/alerts).
 *
 * Invariant (no alert storms): at most one open alert per rule and subject
 * (a node, a link's replica, a split-brain's masters). It is fired once when
 * its condition has held for the rule's `forSeconds` and is cleared when the
 * condition ends; only firing notifies. A condition that comes back after the
 * clear fires a new alert.
 *
 * Conditions that are events, not states (a full resync, writes lost, a
 * Sentinel +odown) clear when nothing new happened for `quietSeconds` (and,
 * for +odown, on Sentinel's -odown or the +switch-master that ends it).
 */
import { z } from 'zod';

export const AlertRuleKind = z.enum([
  'link-down',
  'lag-bytes',
  'ack-age',
  'full-resync',
  'writes-lost',
  'split-brain',
  'backlog-coverage',
  'node-down',
  'sentinel-odown',
  'writes-refused',
  'writable-replica',
]);
export type AlertRuleKind = z.infer<typeof AlertRuleKind>;

const Seconds = z.number().int().min(0).max(86_400);
const Enabled = z.boolean();

export const AlertRules = z.object({
  /** A replica's link not online for more than forSeconds. */
  linkDown: z.object({ enabled: Enabled, forSeconds: Seconds }).strict(),
  /** Byte lag (master offset - the replica's position) over `bytes` for more than forSeconds. */
  lagBytes: z.object({ enabled: Enabled, bytes: z.number().int().min(1).max(1e12), forSeconds: Seconds }).strict(),
  /** Seconds since the replica's last REPLCONF ACK over `seconds` for more than forSeconds. */
  ackAge: z.object({ enabled: Enabled, seconds: z.number().int().min(1).max(3600), forSeconds: Seconds }).strict(),
  fullResync: z.object({ enabled: Enabled }).strict(),
  writesLost: z.object({ enabled: Enabled }).strict(),
  splitBrain: z.object({ enabled: Enabled }).strict(),
  /** A master's backlog holds fewer seconds of writes (at the current rate) than `outageSeconds`, for more than forSeconds. */
  backlogCoverage: z.object({ enabled: Enabled, outageSeconds: z.number().int().min(1).max(86_400), forSeconds: Seconds }).strict(),
  /** A node hung (accepts, does not answer) or unreachable for more than forSeconds. */
  nodeDown: z.object({ enabled: Enabled, forSeconds: Seconds }).strict(),
  sentinelOdown: z.object({ enabled: Enabled }).strict(),
  /** A master refusing writes (min_slaves_good_slaves below min-replicas-to-write). Defaulted: rules saved before it existed lack it. */
  writesRefused: z.object({ enabled: Enabled }).strict().default({ enabled: true }),
  /**
   * A replica that accepts writes (INFO slave_read_only:0). On by default: a
   * replica is read-only unless someone set replica-read-only no, and what
   * clients write there is lost without an error at its next full sync and
   * never reaches the master; a deployment that means it turns the rule off
   * (or silences it on that node), while one that does not would otherwise
   * learn of it from lost data. A warning, not critical: nothing is refused
   * or lost until something writes there. Defaulted: rules saved before it
   * existed lack it.
   */
  writableReplica: z.object({ enabled: Enabled }).strict().default({ enabled: true }),
  /** Event alerts (full resync, writes lost, +odown without its end) clear after this long without a repeat. */
  quietSeconds: z.number().int().min(5).max(86_400),
}).strict();
export type AlertRules = z.infer<typeof AlertRules>;

export const DEFAULT_ALERT_RULES: AlertRules = {
  linkDown: { enabled: true, forSeconds: 10 },
  lagBytes: { enabled: true, bytes: 8 * 1024 * 1024, forSeconds: 30 },
  ackAge: { enabled: true, seconds: 10, forSeconds: 10 },
  fullResync: { enabled: true },
  writesLost: { enabled: true },
  splitBrain: { enabled: true },
  backlogCoverage: { enabled: true, outageSeconds: 60, forSeconds: 60 },
  nodeDown: { enabled: true, forSeconds: 10 },
  sentinelOdown: { enabled: true },
  writesRefused: { enabled: true },
  writableReplica: { enabled: true },
  quietSeconds: 120,
};

export const AlertSeverity = z.enum(['warning', 'critical']);
export type AlertSeverity = z.infer<typeof AlertSeverity>;

export const Alert = z.object({
  id: z.string(),
  sessionId: z.string(),
  rule: AlertRuleKind,
  /** What the alert is about: a node id, or for a split-brain its masters joined by ", ". */
  subject: z.string(),
  /** The node to select when the alert is opened (null when none is one). */
  nodeId: z.string().nullable(),
  severity: AlertSeverity,
  /** A short headline ("Link down", "Split-brain"...). */
  title: z.string(),
  /** What happened, with the figures and the threshold it crossed. */
  message: z.string(),
  firedAt: z.number(),
  /** null while firing. */
  clearedAt: z.number().nullable(),
  acknowledgedAt: z.number().nullable(),
  /** Fired while a silence covered it: listed, but neither notified nor counted as unread. */
  silenced: z.boolean(),
});
export type Alert = z.infer<typeof Alert>;

/**
 * What a silence covers: one rule of one session, on one subject (a node, a
 * split-brain's masters), or on every subject of the session (all nodes)
 * when `subject` is null. One silence per rule and subject: silencing again
 * replaces it (a new end time).
 */
export const SilenceRef = z.object({
  sessionId: z.string().min(1).max(64),
  rule: AlertRuleKind,
  /** null: the rule on every node of the session. */
  subject: z.string().min(1).max(512).nullable(),
}).strict();
export type SilenceRef = z.infer<typeof SilenceRef>;

/** A silence running until a time (ms). */
export const AlertSilence = SilenceRef.extend({ until: z.number() }).strict();
export type AlertSilence = z.infer<typeof AlertSilence>;

export const SilenceRequest = SilenceRef.extend({ minutes: z.number().int().min(1).max(7 * 24 * 60) }).strict();
export type SilenceRequest = z.infer<typeof SilenceRequest>;

/** Per session, what a fleet view shows. */
export const AlertSummary = z.object({
  sessionId: z.string(),
  /** Alerts firing now (silenced ones included). */
  firing: z.number(),
  /** Alerts not acknowledged and not silenced, firing or cleared. */
  unacknowledged: z.number(),
  /** The worst severity firing now, null when none is. */
  worstFiring: AlertSeverity.nullable(),
  lastFiredAt: z.number().nullable(),
});
export type AlertSummary = z.infer<typeof AlertSummary>;

/** Rules of one profile; profileId null means the defaults. */
export const AlertRulesRef = z.object({ profileId: z.string().min(1).max(64).nullable() }).strict();
export const SetAlertRulesRequest = z.object({
  profileId: z.string().min(1).max(64).nullable(),
  /** null: the profile follows the defaults again (not allowed for the defaults themselves). */
  rules: AlertRules.nullable(),
}).strict();
export type SetAlertRulesRequest = z.infer<typeof SetAlertRulesRequest>;
export const AlertRulesAnswer = z.object({
  profileId: z.string().nullable(),
  rules: AlertRules,
  /** false when the profile follows the defaults. */
  custom: z.boolean(),
});
export type AlertRulesAnswer = z.infer<typeof AlertRulesAnswer>;
