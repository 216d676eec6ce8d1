/**
 * The string library as Lua 5.1 (so redis-server 7.0) runs it, on Lua 5.4
 * (a chunk run once in every fresh state, after lua-compat51.ts; it takes
 * and returns the helpers table). string.format's 5.1 rules are in
 * lua-compat51.ts (format51).
 *
 *  - 5.1 reads a position or count with luaL_checkint, a C cast of the
 *    number: string.sub(s, 2.5, #s / 2), string.byte(s, 1.0), string.rep(s,
 *    n / 2) and string.char(72.9) truncate; 5.4 raises "number has no
 *    integer representation". A numeric string ('2.5') is read the same way.
 *  - string.rep has no separator in 5.1: a third argument is ignored.
 *  - string.char of a value outside 0..255 is "invalid value" (5.4: "value
 *    out of range").
 *  - string.find/match/gmatch with an init past the end: 5.1 clamps it to
 *    the length (an empty pattern still matches there: find('abc', '', 10)
 *    is 4, 3); 5.4 finds nothing.
 *  - A number given as the subject of sub/rep/byte/find/match is read as
 *    5.1 prints it (string.rep(1.0, 2) is "11").
 *
 * The fast paths (integer positions, no init) call the 5.4 function
 * directly, with the caller's own arguments (so an error still says "no
 * value" for a missing one). Our own libraries keep the 5.4 functions
 * (helpers.lua54.string).
 */
export const COMPAT51_STRING_SOURCE = String.raw`
local helpers = ...
local tostring51, toint = helpers.tostring, helpers.toint
local type, select, error, tonumber = type, select, error, tonumber
local math_type = helpers.lua54.math.type
local sub54, byte54, rep54, char54, find54, match54, gmatch54 = string.sub, string.byte, string.rep, string.char, string.find, string.match, string.gmatch
local pack, unpack = helpers.lua54.table.pack, helpers.lua54.table.unpack
local original = helpers.lua54.string
original.sub, original.byte, original.rep, original.char, original.find, original.match, original.gmatch = sub54, byte54, rep54, char54, find54, match54, gmatch54

-- luaL_checkint / luaL_optint of 5.1: a float (or numeric string) truncated toward zero. Anything else is left for 5.4 to refuse.
local function int51(value)
  if math_type(value) == 'float' then return toint(value) end
  if type(value) == 'string' then
    local number = tonumber(value)
    if number ~= nil then return int51(number) end
  end
  return value
end

-- luaL_checklstring of 5.1: a number becomes its "%.14g" text.
local function text51(value)
  if type(value) == 'number' then return tostring51(value) end
  return value
end

-- The fast path: arguments 5.4 reads as 5.1 does and cannot refuse.
local function plain(s, i, j)
  return type(s) == 'string' and (i == nil or math_type(i) == 'integer') and (j == nil or math_type(j) == 'integer')
end

-- The slow paths call the 5.4 function in a non-tail call, so an error it
-- raises names it (not '?'; the sandbox reports it as 'sub', 'byte'...).
string.sub = function(...)
  local s, i, j = ...
  if plain(s, i, j) then return sub54(...) end
  if type(s) ~= 'string' and type(s) ~= 'number' then return (sub54(...)) end
  if select('#', ...) < 3 then return (sub54(text51(s), int51(i))) end
  return (sub54(text51(s), int51(i), int51(j)))
end

string.byte = function(...)
  local s, i, j = ...
  if plain(s, i, j) then return byte54(...) end
  local count = select('#', ...)
  local results
  if type(s) ~= 'string' and type(s) ~= 'number' then results = pack(byte54(...))
  elseif count < 2 then results = pack(byte54(text51(s)))
  elseif count < 3 then results = pack(byte54(text51(s), int51(i)))
  else results = pack(byte54(text51(s), int51(i), int51(j))) end
  return unpack(results, 1, results.n)
end

string.rep = function(...)
  local s, n = ...
  if select('#', ...) < 2 then return (rep54(...)) end
  return (rep54(text51(s), int51(n)))
end

string.char = function(...)
  local count = select('#', ...)
  local codes = { ... }
  for index = 1, count do
    local code = int51(codes[index])
    if type(code) ~= 'number' then
      error("bad argument #" .. index .. " to 'char' (number expected, got " .. (index > count and 'no value' or type(code)) .. ')', 2)
    end
    if code < 0 or code > 255 then
      error("bad argument #" .. index .. " to 'char' (invalid value)", 2)
    end
    codes[index] = code
  end
  return char54(unpack(codes, 1, count))
end

-- str_find_aux of 5.1: init < 0 counts from the end (at least 1), init past the end is the end.
local function init51(s, init)
  init = int51(init)
  if math_type(init) ~= 'integer' or type(s) ~= 'string' then return init end
  local length = #s
  if init > length + 1 then return length + 1 end
  return init
end

string.find = function(...)
  local s, pattern, init, plainFind = ...
  if init == nil and type(s) == 'string' and type(pattern) == 'string' then return find54(...) end
  local results
  if select('#', ...) < 3 then
    results = pack(find54(text51(s), pattern))
  else
    s = text51(s)
    results = pack(find54(s, pattern, init51(s, init), plainFind))
  end
  return unpack(results, 1, results.n)
end

string.match = function(...)
  local s, pattern, init = ...
  if init == nil and type(s) == 'string' and type(pattern) == 'string' then return match54(...) end
  local results
  if select('#', ...) < 3 then
    results = pack(match54(text51(s), pattern))
  else
    s = text51(s)
    results = pack(match54(s, pattern, init51(s, init)))
  end
  return unpack(results, 1, results.n)
end

-- 5.1's gmatch has no init argument.
string.gmatch = function(s, pattern)
  return (gmatch54(text51(s), pattern))
end

return helpers
`;
