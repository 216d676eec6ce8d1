/**
 * Lua 5.1 as Redis scripts see it, emulated on Lua 5.4 (a Lua chunk run
 * once in every fresh state, before the sandbox locks the globals).
 *
 * What is emulated:
 *  - 5.1 globals and library functions 5.4 dropped: unpack, loadstring
 *    (text chunks only, as Redis 7.0 refuses binary ones), table.getn/setn/
 *    maxn/foreach/foreachi, math.mod/pow/ldexp/frexp/cosh/sinh/tanh/log10/
 *    atan2, string.gfind, gcinfo; _VERSION reads "Lua 5.1".
 *  - Number to text: 5.1 formats every number with "%.14g" (3.0 -> "3",
 *    2^53 -> "9.007199254741e+15"); tostring, table.concat and
 *    string.format('%s') do so here too. string.format's integer
 *    conversions (%d %i %o %u %x %X %c) truncate floats like 5.1's C cast
 *    instead of raising "number has no integer representation".
 *  - Error texts: 5.4 writes "attempt to call a nil value (field 'f')",
 *    5.1 "attempt to call field 'f' (a nil value)"; messages are rewritten
 *    to the 5.1 form where scripts can see them (pcall results, replies).
 *  - 5.4-only globals Redis does not have are removed (utf8, warn, rawlen,
 *    require, package, io, os, print, dofile, loadfile).
 *
 * What is not (documented in the README): the `..` operator and the C
 * library functions format integral floats the 5.4 way ("5.0"), integer
 * arithmetic wraps at 64 bits instead of losing precision, and 5.3+ syntax
 * (//, bitwise operators, goto) is accepted.
 *
 * The chunk returns the helpers the sandbox and the error handler share.
 */
export const COMPAT51_SOURCE = String.raw`
local format, gsub, find, sub, byte = string.format, string.gsub, string.find, string.sub, string.byte
local math_type, floor, ceil, huge = math.type, math.floor, math.ceil, math.huge
local type, select, error, tostring54, rawget = type, select, error, tostring, rawget
local tconcat, tinsert, tunpack = table.concat, table.insert, table.unpack
local load54 = load

-- "%.14g" for every number, as Lua 5.1's lua_Number2str.
local function tostring51(value)
  if type(value) == 'number' then
    if math_type(value) == 'integer' and value > -100000000000000 and value < 100000000000000 then
      return tostring54(value)
    end
    return format('%.14g', value)
  end
  return tostring54(value)
end

-- 5.4 "attempt to <op> a <type> value (<kind> '<name>')" -> 5.1 wording.
local function message51(message)
  if type(message) ~= 'string' then return message end
  return (gsub(message, "attempt to (.-) a (%a+) value %((%a[%a ]-) '(.-)'%)", function(op, typename, kind, name)
    if kind == 'constant' then return 'attempt to ' .. op .. ' a ' .. typename .. ' value' end
    if kind == 'for iterator' then kind = 'for iterator' end
    return 'attempt to ' .. op .. ' ' .. kind .. " '" .. name .. "' (a " .. typename .. ' value)'
  end))
end

local function toint(value)
  if math_type(value) == 'float' then
    if value ~= value or value == huge or value == -huge then return math.mininteger end
    value = value >= 0 and floor(value) or ceil(value)
    if value >= 9223372036854775807 or value < -9223372036854775808 then return math.mininteger end
    return math.tointeger(value)
  end
  return value
end

local function format51(fmt, ...)
  if type(fmt) ~= 'string' and type(fmt) ~= 'number' then return format(fmt, ...) end
  fmt = tostring51(fmt)
  if not find(fmt, '%', 1, true) then return format(fmt, ...) end
  local args = { ... }
  local count = select('#', ...)
  local out, position, argIndex = {}, 1, 0
  while true do
    local start, stop, spec, conversion = find(fmt, '%%([-+ #0]*%d*%.?%d*)(.)', position)
    if not start then break end
    out[#out + 1] = sub(fmt, position, start - 1)
    if conversion == '%' then
      out[#out + 1] = '%'
    else
      argIndex = argIndex + 1
      local value = args[argIndex]
      if argIndex > count then
        error("bad argument #" .. (argIndex + 1) .. " to 'format' (no value)", 2)
      end
      if conversion == 'u' then conversion = 'd' end
      if (conversion == 'd' or conversion == 'i' or conversion == 'o' or conversion == 'x' or conversion == 'X' or conversion == 'c') and type(value) == 'number' then
        value = toint(value)
      elseif conversion == 's' and type(value) == 'number' then
        value = tostring51(value)
      end
      out[#out + 1] = format('%' .. spec .. conversion, value)
    end
    position = stop + 1
  end
  out[#out + 1] = sub(fmt, position)
  return tconcat(out)
end

-- luaL_checktype's error for argument 'index' of the library function
-- 'name' that called this one ('count' arguments given), at the caller's line.
local function checktable51(name, index, count, value)
  if type(value) ~= 'table' then
    error("bad argument #" .. index .. " to '" .. name .. "' (table expected, got " .. (count < index and 'no value' or type(value)) .. ')', 3)
  end
end

local function concat51(...)
  local list, separator, first, last = ...
  checktable51('concat', 1, select('#', ...), list)
  separator = separator == nil and '' or separator
  first = first or 1
  last = last or #list
  local parts = {}
  for index = first, last do
    local value = list[index]
    local kind = type(value)
    if kind == 'number' then
      parts[#parts + 1] = tostring51(value)
    elseif kind == 'string' then
      parts[#parts + 1] = value
    else
      -- Redis's ltablib.c addfield (5.1 wrote "invalid value (at index N)").
      error('invalid value (' .. kind .. ') at index ' .. index .. " in table for 'concat'", 2)
    end
  end
  return tconcat(parts, separator)
end

tostring = tostring51
string.format = format51
table.concat = concat51
unpack = function(...)
  checktable51('unpack', 1, select('#', ...), (...))
  return tunpack(...)
end
loadstring = function(source, chunkname)
  return load54(source, chunkname, 't')
end
load = function(chunk, chunkname)
  return load54(chunk, chunkname, 't')
end
gcinfo = function() return floor(collectgarbage('count')) end
table.getn = function(...)
  local list = ...
  checktable51('getn', 1, select('#', ...), list)
  return #list
end
table.setn = function() error("'setn' is obsolete", 2) end
table.maxn = function(list)
  local max = 0
  for key in pairs(list) do
    if type(key) == 'number' and key > max then max = key end
  end
  return max
end
table.foreach = function(list, fn)
  for key, value in pairs(list) do
    local result = fn(key, value)
    if result ~= nil then return result end
  end
end
table.foreachi = function(list, fn)
  for index = 1, #list do
    local result = fn(index, list[index])
    if result ~= nil then return result end
  end
end
local fmod = math.fmod
-- math_fmod's luaL_checknumber calls are arguments of fmod(): Redis's
-- build evaluates the second first, so that one is reported first.
math.mod = function(...)
  local count, a, b = select('#', ...), ...
  if tonumber(b) == nil then
    error("bad argument #2 to 'mod' (number expected, got " .. (count < 2 and 'no value' or type(b)) .. ')', 2)
  end
  if tonumber(a) == nil then
    error("bad argument #1 to 'mod' (number expected, got " .. (count < 1 and 'no value' or type(a)) .. ')', 2)
  end
  return fmod(a, b)
end
math.pow = function(x, y) return x ^ y end
math.log10 = function(x) return math.log(x, 10) end
math.atan2 = function(y, x) return math.atan(y, x) end
math.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
math.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
math.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.frexp = function(x)
  if x == 0 or x ~= x or x == huge or x == -huge then return x, 0 end
  local exponent = floor(math.log(math.abs(x), 2)) + 1
  local mantissa = x / 2.0 ^ exponent
  if math.abs(mantissa) >= 1 then mantissa, exponent = mantissa / 2, exponent + 1 end
  if math.abs(mantissa) < 0.5 then mantissa, exponent = mantissa * 2, exponent - 1 end
  return mantissa, exponent
end
string.gfind = string.gmatch
_VERSION = 'Lua 5.1'
utf8, warn, rawlen, require, package, io, os, print, dofile, loadfile = nil, nil, nil, nil, nil, nil, nil, nil, nil, nil

return { tostring = tostring51, message = message51 }
`;
