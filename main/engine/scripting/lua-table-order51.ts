/**
 * The order in which Lua 5.1 (what Redis embeds) would iterate a table's
 * keys, for the encoders whose output shows it: cjson.encode writes an
 * object's members and cmsgpack.pack a map's entries in lua_next order, so
 * a script returning cjson.encode({a=1,b=2,c=3}) gets {"a":1,"c":3,"b":2}
 * from redis-server. Lua 5.4 hashes strings with a different (seeded)
 * function and lays tables out differently, so its own order is unrelated.
 *
 * How 5.1 lays a table out (ltable.c), which this rebuilds from the keys:
 *  - Positive integer keys go to the array part when dense enough
 *    (computesizes: the largest power of two n with more than n/2 of the
 *    keys 1..n present); the array part is iterated first, 1..n.
 *  - The other keys live in a node array of 2^k slots, the smallest that
 *    holds them. A key's main position is its hash modulo the size: for a
 *    string luaS_hash (seed = length, step = length/32 + 1, from the last
 *    byte), for a number the two 32-bit halves of the double added (0 is
 *    slot 0) modulo (size - 1) | 1, for a boolean its value. A key whose
 *    main position is taken goes to the highest free slot (or evicts the
 *    occupant when that one is itself out of its main position).
 *  - The node array is iterated from slot 0 up.
 *
 * What cannot be known from the keys alone: the order they were inserted
 * in and any larger size the table had (5.1 never shrinks a table until it
 * grows again). Keys are placed in a fixed order (numbers, then booleans,
 * then strings, each ascending; Lua 5.4's own iteration order changes with
 * its per-state hash seed), so the result is 5.1's exactly when no two keys
 * share a main position, and the same near-miss on every run otherwise.
 * Keys hashed by address (tables, functions) have no reproducible position:
 * they take the slots left, last.
 */
export const TABLE_ORDER51_SOURCE = String.raw`
local next, type, math_type, spack, sunpack, byte, tsort = next, type, math.type, string.pack, string.unpack, string.byte, table.sort
local MAXASIZE = 1 << 26

-- The smallest l with 2^l >= x, for x >= 1 (luaO_ceillog2).
local function ceilLog2(x)
  local l = 0
  while (1 << l) < x do l = l + 1 end
  return l
end

-- luaS_hash of Lua 5.1 (unsigned 32-bit arithmetic).
local function stringHash(s)
  local l = #s
  local h = l
  local step = (l >> 5) + 1
  local l1 = l
  while l1 >= step do
    h = h ~ ((((h << 5) & 0xffffffff) + (h >> 2) + byte(s, l1)) & 0xffffffff)
    l1 = l1 - step
  end
  return h
end

-- mainposition() of Lua 5.1 in a node array of size slots; nil when hashed by address.
local function mainPosition(key, size)
  local kind = type(key)
  if kind == 'string' then return stringHash(key) & (size - 1) end
  if kind == 'number' then
    if key == 0 then return 0 end
    local low, high = sunpack('<I4I4', spack('<d', key))
    return ((low + high) & 0xffffffff) % ((size - 1) | 1)
  end
  if kind == 'boolean' then return (key and 1 or 0) & (size - 1) end
  return nil
end

-- computesizes(): the array part's size for these positive integer keys.
local function arraySize(integerKeys)
  local nums, total = {}, #integerKeys
  for _, key in next, integerKeys do
    local slice = ceilLog2(key)
    nums[slice] = (nums[slice] or 0) + 1
  end
  local size, counted, twoToI, i = 0, 0, 1, 0
  while twoToI // 2 < total do
    local here = nums[i] or 0
    if here > 0 then
      counted = counted + here
      if counted > twoToI // 2 then size = twoToI end
    end
    if counted == total then break end
    i = i + 1
    twoToI = twoToI * 2
  end
  return size
end

local KIND_RANK = { number = 1, boolean = 2, string = 3 }
local function placementOrder(a, b)
  local kindA, kindB = type(a), type(b)
  if kindA ~= kindB then return KIND_RANK[kindA] < KIND_RANK[kindB] end
  if kindA == 'boolean' then return (not a) and b end
  return a < b
end

-- The keys of t in Lua 5.1's iteration order.
return function(t)
  local integerKeys, hashKeys, addressKeys = {}, {}, {}
  for key in next, t do
    if math_type(key) == 'integer' and key >= 1 and key <= MAXASIZE then
      integerKeys[#integerKeys + 1] = key
    elseif mainPosition(key, 1) == nil then
      addressKeys[#addressKeys + 1] = key
    else
      hashKeys[#hashKeys + 1] = key
    end
  end
  local ordered = {}
  if #integerKeys > 0 then
    local inArray = arraySize(integerKeys)
    tsort(integerKeys)
    for _, key in next, integerKeys do
      if key <= inArray then ordered[#ordered + 1] = key else hashKeys[#hashKeys + 1] = key end
    end
  end
  local count = #hashKeys + #addressKeys
  if count == 0 then return ordered end
  tsort(hashKeys, placementOrder)
  local size = 1 << ceilLog2(count)
  local slots, chain, lastFree = {}, {}, size
  local function freeSlot()
    repeat lastFree = lastFree - 1 until slots[lastFree] == nil
    return lastFree
  end
  for _, key in next, hashKeys do
    local main = mainPosition(key, size)
    local occupant = slots[main]
    if occupant == nil then
      slots[main] = { key }
    else
      local free = freeSlot()
      local occupantMain = mainPosition(occupant[1], size)
      if occupantMain ~= main then
        -- The occupant is out of its main position: it moves to the free slot.
        local previous = occupantMain
        while chain[previous] ~= main do previous = chain[previous] end
        chain[previous] = free
        slots[free], chain[free] = occupant, chain[main]
        slots[main], chain[main] = { key }, nil
      else
        slots[free], chain[free] = { key }, chain[main]
        chain[main] = free
      end
    end
  end
  for _, key in next, addressKeys do slots[freeSlot()] = { key } end
  for slot = 0, size - 1 do
    if slots[slot] ~= nil then ordered[#ordered + 1] = slots[slot][1] end
  end
  return ordered
end
`;
