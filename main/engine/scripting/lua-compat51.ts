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
 *    string.format also has 5.1's %q, its "invalid option" and "width or
 *    precision too long" errors, %u of a negative number unsigned, and
 *    wants a string (or number) for %s.
 *  - tostring returns what __tostring returns and ignores __name.
 *  - Compile errors (EVAL, FUNCTION LOAD, loadstring) in 5.1's words
 *    (syntax51; 5.3+ operators are refused in lua-syntax51.ts), and a few
 *    more runtime messages (message51).
 *  - 5.4-only globals Redis does not have are removed (utf8, warn, rawlen,
 *    require, package, io, os, print, dofile, loadfile); the 5.4 library
 *    functions 5.1 lacks in lua-compat51-absent.ts, the string and table
 *    libraries' other differences in lua-compat51-string.ts and
 *    lua-compat51-table.ts (chunks run after this one, in script-vm.ts).
 *
 * What is not (documented in the README): the `..` operator and the C
 * library functions format integral floats the 5.4 way ("5.0"), integer
 * arithmetic wraps at 64 bits instead of losing precision, goto is a
 * statement (a name in 5.1) and loadstring accepts 5.3+ operators.
 *
 * The chunk returns the helpers the sandbox and the error handler share.
 */
export const COMPAT51_SOURCE = String.raw`
local format, gsub, find, sub, byte, match = string.format, string.gsub, string.find, string.sub, string.byte, string.match
local math_type, floor, ceil, huge = math.type, math.floor, math.ceil, math.huge
local mininteger, tointeger, log54 = math.mininteger, math.tointeger, math.log
local type, select, error, tostring54, rawget = type, select, error, tostring, rawget
local rawlen54, getmetatable54 = rawlen, debug.getmetatable
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

-- 5.4 "attempt to <op> a <type> value (<kind> '<name>')" -> 5.1 wording;
-- a for loop's iterator that is not a function is anonymous in 5.1
-- ("attempt to call a number value"); a 'for' bound that is not a number
-- is "'for' limit must be a number"; arithmetic on a string that is not a
-- number (5.4's string metamethods: "attempt to add a 'string' with a
-- 'number'") is "attempt to perform arithmetic on a string value"; and
-- two pattern errors are worded as in 5.1.
local function message51(message)
  if type(message) ~= 'string' then return message end
  message = gsub(message, "attempt to (.-) a (%a+) value %((%a[%a ]-) '(.-)'%)", function(op, typename, kind, name)
    if kind == 'constant' or kind == 'for iterator' then return 'attempt to ' .. op .. ' a ' .. typename .. ' value' end
    if name == 'integer index' then name = '?' end
    return 'attempt to ' .. op .. ' ' .. kind .. " '" .. name .. "' (a " .. typename .. ' value)'
  end)
  message = gsub(message, "bad 'for' (%a[%a ]-) %(number expected, got [%a ]+%)", "'for' %1 must be a number")
  -- Pattern errors: 5.1 does not name the capture, and says "unbalanced pattern" for a '%b' without its two characters.
  message = gsub(message, 'invalid capture index %%%d+', 'invalid capture index')
  -- Argument errors 5.1 words differently (coroutine.resume/status/wrap, setmetatable, math.max/min).
  message = gsub(message, "%(thread expected, got [%a ]+%)", '(coroutine expected)')
  message = gsub(message, "%(nil or table expected, got [%a ]+%)", '(nil or table expected)')
  message = gsub(message, "(bad argument #1 to 'm[axin]+') %(value expected%)", '%1 (number expected, got no value)')
  message = gsub(message, "malformed pattern %(missing arguments to '%%b'%)", 'unbalanced pattern')
  return (gsub(message, "attempt to %a+ a '%a+' with a '%a+'", 'attempt to perform arithmetic on a string value'))
end

-- A compile error in 5.1's words: tokens such as <eof> and <name> are
-- quoted ("'<eof>' expected near '<eof>'"), an unfinished long string or
-- comment does not say where it started, a decimal escape past 255 is
-- "escape sequence too large" near the string read so far.
local function syntax51(message)
  if type(message) ~= 'string' then return message end
  message = gsub(message, "near (<%a+>)$", "near '%1'")
  message = gsub(message, ": (<%a+>) expected", ": '%1' expected")
  message = gsub(message, "unfinished long (%a+) %(starting at line %d+%)", 'unfinished long %1')
  return (gsub(message, "decimal escape too large near '(.-)\\%d+.?'$", "escape sequence too large near '%1'"))
end

local function toint(value)
  if math_type(value) == 'float' then
    if value ~= value or value == huge or value == -huge then return mininteger end
    value = value >= 0 and floor(value) or ceil(value)
    if value >= 9223372036854775807 or value < -9223372036854775808 then return mininteger end
    return tointeger(value)
  end
  return value
end

-- The conversions of 5.1's string.format, and %q's escapes.
local CONVERSIONS51 = { c = true, d = true, i = true, o = true, u = true, x = true, X = true, e = true, E = true, f = true, g = true, G = true, q = true, s = true }
local QUOTED51 = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\\n', ['\r'] = '\\r', ['\0'] = '\\000' }

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
      local width, precision = match(spec, '^[-+ #0]*(%d*)%.?(%d*)$')
      if #width > 2 or #precision > 2 then error('invalid format (width or precision too long)', 2) end
      local kind = type(value)
      local piece
      if conversion == 'q' or conversion == 's' then
        if kind == 'number' then
          value = tostring51(value)
        elseif kind ~= 'string' then
          error("bad argument #" .. (argIndex + 1) .. " to 'format' (string expected, got " .. kind .. ')', 2)
        end
        if conversion == 'q' then piece = '"' .. gsub(value, '[%z"\\\n\r]', QUOTED51) .. '"' end
      elseif not CONVERSIONS51[conversion] then
        error("invalid option '%" .. conversion .. "' to 'format'", 2)
      elseif kind == 'number' and conversion ~= 'e' and conversion ~= 'E' and conversion ~= 'f' and conversion ~= 'g' and conversion ~= 'G' then
        value = toint(value)
        if conversion == 'u' then
          conversion = 'd'
          if value < 0 then
            -- "%lu" of a negative long: its two's complement, 2^64 + value.
            local high = (value >> 1) // 5
            piece = format('%' .. match(spec, '%-?') .. width .. 's', format('%d%d', high, value - high * 10))
          end
        end
      end
      -- 5.1 copies sprintf's output up to its first NUL (a '%c' of 0 is '').
      piece = piece or format('%' .. spec .. conversion, value)
      if conversion == 'c' then piece = match(piece, '^[^%z]*') end
      out[#out + 1] = piece
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

-- The tostring scripts call: 5.1's returns what a __tostring returns
-- (a number, a table), ignores 5.4's __name, and wants an argument.
tostring = function(...)
  local value = ...
  local kind = type(value)
  if kind == 'table' or kind == 'userdata' then
    local meta = getmetatable54(value)
    local handler = meta and rawget(meta, '__tostring')
    if handler ~= nil then return handler(value) end
    return format('%s: %p', kind, value)
  end
  if value == nil and select('#', ...) == 0 then error("bad argument #1 to 'tostring' (value expected)", 2) end
  return tostring51(value)
end
string.format = format51
table.concat = concat51
unpack = function(...)
  checktable51('unpack', 1, select('#', ...), (...))
  return tunpack(...)
end
loadstring = function(...)
  local source, chunkname = ...
  if type(source) ~= 'string' and type(source) ~= 'number' then
    error("bad argument #1 to 'loadstring' (string expected, got " .. (select('#', ...) == 0 and 'no value' or type(source)) .. ')', 2)
  end
  local fn, failure = load54(tostring51(source), chunkname, 't')
  if fn == nil then return nil, syntax51(failure) end
  return fn
end
load = function(chunk, chunkname)
  local fn, failure = load54(chunk, chunkname, 't')
  if fn == nil then return nil, syntax51(failure) end
  return fn
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
-- 5.1 has doubles only. A script's literals are doubles already
-- (lua-number-literals51.ts); these are the library functions that hand a
-- script 5.4's integer subtype where redis-server's hands it a double, one
-- it then prints in full from 1e14 up through '..' (5.1: "1e+14") or adds
-- with 64-bit wrap-around: tonumber of a text (tonumber(ARGV[1]), the
-- usual way a script reads a number) and math.floor/ceil of a float. The
-- integer is converted as C's (double) cast converts it, as strtod and
-- 5.1's floor() give it. A zero keeps the argument's sign: 5.1's
-- floor(-0.0) and ceil(-0.5) are -0 ("-0"), 5.4 makes them the integer 0
-- (x * 0.0 is -0.0 exactly for a negative or negative-zero x), and 5.1's
-- tonumber('-0') is strtod's -0 (with a base other than 10, strtoul's 0). The 5.4
-- functions are called through locals named ...54, so their argument
-- errors name 'tonumber', 'floor', 'ceil' (lua-sandbox.ts).
local tonumber54, find = tonumber, string.find
tonumber = function(...)
  local text, base = ...
  -- 5.1 reads a number given with a base as its text (luaL_checklstring: "%.14g"); base 10 is the plain conversion. 5.4 wants a string.
  if base ~= nil and type(text) == 'number' then
    if tonumber54(base) == 10 then return text + 0.0 end
    return tonumber(tostring51(text), base)
  end
  local number = tonumber54(...)
  if math_type(number) ~= 'integer' then return number end
  if number == 0 then
    if (base == nil or tonumber54(base) == 10) and find(text, '-', 1, true) then return -0.0 end
  end
  return number + 0.0
end
local floor54, ceil54 = floor, ceil
math.floor = function(...)
  local number = floor54(...)
  if number == 0 then return (...) * 0.0 end
  return number + 0.0
end
math.ceil = function(...)
  local number = ceil54(...)
  if number == 0 then return (...) * 0.0 end
  return number + 0.0
end
-- 5.1's assert raises luaL_error("%s", luaL_optstring(2, "assertion
-- failed!")): always text with the caller's position, a number message as
-- its "%.14g" text, anything else but nil a bad argument #2. 5.4's passes
-- a non-string message on as it is (assert(false, 42) raises the number
-- 42). Raised through error54 one level up, past this wrapper (a
-- statement, not a tail call, so the frame counts). error(42) itself
-- (5.1: "user_script:1: 42") is left: a wrapper of error changes the level
-- its callers' messages are located at (lua-sandbox.ts's locate).
local error54 = error
assert = function(...)
  if (...) then return ... end
  local count, message = select('#', ...), select(2, ...)
  if count == 0 then error54("bad argument #1 to 'assert' (value expected)", 2) end
  if message == nil then
    message = 'assertion failed!'
  elseif type(message) == 'number' then
    message = tostring51(message)
  elseif type(message) ~= 'string' then
    error54("bad argument #2 to 'assert' (string expected, got " .. type(message) .. ')', 2)
  end
  error54(message, 2)
end
math.pow = function(x, y) return x ^ y end
math.log10 = function(x) return log54(x, 10) end
math.atan2 = function(y, x) return math.atan(y, x) end
math.cosh = function(x) return (math.exp(x) + math.exp(-x)) / 2 end
math.sinh = function(x) return (math.exp(x) - math.exp(-x)) / 2 end
math.tanh = function(x) local a, b = math.exp(x), math.exp(-x) return (a - b) / (a + b) end
math.ldexp = function(m, e) return m * 2.0 ^ e end
math.frexp = function(x)
  if x == 0 or x ~= x or x == huge or x == -huge then return x, 0 end
  local exponent = floor(log54(math.abs(x), 2)) + 1
  local mantissa = x / 2.0 ^ exponent
  if math.abs(mantissa) >= 1 then mantissa, exponent = mantissa / 2, exponent + 1 end
  if math.abs(mantissa) < 0.5 then mantissa, exponent = mantissa * 2, exponent - 1 end
  return mantissa, exponent
end
string.gfind = string.gmatch
_VERSION = 'Lua 5.1'
utf8, warn, rawlen, require, package, io, os, print, dofile, loadfile = nil, nil, nil, nil, nil, nil, nil, nil, nil, nil

return { tostring = tostring51, message = message51, syntax = syntax51, toint = toint, checktable = checktable51, rawlen = rawlen54 }
`;
