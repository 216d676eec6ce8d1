/**
 * The sandbox of a script state, as Redis 7.0.15 builds it (script_lua.c
 * luaSetErrorMetatable / luaSetTableProtectionRecursively, function_lua.c),
 * written for a stock Lua 5.4 that has no read-only tables.
 *
 * Redis patches its Lua so a table can be flagged read-only; every table
 * reachable from the globals (redis, cjson, string, math, ... and _G
 * itself) is flagged, and any store into one raises "Attempt to modify a
 * readonly table". Here each such table is replaced by an empty proxy whose
 * metatable reads through to the real table and refuses stores; the raw
 * functions that would bypass a metatable (rawset, setmetatable) and the
 * ones that would see the empty proxy (rawget, next, getmetatable) are
 * wrapped to act on the real table. The real tables stay reachable only
 * from upvalues of these wrappers (the debug library is removed).
 *
 * Globals: reading a name that is not defined raises "Script attempted to
 * access nonexistent global variable 'x'". The chunks of user scripts get
 * the globals proxy as their _ENV (it replaces the registry's globals), so
 * load/loadstring inside a script see the same protected table.
 *
 * FUNCTION libraries run with their own globals proxy whose reads go to a
 * table the engine swaps: while FUNCTION LOAD runs the library code, only
 * `redis.register_function`, `redis.log`, `redis.LOG_*` and
 * `redis.REDIS_VERSION*` exist; when a registered function is called, the
 * full API does (functionsReadThrough).
 *
 * The chunk also defines how a run's error is reported (Redis's
 * __redis__err__handler: the error as a table with the source and line of
 * the Lua code that raised it) and Redis's pcall, which hands a script the
 * text of a redis.call error instead of the error table.
 */
export const SANDBOX_SOURCE = String.raw`
local compat, mode, loadApi, loadLibrary, lazyNames, keysInOrder51 = ...
local G = _ENV
local dbg = debug
local getinfo = dbg.getinfo
local setmetatable54, getmetatable54, rawset54, rawget54, next54, pairs54 = setmetatable, getmetatable, rawset, rawget, next, pairs
local lua54 = compat.lua54
local pcall54, xpcall54, type, error, select, tunpack, tpack = pcall, xpcall, type, error, select, lua54.table.unpack, lua54.table.pack
local tostring51, message51, checktable51 = compat.tostring, compat.message, compat.checktable

local loadAllLazy
local realOf = setmetatable54({}, { __mode = 'k' })
local proxyOf = {}
local publicMeta = {}

local function readonlyError()
  error('Attempt to modify a readonly table', 2)
end

local function protect(real, public)
  local proxy = proxyOf[real]
  if proxy then return proxy end
  if realOf[real] then return real end
  proxy = {}
  proxyOf[real] = proxy
  realOf[proxy] = real
  for key, value in next54, real do
    if type(value) == 'table' then rawset54(real, key, protect(value)) end
  end
  setmetatable54(proxy, {
    __index = real,
    __newindex = readonlyError,
    __len = function() return #real end,
    __pairs = function()
      if real == G then loadAllLazy() end
      return next54, real, nil
    end,
  })
  if public ~= nil then publicMeta[proxy] = protect(public) end
  return proxy
end

local function nonexistentGlobal(_, name)
  error("Script attempted to access nonexistent global variable '" .. tostring51(name) .. "'", 2)
end
local errorMeta = { __index = nonexistentGlobal }

-- bit, struct, cmsgpack and cjson are compiled the first time a script
-- names them (or lists the globals): a fresh state holds only what its
-- scripts use, like Redis's C libraries that cost next to nothing.
local lazy = {}
for _, name in next54, lazyNames do lazy[name] = true end
local function loadLazy(name)
  if not lazy[name] then return nil end
  lazy[name] = nil
  local library = protect(loadLibrary(name, next54))
  rawset54(G, name, library)
  return library
end
loadAllLazy = function()
  for name in next54, lazy do loadLazy(name) end
end
local globalsMeta = {
  __index = function(globals, name)
    local library = loadLazy(name)
    if library ~= nil then return library end
    return nonexistentGlobal(globals, name)
  end,
}

local stringMeta = getmetatable54('')

getmetatable = function(value)
  if realOf[value] ~= nil then return publicMeta[value] end
  if type(value) == 'string' then return publicMeta[stringMeta] end
  return getmetatable54(value)
end
setmetatable = function(target, meta)
  if realOf[target] ~= nil then error('Attempt to modify a readonly table', 2) end
  return setmetatable54(target, meta)
end
rawset = function(target, key, value)
  if realOf[target] ~= nil then error('Attempt to modify a readonly table', 2) end
  return rawset54(target, key, value)
end
rawget = function(target, key)
  local real = realOf[target]
  if real ~= nil then
    local value = rawget54(real, key)
    if value == nil and real == G then return loadLazy(key) end
    return value
  end
  return rawget54(target, key)
end
-- next and pairs walk a table in Lua 5.1's order (lua-key-order51.ts), as
-- Redis's would: next keeps the order it computed for a walk from nil in
-- a weak table (keys assigned nil during the walk are skipped, as 5.1's
-- dead nodes are); pairs(t) snapshots it for its loop and, as 5.1's,
-- ignores __pairs. The readonly proxies keep walking their real table.
local walks = setmetatable54({}, { __mode = 'k' })
local function startWalk(target)
  local keys = keysInOrder51(target)
  local index = {}
  for i = 1, #keys do index[keys[i]] = i end
  local walk = { keys = keys, index = index }
  walks[target] = walk
  return walk
end
-- The first key from keys[i] on that still holds a value, its value and its index (nil at the end).
local function walkFrom(target, keys, i)
  local key = keys[i]
  while key ~= nil do
    local value = rawget54(target, key)
    if value ~= nil then return key, value, i end
    i = i + 1
    key = keys[i]
  end
  return nil
end
next = function(target, key)
  local real = realOf[target]
  if real ~= nil then
    if real == G and key == nil then loadAllLazy() end
    return next54(real, key)
  end
  if type(target) ~= 'table' or next54(target) == nil then return next54(target, key) end
  if key == nil then
    local first, value = walkFrom(target, startWalk(target).keys, 1)
    return first, value
  end
  local walk = walks[target]
  local i = walk and walk.index[key]
  if i == nil then
    walk = startWalk(target)
    i = walk.index[key]
    if i == nil then return next54(target, key) end
  end
  local following, value = walkFrom(target, walk.keys, i + 1)
  return following, value
end
-- pairs and ipairs want a table, as 5.1's luaL_checktype ("bad argument #1
-- to 'pairs' (table expected, got nil)"; 5.4 fails later, in the loop).
-- 5.1's ipairs reads raw (rawgeti): a table's __index is not consulted.
pairs = function(...)
  local target = ...
  if type(target) ~= 'table' then checktable51('pairs', 1, select('#', ...), target) end
  if realOf[target] ~= nil or next54(target) == nil then return pairs54(target) end
  local keys, i = keysInOrder51(target), 0
  return function(t)
    local key, value, at = walkFrom(t, keys, i + 1)
    if key == nil then i = #keys return nil end
    i = at
    return key, value
  end, target, nil
end

local ipairs54 = ipairs
local function inext51(target, i)
  i = i + 1
  local value = rawget54(target, i)
  if value ~= nil then return i, value end
end
ipairs = function(...)
  local target = ...
  if type(target) ~= 'table' then checktable51('ipairs', 1, select('#', ...), target) end
  local real = realOf[target]
  if real ~= nil then return ipairs54(real) end
  if getmetatable54(target) == nil then return ipairs54(target) end
  return inext51, target, 0
end

-- Our own Lua chunks stand for Redis's C functions: errors are reported at the user code calling them.
local INTERNAL = { ['@sandbox'] = true, ['@compat51'] = true, ['@absent51'] = true, ['@string51'] = true, ['@table51'] = true, ['@bit'] = true, ['@struct'] = true, ['@cjson'] = true, ['@cmsgpack'] = true }
local match, gsub, sub = string.match, string.gsub, string.sub

-- luaL_error's position for an error raised inside our chunks: Redis's
-- libraries are C, and luaL_error / luaL_argerror prefix the position of
-- the function that called the library (luaL_where(L, 1)), nothing when
-- that is a C function such as pcall, and luaL_argerror names a function
-- called from C '?'. Here the error was raised in a Lua chunk of ours
-- (with its own position, "compat51:64: ", or none), or by a 5.4 C
-- function our wrappers called (naming the wrapper's local,
-- 'setmetatable54'). 'at(level)' is getinfo on the failing stack, from the
-- frame that raised the error. Returns the message and the user frame.
local function locate(failure, at)
  local level = 0
  local info = at(0)
  local caller = at(1)
  if type(failure) == 'string' and info then
    local inside = INTERNAL[info.source] or (info.what == 'C' and caller and INTERNAL[caller.source])
    if inside then
      if info.what == 'C' then level = 1 end
      info = at(level)
      while info and INTERNAL[info.source] do
        level = level + 1
        info = at(level)
      end
      -- 'info' called into our chunks: Lua code, a C function (pcall), or none.
      local internalAt = match(failure, '^(%a+%d*):%d+: ')
      if internalAt and INTERNAL['@' .. internalAt] then failure = sub(failure, #match(failure, '^%a+%d*:%d+: ') + 1) end
      failure = gsub(failure, "^(bad argument #%d+ to '%a+)54'", "%1'")
      if info and info.what == 'C' then
        failure = gsub(failure, "^(bad argument #%d+ to )'[%w_.]+'", "%1'?'")
      elseif info then
        -- Not twice: a message our chunk raised at the user's level already has the position.
        local where = info.short_src .. ':' .. info.currentline .. ': '
        if not match(failure, '^user_script:%d+: ') and sub(failure, 1, #where) ~= where then failure = where .. failure end
      end
    elseif info.what == 'C' and caller and caller.what == 'C' then
      -- A C function called from C (a library function passed to pcall).
      failure = gsub(failure, "^(bad argument #%d+ to )'[%w_.]+'", "%1'?'")
    end
  end
  while info and (info.what == 'C' or INTERNAL[info.source]) do
    level = level + 1
    info = at(level)
  end
  return failure, info
end

-- getinfo from a message handler's view: the handler's level 2 raised the
-- error; seen from this function that is level 4 (getinfo, this function,
-- locate, the handler).
local function handlerFrame(level)
  local info = getinfo(level + 4, 'nSl')
  return info
end

-- The message handler of Redis's pcall (below).
local function pcallMessage(failure)
  return (locate(failure, handlerFrame))
end

-- Redis's pcall: a redis.call error (a table with 'err') reaches the script as its text.
pcall = function(fn, ...)
  local results = tpack(xpcall54(fn, pcallMessage, ...))
  if results[1] then return tunpack(results, 1, results.n) end
  local failure = results[2]
  if type(failure) == 'table' then
    local text = failure.err
    if type(text) == 'string' or type(text) == 'number' then failure = text end
  else
    failure = message51(failure)
  end
  return false, failure
end

-- The error as Redis reports it: a table with the source and line of the
-- user code that raised it ('info', getinfo's record of that frame).
local function errorTable(failure, info)
  if type(failure) ~= 'table' or realOf[failure] ~= nil then
    failure = { err = 'ERR ' .. tostring51(message51(failure)) }
  end
  if info then
    rawset54(failure, 'source', info.source)
    rawset54(failure, 'line', info.currentline)
  end
  return failure
end

-- __redis__err__handler (eval.c defines it as a global), a message handler:
-- its level 2 is the function that raised the error.
local function handler(failure)
  return errorTable(locate(failure, handlerFrame))
end

-- A run's error, read after lua_resume failed: the dead coroutine keeps the
-- stack it failed in, its level 0 being the function that raised the error.
-- So runs need no xpcall and its handler (one protected call and its
-- setjmp less per run); the error table is the same.
local function runError(co, failure)
  return errorTable(locate(failure, function(level) return getinfo(co, level, 'nSl') end))
end

debug = nil
local collectgarbage54 = lua54.collectgarbage
local gcCount = function() return collectgarbage54('count') end

-- The collector runs in generational mode. Every run leaves a little
-- short-lived garbage (the KEYS and ARGV tables, argument and reply
-- strings), which young collections free cheaply; old objects (the
-- libraries, compiled scripts) are only walked by the rare major
-- collections. Redis (Lua 5.1, incremental only) forces a GC step worth
-- 50 KB of allocation every 50 runs instead (LUA_GC_CYCLE_PERIOD): on this
-- state that walked most of its 50 KB heap each time, a tenth of a one-call
-- EVALSHA's cost. The heap stays as small: 46 KB after 10,000 one-call
-- EVALs against 41 KB with the forced steps (the suite's bound is 100 KB).
collectgarbage54('generational')

local result = { runError = runError, realGlobals = G, gcCount = gcCount }

-- The environment of our own Lua libraries (bit, struct, cjson, cmsgpack):
-- the globals scripts see plus the 5.4 functions Lua 5.1 lacks, which they
-- are written with (lua-compat51-absent.ts took them out of string, math
-- and table).
local function libraryEnvironment(globals)
  local env = { }
  for name, extra in next54, lua54 do
    if type(extra) == 'table' then
      local view = {}
      for key, value in next54, extra do view[key] = value end
      env[name] = setmetatable54(view, { __index = G[name] })
    end
  end
  return setmetatable54(env, { __index = globals })
end

setmetatable54(stringMeta, nil)
setmetatable54(G, globalsMeta)
if mode == 'eval' then
  -- eval.c defines its message handler as a global of the EVAL state.
  rawset54(G, '__redis__err__handler', handler)
  local globals = protect(G, errorMeta)
  rawset54(G, '_G', globals)
  result.globals = globals
  result.libraryEnv = libraryEnvironment(globals)
else
  -- The library load environment: redis.* registration API only.
  local loadRedis = setmetatable54(loadApi, errorMeta)
  local loadGlobals = setmetatable54({ redis = loadRedis }, errorMeta)
  local runGlobals = protect(G, errorMeta)
  rawset54(G, '_G', runGlobals)
  local loadView = protect(loadGlobals)
  local switch = { __index = runGlobals, __newindex = readonlyError }
  local globals = setmetatable54({}, switch)
  realOf[globals] = {}
  publicMeta[globals] = protect({ __index = runGlobals })
  result.globals = globals
  result.libraryEnv = libraryEnvironment(runGlobals)
  result.useLoadGlobals = function() rawset54(switch, '__index', loadView) end
  result.useRunGlobals = function() rawset54(switch, '__index', runGlobals) end
end
publicMeta[stringMeta] = protect({ __index = G.string })
setmetatable54(stringMeta, nil)
return result
`;
