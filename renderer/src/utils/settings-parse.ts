/**
 * Settings arrive as `unknown` (from settings.get, or a stale cache) and are
 * rebuilt field by field: a missing or out-of-range field falls back to its
 * default on its own, so one bad value never throws away the rest.
 */
import type { Settings, Thresholds } from '../api/contract';
import { isRecord, toEnum, toInteger, toNumber } from './guards';

/** Mirrors DEFAULT_SETTINGS in shared/contract/settings.ts (which sits next to zod). */
export const DEFAULT_SETTINGS: Settings = {
  pollIntervalMs: 1000,
  thresholds: {
    lagBytesWarn: 64 * 1024,
    lagBytesCritical: 1024 * 1024,
    ackAgeWarnSeconds: 2,
    ackAgeCriticalSeconds: 10,
    backlogUseWarn: 0.5,
  },
  outageSeconds: 60,
  theme: 'system',
};

export const THEMES = ['system', 'light', 'dark'] as const;

export function parseThresholds(value: unknown, fallback: Thresholds = DEFAULT_SETTINGS.thresholds): Thresholds {
  const raw = isRecord(value) ? value : {};
  const lagBytesWarn = toNumber(raw['lagBytesWarn'], fallback.lagBytesWarn, 0);
  const ackAgeWarnSeconds = toNumber(raw['ackAgeWarnSeconds'], fallback.ackAgeWarnSeconds, 0);
  return {
    lagBytesWarn,
    // A critical level below its warning level would make "warn" unreachable: clamp it up.
    lagBytesCritical: Math.max(lagBytesWarn, toNumber(raw['lagBytesCritical'], fallback.lagBytesCritical, 0)),
    ackAgeWarnSeconds,
    ackAgeCriticalSeconds: Math.max(ackAgeWarnSeconds, toNumber(raw['ackAgeCriticalSeconds'], fallback.ackAgeCriticalSeconds, 0)),
    backlogUseWarn: toNumber(raw['backlogUseWarn'], fallback.backlogUseWarn, 0, 1),
  };
}

export function parseSettings(value: unknown, fallback: Settings = DEFAULT_SETTINGS): Settings {
  const raw = isRecord(value) ? value : {};
  return {
    pollIntervalMs: toInteger(raw['pollIntervalMs'], fallback.pollIntervalMs, 200, 60_000),
    thresholds: parseThresholds(raw['thresholds'], fallback.thresholds),
    outageSeconds: toNumber(raw['outageSeconds'], fallback.outageSeconds, 1, 86_400),
    theme: toEnum(raw['theme'], THEMES, fallback.theme),
    // Edited by its own card (HistoryCard): kept through a save of the form, so saving the other settings never resets it.
    ...historyLimit(raw['historyMaxMegabytes'], fallback.historyMaxMegabytes),
    ...prometheus(raw['prometheus'], fallback.prometheus),
  };
}

/** The Prometheus exposition setting (edited by its own card): kept when valid, else the fallback's, else absent (off). */
function prometheus(value: unknown, fallback: Settings['prometheus']): Pick<Settings, 'prometheus'> {
  if (isRecord(value) && typeof value['enabled'] === 'boolean') {
    const port = toInteger(value['port'], -1, 1, 65_535);
    if (port !== -1) return { prometheus: { enabled: value['enabled'], port } };
  }
  return fallback === undefined ? {} : { prometheus: fallback };
}

function historyLimit(value: unknown, fallback: number | undefined): Pick<Settings, 'historyMaxMegabytes'> {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 16 && value <= 100_000) return { historyMaxMegabytes: value };
  return fallback === undefined ? {} : { historyMaxMegabytes: fallback };
}
