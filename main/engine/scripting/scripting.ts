/**
 * The scripting subsystem of one node (eval.c + functions.c + script.c):
 * the Lua runtime and its two states (EVAL scripts, FUNCTION libraries),
 * the EVAL script cache, the function libraries, the run in progress, and
 * the engine side of the `redis` API (running a script's commands through
 * the dispatcher with scriptCall's checks).
 *
 * The Lua runtime is a WebAssembly instance, created asynchronously and
 * only when first needed: made at start it was about 5 MB of every node's
 * RSS (wasmoon's glue, the compiled module, its heap), and most nodes never
 * run a script. What needs it and how that waits:
 *  - a client's EVAL, EVAL_RO, SCRIPT LOAD, FUNCTION LOAD / RESTORE, DEBUG
 *    RELOAD / LOADAOF, or an EXEC queuing one: the dispatcher postpones
 *    the client (as a client pause does: unanswered, its pipeline held)
 *    until the runtime exists, then processes the command from scratch.
 *    EVALSHA and FCALL need nothing before a script or library exists;
 *  - a replica runs its master's scripts and takes its libraries in a full
 *    sync: its master link connects only once the runtime exists;
 *  - an RDB with libraries at start-up: the load awaits the runtime.
 * The two Lua states are made on first use too (with the Redis libraries
 * loaded in them they were about 11 MB more). Until then INFO reports their
 * Lua heaps as 0 bytes.
 */
import { withoutTailCalls } from './no-tail-calls';
import { ACL_OK } from '../acl/acl-selector';
import type { ResolvedCommand } from '../commands/command-spec';
import type { EngineNode } from '../node';
import { error, NULL, type ErrorReply } from '../resp/reply';
import { Client } from '../server/client';
import { FunctionLibraries, type FunctionInfo, type RestorePolicy } from './function-libraries';
import { LuaRuntime, LuaStatus, LuaHook } from './lua-runtime';
import { pushErrorTable, type ScriptResp } from './lua-convert';
import { PROPAGATE_REPL, sha1hex, type CommandOutcome, type RedisApiHost, type RegisteredFunction } from './redis-api';
import { refuseCommand, type ScriptRun } from './script-run';
import { ScriptRunner } from './script-runner';
import { HOOK_INSTRUCTIONS, ScriptVm } from './script-vm';
import { parseScriptShebang, SCRIPT_FLAG_NAMES } from './shebang';
import { Rand48 } from './rand48';
import type { CachedScript } from '../commands/port/scripting-port';

export type { CachedScript };

export class Scripting implements RedisApiHost {
  private rt: LuaRuntime | null = null;
  private evalState: ScriptVm | null = null;
  private functionsState: ScriptVm | null = null;
  private runnerInstance: ScriptRunner | null = null;
  /** The runtime's creation once started; `runtimeFailed` when it could not be made. */
  private runtimeLoad: Promise<void> | null = null;
  private runtimeFailed = false;
  /** SHA1 (lowercase hex) -> cached EVAL script. */
  readonly scripts = new Map<string, CachedScript>();
  /**
   * The same scripts by their body. EVAL of a cached script finds it here
   * without hashing: Node's SHA1 of a 35-byte body costs over a microsecond
   * (createHash, update, digest), more than the rest of an EVAL. The key is
   * the body string the script already holds, so the map adds no copy.
   */
  private readonly scriptsByBody = new Map<string, CachedScript>();
  /**
   * The last SHA1 scriptBySha found, and its script. An EVALSHA is looked up
   * twice (the dispatcher's dynamicFlags, then the command) and a client
   * usually repeats one script: each request's SHA1 is a new string, whose
   * hash V8 computes (40 characters) before a Map can probe, where a
   * comparison with the last one is a 40-byte compare. Cleared with the
   * cache (flushScripts), the only place a script leaves it.
   */
  private lastSha = '';
  private lastShaScript: CachedScript | undefined = undefined;
  private scriptsBytes = 0;
  readonly functions: FunctionLibraries;
  /** The client commands of scripts run as (Redis's lua_client): never connected, never listed. */
  readonly scriptClient: Client;
  /** DEBUG SET-DISABLE-DENY-SCRIPTS: let scripts call commands flagged noscript. */
  denyScriptsDisabled = false;
  private readonly rand = new Rand48();
  /** While FUNCTION LOAD runs a library: where register_function puts functions. */
  private registrar: ((fn: RegisteredFunction) => string) | null = null;
  readonly flagNames = SCRIPT_FLAG_NAMES;

  /** busy-reply-threshold (lua-time-limit) in ms, read on every run. */
  busyReplyThreshold: number;

  constructor(private readonly node: EngineNode) {
    this.scriptClient = new Client(0, null, 'lua', 'lua', () => {});
    this.scriptClient.authenticated = true;
    this.busyReplyThreshold = node.config.int('busy-reply-threshold');
    node.config.onChange('busy-reply-threshold', () => {
      this.busyReplyThreshold = node.config.int('busy-reply-threshold');
    });
    this.functions = new FunctionLibraries({
      load: (code, timeoutMs, register) => this.loadLibraryCode(code, timeoutMs, register),
      release: (ref) => this.functionsState?.release(ref),
    });
  }

  /**
   * Makes the Lua runtime (once; later calls share the first one's promise).
   * Never rejects: a runtime that cannot be made is logged, and the
   * commands that need it then fail with the error runtime() throws.
   */
  init(): Promise<void> {
    this.runtimeLoad ??= LuaRuntime.create().then(
      (rt) => {
        this.rt = rt;
        this.runnerInstance = new ScriptRunner(this.node, rt);
      },
      (failure: unknown) => {
        this.runtimeFailed = true;
        this.node.log.warning(`Failed creating the Lua runtime: ${failure instanceof Error ? failure.message : String(failure)}`);
      },
    );
    return this.runtimeLoad;
  }

  get ready(): boolean {
    return this.rt !== null;
  }

  /** The runtime exists or cannot be made: nothing waits for it any more. */
  get runtimeSettled(): boolean {
    return this.rt !== null || this.runtimeFailed;
  }

  /**
   * The dispatcher's question for a noscript command before it runs (see
   * the header): true when the command needs the runtime that does not
   * exist yet, in which case the client is postponed, the runtime's
   * creation started, and every postponed client processed again once it
   * is made. A master client (its master link waited for the runtime) and
   * a command queued inside MULTI (EXEC asks for the queue) never wait.
   */
  postponeForRuntime(client: Client, command: ResolvedCommand, argv: string[]): boolean {
    if (this.runtimeSettled || client.isMaster) return false;
    const needed = command.name === 'exec' ? client.multiQueue.some((queued) => needsRuntime(queued.command, queued.argv)) : !client.inMulti && needsRuntime(command, argv);
    if (!needed) return false;
    const blocking = this.node.blocking;
    blocking.postpone(client, command, argv);
    void this.init().then(() => blocking.releasePostponed());
    return true;
  }

  /** The EVAL state, made at its first use. */
  get evalVm(): ScriptVm {
    this.evalState ??= new ScriptVm(this.runtime(), 'eval', this);
    return this.evalState;
  }

  /** The FUNCTION state, made at its first use. */
  get functionsVm(): ScriptVm {
    this.functionsState ??= new ScriptVm(this.runtime(), 'functions', this);
    return this.functionsState;
  }

  private runtime(): LuaRuntime {
    if (!this.rt) throw new Error('the Lua runtime is not made yet (Scripting.init())');
    return this.rt;
  }

  get runner(): ScriptRunner {
    if (!this.runnerInstance) throw new Error('the Lua runtime is not made yet (Scripting.init())');
    return this.runnerInstance;
  }

  get libraries(): FunctionLibraries {
    return this.functions;
  }

  /**
   * A script is running past busy-reply-threshold: other clients get BUSY.
   * A field the runner alone writes, when its current run starts, times
   * out and ends (ScriptRunner.execute, hook, finish), not a getter through
   * the runner: the dispatcher reads it twice per request.
   */
  busy = false;

  get currentRun(): ScriptRun | null {
    return this.runnerInstance?.current ?? null;
  }

  /** The BUSY error other clients get (shared.slowevalerr / slowscripterr). */
  busyError(): ErrorReply {
    return this.currentRun?.isEval
      ? error('BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.')
      : error('BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.');
  }

  /** A timed-out script ended: the master link applies the stream it held meanwhile. */
  afterBusy(): void {
    this.node.replication.link?.resumeHeldStream();
  }

  // --- EVAL script cache -------------------------------------------------

  /** luaCreateFunction: the cached script for `body`, compiling it when new; or the error reply. */
  createScript(body: string): CachedScript | ErrorReply {
    const known = this.scriptsByBody.get(body);
    if (known) return known;
    const sha = sha1hex(body);
    const cached = this.scripts.get(sha);
    if (cached) return cached;
    const shebang = parseScriptShebang(body);
    if ('error' in shebang) return error(`ERR ${shebang.error}`);
    const compiled = this.evalVm.compile(withoutTailCalls(shebang.body), '@user_script');
    if ('error' in compiled) return error(`ERR Error compiling script (new function): ${compiled.error}`);
    const script: CachedScript = { sha, body, flags: shebang.flags, ref: compiled.ref };
    this.scripts.set(sha, script);
    this.scriptsByBody.set(body, script);
    this.scriptsBytes += 40 + body.length + 64;
    return script;
  }

  /**
   * The cached script of a SHA1 in any letter case (EVALSHA). The cache's
   * keys are lowercase, as clients send them: the exact string is looked up
   * first, and only a miss pays a toLowerCase, which makes a new string
   * per call (and the map hashes it anew) even when nothing changes.
   */
  scriptBySha(sha: string): CachedScript | undefined {
    if (sha === this.lastSha) return this.lastShaScript;
    const script = this.scripts.get(sha) ?? this.scripts.get(sha.toLowerCase());
    if (script !== undefined) {
      this.lastSha = sha;
      this.lastShaScript = script;
    }
    return script;
  }

  /** SCRIPT FLUSH: a new EVAL state and an empty cache (scriptingReset). */
  flushScripts(): void {
    this.scripts.clear();
    this.scriptsByBody.clear();
    this.lastSha = '';
    this.lastShaScript = undefined;
    this.scriptsBytes = 0;
    // The next use makes a fresh state.
    this.evalState?.close();
    this.evalState = null;
  }

  get scriptsMemory(): number {
    return this.scriptsBytes;
  }

  // --- FUNCTION libraries --------------------------------------------------

  /** Compiles and runs a library's code in the functions state, with the load-time globals. */
  private loadLibraryCode(code: string, timeoutMs: number, register: (fn: RegisteredFunction) => string): string | null {
    const vm = this.functionsVm;
    const rt = vm.rt;
    const m = rt.m;
    const L = vm.L;
    vm.useLoadGlobals(true);
    const compiled = vm.load51(L, code, '@user_function');
    if (compiled !== null) {
      vm.useLoadGlobals(false);
      return `Error compiling function: ${compiled}`;
    }
    const started = performance.now();
    const hook = rt.hookFunction((Lh) => {
      if (timeoutMs > 0 && performance.now() - started > timeoutMs) {
        m._lua_sethook(Lh, hook, LuaHook.LINE, 0);
        pushErrorTable(rt, Lh, 'FUNCTION LOAD timeout', false);
        m._lua_error(Lh);
      }
    });
    m._lua_sethook(L, hook, LuaHook.COUNT, HOOK_INSTRUCTIONS);
    this.registrar = register;
    let failure: string | null = null;
    try {
      if (m._lua_pcallk(L, 0, 0, 0, 0, 0) !== LuaStatus.OK) {
        let message: string;
        if (m._lua_type(L, -1) === 5 /* table */) {
          rt.getField(L, -1, 'err');
          message = rt.toString(L, -1) ?? 'execution failure';
          m._lua_settop(L, -2);
        } else {
          message = `ERR ${rt.toString(L, -1) ?? 'execution failure'}`;
        }
        m._lua_settop(L, -2);
        failure = `Error registering functions: ${message}`;
      }
    } finally {
      this.registrar = null;
      m._lua_sethook(L, 0, 0, 0);
      vm.useLoadGlobals(false);
      rt.removeFunction(hook);
    }
    return failure;
  }

  /** The libraries' payloads a snapshot writes. */
  libraryCodes(): string[] {
    return this.functions.codes();
  }

  /**
   * Installs the libraries an RDB held (rdbFunctionLoad into the current or a
   * temporary library set). All of them are compiled before anything
   * changes, so a load that fails leaves the current libraries as they were.
   * `policy` is 'flush' when the dataset is replaced (start-up, full sync,
   * DEBUG RELOAD), 'replace' for DEBUG RELOAD NOFLUSH MERGE and 'append' for
   * NOFLUSH alone (a library loaded twice fails it, as in Redis). Returns
   * Redis's error text ("Library 'x' already exists", a compile error...),
   * or null.
   */
  installLoadedLibraries(codes: ReadonlyArray<string>, policy: RestorePolicy): string | null {
    if (codes.length === 0 && policy !== 'flush') return null;
    return this.libraries.restore(codes, policy);
  }

  /** The function FCALL names (case-insensitive). */
  findFunction(name: string): FunctionInfo | undefined {
    return this.functions.functions.get(name.toLowerCase());
  }

  // --- RedisApiHost ----------------------------------------------------------

  command(argv: string[]): CommandOutcome | null {
    const run = this.currentRun;
    if (run === null) return null;
    const node = this.node;
    const lookup = node.commands.lookup(argv);
    const command = lookup.kind === 'found' ? lookup.command : null;
    const refusal = refuseCommand(node, run, command, argv, this.denyScriptsDisabled);
    if (refusal !== null) {
      if (command) command.stats.rejectedCalls++;
      node.stats.countError(refusal.startsWith('-') ? refusal.slice(1) : `ERR ${refusal}`);
      return { rejected: refusal };
    }
    if (command!.is.write) run.writeDirty = true;
    const client = run.scriptClient;
    client.suppressPropagation = (run.replFlags & PROPAGATE_REPL) === 0;
    const reply = node.dispatcher.call(client, command!, argv, false, run.now) ?? NULL;
    client.suppressPropagation = false;
    return { reply, resp: run.resp };
  }

  setResp(resp: ScriptResp): boolean {
    const run = this.currentRun;
    if (!run) return false;
    run.resp = resp;
    run.scriptClient.protocol = resp;
    return true;
  }

  setRepl(flags: number): boolean {
    const run = this.currentRun;
    if (!run) return false;
    run.replFlags = flags;
    return true;
  }

  /** redis.acl_check_cmd: may the script's caller run `argv` (its user's rules; nothing is logged)? */
  aclCheck(argv: string[]): boolean | 'unknown-command' | null {
    if (!this.currentRun) return null;
    const lookup = this.node.commands.lookup(argv);
    if (lookup.kind !== 'found') return 'unknown-command';
    const user = this.currentRun.caller.user;
    return user === null || user.unrestricted || user.check(lookup.command, argv).result === ACL_OK;
  }

  log(level: number, message: string): void {
    const log = this.node.log;
    if (level === 0) log.debug(message);
    else if (level === 1) log.verbose(message);
    else if (level === 2) log.notice(message);
    else log.warning(message);
  }

  random(): number | null {
    return this.currentRun ? this.rand.next() : null;
  }

  randomSeed(seed: number): boolean {
    if (!this.currentRun) return false;
    this.rand.seed(seed);
    return true;
  }

  isLoadingLibrary(): boolean {
    return this.registrar !== null;
  }

  registerFunction(fn: RegisteredFunction): string {
    return this.registrar ? this.registrar(fn) : 'redis.register_function can only be called on FUNCTION LOAD command';
  }

  /** Bytes of the EVAL state's Lua heap (used_memory_lua / used_memory_vm_eval). */
  evalMemory(): number {
    return this.evalState?.usedMemory() ?? 0;
  }

  functionsMemory(): number {
    return this.functionsState?.usedMemory() ?? 0;
  }
}

/** Does this command, run now, compile or load Lua (see the header)? EXEC is asked about by its queue. */
function needsRuntime(command: ResolvedCommand, argv: ReadonlyArray<string>): boolean {
  switch (command.fullName) {
    case 'eval':
    case 'eval_ro':
    case 'script|load':
    case 'function|load':
    case 'function|restore':
      return true;
    case 'debug': {
      const subcommand = (argv[1] ?? '').toLowerCase();
      return subcommand === 'reload' || subcommand === 'loadaof';
    }
    default:
      return false;
  }
}
