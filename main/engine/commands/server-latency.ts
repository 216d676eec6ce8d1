/**
 * LATENCY DOCTOR | GRAPH | HISTORY | LATEST | RESET | HISTOGRAM | HELP
 * (latency.c): the latency monitor's event history (server/latency-monitor.ts)
 * and the per-command latency histograms (server/latency-histogram.ts).
 */
import { defineCommand, cString } from './define';
import { helpReply } from './help';
import type { CommandContext } from './command-context';
import type { ResolvedCommand } from './command-spec';
import { array, bulk, error, integer, map, verbatim, type Reply } from '../resp/reply';
import type { LatencyHistogram } from '../server/latency-histogram';
import { latencyDoctorReport } from '../server/latency-doctor';

/** { calls, histogram_usec: { bound: cumulative calls, ... } } (fillCommandCDF). */
function histogramReply(histogram: LatencyHistogram): Reply {
  const buckets: Reply[] = [];
  for (const [micros, cumulative] of histogram.cumulativeBuckets()) buckets.push(integer(micros), integer(cumulative));
  return map([bulk('calls'), integer(histogram.totalCount), bulk('histogram_usec'), map(buckets)]);
}

/** The command and, for a container, its subcommands: those called at least once since the last reset. */
function withHistograms(ctx: CommandContext, command: ResolvedCommand): Reply[] {
  const items: Reply[] = [];
  const family = [command, ...(command.parent === null ? ctx.node.commands.subcommandsOf(command.spec.name) : [])];
  for (const member of family) {
    const histogram = member.stats.histogram;
    if (histogram !== null) items.push(bulk(member.fullName), histogramReply(histogram));
  }
  return items;
}

/** A LATENCY subcommand; HELP (`plain`) is neither admin nor dangerous. */
const sub = (name: string, arity: number, summary: string, handler: (ctx: CommandContext) => Reply, plain = false) =>
  defineCommand({
    name, arity, flags: plain ? ['loading', 'stale'] : ['admin', 'noscript', 'loading', 'stale'], acl: plain ? [] : ['admin', 'dangerous'], keys: null,
    doc: { summary, since: name === 'histogram' ? '7.0.0' : '2.8.13', group: 'server' },
    handler,
  });

const latencyDoctor = sub('doctor', 2, 'Return a human readable latency analysis report.', (ctx) => {
  const config = ctx.node.config;
  return verbatim(latencyDoctorReport(ctx.node.latency, {
    thresholdMs: config.int('latency-monitor-threshold'),
    slowlogSlowerThanMicros: config.int('slowlog-log-slower-than'),
    hz: config.int('hz'),
  }));
});

const latencyGraph = sub('graph', 3, 'Return a latency graph for the event.', (ctx) => {
  const graph = ctx.node.latency.graph(ctx.arg(2));
  return graph === null ? error(`ERR No samples available for event '${cString(ctx.arg(2))}'`) : verbatim(graph);
});

const latencyHistory = sub('history', 3, 'Return timestamp-latency samples for the event.', (ctx) =>
  array(ctx.node.latency.history(ctx.arg(2)).map(([time, latency]) => array([integer(time), integer(latency)]))));

const latencyLatest = sub('latest', 2, 'Return the latest latency samples for all events.', (ctx) =>
  array(ctx.node.latency.latest().map(([event, time, latency, max]) => array([bulk(event), integer(time), integer(latency), integer(max)]))));

const latencyReset = sub('reset', -2, 'Reset latency data for one or more events.', (ctx) => {
  if (ctx.argc === 2) return integer(ctx.node.latency.reset(null));
  let resets = 0;
  for (const event of ctx.argv.slice(2)) resets += ctx.node.latency.reset(event);
  return integer(resets);
});

const latencyHistogram = sub('histogram', -2, 'Return the cumulative distribution of latencies of a subset of commands or all.', (ctx) => {
  const items: Reply[] = [];
  if (ctx.argc === 2) {
    for (const command of ctx.node.commands.all()) items.push(...withHistograms(ctx, command));
  } else {
    // Unknown names are skipped (latencySpecificCommandsFillCDF).
    for (const name of ctx.argv.slice(2)) {
      const command = ctx.node.commands.byFullName(name);
      if (command) items.push(...withHistograms(ctx, command));
    }
  }
  return map(items);
});

const latencyHelp = sub('help', 2, 'Show helpful text about the different subcommands.', () => helpReply('latency', [
  'DOCTOR',
  '    Return a human readable latency analysis report.',
  'GRAPH <event>',
  '    Return an ASCII latency graph for the <event> class.',
  'HISTORY <event>',
  '    Return time-latency samples for the <event> class.',
  'LATEST',
  '    Return the latest latency samples for all events.',
  'RESET [<event> ...]',
  '    Reset latency data of one or more <event> classes.',
  '    (default: reset all data for all event classes)',
  'HISTOGRAM [COMMAND ...]',
  '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
  '    If no commands are specified then all histograms are replied.',
]), true);

export const latencyCommand = defineCommand({
  name: 'latency', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for latency diagnostics commands', since: '2.8.13', group: 'server' },
  subcommands: [latencyDoctor, latencyGraph, latencyHistory, latencyLatest, latencyReset, latencyHistogram, latencyHelp],
});
