/**
 * View preferences kept in this browser profile (not console settings):
 * which session was open, graph or table, the chart window. Read as
 * `unknown` and rebuilt field by field.
 */
import { isRecord, toEnum, toInteger, toStringValue } from './guards';

export const PREFS_STORAGE_KEY = 'replscope.viewPrefs.v1';
export const TOPOLOGY_MODES = ['graph', 'table'] as const;
/** Up to an hour the charts read the live buffer; a day and a week come from the on-disk history's minute tier. */
export const CHART_WINDOWS_MINUTES = [5, 15, 60, 1440, 10_080] as const;
export const LIVE_WINDOW_LIMIT_MINUTES = 60;

export interface ViewPrefs {
  readonly lastSessionId: string;
  readonly topologyMode: (typeof TOPOLOGY_MODES)[number];
  readonly chartWindowMinutes: number;
}

export const DEFAULT_VIEW_PREFS: ViewPrefs = { lastSessionId: '', topologyMode: 'graph', chartWindowMinutes: 15 };

export function parseViewPrefs(value: unknown): ViewPrefs {
  const raw = isRecord(value) ? value : {};
  const minutes = toInteger(raw['chartWindowMinutes'], DEFAULT_VIEW_PREFS.chartWindowMinutes, 1, 7 * 24 * 60);
  return {
    lastSessionId: toStringValue(raw['lastSessionId'], '', 64),
    topologyMode: toEnum(raw['topologyMode'], TOPOLOGY_MODES, DEFAULT_VIEW_PREFS.topologyMode),
    chartWindowMinutes: (CHART_WINDOWS_MINUTES as readonly number[]).includes(minutes) ? minutes : DEFAULT_VIEW_PREFS.chartWindowMinutes,
  };
}

export function loadViewPrefs(storage: Pick<Storage, 'getItem'> | null): ViewPrefs {
  try {
    const text = storage?.getItem(PREFS_STORAGE_KEY) ?? null;
    return parseViewPrefs(text === null ? null : JSON.parse(text));
  } catch {
    return DEFAULT_VIEW_PREFS;
  }
}

export function saveViewPrefs(storage: Pick<Storage, 'setItem'> | null, prefs: ViewPrefs): void {
  try {
    storage?.setItem(PREFS_STORAGE_KEY, JSON.stringify(prefs));
  } catch {
    // Quota or disabled storage: preferences are a convenience, not state.
  }
}
