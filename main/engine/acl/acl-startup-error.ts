/**
 * ACLLoadUsersAtStartup's refusals: once the configuration is read and the
 * server initialized, redis-server logs why (warnings, so on stdout without
 * a logfile) and exits 1, where a bad config line is a report on stderr.
 * `message` is the reason; `logLines` what redis-server logs.
 */
import { ConfigError } from '../config/engine-config';

export class AclStartupError extends ConfigError {
  readonly logLines: ReadonlyArray<string>;

  constructor(message: string, logLines: ReadonlyArray<string> = [message]) {
    super(message);
    this.name = 'AclStartupError';
    this.logLines = logLines;
  }
}
