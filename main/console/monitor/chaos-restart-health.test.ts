import { expect, it } from 'vitest';
import { plannedRestartAt, RESTART_SETTLE_MS, type ChaosRestartOfNode } from './chaos-restart-health';

const restart = (overrides: Partial<ChaosRestartOfNode> = {}): ChaosRestartOfNode => ({
  nodeId: 'n1', startedAt: 1_000, until: 31_000, title: 'Restart master', evidence: 'the demo\'s chaos (restart), asked at …',
  answered: false, finishedAt: null, said: new Set(), ...overrides,
});

it('a node is in the demo\'s restart from the ask until the call returned and a poll could see it, never after it answered', () => {
  expect(plannedRestartAt([restart()], 'n1', 5_000)).toMatchObject({ title: 'Restart master', overdue: false });
  expect(plannedRestartAt([restart()], 'n2', 5_000)).toBeNull();
  expect(plannedRestartAt([restart()], 'n1', 500)).toBeNull();
  const finished = restart({ finishedAt: 8_000 });
  expect(plannedRestartAt([finished], 'n1', 8_000 + RESTART_SETTLE_MS)).toMatchObject({ overdue: false });
  expect(plannedRestartAt([finished], 'n1', 8_001 + RESTART_SETTLE_MS)).toBeNull();
  expect(plannedRestartAt([restart({ answered: true })], 'n1', 5_000)).toBeNull();
});

it('a restart still running past its window is overdue: the node did not come back', () => {
  expect(plannedRestartAt([restart()], 'n1', 31_001)).toMatchObject({ overdue: true, startedAt: 1_000 });
});
