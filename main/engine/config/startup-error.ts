/**
 * How a bad startup configuration is reported: loadServerConfigFromString's
 * block on stderr (the line number, the line as read, the reason), then
 * exit status 1.
 */
import { ENGINE_REDIS_VERSION } from '../version';
import { parseReplicaOf } from './special-params';

export class StartupArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupArgsError';
  }
}

/**
 * A failure redis-server reports with serverLog, not on stderr: warning log
 * lines on stdout (no logfile is in force yet). Role C while the server's
 * pid is not set (a config file that cannot be opened), M or S once the
 * server is initialized (moduleLoadFromQueue's refusals): see initializedRole.
 */
export class StartupLogError extends StartupArgsError {
  readonly logLines: ReadonlyArray<string>;

  constructor(
    message: string,
    readonly role: 'C' | 'M' | 'S' = 'C',
    logLines: ReadonlyArray<string> = [message],
    /** For role M or S: the settings read, which name the logfile the lines go to. */
    readonly pairs?: ReadonlyArray<readonly [string, unknown]>,
  ) {
    super(message);
    this.name = 'StartupLogError';
    this.logLines = logLines;
  }
}

/**
 * The role letter serverLog prints once the server is initialized and
 * before it serves (ACLLoadUsersAtStartup's and moduleLoadFromQueue's
 * refusals): S when the settings read leave a master set (server.masterhost,
 * from a replicaof line or --replicaof; a later "replicaof no one" clears
 * it), else M.
 */
export function initializedRole(pairs: ReadonlyArray<readonly [string, unknown]>): 'M' | 'S' {
  const replicaOf = pairs.findLast(([name]) => name === 'replicaof' || name === 'slaveof');
  if (replicaOf === undefined) return 'M';
  const parsed = parseReplicaOf(String(replicaOf[1]));
  return 'value' in parsed && parsed.value !== '' ? 'S' : 'M';
}

/** loadServerConfigFromString's report of what fails after its last line (no line to name). */
export function configError(reason: string): StartupArgsError {
  return new StartupArgsError(`\n*** FATAL CONFIG FILE ERROR (Redis ${ENGINE_REDIS_VERSION}) ***\n${reason}`);
}

/** loadServerConfigFromString's report of a bad line (redis-server prints it to stderr and exits 1). */
export function lineError(lineNumber: number, line: string, reason: string): StartupArgsError {
  return new StartupArgsError(`\n*** FATAL CONFIG FILE ERROR (Redis ${ENGINE_REDIS_VERSION}) ***\nReading the configuration file, at line ${lineNumber}\n>>> '${line}'\n${reason}`);
}

