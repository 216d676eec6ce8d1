/**
 * Alert rules in `<dataDir>/alert-rules.json`: one set of defaults and, per
 * profile id, the rules of profiles that have their own. Read defensively:
 * each entry is parsed on its own with the shared schema, so one bad entry
 * falls back to the defaults (and is reported) without losing the others;
 * a file that does not parse is kept aside. Saved atomically.
 *
 *   { "version": 1, "defaults": AlertRules, "profiles": { "<profileId>": AlertRules } }
 */
import path from 'node:path';
import { AlertRules, DEFAULT_ALERT_RULES, type AlertRulesAnswer } from '../../../shared/contract/alerts';
import type { ConsoleLogger } from '../service-types';
import { readJson, writeJsonAtomic } from '../service/json-file';

export class AlertRulesStore {
  private defaults: AlertRules = DEFAULT_ALERT_RULES;
  private readonly profiles = new Map<string, AlertRules>();
  private readonly file: string;

  constructor(dataDir: string, logger: ConsoleLogger) {
    this.file = path.join(dataDir, 'alert-rules.json');
    const read = readJson(this.file);
    if (read.kind === 'corrupt') logger.warn(`alert-rules.json could not be read (${read.reason}); default rules are used and the file was kept as ${path.basename(read.backup)}`);
    if (read.kind !== 'ok' || typeof read.value !== 'object' || read.value === null) return;
    const stored = read.value as { defaults?: unknown; profiles?: unknown };
    const defaults = AlertRules.safeParse(stored.defaults);
    if (defaults.success) this.defaults = defaults.data;
    else if (stored.defaults !== undefined) logger.warn('alert-rules.json: the default rules are not valid; the built-in defaults are used');
    if (typeof stored.profiles !== 'object' || stored.profiles === null) return;
    for (const [profileId, value] of Object.entries(stored.profiles as Record<string, unknown>)) {
      const rules = AlertRules.safeParse(value);
      if (rules.success) this.profiles.set(profileId, rules.data);
      else logger.warn(`alert-rules.json: the rules of profile ${profileId} are not valid; it follows the defaults`);
    }
  }

  /** The rules a session of this profile is judged by (the demo and unknown profiles: the defaults). */
  rulesFor(profileId: string | null): AlertRules {
    return (profileId === null ? undefined : this.profiles.get(profileId)) ?? this.defaults;
  }

  get(profileId: string | null): AlertRulesAnswer {
    return { profileId, rules: this.rulesFor(profileId), custom: profileId !== null && this.profiles.has(profileId) };
  }

  /** Saves a profile's rules (null: back to the defaults) or the defaults themselves (profileId null). */
  set(profileId: string | null, rules: AlertRules | null): AlertRulesAnswer {
    if (profileId === null) this.defaults = rules ?? DEFAULT_ALERT_RULES;
    else if (rules === null) this.profiles.delete(profileId);
    else this.profiles.set(profileId, rules);
    writeJsonAtomic(this.file, { version: 1, defaults: this.defaults, profiles: Object.fromEntries(this.profiles) });
    return this.get(profileId);
  }

  /** A deleted profile's rules go with it. */
  forget(profileId: string): void {
    if (this.profiles.delete(profileId)) writeJsonAtomic(this.file, { version: 1, defaults: this.defaults, profiles: Object.fromEntries(this.profiles) });
  }
}
