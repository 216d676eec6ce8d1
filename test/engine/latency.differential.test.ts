/**
 * LATENCY and latency tracking against redis-server 7.0: the replies that
 * do not depend on timing byte for byte (HELP, errors, empty history,
 * RESET counts, DOCTOR while disabled, latency-tracking-info-percentiles
 * parsing), and the ones that do compared in shape after a spike both
 * servers see (DEBUG SLEEP): LATEST, HISTORY, GRAPH and DOCTOR with their
 * numbers masked, LATENCY HISTOGRAM call counts and INFO latencystats fields.
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';
import { RespConnection } from '../support/resp-connection';

const peers = differentialPair();

/** Digits masked, and the huge-pages advice (it depends on the process) dropped. */
function masked(text: string): string {
  return text.replace(/\n- I detected a non zero amount of anonymous huge pages[^\n]*/, '').replace(/\d+(\.\d+)?/g, '#');
}

describe('LATENCY against redis-server', () => {
  it('answers HELP, errors, empty history, RESET and a disabled DOCTOR identically', async () => {
    const steps: Step[] = [
      step('LATENCY', 'RESET'), step('LATENCY', 'HELP'), step('LATENCY', 'HELP', 'xxx'), step('LATENCY', 'NOSUCH'), step('LATENCY'),
      step('LATENCY', 'HISTORY', 'command'), step('LATENCY', 'LATEST'), step('LATENCY', 'GRAPH', 'command'), step('LATENCY', 'GRAPH', 'a', 'b'),
      step('LATENCY', 'RESET', 'a', 'b'), step('LATENCY', 'DOCTOR'), step('LATENCY', 'HISTOGRAM', 'nosuch'), step('LATENCY', 'HISTORY'),
    ];
    for (const protocol of [2, 3] as const) {
      expect(await peers.compare(steps, protocol)).toEqual([]);
    }
  });

  it('parses and prints latency-tracking-info-percentiles as Redis does', async () => {
    const steps: Step[] = [];
    for (const value of ['50 99 99.9', '0 100', '', '99.99999 1e1', '12.5000', 'abc', '101', '-1', '50 x', '0.001']) {
      steps.push(step('CONFIG', 'SET', 'latency-tracking-info-percentiles', value), step('CONFIG', 'GET', 'latency-tracking-info-percentiles'));
    }
    steps.push(step('CONFIG', 'SET', 'latency-tracking-info-percentiles', '50 99 99.9'), step('CONFIG', 'GET', 'latency-tracking'));
    expect(await peers.compare(steps)).toEqual([]);
  });

  it('keeps per-command histograms for LATENCY HISTOGRAM and INFO latencystats', async () => {
    const histograms: unknown[] = [];
    const latencyFields: string[][] = [];
    for (const peer of [peers.redis, peers.ours]) {
      await peer.call('CONFIG', 'RESETSTAT');
      await peer.call('SET', 'a', 'b');
      await peer.call('SET', 'c', 'd');
      await peer.call('GET', 'a');
      await peer.call('CLIENT', 'ID');
      const histogram = (await peer.call('LATENCY', 'HISTOGRAM', 'set', 'get', 'client', 'nosuch')) as unknown[];
      // [name, [calls, n, histogram_usec, [...]]] pairs: keep names and call counts.
      const counts: Array<[unknown, unknown]> = [];
      for (let i = 0; i < histogram.length; i += 2) counts.push([histogram[i], (histogram[i + 1] as unknown[])[1]]);
      histograms.push(counts.sort((x, y) => String(x[0]).localeCompare(String(y[0]))));
      const info = String(await peer.call('INFO', 'latencystats'));
      latencyFields.push(info.split('\r\n').filter((line) => line.startsWith('latency_percentiles')).map((line) => line.replace(/=[\d.]+/g, '=#')).sort());
    }
    expect(histograms[1]).toEqual(histograms[0]);
    expect(histograms[0]).toEqual([['client|id', 1], ['get', 1], ['set', 2]]);
    expect(latencyFields[1]).toEqual(latencyFields[0]);
    expect(latencyFields[0]).toContain('latency_percentiles_usec_set:p50=#,p99=#,p99.9=#');
  });

  it('times pipelined commands one by one for SLOWLOG, commandstats and LATENCY HISTOGRAM (runs of fast commands share a clock reading)', async () => {
    const views: Array<Record<string, unknown>> = [];
    for (const peer of [peers.redis, peers.ours]) {
      const connection = new RespConnection('127.0.0.1', peer.port);
      try {
        await connection.call('CONFIG', 'SET', 'slowlog-log-slower-than', '0');
        await connection.call('CONFIG', 'RESETSTAT');
        await connection.call('SLOWLOG', 'RESET');
        // One write: a run of fast commands, DEBUG (not fast) in the middle, then reads of the figures in the same pipeline.
        const commands: string[][] = [];
        for (let i = 0; i < 6; i++) commands.push(['INCR', 'pipelined:counter']);
        for (let i = 0; i < 3; i++) commands.push(['GET', 'pipelined:counter']);
        commands.push(['RPUSH', 'pipelined:list', 'a'], ['DEBUG', 'SLEEP', '0'], ['INCR', 'pipelined:counter'], ['INCR', 'pipelined:counter']);
        commands.push(['SLOWLOG', 'GET', '32'], ['INFO', 'commandstats'], ['LATENCY', 'HISTOGRAM', 'incr', 'get', 'rpush']);
        const replies = await connection.pipeline(commands);
        const slowlog = replies[13] as Array<[number, number, number, string[], string, string]>;
        for (const entry of slowlog) expect(entry[2]).toBeGreaterThanOrEqual(0);
        const commandstats = String(replies[14]).split('\r\n').filter((line) => /^cmdstat_(incr|get|rpush|debug):/.test(line));
        const histogram = replies[15] as unknown[];
        const counts: Array<[unknown, unknown]> = [];
        for (let i = 0; i < histogram.length; i += 2) counts.push([histogram[i], (histogram[i + 1] as unknown[])[1]]);
        views.push({
          replies: replies.slice(0, 13),
          slowlog: slowlog.map((entry) => entry[3].join(' ')),
          commandstats: commandstats.map((line) => line.replace(/(usec|usec_per_call)=[\d.]+/g, '$1=#')).sort(),
          histogram: counts.sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
        });
        await connection.call('CONFIG', 'SET', 'slowlog-log-slower-than', '10000');
      } finally {
        connection.close();
      }
    }
    expect(views[1]).toEqual(views[0]);
    // Newest first, each command once and in order, up to the command before SLOWLOG GET.
    const incr = 'INCR pipelined:counter';
    const get = 'GET pipelined:counter';
    expect(views[0]!.slowlog).toEqual([incr, incr, 'DEBUG SLEEP 0', 'RPUSH pipelined:list a', get, get, get, incr, incr, incr, incr, incr, incr, 'SLOWLOG RESET']);
    expect(views[0]!.histogram).toEqual([['get', 3], ['incr', 8], ['rpush', 1]]);
  });

  it('records a command spike and reports it in LATEST, HISTORY, GRAPH and DOCTOR', async () => {
    const views: Array<Record<string, unknown>> = [];
    for (const peer of [peers.redis, peers.ours]) {
      await peer.call('CONFIG', 'SET', 'latency-monitor-threshold', '50');
      await peer.call('LATENCY', 'RESET');
      await peer.call('DEBUG', 'SLEEP', '0.12');
      const latest = (await peer.call('LATENCY', 'LATEST')) as Array<[string, number, number, number]>;
      const history = (await peer.call('LATENCY', 'HISTORY', 'command')) as Array<[number, number]>;
      const graph = String(await peer.call('LATENCY', 'GRAPH', 'command'));
      const doctor = String(await peer.call('LATENCY', 'DOCTOR'));
      expect(latest[0]![2]).toBeGreaterThanOrEqual(120);
      expect(history).toHaveLength(1);
      views.push({ events: latest.map((row) => row[0]), graph: masked(graph), doctor: masked(doctor), reset: await peer.call('LATENCY', 'RESET', 'COMMAND') });
      await peer.call('CONFIG', 'SET', 'latency-monitor-threshold', '0');
    }
    expect(views[1]).toEqual(views[0]);
    expect(views[0]!.events).toEqual(['command']);
  });
});
