import { describe, expect, it } from 'vitest';
import type { FleetRow } from '../api/contract';
import { DEFAULT_SETTINGS } from '../../../shared/contract/settings';
import { assessFleetRow, sortFleetRows } from './fleet-level';

const thresholds = DEFAULT_SETTINGS.thresholds;

function row(name: string, patch: Partial<FleetRow> = {}): FleetRow {
  return {
    sessionId: `s-${name}`, name, kind: 'standalone', environment: 'staging', safetyMode: 'ops', polledAt: 1000,
    nodes: { total: 2, up: 2, masters: 1, stale: 0 }, links: { total: 1, down: 0, syncing: 0 },
    worstLagBytes: { value: 10, linkId: 'm->r', replicaId: 'r' }, worstAckAgeSeconds: { value: 0, linkId: 'm->r', replicaId: 'r' },
    lastFullResync: null, fullResyncsLastDay: 0, splitBrain: false, alerts: null,
    ...patch,
  };
}

describe('assessFleetRow', () => {
  it('a healthy deployment is ok with no reasons; one not polled yet is unknown', () => {
    expect(assessFleetRow(row('a'), thresholds)).toEqual({ level: 'ok', reasons: [] });
    expect(assessFleetRow(row('a', { polledAt: null }), thresholds).level).toBe('unknown');
  });

  it('lag and ACK age follow the thresholds, naming the replica', () => {
    const warn = assessFleetRow(row('a', { worstLagBytes: { value: thresholds.lagBytesWarn, linkId: 'm->r2', replicaId: 'r2' } }), thresholds);
    expect(warn.level).toBe('warn');
    expect(warn.reasons[0]).toMatch(/^lag .* on r2$/);
    expect(assessFleetRow(row('a', { worstAckAgeSeconds: { value: thresholds.ackAgeCriticalSeconds, linkId: 'm->r', replicaId: 'r' } }), thresholds).level).toBe('critical');
  });

  it('links down, nodes not up, split-brain and critical alerts are critical', () => {
    expect(assessFleetRow(row('a', { links: { total: 1, down: 1, syncing: 0 } }), thresholds)).toMatchObject({ level: 'critical', reasons: ['1 link down'] });
    expect(assessFleetRow(row('a', { nodes: { total: 3, up: 1, masters: 1, stale: 0 } }), thresholds).reasons).toEqual(['2 of 3 nodes not up']);
    expect(assessFleetRow(row('a', { splitBrain: true }), thresholds).level).toBe('critical');
    expect(assessFleetRow(row('a', { alerts: { firing: 2, unacknowledged: 2, worstFiring: 'critical' } }), thresholds).reasons).toEqual(['2 alerts firing']);
    expect(assessFleetRow(row('a', { alerts: { firing: 1, unacknowledged: 0, worstFiring: 'warning' } }), thresholds).level).toBe('warn');
  });

  it('sorts worst first, then by name', () => {
    const sorted = sortFleetRows([row('b'), row('c', { links: { total: 1, down: 1, syncing: 0 } }), row('a'), row('d', { nodes: { total: 2, up: 2, masters: 1, stale: 1 } })], thresholds);
    expect(sorted.map((entry) => entry.name)).toEqual(['c', 'd', 'a', 'b']);
  });
});
