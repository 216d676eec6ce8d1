/**
 * The `bit` library of Redis scripts (LuaBitOp 1.0 semantics), in Lua 5.4.
 *
 * Every operand is first normalised to a signed 32-bit integer the way
 * LuaBitOp does: a float is rounded to the nearest integer (ties to even,
 * the effect of its "add 2^52+2^51" trick) and the low 32 bits are kept.
 * Results are signed 32-bit integers. Shift counts use their low 5 bits.
 * Errors are raised without a position, as from a C function.
 */
export const BIT_SOURCE = String.raw`
local type, tonumber, error, select = type, tonumber, error, select
local math_type, tointeger, floor = math.type, math.tointeger, math.floor
local format, rep = string.format, string.rep

local function typename(value)
  if value == nil then return 'no value' end
  return type(value)
end

local function arg(value, index, name)
  local number = value
  if type(number) ~= 'number' then number = tonumber(value) end
  if number == nil then
    error("bad argument #" .. index .. " to '" .. name .. "' (number expected, got " .. typename(value) .. ')', 0)
  end
  if math_type(number) == 'float' then
    if number ~= number or number == math.huge or number == -math.huge then return 0 end
    local rounded = (number + 6755399441055744.0) - 6755399441055744.0
    if rounded ~= rounded or rounded >= 2^63 or rounded < -2^63 then
      rounded = math.fmod(rounded, 4294967296.0)
    end
    number = tointeger(rounded) or tointeger(floor(rounded)) or 0
  end
  number = number & 0xffffffff
  if number >= 0x80000000 then number = number - 0x100000000 end
  return number
end

local function signed(value)
  value = value & 0xffffffff
  if value >= 0x80000000 then return value - 0x100000000 end
  return value
end

local function fold(name, op)
  return function(first, ...)
    local result = arg(first, 1, name)
    for index = 1, select('#', ...) do
      result = op(result, arg((select(index, ...)), index + 1, name))
    end
    return signed(result)
  end
end

local bit = {}
bit.tobit = function(x) return arg(x, 1, 'tobit') end
bit.bnot = function(x) return signed(~arg(x, 1, 'bnot')) end
bit.band = fold('band', function(a, b) return a & b end)
bit.bor = fold('bor', function(a, b) return a | b end)
bit.bxor = fold('bxor', function(a, b) return a ~ b end)
bit.lshift = function(x, n)
  return signed((arg(x, 1, 'lshift') & 0xffffffff) << (arg(n, 2, 'lshift') & 31))
end
bit.rshift = function(x, n)
  return signed((arg(x, 1, 'rshift') & 0xffffffff) >> (arg(n, 2, 'rshift') & 31))
end
bit.arshift = function(x, n)
  return signed(arg(x, 1, 'arshift') // (1 << (arg(n, 2, 'arshift') & 31)))
end
bit.rol = function(x, n)
  local value, count = arg(x, 1, 'rol') & 0xffffffff, arg(n, 2, 'rol') & 31
  return signed((value << count) | (value >> (32 - count)))
end
bit.ror = function(x, n)
  local value, count = arg(x, 1, 'ror') & 0xffffffff, arg(n, 2, 'ror') & 31
  return signed((value >> count) | (value << (32 - count)))
end
bit.bswap = function(x)
  local value = arg(x, 1, 'bswap') & 0xffffffff
  return signed(((value & 0xff) << 24) | ((value & 0xff00) << 8) | ((value >> 8) & 0xff00) | ((value >> 24) & 0xff))
end
bit.tohex = function(x, n)
  local value = arg(x, 1, 'tohex') & 0xffffffff
  local digits = n == nil and 8 or arg(n, 2, 'tohex')
  local upper = digits < 0
  if upper then digits = -digits end
  if digits > 8 then digits = 8 end
  local text = format(upper and '%08X' or '%08x', value)
  return text:sub(9 - digits)
end
return bit
`;
