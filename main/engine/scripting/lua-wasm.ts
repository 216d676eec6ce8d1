/**
 * Loads wasmoon's WebAssembly build of Lua 5.4 and hands out its C functions
 * as the instance exports them.
 *
 * wasmoon ships an Emscripten build with assertions on: every export on its
 * Module object is a wrapper that checks the runtime state and forwards
 * with Function.prototype.apply, about 16 ns per call against 4 ns for the
 * export itself. A script run makes a hundred or so calls across the
 * boundary, so the wrappers were a fifth of an EVALSHA's cost. The raw
 * exports are taken from the WebAssembly.Instance while the Module
 * instantiates it (WebAssembly.instantiate is wrapped for that one call;
 * loads are serialized so two nodes starting together cannot interleave
 * the wrapping). If no instance is seen (a wasmoon that instantiates
 * another way), the Module's wrappers are used: slower, same behaviour.
 *
 * Lua errors unwind as Emscripten longjmps, JS exceptions thrown through
 * the wasm frames to the nearest invoke_* trampoline; calling an export
 * directly rather than through its wrapper changes nothing there.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type * as Wasmoon from 'wasmoon';
import { printFloatsAsLua51 } from './lua-float-text51';

/** A lua_State pointer in the WebAssembly heap. */
export type LuaState = number;

/** What we call in the Emscripten module: its heap views, its function table, and the C functions (wasm32: pointers are numbers, lua_Integer is a BigInt). */
export interface LuaModule {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPF64: Float64Array;
  addFunction(fn: (...args: number[]) => number | void, signature: string): number;
  removeFunction(pointer: number): void;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _luaL_newstate(): LuaState;
  _luaL_openlibs(L: LuaState): void;
  _lua_close(L: LuaState): void;
  _lua_newthread(L: LuaState): LuaState;
  _lua_resetthread(L: LuaState): number;
  _lua_status(L: LuaState): number;
  _lua_gettop(L: LuaState): number;
  _lua_settop(L: LuaState, index: number): void;
  _lua_pushvalue(L: LuaState, index: number): void;
  _lua_rotate(L: LuaState, index: number, n: number): void;
  _lua_checkstack(L: LuaState, n: number): number;
  _lua_xmove(from: LuaState, to: LuaState, n: number): void;
  _lua_type(L: LuaState, index: number): number;
  _lua_isinteger(L: LuaState, index: number): number;
  _lua_isstring(L: LuaState, index: number): number;
  _lua_tolstring(L: LuaState, index: number, lenPtr: number): number;
  _lua_tonumberx(L: LuaState, index: number, isnumPtr: number): number;
  _lua_tointegerx(L: LuaState, index: number, isnumPtr: number): bigint;
  _lua_toboolean(L: LuaState, index: number): number;
  _lua_topointer(L: LuaState, index: number): number;
  _lua_rawlen(L: LuaState, index: number): number;
  _lua_pushnil(L: LuaState): void;
  _lua_pushnumber(L: LuaState, value: number): void;
  _lua_pushinteger(L: LuaState, value: bigint): void;
  _lua_pushlstring(L: LuaState, ptr: number, len: number): number;
  _lua_pushboolean(L: LuaState, value: number): void;
  _lua_pushcclosure(L: LuaState, fn: number, upvalues: number): void;
  _lua_pushlightuserdata(L: LuaState, ptr: number): void;
  _lua_createtable(L: LuaState, narr: number, nrec: number): void;
  _lua_rawget(L: LuaState, index: number): number;
  _lua_rawgeti(L: LuaState, index: number, n: bigint): number;
  _lua_rawset(L: LuaState, index: number): void;
  _lua_rawseti(L: LuaState, index: number, n: bigint): void;
  _lua_setfield(L: LuaState, index: number, key: number): void;
  _lua_next(L: LuaState, index: number): number;
  _lua_setmetatable(L: LuaState, index: number): number;
  _lua_getmetatable(L: LuaState, index: number): number;
  _lua_setupvalue(L: LuaState, funcIndex: number, n: number): number;
  _luaL_loadbufferx(L: LuaState, buffer: number, size: number, name: number, mode: number): number;
  _lua_pcallk(L: LuaState, nargs: number, nresults: number, errfunc: number, ctx: number, k: number): number;
  _lua_resume(L: LuaState, from: LuaState, nargs: number, nresultsPtr: number): number;
  _lua_yieldk(L: LuaState, nresults: number, ctx: number, k: number): number;
  _lua_isyieldable(L: LuaState): number;
  _lua_error(L: LuaState): number;
  _luaL_ref(L: LuaState, table: number): number;
  _luaL_unref(L: LuaState, table: number, ref: number): void;
  _lua_sethook(L: LuaState, fn: number, mask: number, count: number): void;
  _lua_getstack(L: LuaState, level: number, ar: number): number;
  _luaL_where(L: LuaState, level: number): void;
}

type CFunctionName = { [K in keyof LuaModule]: K extends `_${infer Name}` ? Name : never }[keyof LuaModule];

/** Every C function of LuaModule (the `satisfies` makes the list complete). */
const C_FUNCTIONS = {
  malloc: true,
  free: true,
  luaL_newstate: true,
  luaL_openlibs: true,
  lua_close: true,
  lua_newthread: true,
  lua_resetthread: true,
  lua_status: true,
  lua_gettop: true,
  lua_settop: true,
  lua_pushvalue: true,
  lua_rotate: true,
  lua_checkstack: true,
  lua_xmove: true,
  lua_type: true,
  lua_isinteger: true,
  lua_isstring: true,
  lua_tolstring: true,
  lua_tonumberx: true,
  lua_tointegerx: true,
  lua_toboolean: true,
  lua_topointer: true,
  lua_rawlen: true,
  lua_pushnil: true,
  lua_pushnumber: true,
  lua_pushinteger: true,
  lua_pushlstring: true,
  lua_pushboolean: true,
  lua_pushcclosure: true,
  lua_pushlightuserdata: true,
  lua_createtable: true,
  lua_rawget: true,
  lua_rawgeti: true,
  lua_rawset: true,
  lua_rawseti: true,
  lua_setfield: true,
  lua_next: true,
  lua_setmetatable: true,
  lua_getmetatable: true,
  lua_setupvalue: true,
  luaL_loadbufferx: true,
  lua_pcallk: true,
  lua_resume: true,
  lua_yieldk: true,
  lua_isyieldable: true,
  lua_error: true,
  luaL_ref: true,
  luaL_unref: true,
  lua_sethook: true,
  lua_getstack: true,
  luaL_where: true,
} satisfies Record<CFunctionName, true>;

/** The parts of the Emscripten Module used besides the C functions. */
interface EmscriptenModule {
  readonly HEAPU8: Uint8Array;
  readonly HEAP32: Int32Array;
  readonly HEAPF64: Float64Array;
  addFunction(fn: (...args: number[]) => number | void, signature: string): number;
  removeFunction(pointer: number): void;
  [name: string]: unknown;
}

/**
 * Where a file resolved inside a packaged app's asar archive really is:
 * electron-builder's asarUnpack (build/electron-builder.json) puts the
 * .wasm in app.asar.unpacked, beside the archive, where plain fs reads it
 * (an engine runs in a worker thread, which may not see into the archive).
 * Outside a package, or when the file was not unpacked, the path is kept.
 */
export function asarUnpackedPath(resolved: string, exists: (file: string) => boolean = existsSync): string {
  const marker = `app.asar${path.sep}`;
  const at = resolved.lastIndexOf(marker);
  if (at < 0) return resolved;
  const unpacked = `${resolved.slice(0, at)}app.asar.unpacked${path.sep}${resolved.slice(at + marker.length)}`;
  return exists(unpacked) ? unpacked : resolved;
}

let wasmPath: string | null = null;
function glueWasmPath(): string {
  wasmPath ??= asarUnpackedPath(createRequire(import.meta.url).resolve('wasmoon/dist/glue.wasm'));
  return wasmPath;
}

/**
 * wasmoon, a CommonJS package, loaded with require rather than import: an
 * ES import of a CommonJS module starts Node's export-name lexer
 * (cjs-module-lexer, itself a WebAssembly module) for this one package,
 * about 5 MB of every engine process's RSS. Required at the first runtime
 * load, so it is evaluated only in a process that makes one.
 */
function wasmoon(): typeof Wasmoon {
  return createRequire(import.meta.url)('wasmoon') as typeof Wasmoon;
}

let previousLoad: Promise<unknown> = Promise.resolve();

/** A new, independent WebAssembly instance of Lua. */
export function loadLuaModule(): Promise<LuaModule> {
  const load = previousLoad.then(instantiateCapturingExports);
  previousLoad = load.catch(() => undefined);
  return load;
}

/** The few WebAssembly JS API members used here (the node typings do not declare the namespace's values). */
interface WasmInstance {
  readonly exports: Record<string, unknown>;
}
interface WasmJsApi {
  instantiate(...args: unknown[]): Promise<unknown>;
  readonly Instance: abstract new (...args: never[]) => WasmInstance;
}

/** The instance's exports the setjmp trampoline uses. */
interface TrampolineExports {
  stackSave(): number;
  stackRestore(pointer: number): void;
  setThrew(threw: number, value: number): void;
  readonly __indirect_function_table: { get(index: number): ((a: number, b: number) => void) | null };
}

/**
 * Lua's one setjmp (luaD_rawrunprotected, under every lua_resume and
 * lua_pcall) calls its protected function through the `invoke_vii` import,
 * a JS trampoline that catches the longjmp. wasmoon's, built with
 * assertions, goes through the asserting export wrappers for stackSave
 * and, on every call, reads the function table again to check its mirror
 * (a WebAssembly.Table.get, a call into the runtime). This one does what
 * it does with the raw exports and its own mirror of the table, which
 * forgets an index whenever addFunction or removeFunction may change it
 * (the glue changes the table nowhere else).
 */
class SetjmpTrampoline {
  exports: TrampolineExports | null = null;
  private readonly mirror: Array<((a: number, b: number) => void) | null | undefined> = [];

  readonly invokeVii = (index: number, a: number, b: number): void => {
    const exports = this.exports!;
    const stack = exports.stackSave();
    try {
      (this.mirror[index] ?? this.lookUp(index))(a, b);
    } catch (failure) {
      exports.stackRestore(stack);
      // A longjmp is thrown as a number (Emscripten's check); anything else is a real exception.
      if (failure !== (failure as number) + 0) throw failure;
      exports.setThrew(1, 0);
    }
  };

  private lookUp(index: number): (a: number, b: number) => void {
    const fn = this.exports!.__indirect_function_table.get(index);
    if (fn === null) throw new Error(`invoke_vii: no function at table index ${index}`);
    this.mirror[index] = fn;
    return fn;
  }

  forget(index: number): void {
    this.mirror[index] = undefined;
  }
}

async function instantiateCapturingExports(): Promise<LuaModule> {
  const wasmApi = (globalThis as unknown as { WebAssembly: WasmJsApi }).WebAssembly;
  const original = wasmApi.instantiate;
  let instance: WasmInstance | null = null;
  const trampoline = new SetjmpTrampoline();
  let ownTrampoline = false;
  wasmApi.instantiate = async (...args: unknown[]): Promise<unknown> => {
    const imports = args[1] as { env?: Record<string, unknown> } | undefined;
    if (imports?.env && typeof imports.env['invoke_vii'] === 'function') {
      args[1] = { ...imports, env: { ...imports.env, invoke_vii: trampoline.invokeVii } };
      ownTrampoline = true;
    }
    const result = await original.apply(wasmApi, args);
    instance = result instanceof wasmApi.Instance ? result : (result as { instance: WasmInstance }).instance;
    return result;
  };
  let emscripten: EmscriptenModule;
  try {
    emscripten = (await wasmoon().LuaWasm.initialize(glueWasmPath())).module as unknown as EmscriptenModule;
  } finally {
    wasmApi.instantiate = original;
  }
  const exports = (instance as WasmInstance | null)?.exports ?? {};
  if (ownTrampoline) {
    for (const name of ['stackSave', 'stackRestore', 'setThrew', '__indirect_function_table']) {
      if (exports[name] === undefined) throw new Error(`the Lua WebAssembly module exports no ${name}`);
    }
    trampoline.exports = exports as unknown as TrampolineExports;
  }
  // Every member is defined with Object.defineProperty: assigned one by one
  // under computed names, V8 turns an object of this many properties into a
  // dictionary, and each `m._lua_*` load on the run path was then a LoadIC
  // call and a hash lookup (6% of a -P 16 EVAL's samples) instead of a
  // constant the optimizing compiler folds in.
  const module = {};
  const define = (name: string, value: unknown): void => {
    Object.defineProperty(module, name, { value, enumerable: true });
  };
  define('addFunction', (fn: (...args: number[]) => number | void, signature: string): number => {
    const index = emscripten.addFunction(fn, signature);
    trampoline.forget(index);
    return index;
  });
  define('removeFunction', (pointer: number): void => {
    emscripten.removeFunction(pointer);
    trampoline.forget(pointer);
  });
  // The heap views are replaced when the memory grows: always read the Module's current ones.
  for (const view of ['HEAPU8', 'HEAP32', 'HEAPF64'] as const) Object.defineProperty(module, view, { get: () => emscripten[view], enumerable: true });
  for (const name of Object.keys(C_FUNCTIONS)) {
    const raw = exports[name];
    const wrapped = emscripten[`_${name}`];
    const fn = typeof raw === 'function' ? raw : wrapped;
    if (typeof fn !== 'function') throw new Error(`the Lua WebAssembly module has no function ${name}`);
    define(`_${name}`, fn);
  }
  printFloatsAsLua51(module as LuaModule);
  return module as LuaModule;
}
