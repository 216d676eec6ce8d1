/**
 * The `cjson` library of Redis scripts (lua-cjson 2.1.0 as Redis ships it),
 * in Lua 5.4: encode, decode, the configuration functions, cjson.null.
 *
 * Encoding follows lua_cjson.c: a table whose keys are all positive
 * integers is an array (holes become null) unless it is excessively sparse
 * (max index > ratio * items and > safe: an error, or an object when
 * conversion is on); any other table is an object whose keys must be
 * strings or numbers, written in Lua 5.1's key order (lua-key-order51.ts)
 * as Redis's lua_next walk writes them; an empty table is "{}"; numbers use "%.14g" (the
 * configured precision); NaN/Inf raise unless encode_invalid_numbers;
 * '/' and control characters are escaped as cjson escapes them; bytes
 * >= 0x80 pass through. Decoding accepts what cjson accepts, returns
 * integral numbers as integers (so they print as Lua 5.1 printed them),
 * null as cjson.null, and raises cjson's "Expected ... but found ... at
 * character N" errors.
 */
export const CJSON_SOURCE = String.raw`
local cnull, keysInOrder51, histories, next = ...
local byte, char, sub, find, format, gsub, match = string.byte, string.char, string.sub, string.find, string.format, string.gsub, string.match
local type, tonumber, error, tconcat = type, tonumber, error, table.concat
local math_type, floor, huge, tointeger = math.type, math.floor, math.huge, math.tointeger

local config = {
  sparseConvert = false, sparseRatio = 2, sparseSafe = 10,
  encodeMaxDepth = 1000, decodeMaxDepth = 1000,
  encodeInvalid = 0, decodeInvalid = true, precision = 14, keepBuffer = true,
}

local ESCAPES = {}
for code = 0, 31 do ESCAPES[char(code)] = format('\\u%04x', code) end
ESCAPES['\b'], ESCAPES['\t'], ESCAPES['\n'], ESCAPES['\f'], ESCAPES['\r'] = '\\b', '\\t', '\\n', '\\f', '\\r'
ESCAPES['"'], ESCAPES['\\'], ESCAPES['/'], ESCAPES['\127'] = '\\"', '\\\\', '\\/', '\\u007f'

local function encodeString(text)
  return '"' .. gsub(text, '[%c"\\/\127]', ESCAPES) .. '"'
end

local function fail(kind, reason)
  error('Cannot serialise ' .. kind .. ': ' .. reason, 0)
end

local function encodeNumber(number)
  if number ~= number or number == huge or number == -huge then
    if config.encodeInvalid == 0 then fail('number', 'must not be NaN or Inf') end
    if config.encodeInvalid == 2 then return 'null' end
    if number ~= number then return 'nan' end
  end
  if math_type(number) == 'integer' and number > -100000000000000 and number < 100000000000000 then
    return tostring(number)
  end
  return format('%.' .. config.precision .. 'g', number)
end

-- lua_array_length: the array length, or -1 for an object.
local function arrayLength(value)
  local max, items = 0, 0
  for key in next, value do
    if type(key) == 'number' and key >= 1 and floor(key) == key then
      if key > max then max = key end
      items = items + 1
    else
      return -1
    end
  end
  if config.sparseRatio > 0 and max > items * config.sparseRatio and max > config.sparseSafe then
    if not config.sparseConvert then fail('table', 'excessively sparse array') end
    return -1
  end
  return max
end

local encodeValue
local function encodeTable(value, depth, out)
  depth = depth + 1
  if depth > config.encodeMaxDepth then
    error('Cannot serialise, excessive nesting (' .. depth .. ')', 0)
  end
  local length = arrayLength(value)
  if length > 0 then
    out[#out + 1] = '['
    for index = 1, length do
      if index > 1 then out[#out + 1] = ',' end
      encodeValue(value[index], depth, out)
    end
    out[#out + 1] = ']'
    return
  end
  out[#out + 1] = '{'
  local first = true
  for _, key in next, keysInOrder51(value) do
    local item = value[key]
    if not first then out[#out + 1] = ',' end
    first = false
    local kind = type(key)
    if kind == 'string' then
      out[#out + 1] = encodeString(key)
    elseif kind == 'number' then
      out[#out + 1] = '"' .. encodeNumber(key) .. '"'
    else
      fail(kind, 'table key must be a number or string')
    end
    out[#out + 1] = ':'
    encodeValue(item, depth, out)
  end
  out[#out + 1] = '}'
end

encodeValue = function(value, depth, out)
  local kind = type(value)
  if kind == 'string' then
    out[#out + 1] = encodeString(value)
  elseif kind == 'number' then
    out[#out + 1] = encodeNumber(value)
  elseif kind == 'boolean' then
    out[#out + 1] = value and 'true' or 'false'
  elseif kind == 'table' then
    encodeTable(value, depth, out)
  elseif value == nil or value == cnull then
    out[#out + 1] = 'null'
  else
    fail(kind, 'type not supported')
  end
end

local function encode(...)
  if select('#', ...) ~= 1 then error("bad argument #1 to 'encode' (expected 1 argument)", 2) end
  local out = {}
  encodeValue((...), 0, out)
  return tconcat(out)
end

-- Decoding ---------------------------------------------------------------

local TOKEN_NAMES = {
  ['{'] = 'T_OBJ_BEGIN', ['}'] = 'T_OBJ_END', ['['] = 'T_ARR_BEGIN', [']'] = 'T_ARR_END',
  [':'] = 'T_COLON', [','] = 'T_COMMA',
}

local function utf8char(code)
  if code < 0x80 then return char(code) end
  if code < 0x800 then return char(0xc0 | (code >> 6), 0x80 | (code & 0x3f)) end
  if code < 0x10000 then return char(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)) end
  return char(0xf0 | (code >> 18), 0x80 | ((code >> 12) & 0x3f), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f))
end

local UNESCAPE = { ['"'] = '"', ['\\'] = '\\', ['/'] = '/', b = '\b', f = '\f', n = '\n', r = '\r', t = '\t' }

-- Argument errors name the script's line (level 2), as luaL_argerror's luaL_where does.
local function decode(...)
  if select('#', ...) ~= 1 then error("bad argument #1 to 'decode' (expected 1 argument)", 2) end
  local text = ...
  if type(text) ~= 'string' then
    if type(text) == 'number' then text = tostring(text)
    else error("bad argument #1 to 'decode' (string expected, got " .. type(text) .. ')', 2) end
  end
  local position, depth, length = 1, 0, #text

  local function skip()
    position = find(text, '[^ \t\n\r]', position) or length + 1
  end

  -- Reads the next token: returns kind, value, start index (0-based).
  local function token()
    skip()
    local start = position
    if position > length then return 'T_END', nil, start - 1 end
    local c = sub(text, position, position)
    local name = TOKEN_NAMES[c]
    if name then
      position = position + 1
      return name, c, start - 1
    end
    if c == '"' then
      local parts = {}
      position = position + 1
      while true do
        local stop = find(text, '["\\]', position)
        if not stop then return 'T_ERROR', 'unexpected end of string', start - 1 end
        parts[#parts + 1] = sub(text, position, stop - 1)
        if sub(text, stop, stop) == '"' then
          position = stop + 1
          break
        end
        local escape = sub(text, stop + 1, stop + 1)
        if escape == 'u' then
          local hex = match(text, '^%x%x%x%x', stop + 2)
          if not hex then return 'T_ERROR', 'invalid unicode escape code', start - 1 end
          local code = tonumber(hex, 16)
          position = stop + 6
          if code >= 0xd800 and code <= 0xdbff then
            local low = match(text, '^\\u(%x%x%x%x)', position)
            local lowCode = low and tonumber(low, 16)
            if not lowCode or lowCode < 0xdc00 or lowCode > 0xdfff then return 'T_ERROR', 'invalid unicode escape code', start - 1 end
            code = 0x10000 + ((code - 0xd800) << 10) + (lowCode - 0xdc00)
            position = position + 6
          elseif code >= 0xdc00 and code <= 0xdfff then
            return 'T_ERROR', 'invalid unicode escape code', start - 1
          end
          parts[#parts + 1] = utf8char(code)
        else
          local plain = UNESCAPE[escape]
          if not plain then return 'T_ERROR', 'invalid escape code', start - 1 end
          parts[#parts + 1] = plain
          position = stop + 2
        end
      end
      return 'T_STRING', tconcat(parts), start - 1
    end
    local word = match(text, '^%a+', position)
    if word == 'true' or word == 'false' then
      position = position + #word
      return 'T_BOOLEAN', word == 'true', start - 1
    end
    if word == 'null' then
      position = position + 4
      return 'T_NULL', cnull, start - 1
    end
    -- The extent strtod would accept: decimal with optional exponent, or (invalid numbers on) hex, inf, nan.
    local numberText = match(text, '^-?%d+%.?%d*[eE][-+]?%d+', position) or match(text, '^-?%d+%.?%d*', position)
      or match(text, '^-?%.%d+[eE][-+]?%d+', position) or match(text, '^-?%.%d+', position)
    if config.decodeInvalid then
      numberText = match(text, '^-?0[xX]%x+', position) or numberText or match(text, '^-?%a+', position)
    end
    if numberText then
      local lower = numberText:lower()
      local number
      if config.decodeInvalid and (lower == 'inf' or lower == '-inf' or lower == 'infinity' or lower == '-infinity') then
        number = lower:sub(1, 1) == '-' and -huge or huge
      elseif config.decodeInvalid and (lower == 'nan' or lower == '-nan') then
        number = 0 / 0
      else
        number = tonumber(numberText)
      end
      if number ~= nil then
        position = position + #numberText
        -- lua-cjson reads every number with strtod: a double, as all of Lua 5.1's numbers.
        if math_type(number) == 'integer' then number = number + 0.0 end
        return 'T_NUMBER', number, start - 1
      end
    end
    return 'T_ERROR', 'invalid token', start - 1
  end

  local function parseError(expected, kind, value, index)
    local found = kind == 'T_ERROR' and value or kind
    error('Expected ' .. expected .. ' but found ' .. found .. ' at character ' .. (index + 1), 0)
  end

  local function descend(index)
    depth = depth + 1
    if depth > config.decodeMaxDepth then
      error('Found too many nested data structures (' .. depth .. ') at character ' .. (index + 1), 0)
    end
  end

  local parseValue
  local function parseObject(index)
    descend(index)
    local object = {}
    local kind, value, at = token()
    if kind == 'T_OBJ_END' then depth = depth - 1 return object end
    -- Filed for lua-key-order51.ts: the members' insertion order, as lua_rawset made them.
    local inserted = {}
    histories[object] = inserted
    while true do
      if kind ~= 'T_STRING' then parseError('object key string', kind, value, at) end
      local key = value
      kind, value, at = token()
      if kind ~= 'T_COLON' then parseError('colon', kind, value, at) end
      kind, value, at = token()
      object[key] = parseValue(kind, value, at)
      inserted[#inserted + 1] = key
      inserted[#inserted + 1] = true
      kind, value, at = token()
      if kind == 'T_OBJ_END' then depth = depth - 1 return object end
      if kind ~= 'T_COMMA' then parseError('comma or object end', kind, value, at) end
      kind, value, at = token()
    end
  end

  local function parseArray(index)
    descend(index)
    local array = {}
    local kind, value, at = token()
    if kind == 'T_ARR_END' then depth = depth - 1 return array end
    local count = 0
    while true do
      count = count + 1
      array[count] = parseValue(kind, value, at)
      kind, value, at = token()
      if kind == 'T_ARR_END' then depth = depth - 1 return array end
      if kind ~= 'T_COMMA' then parseError('comma or array end', kind, value, at) end
      kind, value, at = token()
    end
  end

  parseValue = function(kind, value, at)
    if kind == 'T_STRING' or kind == 'T_NUMBER' or kind == 'T_BOOLEAN' or kind == 'T_NULL' then return value end
    if kind == 'T_OBJ_BEGIN' then return parseObject(at) end
    if kind == 'T_ARR_BEGIN' then return parseArray(at) end
    parseError('value', kind, value, at)
  end

  if length >= 2 and (byte(text, 1) == 0 or byte(text, 2) == 0) then
    error('JSON parser does not support UTF-16 or UTF-32', 0)
  end
  local kind, value, at = token()
  local result = parseValue(kind, value, at)
  kind, value, at = token()
  if kind ~= 'T_END' then parseError('the end', kind, value, at) end
  return result
end

-- Configuration functions: no argument reads, an argument sets; both return the setting.
local function integerOption(key, min, max, name)
  return function(...)
    if select('#', ...) > 1 then error("bad argument #2 to '" .. name .. "' (found too many arguments)", 0) end
    local value = ...
    if value ~= nil then
      local number = tointeger(tonumber(value))
      if number == nil or number < min or number > max then
        error("bad argument #1 to '" .. name .. "' (expected integer between " .. min .. ' and ' .. max .. ')', 0)
      end
      config[key] = number
    end
    return config[key]
  end
end

local function booleanOption(key, name)
  return function(...)
    if select('#', ...) > 1 then error("bad argument #2 to '" .. name .. "' (found too many arguments)", 0) end
    local value = ...
    if value ~= nil then
      if type(value) == 'boolean' then config[key] = value
      elseif value == 'on' then config[key] = true
      elseif value == 'off' then config[key] = false
      else error("bad argument #1 to '" .. name .. "' (invalid option '" .. tostring(value) .. "')", 0) end
    end
    return config[key]
  end
end

local cjson = { _NAME = 'cjson', _VERSION = '2.1.0', null = cnull, encode = encode, decode = decode }
cjson.encode_max_depth = integerOption('encodeMaxDepth', 1, 2147483647, 'encode_max_depth')
cjson.decode_max_depth = integerOption('decodeMaxDepth', 1, 2147483647, 'decode_max_depth')
cjson.encode_number_precision = integerOption('precision', 1, 14, 'encode_number_precision')
cjson.encode_keep_buffer = booleanOption('keepBuffer', 'encode_keep_buffer')
cjson.decode_invalid_numbers = booleanOption('decodeInvalid', 'decode_invalid_numbers')
cjson.encode_invalid_numbers = function(...)
  local value = ...
  if value ~= nil then
    if value == true or value == 'on' then config.encodeInvalid = 1
    elseif value == false or value == 'off' then config.encodeInvalid = 0
    elseif value == 'null' then config.encodeInvalid = 2
    else error("bad argument #1 to 'encode_invalid_numbers' (invalid option '" .. tostring(value) .. "')", 0) end
  end
  if config.encodeInvalid == 2 then return 'null' end
  return config.encodeInvalid == 1
end
cjson.encode_sparse_array = function(convert, ratio, safe)
  if convert ~= nil then config.sparseConvert = convert == true or convert == 'on' end
  if ratio ~= nil then config.sparseRatio = tointeger(tonumber(ratio)) or config.sparseRatio end
  if safe ~= nil then config.sparseSafe = tointeger(tonumber(safe)) or config.sparseSafe end
  return config.sparseConvert, config.sparseRatio, config.sparseSafe
end
cjson.new = function() return cjson end
return cjson
`;
