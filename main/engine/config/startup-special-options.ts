/**
 * The first arguments redis-server's main() answers itself before reading
 * any configuration (only as the first word; anywhere else they are option
 * lines like any other):
 *
 * - `-v` / `--version`: version() prints one line on stdout, exit 0;
 * - `-h` / `--help`: usage() prints the usage on stderr, exit 1;
 * - `--test-memory` without exactly one more word: its example on stderr,
 *   exit 1.
 *
 * `--test-memory <megabytes>` (memtest(): a RAM test of that size) and
 * `--check-system` (syscheck(): the kernel's overcommit, THP and clock
 * settings) are not run by the engine: it says so and exits 1.
 */
import { ENGINE_BUILD_ID, ENGINE_GIT_SHA1, ENGINE_MEM_ALLOCATOR, ENGINE_REDIS_VERSION } from '../version';

/** What main() prints and its exit status. */
export interface SpecialOutcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number;
}

const USAGE = [
  'Usage: ./redis-server [/path/to/redis.conf] [options] [-]',
  '       ./redis-server - (read config from stdin)',
  '       ./redis-server -v or --version',
  '       ./redis-server -h or --help',
  '       ./redis-server --test-memory <megabytes>',
  '       ./redis-server --check-system',
  '',
  'Examples:',
  '       ./redis-server (run the server with default conf)',
  "       echo 'maxmemory 128mb' | ./redis-server -",
  '       ./redis-server /etc/redis/6379.conf',
  '       ./redis-server --port 7777',
  '       ./redis-server --port 7777 --replicaof 127.0.0.1 8888',
  '       ./redis-server /etc/myredis.conf --loglevel verbose -',
  '       ./redis-server /etc/myredis.conf --loglevel verbose',
  '',
  'Sentinel mode:',
  '       ./redis-server /etc/sentinel.conf --sentinel',
].join('\n');

/** main()'s answer to argv (after the program name) when its first word asks for one; null to start. */
export function specialOption(argv: ReadonlyArray<string>): SpecialOutcome | null {
  const first = argv[0];
  if (first === '-v' || first === '--version') {
    // version(): the same build facts INFO server reports (redis_git_sha1, redis_git_dirty, mem_allocator, redis_build_id).
    return { stdout: `Redis server v=${ENGINE_REDIS_VERSION} sha=${ENGINE_GIT_SHA1}:0 malloc=${ENGINE_MEM_ALLOCATOR} bits=64 build=${ENGINE_BUILD_ID}\n`, stderr: '', status: 0 };
  }
  if (first === '--help' || first === '-h') return { stdout: '', stderr: `${USAGE}\n`, status: 1 };
  if (first === '--test-memory') {
    if (argv.length !== 2) return { stdout: '', stderr: 'Please specify the amount of memory to test in megabytes.\nExample: ./redis-server --test-memory 4096\n\n', status: 1 };
    return { stdout: '', stderr: '--test-memory is not supported by this engine: run redis-server --test-memory\n', status: 1 };
  }
  if (first === '--check-system') return { stdout: '', stderr: '--check-system is not supported by this engine: run redis-server --check-system\n', status: 1 };
  return null;
}
