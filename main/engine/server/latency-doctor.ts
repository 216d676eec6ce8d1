/**
 * LATENCY DOCTOR (latency.c createLatencyReport): a line per event with its
 * statistics and the event's own remark, then advice gathered from every
 * event, worded as Redis words it (tools and people compare the text).
 */
import { readFileSync } from 'node:fs';
import type { LatencyMonitor } from './latency-monitor';
import { formatFixed } from '../util/floats';

export interface DoctorSettings {
  readonly thresholdMs: number;
  readonly slowlogSlowerThanMicros: number;
  readonly hz: number;
}

/** AnonHugePages of this process (transparent huge pages), in kB; 0 when unknown. */
function anonHugePagesKb(): number {
  try {
    const smaps = readFileSync('/proc/self/smaps_rollup', 'utf8');
    const match = /^AnonHugePages:\s+(\d+) kB/m.exec(smaps);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

const ADVICE = {
  slowlogInspect: '- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n',
  scheduler: '- The system is slow to execute Redis code paths not containing system calls. This usually means the system does not provide Redis CPU time to run for long periods. You should try to:\n'
    + '  1) Lower the system load.\n'
    + '  2) Use a computer / VM just for Redis if you are running other software in the same system.\n'
    + '  3) Check if you have a "noisy neighbour" problem.\n'
    + '  4) Check with \'redis-cli --intrinsic-latency 100\' what is the intrinsic latency in your system.\n'
    + '  5) Check if the problem is allocator-related by recompiling Redis with MALLOC=libc, if you are using Jemalloc. However this may create fragmentation problems.\n',
  hz: '- In order to make the Redis keys expiring process more incremental, try to set the \'hz\' configuration parameter to 100 using \'CONFIG SET hz 100\'.\n',
  largeObjects: '- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n',
  massEviction: '- Sudden changes to the \'maxmemory\' setting via \'CONFIG SET\', or allocation of large objects via sets or sorted sets intersections, STORE option of SORT, Redis Cluster large keys migrations (RESTORE command), may create sudden memory pressure forcing the server to block trying to evict keys. \n',
  disableThp: '- I detected a non zero amount of anonymous huge pages used by your process. This creates very serious latency events in different conditions, especially when Redis is persisting on disk. To disable THP support use the command \'echo never > /sys/kernel/mm/transparent_hugepage/enabled\', make sure to also add it into /etc/rc.local so that the command will be executed again after a reboot. Note that even if you have already disabled THP, you still need to restart the Redis process to get rid of the huge pages already created.\n',
};

export function latencyDoctorReport(monitor: LatencyMonitor, settings: DoctorSettings): string {
  if (monitor.events.size === 0 && settings.thresholdMs === 0) {
    return 'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n';
  }
  let report = '';
  let advices = 0;
  const advise = { slowlogEnabled: false, slowlogTuning: false, slowlogInspect: false, scheduler: false, hz: false, largeObjects: false, massEviction: false, disableThp: false };
  let eventNumber = 0;
  for (const [event, series] of monitor.events) {
    eventNumber++;
    if (eventNumber === 1) report += 'Dave, I have observed latency spikes in this Redis instance. You don\'t mind talking about it, do you Dave?\n\n';
    // Every event has at least one sample: it is created by its first.
    const stats = monitor.analyze(event);
    report += `${eventNumber}. ${event}: ${stats.samples} latency spikes (average ${stats.average}ms, mean deviation ${stats.meanDeviation}ms, period ${formatFixed(stats.period / stats.samples, 2)} sec). Worst all time event ${series.max}ms.`;
    const name = event.toLowerCase();
    if (name === 'command') {
      if (settings.slowlogSlowerThanMicros < 0) {
        advise.slowlogEnabled = true;
        advices++;
      } else if (Math.trunc(settings.slowlogSlowerThanMicros / 1000) > settings.thresholdMs) {
        advise.slowlogTuning = true;
        advices++;
      }
      advise.slowlogInspect = true;
      advise.largeObjects = true;
      advices += 2;
    }
    if (name === 'fast-command') {
      advise.scheduler = true;
      advices++;
    }
    if (name === 'expire-cycle') {
      advise.hz = true;
      advise.largeObjects = true;
      advices += 2;
    }
    if (name === 'eviction-del') {
      advise.largeObjects = true;
      advices++;
    }
    if (name === 'eviction-cycle') {
      advise.massEviction = true;
      advices++;
    }
    report += '\n';
  }
  if (anonHugePagesKb() > 0) {
    advise.disableThp = true;
    advices++;
  }
  if (eventNumber === 0 && advices === 0) {
    return `${report}Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n`;
  }
  if (eventNumber > 0 && advices === 0) {
    return `${report}\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n`;
  }
  report += '\nI have a few advices for you:\n\n';
  const slowlogValue = settings.thresholdMs * 1000;
  if (advise.slowlogEnabled) {
    report += `- There are latency issues with potentially slow commands you are using. Try to enable the Slow Log Redis feature using the command 'CONFIG SET slowlog-log-slower-than ${slowlogValue}'. If the Slow log is disabled Redis is not able to log slow commands execution for you.\n`;
  }
  if (advise.slowlogTuning) {
    report += `- Your current Slow Log configuration only logs events that are slower than your configured latency monitor threshold. Please use 'CONFIG SET slowlog-log-slower-than ${slowlogValue}'.\n`;
  }
  if (advise.slowlogInspect) report += ADVICE.slowlogInspect;
  if (advise.scheduler) report += ADVICE.scheduler;
  if (advise.hz && settings.hz < 100) report += ADVICE.hz;
  if (advise.largeObjects) report += ADVICE.largeObjects;
  if (advise.massEviction) report += ADVICE.massEviction;
  if (advise.disableThp) report += ADVICE.disableThp;
  return report;
}
