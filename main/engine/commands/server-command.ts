/**
 * COMMAND [COUNT | INFO | DOCS | LIST | GETKEYS | HELP], built from the
 * command table, in 7.0's reply shapes: enough for redis-cli (which asks
 * for COMMAND DOCS at start-up to draw hints) and client libraries.
 */
import { defineCommand, isOption } from './define';
import { helpReply } from './help';
import { keyIndexes } from './command-table';
import type { CommandContext } from './command-context';
import type { ResolvedCommand } from './command-spec';
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, error, integer, map, NULL, set, simple, type Reply } from '../resp/reply';
import { stringMatch } from '../util/glob';

function keySpecs(command: ResolvedCommand): Reply {
  const keys = command.spec.keys;
  if (!keys) return array([]);
  const write = command.flagSet.has('write');
  return array([
    map([
      bulk('flags'), set([simple(write ? 'RW' : 'RO'), simple(write ? 'UPDATE' : 'ACCESS')]),
      bulk('begin_search'), map([bulk('type'), bulk('index'), bulk('spec'), map([bulk('index'), integer(keys.first)])]),
      bulk('find_keys'), map([bulk('type'), bulk('range'), bulk('spec'), map([bulk('lastkey'), integer(keys.last < 0 ? keys.last : keys.last - keys.first), bulk('keystep'), integer(keys.step), bulk('limit'), integer(0)])]),
    ]),
  ]);
}

function commandInfo(ctx: CommandContext, command: ResolvedCommand): Reply {
  const spec = command.spec;
  const keys = spec.keys;
  const subcommands = ctx.node.commands.subcommandsOf(spec.name).filter(() => command.parent === null);
  return array([
    bulk(command.fullName),
    integer(spec.arity),
    set(spec.flags.filter((flag) => flag !== 'touches_arbitrary_keys').map((flag) => simple(flag))),
    integer(keys ? keys.first : 0),
    integer(keys ? keys.last : 0),
    integer(keys ? keys.step : 0),
    set(spec.acl.map((category) => simple(`@${category}`))),
    set((spec.tips ?? []).map((tip) => bulk(tip))),
    keySpecs(command),
    array(subcommands.map((sub) => commandInfo(ctx, sub))),
  ]);
}

function commandDocs(ctx: CommandContext, command: ResolvedCommand): Reply {
  const doc = command.spec.doc;
  const items: Reply[] = [bulk('summary'), bulk(doc.summary), bulk('since'), bulk(doc.since), bulk('group'), bulk(doc.group)];
  if (doc.complexity) items.push(bulk('complexity'), bulk(doc.complexity));
  const subcommands = command.parent === null ? ctx.node.commands.subcommandsOf(command.spec.name) : [];
  if (subcommands.length > 0) {
    const subItems: Reply[] = [];
    for (const sub of subcommands) subItems.push(bulk(sub.fullName), commandDocs(ctx, sub));
    items.push(bulk('subcommands'), map(subItems));
  }
  return map(items);
}

const allCommands = (ctx: CommandContext): ResolvedCommand[] => [...ctx.node.commands.all()];

const commandCount = defineCommand({
  name: 'count', arity: 2, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Get total number of Redis commands', since: '2.8.13', group: 'server' },
  handler: (ctx) => integer(ctx.node.commands.size),
});

const commandInfoSub = defineCommand({
  name: 'info', arity: -2, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Get array of specific Redis command details, or all when no argument is given.', since: '2.8.13', group: 'server' },
  tips: ['nondeterministic_output_order'],
  handler: (ctx) => {
    if (ctx.argc === 2) return array(allCommands(ctx).map((command) => commandInfo(ctx, command)));
    return array(ctx.argv.slice(2).map((name) => {
      const command = ctx.node.commands.byFullName(name);
      return command ? commandInfo(ctx, command) : NULL;
    }));
  },
});

const commandDocsSub = defineCommand({
  name: 'docs', arity: -2, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Get array of specific Redis command documentation', since: '7.0.0', group: 'server' },
  tips: ['nondeterministic_output_order'],
  handler: (ctx) => {
    const names = ctx.argc === 2 ? allCommands(ctx).map((c) => c.fullName) : ctx.argv.slice(2);
    const items: Reply[] = [];
    for (const name of names) {
      const command = ctx.node.commands.byFullName(name);
      if (command) items.push(bulk(command.fullName), commandDocs(ctx, command));
    }
    return map(items);
  },
});

const commandList = defineCommand({
  name: 'list', arity: -2, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Get an array of Redis command names', since: '7.0.0', group: 'server' },
  tips: ['nondeterministic_output_order'],
  handler: (ctx) => {
    const names: string[] = [];
    for (const command of allCommands(ctx)) {
      names.push(command.fullName);
      for (const sub of ctx.node.commands.subcommandsOf(command.spec.name)) names.push(sub.fullName);
    }
    if (ctx.argc === 2) return bulkArray(names);
    if (ctx.argc !== 5 || !isOption(ctx.argv[2], 'filterby')) return errors.SYNTAX;
    const kind = ctx.arg(3).toLowerCase();
    const value = ctx.arg(4);
    if (kind === 'module') return bulkArray([]);
    if (kind === 'pattern') return bulkArray(names.filter((name) => stringMatch(value, name, true)));
    if (kind === 'aclcat') {
      const category = value.toLowerCase().replace(/^@/, '');
      return bulkArray(names.filter((name) => ctx.node.commands.byFullName(name)?.spec.acl.includes(category as never)));
    }
    return errors.SYNTAX;
  },
});

const commandGetkeys = defineCommand({
  name: 'getkeys', arity: -3, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Extract keys given a full Redis command', since: '2.8.13', group: 'server' },
  handler: (ctx) => {
    const argv = ctx.argv.slice(2);
    const lookup = ctx.node.commands.lookup(argv);
    if (lookup.kind !== 'found') return error('ERR Invalid command specified');
    const spec = lookup.command.spec;
    if ((spec.arity > 0 && spec.arity !== argv.length) || argv.length < -spec.arity) return error('ERR Invalid number of arguments specified for command');
    const indexes = keyIndexes(lookup.command, argv);
    if (indexes.length === 0) return error('ERR The command has no key arguments');
    return bulkArray(indexes.map((index) => argv[index]!));
  },
});

const commandHelp = defineCommand({
  name: 'help', arity: 2, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Show helpful text about the different subcommands', since: '5.0.0', group: 'server' },
  handler: () => helpReply('command', [
    '(no subcommand)',
    '    Return details about all Redis commands.',
    'COUNT',
    '    Return the total number of commands in this Redis server.',
    'LIST',
    '    Return a list of all commands in this Redis server.',
    'INFO [<command-name> ...]',
    '    Return details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'DOCS [<command-name> ...]',
    '    Return documentation details about multiple Redis commands.',
    '    If no command names are given, documentation details for all',
    '    commands are returned.',
    'GETKEYS <full-command>',
    '    Return the keys from a full Redis command.',
    'GETKEYSANDFLAGS <full-command>',
    '    Return the keys and the access flags from a full Redis command.',
  ]),
});

export const commandCommand = defineCommand({
  name: 'command', arity: -1, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Get array of Redis command details', since: '2.8.13', group: 'server' },
  tips: ['nondeterministic_output_order'],
  subcommands: [commandCount, commandInfoSub, commandDocsSub, commandList, commandGetkeys, commandHelp],
  handler: (ctx) => array(allCommands(ctx).map((command) => commandInfo(ctx, command))),
});
