/** A session is one attached deployment (a profile, or the demo) being polled. */
import { z } from 'zod';
import { DeploymentKind, EnvironmentTag, SafetyMode } from './profiles';

/** What the connected user may do, from the connect-time preflight. */
export const Capabilities = z.object({
  /** command (or "container|sub") -> allowed. */
  commands: z.record(z.string(), z.boolean()),
  /** Console features and whether this user can use them, with the reason when not. */
  features: z.array(z.object({ feature: z.string(), available: z.boolean(), reason: z.string().nullable() })),
  /** command -> ACL DRYRUN's own answer for a command it refused ("This user has no permissions to run the '...' command"). */
  dryrunAnswers: z.record(z.string(), z.string()).default({}),
  /**
   * The node's refusal of ACL DRYRUN itself (NOPERM line) when the user may
   * not ask it: the admin commands were then not checked, so they are not
   * allowed, but not known to be denied either.
   */
  uncheckedBecause: z.string().nullable().default(null),
});
export type Capabilities = z.infer<typeof Capabilities>;

export const SessionInfo = z.object({
  sessionId: z.string(),
  profileId: z.string().nullable(),
  name: z.string(),
  kind: z.union([DeploymentKind, z.literal('demo')]),
  environment: EnvironmentTag,
  safetyMode: SafetyMode,
  connectedAt: z.number(),
  capabilities: Capabilities,
  /** Warnings to show (insecure TLS, secrets not persisted, SSH host key unknown...). */
  warnings: z.array(z.string()),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

/** Which part of a profile a connection problem points at (the form shows the problem next to it). */
export const ProfileFieldName = z.enum([
  'name', 'kind', 'seeds', 'sentinelMasterName', 'username', 'password', 'sentinelUsername', 'sentinelPassword',
  'tls', 'tlsCaFile', 'tlsCertFile', 'tlsKeyFile', 'tlsServername', 'ssh',
]);
export type ProfileFieldName = z.infer<typeof ProfileFieldName>;

/**
 * Why a connection failed, in plain words: what happened (`summary`), the
 * likely fix (`fix`), the profile field it concerns, and the underlying
 * error as Redis, Node or OpenSSL gave it (`detail`).
 */
export const ConnectionProblem = z.object({
  kind: z.string(),
  summary: z.string(),
  fix: z.string().nullable(),
  field: ProfileFieldName.nullable(),
  detail: z.string(),
});
export type ConnectionProblem = z.infer<typeof ConnectionProblem>;

/**
 * Problem kinds (main/console/monitor/connection-failure.ts) where the
 * server answered with an error reply (WRONGPASS, NOAUTH, NOPERM, DENIED,
 * LOADING, BUSY, "max number of clients reached", a refused SENTINEL
 * command or master group name): it was reached, and `detail` is its reply.
 */
export const SERVER_ANSWER_KINDS = [
  'wrong-password', 'password-required', 'password-not-needed', 'no-permission', 'protected-mode',
  'loading', 'busy', 'max-clients', 'not-a-sentinel', 'unknown-master-group',
] as const;
export type ServerAnswerKind = (typeof SERVER_ANSWER_KINDS)[number];

/** True when the problem is an error reply of the server: the server was reached. */
export function answeredByServer(problem: Pick<ConnectionProblem, 'kind'>): boolean {
  return (SERVER_ANSWER_KINDS as readonly string[]).includes(problem.kind);
}

export const TestConnectionResult = z.object({
  /** The server answered, even if only with an error (WRONGPASS, NOAUTH, ...: answeredByServer) or as the wrong kind of server. */
  reachable: z.boolean(),
  /** One sentence: what was reached, or what went wrong and the likely fix. */
  message: z.string(),
  /** Set when the test failed (or reached the wrong kind of server). */
  problem: ConnectionProblem.nullable(),
  role: z.string().nullable(),
  version: z.string().nullable(),
  latencyMs: z.number().nullable(),
  capabilities: Capabilities.nullable(),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResult>;
