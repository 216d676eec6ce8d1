/**
 * The `cmsgpack` library of Redis scripts (lua-cmsgpack 0.4.0 as Redis
 * ships it), in Lua 5.4: pack, unpack, unpack_one, unpack_limit.
 *
 * Encoding as lua_cmsgpack.c: integral numbers (and floats equal to an
 * int64) take the smallest integer form, other numbers float32 when exact
 * and float64 otherwise; strings fixstr/str8/str16/str32; a table whose
 * keys are exactly 1..n is an array, any other a map; tables nested deeper
 * than 16 levels encode as nil (so circular references terminate);
 * anything else is nil; a map's entries in Lua 5.1's key order
 * (lua-key-order51.ts), as Redis's lua_next walk writes them. Decoding
 * returns every value of the input, or with unpack_one/unpack_limit the
 * next 0-based offset first (-1 at the end).
 */
export const CMSGPACK_SOURCE = String.raw`
local keysInOrder51, histories, next = ...
local byte, char, sub, spack, sunpack = string.byte, string.char, string.sub, string.pack, string.unpack
local type, error, select, tconcat, tunpack = type, error, select, table.concat, table.unpack
local math_type, tointeger, floor, huge = math.type, math.tointeger, math.floor, math.huge

local MAX_NESTING = 16

local function encodeInteger(n, out)
  if n >= 0 then
    if n <= 127 then out[#out + 1] = char(n)
    elseif n <= 0xff then out[#out + 1] = char(0xcc, n)
    elseif n <= 0xffff then out[#out + 1] = spack('>BI2', 0xcd, n)
    elseif n <= 0xffffffff then out[#out + 1] = spack('>BI4', 0xce, n)
    else out[#out + 1] = spack('>Bi8', 0xcf, n) end
  else
    if n >= -32 then out[#out + 1] = char(n & 0xff)
    elseif n >= -128 then out[#out + 1] = spack('>Bi1', 0xd0, n)
    elseif n >= -32768 then out[#out + 1] = spack('>Bi2', 0xd1, n)
    elseif n >= -2147483648 then out[#out + 1] = spack('>Bi4', 0xd2, n)
    else out[#out + 1] = spack('>Bi8', 0xd3, n) end
  end
end

local function encodeNumber(n, out)
  if math_type(n) == 'integer' then return encodeInteger(n, out) end
  if n == n and n ~= huge and n ~= -huge and n == floor(n) and n >= -2^63 and n < 2^63 then
    return encodeInteger(tointeger(n), out)
  end
  local asFloat = sunpack('<f', spack('<f', n))
  if asFloat == n or (n ~= n) then
    out[#out + 1] = spack('>Bf', 0xca, n)
  else
    out[#out + 1] = spack('>Bd', 0xcb, n)
  end
end

local function encodeString(s, out)
  local length = #s
  if length < 32 then out[#out + 1] = char(0xa0 | length)
  elseif length <= 0xff then out[#out + 1] = char(0xd9, length)
  elseif length <= 0xffff then out[#out + 1] = spack('>BI2', 0xda, length)
  else out[#out + 1] = spack('>BI4', 0xdb, length) end
  out[#out + 1] = s
end

local function isArray(t)
  local count, max = 0, 0
  for key in next, t do
    if math_type(key) ~= 'integer' or key <= 0 then return false end
    if key > max then max = key end
    count = count + 1
  end
  return max == count
end

local encodeValue
local function encodeTable(t, level, out)
  if isArray(t) then
    local length = #t
    if length <= 15 then out[#out + 1] = char(0x90 | length)
    elseif length <= 0xffff then out[#out + 1] = spack('>BI2', 0xdc, length)
    else out[#out + 1] = spack('>BI4', 0xdd, length) end
    for index = 1, length do encodeValue(t[index], level + 1, out) end
    return
  end
  local count = 0
  for _ in next, t do count = count + 1 end
  if count <= 15 then out[#out + 1] = char(0x80 | count)
  elseif count <= 0xffff then out[#out + 1] = spack('>BI2', 0xde, count)
  else out[#out + 1] = spack('>BI4', 0xdf, count) end
  for _, key in next, keysInOrder51(t) do
    encodeValue(key, level + 1, out)
    encodeValue(t[key], level + 1, out)
  end
end

encodeValue = function(value, level, out)
  local kind = type(value)
  if kind == 'table' and level == MAX_NESTING then kind = 'nil' end
  if kind == 'string' then encodeString(value, out)
  elseif kind == 'boolean' then out[#out + 1] = value and '\xc3' or '\xc2'
  elseif kind == 'number' then encodeNumber(value, out)
  elseif kind == 'table' then encodeTable(value, level, out)
  else out[#out + 1] = '\xc0' end
end

local function pack(...)
  local count = select('#', ...)
  if count == 0 then error("bad argument #0 to 'pack' (MessagePack pack needs input.)", 0) end
  local out = {}
  for index = 1, count do encodeValue((select(index, ...)), 0, out) end
  return tconcat(out)
end

-- Decoding: returns value, next position; raises on truncated or bad input.
local decodeValue
local function need(s, position, count)
  if position + count - 1 > #s then error('Missing bytes in input.', 0) end
end

local function decodeArray(s, position, length)
  local array = {}
  for index = 1, length do
    array[index], position = decodeValue(s, position)
  end
  return array, position
end

local function decodeMap(s, position, length)
  local map = {}
  -- Filed for lua-key-order51.ts: the entries' insertion order, as lua_settable made them.
  local inserted = {}
  histories[map] = inserted
  for _ = 1, length do
    local key, value
    key, position = decodeValue(s, position)
    value, position = decodeValue(s, position)
    map[key] = value
    inserted[#inserted + 1] = key
    inserted[#inserted + 1] = value ~= nil
  end
  return map, position
end

local function decodeBytes(s, position, length)
  need(s, position, length)
  return sub(s, position, position + length - 1), position + length
end

decodeValue = function(s, position)
  need(s, position, 1)
  local tag = byte(s, position)
  position = position + 1
  if tag <= 0x7f then return tag, position end
  if tag >= 0xe0 then return tag - 256, position end
  if tag >= 0xa0 and tag <= 0xbf then return decodeBytes(s, position, tag & 0x1f) end
  if tag >= 0x90 and tag <= 0x9f then return decodeArray(s, position, tag & 0x0f) end
  if tag >= 0x80 and tag <= 0x8f then return decodeMap(s, position, tag & 0x0f) end
  if tag == 0xc0 then return nil, position end
  if tag == 0xc2 then return false, position end
  if tag == 0xc3 then return true, position end
  local fixed = ({ [0xcc] = '>B', [0xcd] = '>I2', [0xce] = '>I4', [0xcf] = '>i8', [0xd0] = '>i1', [0xd1] = '>i2', [0xd2] = '>i4', [0xd3] = '>i8', [0xca] = '>f', [0xcb] = '>d' })[tag]
  if fixed then
    local size = (tag == 0xcc or tag == 0xd0) and 1 or (tag == 0xcd or tag == 0xd1) and 2 or (tag == 0xce or tag == 0xd2 or tag == 0xca) and 4 or 8
    need(s, position, size)
    local value = sunpack(fixed, s, position)
    if tag == 0xcf and value < 0 then value = value + 18446744073709551616.0 end
    -- lua-cmsgpack pushes every integer it decodes with lua_pushnumber: a double, as all of Lua 5.1's numbers.
    return value + 0.0, position + size
  end
  if tag == 0xd9 or tag == 0xc4 then need(s, position, 1) return decodeBytes(s, position + 1, byte(s, position)) end
  if tag == 0xda or tag == 0xc5 then need(s, position, 2) return decodeBytes(s, position + 2, sunpack('>I2', s, position)) end
  if tag == 0xdb or tag == 0xc6 then need(s, position, 4) return decodeBytes(s, position + 4, sunpack('>I4', s, position)) end
  if tag == 0xdc then need(s, position, 2) return decodeArray(s, position + 2, sunpack('>I2', s, position)) end
  if tag == 0xdd then need(s, position, 4) return decodeArray(s, position + 4, sunpack('>I4', s, position)) end
  if tag == 0xde then need(s, position, 2) return decodeMap(s, position + 2, sunpack('>I2', s, position)) end
  if tag == 0xdf then need(s, position, 4) return decodeMap(s, position + 4, sunpack('>I4', s, position)) end
  error('Bad data format in input.', 0)
end

-- Argument errors name the script's line, as luaL_argerror's luaL_where does
-- (level 3: the check, the library function, the script).
local function checkInput(s, given, name)
  if type(s) == 'string' then return s end
  if type(s) == 'number' then return tostring(s) end
  error("bad argument #1 to '" .. name .. "' (string expected, got " .. (given == 0 and 'no value' or type(s)) .. ')', 3)
end

local function unpackFull(s, limit, offset, name)
  local length = #s
  if offset < 0 or limit < 0 then
    error('Invalid request to unpack with offset of ' .. offset .. ' and limit of ' .. length .. '.', 0)
  elseif offset > length then
    error('Start offset ' .. offset .. ' greater than input length ' .. length .. '.', 0)
  end
  local decodeAll = limit == 0 and offset == 0
  if decodeAll then limit = 2147483647 end
  local values, count, position = {}, 0, offset + 1
  while position <= length and count < limit do
    count = count + 1
    values[count], position = decodeValue(s, position)
  end
  if decodeAll then return tunpack(values, 1, count) end
  local nextOffset = position > length and -1 or position - 1
  return nextOffset, tunpack(values, 1, count)
end

local function integerArg(value, index, name, default)
  if value == nil and default ~= nil then return default end
  local number = tonumber(value)
  number = number and tointeger(number >= 0 and floor(number) or -floor(-number))
  if number == nil then
    error("bad argument #" .. index .. " to '" .. name .. "' (number expected, got " .. (value == nil and 'no value' or type(value)) .. ')', 3)
  end
  return number
end

return {
  _NAME = 'lua-cmsgpack', _VERSION = 'lua-cmsgpack 0.4.0', _COPYRIGHT = 'Copyright (C) 2012, Salvatore Sanfilippo',
  _DESCRIPTION = 'MessagePack C implementation for Lua',
  pack = pack,
  unpack = function(...)
    local s = checkInput((...), select('#', ...), 'unpack')
    return unpackFull(s, 0, 0, 'unpack')
  end,
  -- As mp_unpack_one/_limit: the numbers are read before the input.
  unpack_one = function(...)
    local offset = integerArg(select(2, ...), 2, 'unpack_one', 0)
    return unpackFull(checkInput((...), select('#', ...), 'unpack_one'), 1, offset, 'unpack_one')
  end,
  unpack_limit = function(...)
    local limit = integerArg(select(2, ...), 2, 'unpack_limit')
    local offset = integerArg(select(3, ...), 3, 'unpack_limit', 0)
    return unpackFull(checkInput((...), select('#', ...), 'unpack_limit'), limit, offset, 'unpack_limit')
  end,
}
`;
