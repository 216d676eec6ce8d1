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
 * A failure redis-server reports with serverLog, not on stderr: a warning
 * log line on stdout (no logfile is in force yet), role C (the server's
 * pid is not set yet). A config file that cannot be opened.
 */
export class StartupLogError extends StartupArgsError {
  constructor(message: string) {
    super(message);
    this.name = 'StartupLogError';
  }
}

/** loadServerConfigFromString's report of a bad line (redis-server prints it to stderr and exits 1). */
export function lineError(lineNumber: number, line: string, reason: string): StartupArgsError {
  return new StartupArgsError(`\n*** FATAL CONFIG FILE ERROR (Redis ${ENGINE_REDIS_VERSION}) ***\nReading the configuration file, at line ${lineNumber}\n>>> '${line}'\n${reason}`);
}

