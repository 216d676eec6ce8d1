/**
 * The `struct` library of Redis scripts (Roberto Ierusalimschy's struct
 * 0.2 as Redis ships it), in Lua 5.4: pack, unpack, size.
 *
 * Format: '>' big / '<' little endian (default: little, the native order
 * of every platform Redis runs on), '!n' maximum alignment (default 1,
 * '!' alone = 8), ' ' ignored; 'b'/'B' char, 'h'/'H' short, 'l'/'L' long
 * (8), 'T' size_t (8), 'i'/'I' int with optional size (default 4, at most
 * 32), 'f' float, 'd' double, 'x' a zero byte, 'cN' N chars ('c0' takes
 * the length from the previous value when unpacking, the whole string
 * when packing), 's' zero-terminated string. Lower case integers are
 * signed. Integers wider than 8 bytes carry sign bytes beyond the 64-bit
 * value, as the C version's 64-bit arithmetic does.
 */
export const STRUCT_SOURCE = String.raw`
local byte, char, sub, find, spack, sunpack, rep = string.byte, string.char, string.sub, string.find, string.pack, string.unpack, string.rep
local type, tonumber, error, select, tconcat = type, tonumber, error, select, table.concat
local math_type, tointeger, floor, ceil = math.type, math.tointeger, math.floor, math.ceil

local MAXINTSIZE, MAXALIGN = 32, 8
local SIZES = { b = 1, B = 1, h = 2, H = 2, l = 8, L = 8, T = 8, f = 4, d = 8, x = 1 }

local function argError(index, name, message)
  error("bad argument #" .. index .. " to '" .. name .. "' (" .. message .. ')', 0)
end

local function checkNumber(value, index, name)
  local number = type(value) == 'number' and value or tonumber(value)
  if number == nil then argError(index, name, 'number expected, got ' .. (value == nil and 'no value' or type(value))) end
  return number
end

local function checkString(value, index, name)
  if type(value) == 'number' then return tostring(value) end
  if type(value) ~= 'string' then argError(index, name, 'string expected, got ' .. (value == nil and 'no value' or type(value))) end
  return value
end

-- Reads the optional digits after an option; returns number and next position.
local function getnum(fmt, position, default)
  local digits = fmt:match('^%d+', position)
  if not digits then return default, position end
  local value = tonumber(digits)
  if value > 2147483647 then error('integral size overflow', 0) end
  return value, position + #digits
end

-- Parses one option at 'position': returns option, size, next position.
local function option(fmt, position)
  local opt = sub(fmt, position, position)
  position = position + 1
  local size = SIZES[opt]
  if opt == 'c' then
    size, position = getnum(fmt, position, 1)
  elseif opt == 'i' or opt == 'I' then
    size, position = getnum(fmt, position, 4)
    if size > MAXINTSIZE then error('integral size ' .. size .. ' is larger than limit of ' .. MAXINTSIZE, 0) end
  end
  return opt, size or 0, position
end

local function toalign(length, align, opt, size)
  if size == 0 or opt == 'c' then return 0 end
  if size > align then size = align end
  return (size - (length & (size - 1))) & (size - 1)
end

-- Endianness and alignment controls; anything else is an invalid option.
local function control(fmt, position, opt, header, name)
  if opt == ' ' then return position end
  if opt == '>' then header.little = false return position end
  if opt == '<' then header.little = true return position end
  if opt == '!' then
    local align
    align, position = getnum(fmt, position, MAXALIGN)
    if align <= 0 or (align & (align - 1)) ~= 0 then error('alignment ' .. align .. ' is not a power of 2', 0) end
    header.align = align
    return position
  end
  argError(1, name, "invalid format option '" .. opt .. "'")
end

local function toint64(number)
  if math_type(number) == 'integer' then return number end
  if number ~= number then return math.mininteger end
  local truncated = number >= 0 and floor(number) or ceil(number)
  return tointeger(truncated) or (number < 0 and math.mininteger or (tointeger(truncated - 2^64) or math.mininteger))
end

local function intBytes(value, size, little)
  local bytes = {}
  for index = 1, size do
    bytes[index] = char(value & 0xff)
    value = value >> 8
    if index >= 8 then value = value < 0 and -1 or 0 end
  end
  if not little then
    local reversed = {}
    for index = size, 1, -1 do reversed[#reversed + 1] = bytes[index] end
    bytes = reversed
  end
  return tconcat(bytes)
end

local function pack(fmt, ...)
  fmt = checkString(fmt, 1, 'pack')
  local header = { little = true, align = 1 }
  local out, total, argIndex, position = {}, 0, 1, 1
  while position <= #fmt do
    local opt, size
    opt, size, position = option(fmt, position)
    local padding = toalign(total, header.align, opt, size)
    if padding > 0 then out[#out + 1] = rep('\0', padding) end
    total = total + padding
    if opt == 'b' or opt == 'B' or opt == 'h' or opt == 'H' or opt == 'l' or opt == 'L' or opt == 'T' or opt == 'i' or opt == 'I' then
      argIndex = argIndex + 1
      out[#out + 1] = intBytes(toint64(checkNumber((select(argIndex - 1, ...)), argIndex, 'pack')), size, header.little)
    elseif opt == 'x' then
      out[#out + 1] = '\0'
    elseif opt == 'f' or opt == 'd' then
      argIndex = argIndex + 1
      local number = checkNumber((select(argIndex - 1, ...)), argIndex, 'pack') + 0.0
      out[#out + 1] = spack((header.little and '<' or '>') .. opt, number)
    elseif opt == 'c' or opt == 's' then
      argIndex = argIndex + 1
      local text = checkString((select(argIndex - 1, ...)), argIndex, 'pack')
      if size == 0 then size = #text end
      if #text < size then argError(argIndex, 'pack', 'string too short') end
      out[#out + 1] = sub(text, 1, size)
      if opt == 's' then
        out[#out + 1] = '\0'
        size = size + 1
      end
    else
      position = control(fmt, position, opt, header, 'pack')
    end
    total = total + size
  end
  return tconcat(out)
end

local function unpack(fmt, data, init)
  fmt = checkString(fmt, 1, 'unpack')
  data = checkString(data, 2, 'unpack')
  local pos = init == nil and 1 or checkNumber(init, 3, 'unpack')
  pos = toint64(pos)
  if pos <= 0 then argError(3, 'unpack', 'offset must be 1 or greater') end
  pos = pos - 1
  local header = { little = true, align = 1 }
  local results, position, length = {}, 1, #data
  while position <= #fmt do
    local opt, size
    opt, size, position = option(fmt, position)
    pos = pos + toalign(pos, header.align, opt, size)
    if not (size <= length and pos <= length - size) then argError(2, 'unpack', 'data string too short') end
    if opt == 'b' or opt == 'B' or opt == 'h' or opt == 'H' or opt == 'l' or opt == 'L' or opt == 'T' or opt == 'i' or opt == 'I' then
      local value = 0
      for index = 0, size - 1 do
        local at = header.little and (pos + size - index) or (pos + index + 1)
        value = (value << 8) | byte(data, at)
      end
      local signedFormat = opt == 'b' or opt == 'h' or opt == 'l' or opt == 'i'
      if signedFormat and size < 8 and value >= (1 << (size * 8 - 1)) then value = value - (1 << (size * 8)) end
      if not signedFormat and value < 0 then value = value + 18446744073709551616.0 end
      results[#results + 1] = value
    elseif opt == 'x' then
      -- padding byte: nothing to return
    elseif opt == 'f' or opt == 'd' then
      local number = sunpack((header.little and '<' or '>') .. opt, data, pos + 1)
      if math_type(number) == 'float' and number == floor(number) and number > -2^53 and number < 2^53 then number = tointeger(number) end
      results[#results + 1] = number
    elseif opt == 'c' then
      if size == 0 then
        local previous = results[#results]
        if #results == 0 or type(previous) ~= 'number' then error("format 'c0' needs a previous size", 0) end
        size = toint64(previous)
        results[#results] = nil
        if not (size <= length and pos <= length - size) then argError(2, 'unpack', 'data string too short') end
      end
      results[#results + 1] = sub(data, pos + 1, pos + size)
    elseif opt == 's' then
      local zero = find(data, '\0', pos + 1, true)
      if not zero then error('unfinished string in data', 0) end
      size = zero - pos
      results[#results + 1] = sub(data, pos + 1, zero - 1)
    else
      position = control(fmt, position, opt, header, 'unpack')
    end
    pos = pos + size
  end
  results[#results + 1] = pos + 1
  return table.unpack(results, 1, #results)
end

local function size(fmt)
  fmt = checkString(fmt, 1, 'size')
  local header = { little = true, align = 1 }
  local pos, position = 0, 1
  while position <= #fmt do
    local opt, optSize
    opt, optSize, position = option(fmt, position)
    pos = pos + toalign(pos, header.align, opt, optSize)
    if opt == 's' then argError(1, 'size', "option 's' has no fixed size") end
    if opt == 'c' and optSize == 0 then argError(1, 'size', "option 'c0' has no fixed size") end
    if not SIZES[opt] and opt ~= 'c' and opt ~= 'i' and opt ~= 'I' then position = control(fmt, position, opt, header, 'size') end
    pos = pos + optSize
  end
  return pos
end

return { pack = pack, unpack = unpack, size = size }
`;
