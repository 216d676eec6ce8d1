/** Event kinds grouped for the timeline filter, with labels and the colour class of their markers. */
import type { CauseCode, EventKind } from '../api/contract';

export const EVENT_CATEGORIES = ['links', 'resyncs', 'roles', 'sentinel', 'config', 'operator'] as const;
export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const CATEGORY_LABELS: Record<EventCategory, string> = {
  links: 'Link drops and reconnects',
  resyncs: 'Resyncs',
  roles: 'Promotions, failovers, split-brain',
  sentinel: 'Sentinel notices',
  config: 'Config changes',
  operator: 'Actions and chaos',
};

export const EVENT_META: Record<EventKind, { label: string; category: EventCategory; tone: 'bad' | 'warn' | 'good' | 'info' | 'role' }> = {
  'link-down': { label: 'Link down', category: 'links', tone: 'warn' },
  'link-up': { label: 'Link up', category: 'links', tone: 'good' },
  'output-buffer-disconnect': { label: 'Output-buffer disconnect', category: 'links', tone: 'bad' },
  'timeout-disconnect': { label: 'Timeout disconnect', category: 'links', tone: 'warn' },
  'node-unreachable': { label: 'Node unreachable', category: 'links', tone: 'bad' },
  'node-reachable': { label: 'Node reachable', category: 'links', tone: 'good' },
  'node-crashed': { label: 'Node crashed', category: 'links', tone: 'bad' },
  'full-resync': { label: 'Full resync', category: 'resyncs', tone: 'bad' },
  'partial-resync': { label: 'Partial resync', category: 'resyncs', tone: 'good' },
  'partial-resync-refused': { label: 'Partial resync refused', category: 'resyncs', tone: 'bad' },
  'sync-started': { label: 'Sync started', category: 'resyncs', tone: 'info' },
  'sync-finished': { label: 'Sync finished', category: 'resyncs', tone: 'good' },
  'sync-failed': { label: 'Sync failed', category: 'resyncs', tone: 'bad' },
  promotion: { label: 'Promotion', category: 'roles', tone: 'role' },
  demotion: { label: 'Demotion', category: 'roles', tone: 'role' },
  'replid-change': { label: 'Replication id changed', category: 'roles', tone: 'role' },
  'role-change': { label: 'Role change', category: 'roles', tone: 'role' },
  'config-change': { label: 'Config change', category: 'config', tone: 'info' },
  action: { label: 'Operator action', category: 'operator', tone: 'info' },
  chaos: { label: 'Chaos', category: 'operator', tone: 'warn' },
  sentinel: { label: 'Sentinel', category: 'sentinel', tone: 'info' },
  'writes-lost': { label: 'Writes lost in failover', category: 'roles', tone: 'bad' },
  'split-brain': { label: 'Split-brain', category: 'roles', tone: 'bad' },
  'split-brain-ended': { label: 'Split-brain over', category: 'roles', tone: 'good' },
  'writes-refused': { label: 'Writes refused (NOREPLICAS)', category: 'links', tone: 'bad' },
  'writes-accepted': { label: 'Writes accepted again', category: 'links', tone: 'good' },
  'replica-writable': { label: 'Replica writable', category: 'config', tone: 'bad' },
  'replica-read-only': { label: 'Replica read-only again', category: 'config', tone: 'good' },
};

export { CAUSE_LABELS } from '../../../shared/contract/cause-labels';

/** Kinds whose cause is the point of the event: for these "cause unknown" is shown, for the others only a known cause is. */
const CAUSE_MATTERS: ReadonlySet<EventKind> = new Set<EventKind>(['full-resync', 'link-down', 'partial-resync-refused', 'sync-failed', 'timeout-disconnect', 'output-buffer-disconnect', 'node-unreachable', 'node-crashed', 'promotion', 'demotion']);

export function showsCause(kind: EventKind, cause: CauseCode): boolean {
  if (kind === 'sentinel') return false; // a Sentinel notice is Sentinel's by definition
  return cause !== 'unknown' || CAUSE_MATTERS.has(kind);
}
