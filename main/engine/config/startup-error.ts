/**
 * How a bad startup configuration is reported: loadServerConfigFromString's
 * block on stderr (the line number, the line as read, the reason), then
 * exit status 1.
 */
import { ENGINE_REDIS_VERSION } from '../version';

export class StartupArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupArgsError';
  }
}

/**
 * A failure redis-server reports with serverLog, not on stderr: warning log
 * lines on stdout (no logfile is in force yet). Role C while the server's
 * pid is not set (a config file that cannot be opened), M once the server
 * is initialized (moduleLoadFromQueue's refusals).
 */
export class StartupLogError extends StartupArgsError {
  readonly logLines: ReadonlyArray<string>;

  constructor(
    message: string,
    readonly role: 'C' | 'M' = 'C',
    logLines: ReadonlyArray<string> = [message],
    /** For role M: the settings read, which name the logfile the lines go to. */
    readonly pairs?: ReadonlyArray<readonly [string, unknown]>,
  ) {
    super(message);
    this.name = 'StartupLogError';
    this.logLines = logLines;
  }
}

/** loadServerConfigFromString's report of what fails after its last line (no line to name). */
export function configError(reason: string): StartupArgsError {
  return new StartupArgsError(`\n*** FATAL CONFIG FILE ERROR (Redis ${ENGINE_REDIS_VERSION}) ***\n${reason}`);
}

/** loadServerConfigFromString's report of a bad line (redis-server prints it to stderr and exits 1). */
export function lineError(lineNumber: number, line: string, reason: string): StartupArgsError {
  return new StartupArgsError(`\n*** FATAL CONFIG FILE ERROR (Redis ${ENGINE_REDIS_VERSION}) ***\nReading the configuration file, at line ${lineNumber}\n>>> '${line}'\n${reason}`);
}

