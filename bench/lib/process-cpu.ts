/**
 * CPU time a process has used (user + system, all its threads), in
 * seconds: another process's from /proc/<pid>/stat, this one's from
 * process.cpuUsage(). Around a redis-benchmark run it gives the server's
 * CPU per request, which decides the ratio once the machine is busy: two
 * servers that both keep up with redis-benchmark on a quiet machine get
 * shares of a loaded one, and serve in proportion to what a request costs
 * them.
 */
import { readFileSync } from 'node:fs';

/** Linux reports /proc times in USER_HZ, 100 on every architecture it runs on. */
const USER_HZ = 100;

export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined || pid === process.pid) {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1e6;
  }
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15, i.e. 11 and 12 after the state (field 3).
  return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
}
