/**
 * FUNCTION LOAD/DELETE/FLUSH/LIST/DUMP/RESTORE/STATS/KILL/HELP and
 * FCALL/FCALL_RO (functions.c).
 *
 * FUNCTION LOAD, DELETE, FLUSH and RESTORE change the dataset (dirty++) and
 * propagate verbatim, so replicas hold the same libraries; FCALL
 * propagates the function's effects, never itself. A load from our
 * master's stream runs without the 500 ms load time limit.
 */
import { defineCommand, isOption, cString } from './define';
import { helpReply } from './help';
import type { CommandContext } from './command-context';
import type { CommandFlag, CommandResult } from './command-spec';
import { declaredScriptFlags, killScript, parseNumKeys, scriptStartTime } from './scripting-common';
import type { CommandNode } from './port/command-node';
import { createFunctionsPayload, readFunctionsPayload } from '../rdb/function-payload';
import * as errors from '../resp/errors';
import { array, bulk, bulkOrNull, error, integer, map, mapOf, NULL, OK, simple, set, type Reply } from '../resp/reply';
import { ScriptRun, refuseToStart } from '../scripting/script-run';
import { stringMatch } from '../util/glob';

const LOAD_TIMEOUT_MS = 500;

function fcallFlags(commandName: string) {
  return (argv: ReadonlyArray<string>, node: CommandNode) => {
    const command = node.commands.byFullName(commandName);
    const fn = node.scripting.findFunction(argv[1] ?? '');
    return command && fn ? declaredScriptFlags(commandName, command.is, fn.flags) : null;
  };
}

function fcallGeneric(ctx: CommandContext, readOnly: boolean): CommandResult {
  const node = ctx.node;
  const scripting = node.scripting;
  node.monitor.feed(ctx.client, ctx.argv, ctx.now);
  const fn = scripting.findFunction(ctx.arg(1));
  if (!fn) return error('ERR Function not found');
  const numkeys = parseNumKeys(ctx, error('ERR Bad number of keys provided'));
  if (typeof numkeys !== 'number') return numkeys;
  const refusal = refuseToStart(node, ctx.client, fn.flags, readOnly);
  if (refusal) return refusal;
  ctx.preventPropagation();
  const run = new ScriptRun({
    caller: ctx.client, scriptClient: scripting.scriptClient, name: fn.name, isEval: false, flags: fn.flags,
    readOnlyCommand: readOnly, argv: ctx.argv, now: scriptStartTime(ctx),
  });
  const vm = scripting.functionsVm;
  return scripting.runner.execute(ctx, vm, fn.ref, run, (T) => {
    vm.pushStringArray(T, ctx.argv, 3, 3 + numkeys);
    vm.pushStringArray(T, ctx.argv, 3 + numkeys);
    return 2;
  });
}

function fcallDefinition(name: string, readOnly: boolean, summary: string) {
  return defineCommand({
    name, arity: -3,
    flags: readOnly ? ['noscript', 'skip_monitor', 'no_mandatory_keys', 'stale', 'readonly'] : ['noscript', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'stale'],
    acl: ['scripting'], keys: null,
    doc: { summary, since: '7.0.0', group: 'scripting', complexity: 'Depends on the function that is executed.' },
    dynamicFlags: fcallFlags(name),
    handler: (ctx) => fcallGeneric(ctx, readOnly),
  });
}

export const fcallCommand = fcallDefinition('fcall', false, 'Invoke a function');
export const fcallRoCommand = fcallDefinition('fcall_ro', true, 'Invoke a read-only function');

function subcommandSyntax(ctx: CommandContext): Reply {
  return errors.subcommandSyntax(ctx.arg(1), 'function');
}

function load(ctx: CommandContext): Reply {
  let replace = false;
  let index = 2;
  for (; index < ctx.argc - 1; index++) {
    if (isOption(ctx.arg(index), 'replace')) replace = true;
    else return error(`ERR Unknown option given: ${ctx.arg(index)}`);
  }
  if (index >= ctx.argc) return error('ERR Function code is missing');
  const timeout = ctx.client.isMaster ? 0 : LOAD_TIMEOUT_MS;
  const result = ctx.node.scripting.libraries.create(ctx.arg(index), replace, timeout);
  if ('error' in result) return error(`ERR ${result.error}`);
  ctx.addDirty();
  return bulk(result.name);
}

function list(ctx: CommandContext): Reply {
  let withCode = false;
  let pattern: string | null = null;
  for (let i = 2; i < ctx.argc; i++) {
    const arg = ctx.arg(i);
    if (!withCode && isOption(arg, 'withcode')) {
      withCode = true;
      continue;
    }
    if (pattern === null && isOption(arg, 'libraryname')) {
      if (i >= ctx.argc - 1) return error('ERR library name argument was not given');
      pattern = ctx.arg(++i);
      continue;
    }
    return error(`ERR Unknown argument ${cString(arg)}`);
  }
  const replies: Reply[] = [];
  for (const library of ctx.node.scripting.libraries.libraries.values()) {
    if (pattern !== null && !stringMatch(pattern, library.name, false)) continue;
    const functions = [...library.functions.values()].map((fn) =>
      mapOf([['name', bulk(fn.name)], ['description', bulkOrNull(fn.description)], ['flags', set(fn.flagNames.map((flag) => simple(flag)))]]));
    const fields: Array<[string, Reply]> = [['library_name', bulk(library.name)], ['engine', bulk(library.engine)], ['functions', array(functions)]];
    if (withCode) fields.push(['library_code', bulk(library.code)]);
    replies.push(mapOf(fields));
  }
  return array(replies);
}

function stats(ctx: CommandContext): Reply {
  const scripting = ctx.node.scripting;
  const run = scripting.currentRun;
  if (run !== null && run.isEval) return scripting.busyError();
  const running = run === null ? NULL : mapOf([['name', bulk(run.name)], ['command', array(run.argv.map((arg) => bulk(arg)))], ['duration_ms', integer(run.durationMs)]]);
  const libraries = scripting.libraries;
  const engines = map([bulk('LUA'), mapOf([['libraries_count', integer(libraries.libraries.size)], ['functions_count', integer(libraries.functionCount)]])]);
  return mapOf([['running_script', running], ['engines', engines]]);
}

function restore(ctx: CommandContext): Reply {
  if (ctx.argc > 4) return subcommandSyntax(ctx);
  let policy: 'flush' | 'append' | 'replace' = 'append';
  if (ctx.argc === 4) {
    const given = ctx.arg(3);
    if (isOption(given, 'append')) policy = 'append';
    else if (isOption(given, 'replace')) policy = 'replace';
    else if (isOption(given, 'flush')) policy = 'flush';
    else return error('ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.');
  }
  const payload = readFunctionsPayload(Buffer.from(ctx.arg(2), 'latin1'));
  if ('error' in payload) return error(`ERR ${payload.error}`);
  const failure = ctx.node.scripting.libraries.restore(payload.codes, policy);
  if (failure !== null) return error(`ERR ${failure}`);
  ctx.addDirty();
  return OK;
}

const HELP = [
  'LOAD [REPLACE] <FUNCTION CODE>',
  '    Create a new library with the given library name and code.',
  'DELETE <LIBRARY NAME>',
  '    Delete the given library.',
  'LIST [LIBRARYNAME PATTERN] [WITHCODE]',
  '    Return general information on all the libraries:',
  '    * Library name',
  '    * The engine used to run the Library',
  '    * Library description',
  '    * Functions list',
  '    * Library code (if WITHCODE is given)',
  '    It also possible to get only function that matches a pattern using LIBRARYNAME argument.',
  'STATS',
  '    Return information about the current function running:',
  '    * Function name',
  '    * Command used to run the function',
  '    * Duration in MS that the function is running',
  '    If no function is running, return nil',
  '    In addition, returns a list of available engines.',
  'KILL',
  '    Kill the current running function.',
  'FLUSH [ASYNC|SYNC]',
  '    Delete all the libraries.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the libraries.',
  '    * SYNC: Synchronously flush the libraries.',
  'DUMP',
  '    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command',
  'RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]',
  '    Restore the libraries represented by the given payload, it is possible to give a restore policy to',
  '    control how to handle existing libraries (default APPEND):',
  '    * FLUSH: delete all existing libraries.',
  '    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.',
  '    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old',
  '      libraries with the new libraries (notice that even on this option there is a chance of failure',
  '      in case of functions name collision with another library).',
];

const sub = (name: string, arity: number, flags: CommandFlag[], summary: string, handler: (ctx: CommandContext) => Reply) =>
  defineCommand({ name, arity, flags, acl: ['scripting'], keys: null, doc: { summary, since: '7.0.0', group: 'scripting' }, handler });

export const functionCommand = defineCommand({
  name: 'function', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for function commands', since: '7.0.0', group: 'scripting', complexity: 'Depends on subcommand.' },
  subcommands: [
    sub('delete', 3, ['noscript', 'write'], 'Delete a function by name', (ctx) => {
      if (!ctx.node.scripting.libraries.delete(ctx.arg(2))) return error('ERR Library not found');
      ctx.addDirty();
      return OK;
    }),
    sub('dump', 2, ['noscript'], 'Dump all functions into a serialized binary payload', (ctx) => {
      return bulk(createFunctionsPayload(ctx.node.scripting.libraries.codes(), ctx.node.config.bool('rdbcompression')).toString('latin1'));
    }),
    sub('flush', -2, ['noscript', 'write'], 'Deleting all functions', (ctx) => {
      if (ctx.argc > 3) return subcommandSyntax(ctx);
      if (ctx.argc === 3 && !isOption(ctx.arg(2), 'sync') && !isOption(ctx.arg(2), 'async')) return error('ERR FUNCTION FLUSH only supports SYNC|ASYNC option');
      ctx.node.scripting.libraries.flush();
      ctx.addDirty();
      return OK;
    }),
    sub('help', 2, ['loading', 'stale'], 'Show helpful text about the different subcommands', () => helpReply('function', HELP)),
    sub('kill', 2, ['noscript', 'allow_busy'], 'Kill the function currently in execution.', (ctx) => killScript(ctx, false)),
    sub('list', -2, ['noscript'], 'List information about all the functions', list),
    sub('load', -3, ['noscript', 'write', 'denyoom'], 'Create a function with the given arguments (name, code, description)', load),
    sub('restore', -3, ['noscript', 'write', 'denyoom'], 'Restore all the functions on the given payload', restore),
    sub('stats', 2, ['noscript', 'allow_busy'], 'Return information about the function currently running (name, description, duration)', stats),
  ],
});

export const FUNCTION_COMMANDS = [functionCommand, fcallCommand, fcallRoCommand];
