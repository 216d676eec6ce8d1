/**
 * Lua 5.1's limit on nested calls, which Redis's scripts run under and Lua
 * 5.4 does not have.
 *
 * Lua 5.1 keeps a script's calls in an array of CallInfo that may not grow
 * past LUAI_MAXCALLS (20000): a deeper non-tail recursion fails with the
 * runtime error "stack overflow" at the line making the call, which
 * redis-server answers as "ERR user_script:1: stack overflow script: ...".
 * (The first overflow of a Lua state comes when the array would double
 * past the limit, at 16384 calls; later ones at 20000.) Lua 5.4 has no
 * such count: it fails only when the stack passes a million slots, some
 * hundreds of thousands of calls down, so the same script succeeded here.
 *
 * The check rides on the script runner's count hook (every
 * HOOK_INSTRUCTIONS instructions), so calls cost nothing more: when the
 * hook fires with 20000 or more frames below it, it raises the same error
 * at the running line. The recursion may therefore go some levels past
 * 20000 before it fails, where Redis fails at 16384 or 20000 exactly; no
 * script that stays under 16384 is affected. lua_getstack walks at most
 * 20000 frames, and only as deep as the stack is.
 */
import type { LuaRuntime, LuaState } from './lua-runtime';

/** LUAI_MAXCALLS of Lua 5.1 (luaconf.h). */
export const LUA51_MAX_CALLS = 20_000;

/** More than sizeof(lua_Debug) on wasm32 (about 120 bytes: a few fields, short_src[60], the CallInfo pointer). */
const LUA_DEBUG_BYTES = 256;

export class CallDepthLimit {
  private readonly record: number;

  constructor(private readonly rt: LuaRuntime) {
    this.record = rt.m._malloc(LUA_DEBUG_BYTES);
  }

  /** Whether L has LUA51_MAX_CALLS or more frames below its running function. */
  exceeded(L: LuaState): boolean {
    return this.rt.m._lua_getstack(L, LUA51_MAX_CALLS, this.record) !== 0;
  }

  /** Raises Lua 5.1's "stack overflow" at the running function's line (luaG_runerror's "<source>:<line>: "); does not return. */
  raise(L: LuaState): void {
    const m = this.rt.m;
    m._luaL_where(L, 0);
    const where = this.rt.toString(L, -1) ?? '';
    m._lua_settop(L, -2);
    this.rt.pushString(L, `${where}stack overflow`);
    m._lua_error(L);
  }
}
