/** A session is one attached deployment (a profile, or the demo) being polled. */
import { z } from 'zod';
import { DeploymentKind, EnvironmentTag, SafetyMode } from './profiles';

/** What the connected user may do, from the connect-time preflight. */
export const Capabilities = z.object({
  /** command (or "container|sub") -> allowed. */
  commands: z.record(z.string(), z.boolean()),
  /** Console features and whether this user can use them, with the reason when not. */
  features: z.array(z.object({ feature: z.string(), available: z.boolean(), reason: z.string().nullable() })),
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

export const TestConnectionResult = z.object({
  reachable: z.boolean(),
  message: z.string(),
  role: z.string().nullable(),
  version: z.string().nullable(),
  latencyMs: z.number().nullable(),
  capabilities: Capabilities.nullable(),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResult>;
