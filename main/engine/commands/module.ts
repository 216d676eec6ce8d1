/**
 * MODULE LIST / LOAD / LOADEX / UNLOAD / HELP as redis-server 7.0 has them
 * (moduleCommand in module.c), for a server that can load no module: the
 * engine is TypeScript and has no C module API to hand a shared object.
 *
 * - LOAD, LOADEX and UNLOAD are protected commands: with
 *   enable-module-command no (the default) the dispatcher refuses them with
 *   Redis's "MODULE command not allowed..." error before they run.
 * - Allowed, LOAD and LOADEX fail as a failed dlopen fails on Redis: the
 *   reply is Redis's "Error loading the extension. Please check the server
 *   logs." and the log line ("Module <path> failed to load: ...") says that
 *   this engine loads no modules. LOADEX's CONFIG/ARGS layout is checked
 *   first, as parseLoadexArguments does, with its log lines.
 * - UNLOAD finds no module of that name (ENOENT), LIST is empty, HELP is
 *   Redis's text.
 */
import { defineCommand } from './define';
import type { CommandContext } from './command-context';
import type { CommandFlag } from './command-spec';
import { EMPTY_ARRAY, error, type Reply } from '../resp/reply';
import { helpReply } from './help';

const LOAD_FAILED = error('ERR Error loading the extension. Please check the server logs.');

const MODULE_HELP = [
  'LIST',
  '    Return a list of loaded modules.',
  'LOAD <path> [<arg> ...]',
  '    Load a module library from <path>, passing to it any optional arguments.',
  'LOADEX <path> [[CONFIG NAME VALUE] [CONFIG NAME VALUE]] [ARGS ...]',
  '    Load a module library from <path>, while passing it module configurations and optional arguments.',
  'UNLOAD <name>',
  '    Unload a module.',
];

const PROTECTED: CommandFlag[] = ['admin', 'noscript', 'no_async_loading', 'protected'];

function refuseLoad(ctx: CommandContext): Reply {
  ctx.node.log.warning(`Module ${ctx.arg(2)} failed to load: this server (an embedded TypeScript engine) cannot load C modules`);
  return LOAD_FAILED;
}

/**
 * LOADEX's arguments after the path, checked as parseLoadexArguments does:
 * CONFIG name value triples, then optionally ARGS and the module's own
 * arguments. Returns the notice Redis logs for a malformed list, or null.
 */
function loadexArgumentsProblem(argv: ReadonlyArray<string>): string | null {
  for (let index = 3; index < argv.length; index += 3) {
    const word = argv[index]!;
    if (word.toLowerCase() === 'args') return null;
    if (word.toLowerCase() !== 'config') return `Syntax Error from arguments to loadex around ${word}.`;
    if (index + 2 >= argv.length) return 'CONFIG specified without name value pair';
  }
  return null;
}

const moduleList = defineCommand({
  name: 'list', arity: 2, flags: ['admin', 'noscript'], acl: [], keys: null,
  doc: { summary: 'List all modules loaded by the server', since: '4.0.0', group: 'server', complexity: 'O(N) where N is the number of loaded modules.' },
  handler: () => EMPTY_ARRAY,
});

const moduleLoad = defineCommand({
  name: 'load', arity: -3, flags: PROTECTED, acl: [], keys: null,
  doc: { summary: 'Load a module', since: '4.0.0', group: 'server', complexity: 'O(1)' },
  handler: refuseLoad,
});

const moduleLoadex = defineCommand({
  name: 'loadex', arity: -3, flags: PROTECTED, acl: [], keys: null,
  doc: { summary: 'Load a module with extended parameters', since: '7.0.0', group: 'server', complexity: 'O(1)' },
  handler: (ctx) => {
    const problem = loadexArgumentsProblem(ctx.argv);
    if (problem !== null) {
      ctx.node.log.notice(problem);
      return LOAD_FAILED;
    }
    return refuseLoad(ctx);
  },
});

const moduleUnload = defineCommand({
  name: 'unload', arity: 3, flags: PROTECTED, acl: [], keys: null,
  doc: { summary: 'Unload a module', since: '4.0.0', group: 'server', complexity: 'O(1)' },
  handler: () => error('ERR Error unloading module: no such module with that name'),
});

const moduleHelp = defineCommand({
  name: 'help', arity: 2, flags: ['loading', 'stale'], acl: [], keys: null,
  doc: { summary: 'Show helpful text about the different subcommands', since: '5.0.0', group: 'server', complexity: 'O(1)' },
  handler: () => helpReply('module', MODULE_HELP),
});

export const moduleCommand = defineCommand({
  name: 'module', arity: -2, flags: [], acl: [], keys: null,
  doc: { summary: 'A container for module commands', since: '4.0.0', group: 'server', complexity: 'Depends on subcommand.' },
  subcommands: [moduleHelp, moduleList, moduleLoad, moduleLoadex, moduleUnload],
});
