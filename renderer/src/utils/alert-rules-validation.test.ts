import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RULES } from '../../../shared/contract/alerts';
import { validateAlertRules } from './alert-rules-validation';

describe('alert rules against the shared schema', () => {
  it('accepts the defaults', () => {
    expect(validateAlertRules(DEFAULT_ALERT_RULES)).toEqual([]);
  });

  it('says which rule and which value is out of range, in words', () => {
    expect(validateAlertRules({ ...DEFAULT_ALERT_RULES, linkDown: { enabled: true, forSeconds: -1 } })).toEqual(['Link down: its "for more than" time must be at least 0.']);
    expect(validateAlertRules({ ...DEFAULT_ALERT_RULES, lagBytes: { enabled: true, bytes: 0, forSeconds: 5 } })).toEqual(['Byte lag: its byte threshold must be at least 1.']);
    expect(validateAlertRules({ ...DEFAULT_ALERT_RULES, quietSeconds: 1 })).toEqual(['Quiet time: must be at least 5.']);
  });

  it('a fraction where a whole number is wanted is refused', () => {
    expect(validateAlertRules({ ...DEFAULT_ALERT_RULES, nodeDown: { enabled: true, forSeconds: 2.5 } })).toHaveLength(1);
  });
});
