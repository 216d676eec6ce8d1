/**
 * ACL subcommands (acl.c aclCommand): SETUSER, GETUSER, DELUSER, LIST,
 * USERS, WHOAMI, CAT, GENPASS, LOG, DRYRUN, LOAD, SAVE, HELP. The users
 * and the checks themselves live in main/engine/acl.
 *
 * Messages quote user input the way Redis's printf does: a %s stops at the
 * first NUL byte, and CR/LF in an error become spaces.
 */
import { randomBytes } from 'node:crypto';
import { defineCommand, int64Arg, isOption } from './define';
import { helpReply } from './help';
import type { CommandContext } from './command-context';
import type { CommandFlag } from './command-spec';
import { ACL_CATEGORY_ORDER } from './meta/command-info';
import * as errors from '../resp/errors';
import { array, bulk, bulkArray, double, error, integer, mapOf, NULL, OK, set, type Reply } from '../resp/reply';
import { Acl } from '../acl/acl-registry';
import { describeChannels, describeCommandRules, describeKeys } from '../acl/acl-describe';
import { loadAclFile, saveAclFile } from '../acl/acl-file';
import { ACL_DENIED_CMD, ACL_DENIED_KEY, ACL_OK, type AclSelector } from '../acl/acl-selector';

const HELP = [
  'CAT [<category>]',
  '    List all commands that belong to <category>, or all command categories',
  '    when no category is specified.',
  'DELUSER <username> [<username> ...]',
  '    Delete a list of users.',
  'DRYRUN <username> <command> [<arg> ...]',
  '    Returns whether the user can execute the given command without executing the command.',
  'GETUSER <username>',
  "    Get the user's details.",
  'GENPASS [<bits>]',
  '    Generate a secure 256-bit user password. The optional `bits` argument can',
  '    be used to specify a different size.',
  'LIST',
  '    Show users details in config file format.',
  'LOAD',
  '    Reload users from the ACL file.',
  'LOG [<count> | RESET]',
  '    Show the ACL log entries.',
  'SAVE',
  '    Save the current config to the ACL file.',
  'SETUSER <username> <attribute> [<attribute> ...]',
  '    Create or modify a user with the specified attributes.',
  'USERS',
  '    List all the registered usernames.',
  'WHOAMI',
  '    Return the current connection username.',
];

const GENPASS_MAX_BITS = 4096;
const NO_ACL_FILE = error(
  'ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration.',
);

/** A string as C's %s prints it: up to the first NUL. */
function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul < 0 ? text : text.slice(0, nul);
}

function safeError(message: string): Reply {
  return error(`ERR ${errors.sanitizeForError(message)}`);
}

type SubFlag = Extract<CommandFlag, 'admin' | 'noscript' | 'loading' | 'stale'>;
const ADMIN: SubFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const PLAIN: SubFlag[] = ['noscript', 'loading', 'stale'];

const sub = (name: string, arity: number, flags: SubFlag[], summary: string, complexity: string, since: string, handler: (ctx: CommandContext) => Reply) =>
  defineCommand({ name, arity, flags, acl: [], keys: null, doc: { summary, since, group: 'server', complexity }, handler });

const aclSetuser = sub('setuser', -3, ADMIN, 'Modify or create the rules for a specific ACL user', 'O(N). Where N is the number of rules provided.', '6.0.0', (ctx) => {
  for (let index = 2; index < ctx.argc; index++) ctx.redact(index);
  const name = ctx.arg(2);
  if (!Acl.validUsername(name)) return error("ERR Usernames can't contain spaces or null characters");
  const failure = ctx.node.acl.setUser(name, ctx.argv.slice(3));
  return failure === null ? OK : safeError(failure);
});

function selectorFields(selector: AclSelector, ctx: CommandContext): Array<[string, Reply]> {
  return [
    ['commands', bulk(describeCommandRules(selector, ctx.node.acl.commands))],
    ['keys', bulk(describeKeys(selector))],
    ['channels', bulk(describeChannels(selector))],
  ];
}

const aclGetuser = sub('getuser', 3, ADMIN, 'Get the rules for a specific ACL user', 'O(N). Where N is the number of password, command and pattern rules that the user has.', '6.0.0', (ctx) => {
  const user = ctx.node.acl.users.get(ctx.arg(2));
  if (!user) return NULL;
  return mapOf([
    ['flags', set(user.flagNames().map(bulk))],
    ['passwords', bulkArray(user.passwords)],
    ...selectorFields(user.root, ctx),
    ['selectors', array(user.selectors.slice(1).map((selector) => mapOf(selectorFields(selector, ctx))))],
  ]);
});

const aclDeluser = sub('deluser', -3, ADMIN, 'Remove the specified ACL users and the associated rules', 'O(1) amortized time considering the typical user.', '6.0.0', (ctx) => {
  const names = ctx.argv.slice(2);
  if (names.includes('default')) return error("ERR The 'default' user cannot be removed");
  return integer(ctx.node.acl.deleteUsers(names, ctx.client));
});

const aclList = sub('list', 2, ADMIN, 'List the current ACL rules in ACL config file format', 'O(N). Where N is the number of configured users.', '6.0.0', (ctx) =>
  bulkArray(ctx.node.acl.sortedUsers().map((user) => `user ${user.name} ${user.describe()}`)),
);

const aclUsers = sub('users', 2, ADMIN, 'List the username of all the configured ACL rules', 'O(N). Where N is the number of configured users.', '6.0.0', (ctx) =>
  bulkArray(ctx.node.acl.sortedUsers().map((user) => user.name)),
);

const aclWhoami = sub('whoami', 2, PLAIN, 'Return the name of the user associated to the current connection', 'O(1)', '6.0.0', (ctx) =>
  ctx.client.user ? bulk(ctx.client.user.name) : NULL,
);

const aclCat = sub('cat', -2, PLAIN, 'List the ACL categories or the commands inside a category', 'O(1) since the categories and commands are a fixed set.', '6.0.0', (ctx) => {
  if (ctx.argc === 2) return bulkArray(ACL_CATEGORY_ORDER);
  if (ctx.argc !== 3) return errors.subcommandSyntax(ctx.arg(1), ctx.arg(0));
  const category = ACL_CATEGORY_ORDER.find((name) => name === ctx.arg(2).toLowerCase());
  if (!category) return safeError(`Unknown category '${cString(ctx.arg(2)).slice(0, 128)}'`);
  const commands = ctx.node.acl.commands;
  return bulkArray(commands.all.filter((command) => commands.inCategory(command, category)).map((command) => command.fullName));
});

const aclGenpass = sub('genpass', -2, PLAIN, 'Generate a pseudorandom secure password to use for ACL users', 'O(1)', '6.0.0', (ctx) => {
  if (ctx.argc > 3) return errors.subcommandSyntax(ctx.arg(1), ctx.arg(0));
  let bits = 256;
  if (ctx.argc === 3) {
    const parsed = int64Arg(ctx.arg(2));
    if (parsed === null) return errors.NOT_INTEGER;
    bits = typeof parsed === 'bigint' ? Number(parsed) : parsed;
  }
  if (bits <= 0 || bits > GENPASS_MAX_BITS) {
    return error(`ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to ${GENPASS_MAX_BITS}`);
  }
  const chars = Math.floor((bits + 3) / 4);
  return bulk(randomBytes(Math.ceil(chars / 2)).toString('hex').slice(0, chars));
});

const aclLog = sub('log', -2, ADMIN, 'List latest events denied because of ACLs in place', 'O(N) with N being the number of entries shown.', '6.0.0', (ctx) => {
  if (ctx.argc > 3) return errors.subcommandSyntax(ctx.arg(1), ctx.arg(0));
  const log = ctx.node.acl.log;
  let count = 10;
  if (ctx.argc === 3) {
    if (isOption(ctx.argv[2], 'reset')) {
      log.reset();
      return OK;
    }
    const parsed = int64Arg(ctx.arg(2));
    if (parsed === null) return errors.NOT_INTEGER;
    count = Math.max(0, Number(parsed));
  }
  const now = Date.now();
  return array(
    log.entries.slice(0, count).map((entry) =>
      mapOf([
        ['count', integer(entry.count)],
        ['reason', bulk(entry.reason)],
        ['context', bulk(entry.context)],
        ['object', bulk(entry.object)],
        ['username', bulk(entry.username)],
        ['age-seconds', double((now - entry.time) / 1000)],
        ['client-info', bulk(entry.clientInfo)],
      ]),
    ),
  );
});

const aclDryrun = sub('dryrun', -4, ADMIN, 'Returns whether the user can execute the given command without executing the command.', 'O(1).', '7.0.0', (ctx) => {
  const user = ctx.node.acl.users.get(ctx.arg(2));
  if (!user) return safeError(`User '${cString(ctx.arg(2))}' not found`);
  const argv = ctx.argv.slice(3);
  const lookup = ctx.node.commands.lookup(argv);
  if (lookup.kind !== 'found') return safeError(`Command '${cString(ctx.arg(3))}' not found`);
  const command = lookup.command;
  if ((command.arity > 0 && command.arity !== argv.length) || argv.length < -command.arity) {
    return safeError(`wrong number of arguments for '${command.fullName}' command`);
  }
  const check = user.check(command, argv);
  if (check.result === ACL_OK) return OK;
  if (check.result === ACL_DENIED_CMD) return bulk(`This user has no permissions to run the '${command.fullName}' command`);
  const what = check.result === ACL_DENIED_KEY ? 'key' : 'channel';
  return bulk(`This user has no permissions to access the '${cString(argv[check.index] ?? '')}' ${what}`);
});

const aclLoad = sub('load', 2, ADMIN, 'Reload the ACLs from the configured ACL file', 'O(N). Where N is the number of configured users.', '6.0.0', (ctx) => {
  const filename = ctx.node.config.string('aclfile');
  if (filename === '') return NO_ACL_FILE;
  const failure = loadAclFile(ctx.node.acl, filename, ctx.node.config.string('dir'), ctx.client);
  return failure === null ? OK : safeError(failure);
});

const aclSave = sub('save', 2, ADMIN, 'Save the current ACL rules in the configured ACL file', 'O(N). Where N is the number of configured users.', '6.0.0', (ctx) => {
  const filename = ctx.node.config.string('aclfile');
  if (filename === '') return NO_ACL_FILE;
  const failure = saveAclFile(ctx.node.acl, filename, ctx.node.config.string('dir'));
  if (failure === null) return OK;
  ctx.node.log.warning(failure);
  return error('ERR There was an error trying to save the ACLs. Please check the server logs for more information');
});

const aclHelp = defineCommand({
  name: 'help', arity: 2, flags: ['loading', 'stale'], acl: [], keys: null,
  doc: { summary: 'Show helpful text about the different subcommands', since: '6.0.0', group: 'server', complexity: 'O(1)' },
  handler: () => helpReply('acl', HELP),
});

export const aclCommand = defineCommand({
  name: 'acl', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for Access List Control commands ', since: '6.0.0', group: 'server', complexity: 'Depends on subcommand.' },
  subcommands: [aclCat, aclDeluser, aclDryrun, aclGenpass, aclGetuser, aclHelp, aclList, aclLoad, aclLog, aclSave, aclSetuser, aclUsers, aclWhoami],
});
