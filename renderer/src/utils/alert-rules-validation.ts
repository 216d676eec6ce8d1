/**
 * Checks a draft of alert rules against the shared schema (AlertRules, the
 * one main validates with) and says what is wrong in words, per rule, before
 * anything is sent.
 */
import { AlertRules } from '../api/schemas';
import type { AlertRules as AlertRulesValue } from '../api/contract';

/** schema path head -> how the rule is named in a sentence. */
export const RULE_LABELS: Record<keyof AlertRulesValue, string> = {
  linkDown: 'Link down',
  lagBytes: 'Byte lag',
  ackAge: 'ACK age',
  fullResync: 'Full resync',
  writesLost: 'Writes lost in failover',
  splitBrain: 'Split-brain',
  writesRefused: 'Writes refused',
  writableReplica: 'Writable replica',
  backlogCoverage: 'Backlog too small',
  nodeDown: 'Node hung or unreachable',
  sentinelOdown: 'Sentinel +odown',
  quietSeconds: 'Quiet time',
};

const FIELD_LABELS: Record<string, string> = {
  forSeconds: 'its "for more than" time',
  bytes: 'its byte threshold',
  seconds: 'its seconds threshold',
  outageSeconds: 'its outage length',
};

interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly message: string;
}

function sentence(issue: Issue): string {
  const [rule, field] = issue.path.map(String);
  const label = RULE_LABELS[rule as keyof AlertRulesValue] ?? rule ?? 'A rule';
  const what = field === undefined ? '' : ` ${FIELD_LABELS[field] ?? field}`;
  if (issue.code === 'too_small') return `${label}:${what} must be at least ${String(issue.minimum)}.`;
  if (issue.code === 'too_big') return `${label}:${what} must be at most ${String(issue.maximum)}.`;
  if (issue.code === 'invalid_type') return `${label}:${what} must be a whole number.`;
  return `${label}:${what} ${issue.message}.`;
}

/** The draft's problems, one sentence each; empty when the shared schema accepts it. */
export function validateAlertRules(draft: unknown): string[] {
  const parsed = AlertRules.safeParse(draft);
  return parsed.success ? [] : parsed.error.issues.map((issue) => sentence(issue));
}
