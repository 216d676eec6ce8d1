/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT (eval.c).
 *
 * A script's body is compiled once and cached by its SHA1; EVALSHA runs a
 * cached one. KEYS and ARGV are globals of the EVAL state. The command's
 * own argv is never propagated: replicas receive the effects (the commands
 * the script ran), wrapped in MULTI/EXEC when more than one.
 */
import { defineCommand, isOption, cString } from './define';
import { helpReply } from './help';
import type { CommandContext } from './command-context';
import type { CommandResult } from './command-spec';
import { declaredScriptFlags, killScript, NOT_INTEGER, parseNumKeys, scriptStartTime } from './scripting-common';
import type { CommandNode } from './port/command-node';
import { array, bulk, error, OK, ONE, ZERO, type Reply } from '../resp/reply';
import { ScriptRun, refuseToStart } from '../scripting/script-run';
import { parseScriptShebang, type ScriptFlags } from '../scripting/shebang';

const NOSCRIPT = error('NOSCRIPT No matching script. Please use EVAL.');

function evalFlags(commandName: string, evalsha: boolean) {
  // Scripts without a shebang (most) keep the command's own flags: no lookups for them.
  return (argv: ReadonlyArray<string>, node: CommandNode) => {
    let flags: ScriptFlags;
    if (evalsha) {
      const script = node.scripting.scriptBySha(argv[1] ?? '');
      if (!script || script.flags.compat) return null;
      flags = script.flags;
    } else {
      const body = argv[1] ?? '';
      if (!body.startsWith('#!')) return null;
      const parsed = parseScriptShebang(body);
      if ('error' in parsed) return null;
      flags = parsed.flags;
    }
    const command = node.commands.byFullName(commandName);
    return command ? declaredScriptFlags(commandName, command.is, flags) : null;
  };
}

function evalGeneric(ctx: CommandContext, evalsha: boolean, readOnly: boolean): CommandResult {
  const node = ctx.node;
  const scripting = node.scripting;
  node.monitor.feed(ctx.client, ctx.argv, ctx.now);
  if (evalsha && ctx.arg(1).length !== 40) return NOSCRIPT;
  const numkeys = parseNumKeys(ctx, NOT_INTEGER);
  if (typeof numkeys !== 'number') return numkeys;
  const script = evalsha ? scripting.scriptBySha(ctx.arg(1)) : scripting.createScript(ctx.arg(1));
  if (script === undefined) return NOSCRIPT;
  if ('kind' in script) return script;
  const refusal = refuseToStart(node, ctx.client, script.flags, readOnly);
  if (refusal) return refusal;
  ctx.preventPropagation();
  const run = new ScriptRun({
    caller: ctx.client, scriptClient: scripting.scriptClient, name: script.sha, isEval: true, flags: script.flags,
    readOnlyCommand: readOnly, argv: ctx.argv, now: scriptStartTime(ctx),
  });
  const vm = scripting.evalVm;
  vm.setKeysAndArgv(ctx.argv, numkeys);
  return scripting.runner.execute(ctx, vm, script.ref, run, () => 0);
}

function evalDefinition(name: string, evalsha: boolean, readOnly: boolean, summary: string, since: string) {
  return defineCommand({
    name, arity: -3,
    flags: readOnly ? ['noscript', 'skip_monitor', 'no_mandatory_keys', 'stale', 'readonly'] : ['noscript', 'skip_monitor', 'may_replicate', 'no_mandatory_keys', 'stale'],
    acl: ['scripting'], keys: null,
    doc: { summary, since, group: 'scripting', complexity: 'Depends on the script that is executed.' },
    dynamicFlags: evalFlags(name, evalsha),
    handler: (ctx) => evalGeneric(ctx, evalsha, readOnly),
  });
}

export const evalCommand = evalDefinition('eval', false, false, 'Execute a Lua script server side', '2.6.0');
export const evalRoCommand = evalDefinition('eval_ro', false, true, 'Execute a read-only Lua script server side', '7.0.0');
export const evalshaCommand = evalDefinition('evalsha', true, false, 'Execute a Lua script server side', '2.6.0');
export const evalshaRoCommand = evalDefinition('evalsha_ro', true, true, 'Execute a read-only Lua script server side', '7.0.0');

const SCRIPT_HELP = [
  'DEBUG (YES|SYNC|NO)',
  '    Set the debug mode for subsequent scripts executed.',
  'EXISTS <sha1> [<sha1> ...]',
  '    Return information about the existence of the scripts in the script cache.',
  'FLUSH [ASYNC|SYNC]',
  '    Flush the Lua scripts cache. Very dangerous on replicas.',
  '    When called without the optional mode argument, the behavior is determined by the',
  '    lazyfree-lazy-user-flush configuration directive. Valid modes are:',
  '    * ASYNC: Asynchronously flush the scripts cache.',
  '    * SYNC: Synchronously flush the scripts cache.',
  'KILL',
  '    Kill the currently executing Lua script.',
  'LOAD <script>',
  '    Load a script into the scripts cache without executing it.',
];

const scriptSub = (name: string, arity: number, flags: Parameters<typeof defineCommand>[0]['flags'], summary: string, since: string, handler: (ctx: CommandContext) => Reply) =>
  defineCommand({ name, arity, flags, acl: ['scripting'], keys: null, doc: { summary, since, group: 'scripting' }, handler });

export const scriptCommand = defineCommand({
  name: 'script', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for Lua scripts management commands', since: '2.6.0', group: 'scripting', complexity: 'Depends on subcommand.' },
  subcommands: [
    scriptSub('debug', 3, ['noscript'], 'Set the debug mode for executed scripts.', '3.2.0', (ctx) => {
      const mode = cString(ctx.arg(2)).toLowerCase();
      if (mode === 'no') return OK;
      if (mode === 'yes' || mode === 'sync') return error('ERR SCRIPT DEBUG is not supported: this server has no Lua debugger');
      return error('ERR Use SCRIPT DEBUG YES/SYNC/NO');
    }),
    scriptSub('exists', -3, ['noscript'], 'Check existence of scripts in the script cache.', '2.6.0', (ctx) =>
      array(ctx.argv.slice(2).map((sha) => (ctx.node.scripting.scripts.has(sha.toLowerCase()) ? ONE : ZERO)))),
    scriptSub('flush', -2, ['noscript'], 'Remove all the scripts from the script cache.', '2.6.0', (ctx) => {
      if (ctx.argc > 3 || (ctx.argc === 3 && !isOption(ctx.arg(2), 'sync') && !isOption(ctx.arg(2), 'async'))) {
        return error('ERR SCRIPT FLUSH only support SYNC|ASYNC option');
      }
      ctx.node.scripting.flushScripts();
      return OK;
    }),
    scriptSub('help', 2, ['loading', 'stale'], 'Show helpful text about the different subcommands', '5.0.0', () => helpReply('script', SCRIPT_HELP)),
    scriptSub('kill', 2, ['noscript', 'allow_busy'], 'Kill the script currently in execution.', '2.6.0', (ctx) => killScript(ctx, true)),
    scriptSub('load', 3, ['noscript', 'stale'], 'Load the specified Lua script into the script cache.', '2.6.0', (ctx) => {
      const created = ctx.node.scripting.createScript(ctx.arg(2));
      return 'kind' in created ? created : bulk(created.sha);
    }),
  ],
});

export const EVAL_COMMANDS = [evalCommand, evalRoCommand, evalshaCommand, evalshaRoCommand, scriptCommand];
