/**
 * table.insert and table.remove as Lua 5.1 (so redis-server 7.0) runs them,
 * on Lua 5.4 (a chunk run once in every fresh state, after
 * lua-compat51.ts; it takes and returns the helpers table).
 *
 * 5.1 checks no bounds: table.insert(t, pos, v) with pos past #t + 1 (or
 * below 1) stores t[pos] (shifting t[pos..#t] up when pos < 1), and a
 * position is read with luaL_checkint (a float truncates); 5.4 raises
 * "position out of bounds" or "number has no integer representation".
 * table.remove(t, pos) outside 1..#t removes nothing and returns nothing
 * (5.4 allows #t + 1 and 0 when #t is 0, returning t[pos]); table.remove
 * of an empty table returns no value at all (5.4 returns nil). The length
 * is the raw one (5.1's tables have no __len). In-range calls go to 5.4's
 * own functions.
 */
export const COMPAT51_TABLE_SOURCE = String.raw`
local helpers = ...
local toint, checktable = helpers.toint, helpers.checktable
local type, select, error, tonumber, rawget, rawset = type, select, error, tonumber, rawget, rawset
local math_type = helpers.lua54.math.type
local insert54, remove54, rawlen = table.insert, table.remove, helpers.rawlen
local original = helpers.lua54.table
original.insert, original.remove = insert54, remove54

-- luaL_checkint of 5.1 for argument 'index' of 'name': a number truncated toward zero.
local function checkint(name, index, value)
  if math_type(value) == 'integer' then return value end
  local number = type(value) == 'string' and tonumber(value) or value
  if type(number) ~= 'number' then
    error("bad argument #" .. index .. " to '" .. name .. "' (number expected, got " .. type(value) .. ')', 3)
  end
  return math_type(number) == 'float' and toint(number) or number
end

table.insert = function(...)
  local count = select('#', ...)
  local list, pos, value = ...
  checktable('insert', 1, count, list)
  if count == 2 then return insert54(list, pos) end
  if count ~= 3 then error("wrong number of arguments to 'insert'", 2) end
  pos = checkint('insert', 2, pos)
  local last = rawlen(list) + 1
  if pos >= 1 and pos <= last then return insert54(list, pos, value) end
  if pos > last then last = pos end
  for index = last, pos + 1, -1 do rawset(list, index, rawget(list, index - 1)) end
  rawset(list, pos, value)
end

table.remove = function(...)
  local list, pos = ...
  checktable('remove', 1, select('#', ...), list)
  local last = rawlen(list)
  if pos == nil then pos = last else pos = checkint('remove', 2, pos) end
  if not (1 <= pos and pos <= last) then return end
  return remove54(list, pos)
end

local maxn = table.maxn
table.maxn = function(...)
  checktable('maxn', 1, select('#', ...), (...))
  return maxn(...)
end

return helpers
`;
