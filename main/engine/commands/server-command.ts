/**
 * COMMAND [COUNT | INFO | DOCS | LIST | GETKEYS | GETKEYSANDFLAGS | HELP],
 * built from the command table in 7.0's reply shapes (meta/command-info.ts):
 * redis-cli asks for COMMAND DOCS at start-up to draw hints, cluster-aware
 * clients read key specs and tips.
 */
import { defineCommand, isOption } from './define';
import { helpReply } from './help';
import type { CommandContext } from './command-context';
import type { AclCategory, ResolvedCommand } from './command-spec';
import { commandDocsReply, commandInfoReply, ACL_CATEGORY_ORDER } from './meta/command-info';
import { commandHasKeys, commandKeys } from './meta/key-extraction';
import { keyFlagNames } from './meta/key-spec';
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, error, integer, map, NULL, set, simple, type Reply } from '../resp/reply';
import { stringMatch } from '../util/glob';
import { cString } from '../util/c-string';

const allCommands = (ctx: CommandContext): ResolvedCommand[] => [...ctx.node.commands.all()];

/** A top-level command's subcommands; none for a subcommand itself. */
const childrenOf = (ctx: CommandContext, command: ResolvedCommand): ResolvedCommand[] =>
  command.parent === null ? ctx.node.commands.subcommandsOf(command.spec.name) : [];

const infoOf = (ctx: CommandContext, command: ResolvedCommand): Reply => commandInfoReply(command, childrenOf(ctx, command));

/**
 * COMMAND GETKEYS / GETKEYSANDFLAGS <command> <args...> (getKeysSubcommandImpl):
 * the command as processCommand would resolve it, checked for keys and arity
 * before the keys are extracted.
 */
function getKeysReply(ctx: CommandContext, withFlags: boolean): Reply {
  const argv = ctx.argv.slice(2);
  const lookup = ctx.node.commands.lookup(argv);
  if (lookup.kind !== 'found') return error('ERR Invalid command specified');
  const command = lookup.command;
  if (!commandHasKeys(command.keyInfo)) return error('ERR The command has no key arguments');
  const arity = command.arity;
  if ((arity > 0 && arity !== argv.length) || argv.length < -arity) return error('ERR Invalid number of arguments specified for command');
  const keys = commandKeys(command, argv);
  if (keys.length === 0) {
    return command.is.no_mandatory_keys ? array([]) : error('ERR Invalid arguments specified for command');
  }
  if (!withFlags) return bulkArray(keys.map((key) => argv[key.index]!));
  return array(keys.map((key) => array([bulk(argv[key.index]!), set(keyFlagNames(key.flags).map((name) => simple(name)))])));
}

const commandCount = defineCommand({
  name: 'count', arity: 2, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Get total number of Redis commands', since: '2.8.13', group: 'server' },
  handler: (ctx) => integer(ctx.node.commands.size),
});

const commandInfoSub = defineCommand({
  name: 'info', arity: -2, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Get array of specific Redis command details, or all when no argument is given.', since: '2.8.13', group: 'server' },
  handler: (ctx) => {
    if (ctx.argc === 2) return array(allCommands(ctx).map((command) => infoOf(ctx, command)));
    return array(ctx.argv.slice(2).map((name) => {
      const command = ctx.node.commands.byFullName(name);
      return command ? infoOf(ctx, command) : NULL;
    }));
  },
});

const commandDocsSub = defineCommand({
  name: 'docs', arity: -2, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Get array of specific Redis command documentation', since: '7.0.0', group: 'server' },
  handler: (ctx) => {
    const names = ctx.argc === 2 ? allCommands(ctx).map((c) => c.fullName) : ctx.argv.slice(2);
    const items: Reply[] = [];
    for (const name of names) {
      const command = ctx.node.commands.byFullName(name);
      if (command) items.push(bulk(command.fullName), commandDocsReply(command, childrenOf(ctx, command)));
    }
    return map(items);
  },
});

const commandList = defineCommand({
  name: 'list', arity: -2, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Get an array of Redis command names', since: '7.0.0', group: 'server' },
  handler: (ctx) => {
    const names: string[] = [];
    for (const command of allCommands(ctx)) {
      names.push(command.fullName);
      for (const sub of ctx.node.commands.subcommandsOf(command.spec.name)) names.push(sub.fullName);
    }
    if (ctx.argc === 2) return bulkArray(names);
    // Exactly one FILTERBY <type> <value> (commandListCommand).
    if (ctx.argc !== 5 || !isOption(ctx.argv[2], 'filterby')) return errors.SYNTAX;
    // The filter type and an ACL category are strcasecmp'd (up to a NUL); a pattern is matched over every byte.
    const kind = cString(ctx.arg(3)).toLowerCase();
    const value = ctx.arg(4);
    if (kind === 'module') return bulkArray([]);
    if (kind === 'pattern') return bulkArray(names.filter((name) => stringMatch(value, name, true)));
    if (kind === 'aclcat') {
      const category = ACL_CATEGORY_ORDER.find((known) => known === cString(value).toLowerCase());
      if (category === undefined) return bulkArray([]);
      return bulkArray(names.filter((name) => hasCategory(ctx, name, category)));
    }
    return errors.SYNTAX;
  },
});

function hasCategory(ctx: CommandContext, fullName: string, category: AclCategory): boolean {
  return ctx.node.commands.byFullName(fullName)?.spec.acl.includes(category) ?? false;
}

const commandGetkeys = defineCommand({
  name: 'getkeys', arity: -4, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Extract keys given a full Redis command', since: '2.8.13', group: 'server' },
  handler: (ctx) => getKeysReply(ctx, false),
});

const commandGetkeysAndFlags = defineCommand({
  name: 'getkeysandflags', arity: -4, flags: ['loading', 'stale'], acl: ['connection'], keys: null,
  doc: { summary: 'Extract keys and access flags given a full Redis command', since: '7.0.0', group: 'server' },
  handler: (ctx) => getKeysReply(ctx, true),
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
  subcommands: [commandCount, commandInfoSub, commandDocsSub, commandList, commandGetkeys, commandGetkeysAndFlags, commandHelp],
  handler: (ctx) => array(allCommands(ctx).map((command) => infoOf(ctx, command))),
});
