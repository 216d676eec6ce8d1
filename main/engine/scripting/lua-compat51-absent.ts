/**
 * What Lua 5.4 has and Lua 5.1 (so redis-server 7.0) does not, taken out of
 * the scripts' view (a chunk run once in every fresh state, after
 * lua-compat51.ts and before the sandbox locks the globals). A script that
 * tests `if table.unpack then` or calls math.type must take the path it
 * takes on Redis.
 *
 *  - Library functions added in 5.2-5.4: table.unpack/pack/move,
 *    math.type/tointeger/ult/maxinteger/mininteger, string.pack/unpack/
 *    packsize, coroutine.isyieldable/close (utf8, rawlen, warn... are
 *    removed by lua-compat51.ts).
 *  - load takes a function only in 5.1 (a string is loadstring's job):
 *    "bad argument #1 to 'load' (function expected, got string)".
 *  - collectgarbage knows 5.1's options only; 5.4's "incremental",
 *    "generational" and "isrunning" are "invalid option" errors (and a
 *    script cannot switch the state's collector out of the generational
 *    mode the sandbox sets).
 *  - math.log ignores a second argument (5.1 has no base: math.log(8, 2) is
 *    ln 8).
 *  - coroutine.running() is nil in the main thread: Redis runs a script on
 *    its state's main thread, we run it on a coroutine of our own (the
 *    "run thread"), so only the coroutines a script made with
 *    coroutine.create are named (not those of coroutine.wrap, whose thread
 *    5.4 does not hand out: running() is nil inside them).
 *
 * Our own Lua libraries (struct, cmsgpack...) are written against 5.4 and
 * keep these functions: the chunk returns them (field `lua54` of the
 * helpers), and the sandbox gives the libraries an environment in which
 * they are still there.
 */
export const COMPAT51_ABSENT_SOURCE = String.raw`
local helpers = ...
local type, error, select, floor = type, error, select, math.floor
local collectgarbage54, load54, log = collectgarbage, load, math.log
local create54, running54 = coroutine.create, coroutine.running

local removed = {
  table = { unpack = table.unpack, pack = table.pack, move = table.move },
  math = { type = math.type, tointeger = math.tointeger, ult = math.ult, maxinteger = math.maxinteger, mininteger = math.mininteger },
  string = { pack = string.pack, unpack = string.unpack, packsize = string.packsize },
  coroutine = { isyieldable = coroutine.isyieldable, close = coroutine.close },
}
for library, names in pairs(removed) do
  for name in pairs(names) do _ENV[library][name] = nil end
end
helpers.lua54 = removed
removed.collectgarbage = collectgarbage54

load = function(...)
  local chunk = ...
  if type(chunk) ~= 'function' then
    error("bad argument #1 to 'load' (function expected, got " .. (select('#', ...) == 0 and 'no value' or type(chunk)) .. ')', 2)
  end
  return load54(...)
end

-- lbaselib.c of 5.1: opts[] = {"stop", "restart", "collect", "count", "step", "setpause", "setstepmul"}.
local options51 = { stop = true, restart = true, collect = true, count = true, step = true, setpause = true, setstepmul = true }
collectgarbage = function(option, ...)
  if option ~= nil and not options51[option] then
    if type(option) ~= 'string' and type(option) ~= 'number' then
      error("bad argument #1 to 'collectgarbage' (string expected, got " .. type(option) .. ')', 2)
    end
    error("bad argument #1 to 'collectgarbage' (invalid option '" .. helpers.tostring(option) .. "')", 2)
  end
  return collectgarbage54(option, ...)
end

math.log = function(x) return log(x) end

-- The coroutines scripts made (weak keys): running() names only those.
local made = setmetatable({}, { __mode = 'k' })
coroutine.create = function(fn)
  local co = create54(fn)
  made[co] = true
  return co
end
coroutine.running = function()
  local co = running54()
  if made[co] then return co end
  return nil
end

return helpers
`;
