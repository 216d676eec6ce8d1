/**
 * Log lines in redis-server's format, so operators can read them the same way:
 *
 *   <pid>:<role> <dd Mon yyyy hh:mm:ss.mmm> <level> <message>
 *
 * role: M master, S replica (C child and X sentinel are not used here);
 * level: . debug, - verbose, * notice, # warning (config `loglevel`).
 * Secrets never reach a log line: callers log names, never passwords.
 */
export type LogLevel = 'debug' | 'verbose' | 'notice' | 'warning';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, verbose: 1, notice: 2, warning: 3 };
const LEVEL_MARK: Record<LogLevel, string> = { debug: '.', verbose: '-', notice: '*', warning: '#' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface LogRecord {
  readonly time: number;
  readonly level: LogLevel;
  readonly role: 'M' | 'S';
  readonly message: string;
  readonly line: string;
}

export type LogSink = (record: LogRecord) => void;

export function formatLogTime(time: number): string {
  const d = new Date(time);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

export class Logger {
  level: LogLevel = 'notice';
  private readonly sinks = new Set<LogSink>();
  /** A crashed node (EngineNode.panic) writes nothing more, as a process that aborted. */
  private silenced = false;

  constructor(private readonly roleOf: () => 'M' | 'S' = () => 'M') {}

  addSink(sink: LogSink): () => void {
    this.sinks.add(sink);
    return () => this.sinks.delete(sink);
  }

  /** A line at `level` would be written (server.verbosity <= level): for lines costly to build. */
  enabled(level: LogLevel): boolean {
    return LEVEL_RANK[level] >= LEVEL_RANK[this.level];
  }

  log(level: LogLevel, message: string): void {
    if (LEVEL_RANK[level] < LEVEL_RANK[this.level] || this.sinks.size === 0 || this.silenced) return;
    const time = Date.now();
    const role = this.roleOf();
    const line = `${process.pid}:${role} ${formatLogTime(time)} ${LEVEL_MARK[level]} ${message}`;
    const record: LogRecord = { time, level, role, message, line };
    for (const sink of this.sinks) sink(record);
  }

  debug(message: string): void { this.log('debug', message); }
  verbose(message: string): void { this.log('verbose', message); }
  notice(message: string): void { this.log('notice', message); }
  warning(message: string): void { this.log('warning', message); }

  /**
   * serverLogRaw(LL_WARNING|LL_RAW): `text` as it is, with no pid, role, time
   * or level mark. Give it without its final newline: a sink writes a line.
   */
  raw(text: string): void {
    if (this.sinks.size === 0 || this.silenced) return;
    const record: LogRecord = { time: Date.now(), level: 'warning', role: this.roleOf(), message: text, line: text };
    for (const sink of this.sinks) sink(record);
  }

  /** No line is written from now on. */
  silence(): void {
    this.silenced = true;
  }
}
