/**
 * CONFIG GET / SET / RESETSTAT / REWRITE / HELP (config.c). GET takes one or
 * more names or glob patterns (aliases included) and replies a map; SET takes
 * several pairs and applies them atomically.
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import { isLocalClient } from '../server/local-client';
import { helpReply } from './help';
import * as errors from '../resp/errors';
import { bulk, error, map, OK, type Reply } from '../resp/reply';
import { stringMatch } from '../util/glob';
import type { CommandStats } from './command-spec';
import { configSetMovingListeners, listenChangeOf } from './config-listen';

const HELP = [
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
];

const configGet = defineCommand({
  name: 'get', arity: -3, flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Get the values of configuration parameters', since: '2.0.0', group: 'server' },
  handler: (ctx) => {
    const config = ctx.node.config;
    const seen = new Set<string>();
    const items: Reply[] = [];
    for (const pattern of ctx.argv.slice(2)) {
      if (!/[*?[]/.test(pattern)) {
        const param = config.param(pattern);
        if (param && !seen.has(param.name + '\u0000' + pattern.toLowerCase())) {
          seen.add(param.name + '\u0000' + pattern.toLowerCase());
          items.push(bulk(pattern), bulk(config.format(pattern)));
        }
        continue;
      }
      for (const [name, value] of config.matching(pattern, (p, text) => stringMatch(p, text, true))) {
        const param = config.param(name)!;
        if (seen.has(param.name + '\u0000' + name)) continue;
        seen.add(param.name + '\u0000' + name);
        items.push(bulk(name), bulk(value));
      }
    }
    return map(items);
  },
});

const SENSITIVE = new Set(['requirepass', 'masterauth', 'masteruser']);

/** allowProtectedAction for enable-protected-configs: yes, or local and the client on loopback. */
function protectedConfigsAllowed(ctx: CommandContext): boolean {
  const setting = ctx.node.config.string('enable-protected-configs');
  if (setting === 'yes') return true;
  return setting === 'local' && isLocalClient(ctx.client);
}

const configSet = defineCommand({
  name: 'set', arity: -4, flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Set configuration parameters to the given values', since: '2.0.0', group: 'server' },
  handler: (ctx) => {
    // configSetCommand: an odd argument count past the arity check is a syntax error (name/value pairs).
    if ((ctx.argc - 2) % 2 !== 0) return errors.SYNTAX;
    const pairs: Array<[string, string]> = [];
    for (let i = 2; i < ctx.argc; i += 2) {
      pairs.push([ctx.arg(i), ctx.arg(i + 1)]);
      // Secrets never reach SLOWLOG (Redis's SENSITIVE_CONFIG).
      if (SENSITIVE.has(ctx.node.config.param(ctx.arg(i))?.name ?? '')) ctx.redact(i + 1);
    }
    const config = ctx.node.config;
    const change = config.prepare(pairs, 'runtime', protectedConfigsAllowed(ctx));
    if (typeof change === 'string') return error(change);
    const moving = listenChangeOf(ctx.node, change);
    if (moving !== null) return configSetMovingListeners(ctx.node, change, moving);
    const failure = config.apply(change);
    return failure === null ? OK : error(failure);
  },
});

const configResetstat = defineCommand({
  name: 'resetstat', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Reset the stats returned by INFO', since: '2.0.0', group: 'server' },
  handler: (ctx) => {
    const node = ctx.node;
    node.stats.reset();
    node.lazyFree.resetStats();
    node.keyspace.stats.expiredKeys = 0;
    node.keyspace.stats.keyspaceHits = 0;
    node.keyspace.stats.keyspaceMisses = 0;
    for (const command of node.commands.all()) {
      resetCommandStats(command.stats);
      for (const sub of node.commands.subcommandsOf(command.spec.name)) resetCommandStats(sub.stats);
    }
    node.slowlog.reset();
    return OK;
  },
});

function resetCommandStats(stats: CommandStats): void {
  stats.histogram = null;
  stats.calls = 0;
  stats.usec = 0;
  stats.rejectedCalls = 0;
  stats.failedCalls = 0;
}

const configRewrite = defineCommand({
  name: 'rewrite', arity: 2, flags: ['admin', 'noscript', 'loading', 'stale'], acl: ['admin', 'dangerous'], keys: null,
  doc: { summary: 'Rewrite the configuration file with the in memory configuration', since: '2.8.0', group: 'server' },
  handler: () => error('ERR The server is running without a config file'),
});

const configHelp = defineCommand({
  name: 'help', arity: 2, flags: ['loading', 'stale'], acl: [], keys: null,
  doc: { summary: 'Show helpful text about the different subcommands', since: '5.0.0', group: 'server' },
  handler: () => helpReply('config', HELP),
});

export const configCommand = defineCommand({
  name: 'config', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for server configuration commands', since: '2.0.0', group: 'server' },
  subcommands: [configGet, configSet, configResetstat, configRewrite, configHelp],
});
