/**
 * EVAL/EVALSHA/SCRIPT and FUNCTION/FCALL against a real redis-server 7.0:
 * the type conversions both ways in RESP2 and RESP3 (including float
 * truncation, nested tables stopping at nil, {ok=}, {err=}, {double=},
 * {map=}, {set=}), redis.call errors and pcall tables, the sandbox's error
 * texts, the 5.1 emulation (tostring of floats, unpack, table.getn,
 * loadstring refusing binary chunks), cjson/cmsgpack/bit/struct, Redis's
 * rand48 math.random, shebang flags, and the FUNCTION library lifecycle;
 * Lua 5.1's table order in cjson/cmsgpack output, CLUSTER in a
 * non-cluster server, redis.acl_check_cmd, SORT BY a constant in a script.
 * Replies must match byte for byte, error texts included.
 */
import { describe, expect, it } from 'vitest';
import { shape, step, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

const evalSteps: Step[] = [
  step('FLUSHALL'), step('SCRIPT', 'FLUSH'),
  step('EVAL', "return 'hello'", '0'),
  step('EVAL', 'return 100.5', '0'), step('EVAL', 'return -3.99', '0'), step('EVAL', 'return 0/0', '0'),
  step('EVAL', 'return true', '0'), step('EVAL', 'return false', '0'), step('EVAL', 'return nil', '0'),
  step('EVAL', "return {1,2,3,'ciao',{1,2}}", '0'), step('EVAL', "return {1,2,nil,4}", '0'),
  step('EVAL', "return {ok='fine'}", '0'), step('EVAL', "return {err='ERR this is an error'}", '0'), step('EVAL', "return {err='My Error'}", '0'),
  step('EVAL', "return {double=3.5}", '0'), step('EVAL', "return {KEYS[1],KEYS[2],ARGV[1],ARGV[2]}", '2', 'a', 'b', 'c', 'd'),
  // KEYS and ARGV are new tables in every run: what a script does to them never reaches the next one.
  step('EVAL', "KEYS[3] = 'x' KEYS.extra = 1 setmetatable(ARGV, {__index = function() return 'meta' end}) return #KEYS", '2', 'a', 'b', 'c'),
  step('EVAL', "return {#KEYS, #ARGV, tostring(KEYS.extra), tostring(KEYS[3]), tostring(ARGV[5]), tostring(getmetatable(ARGV))}", '1', 'k'),
  step('EVAL', "KEYS[1] = nil ARGV[1] = nil return 1", '1', 'a', 'b'), step('EVAL', "return {#KEYS, #ARGV, KEYS[1], ARGV[1]}", '1', 'z', 'y'),
  // The same key again after a script replaced it with text of the same length, or the same text.
  step('EVAL', "KEYS[1] = 'samf' ARGV[1] = 'argw' return {KEYS[1], ARGV[1]}", '1', 'same', 'argv'), step('EVAL', "return {KEYS[1], ARGV[1], #KEYS, #ARGV}", '1', 'same', 'argv'),
  step('EVAL', "KEYS[1] = KEYS[1] .. '' ARGV[2] = nil return 1", '1', 'same', 'argv'), step('EVAL', "return {KEYS[1], ARGV[1], #KEYS, #ARGV}", '1', 'same', 'argv'),
  step('EVAL', "table.insert(KEYS, 'more') return #KEYS", '2', 'a', 'b'), step('EVAL', "return {#KEYS, KEYS[1], KEYS[3] == nil}", '1', 'q'),
  step('EVAL', "return #KEYS + #ARGV", '3', 'a', 'b', 'c', 'd', 'e'),
  step('EVAL', "local n = 0 for _ in pairs(KEYS) do n = n + 1 end for _ in pairs(ARGV) do n = n + 10 end return {n, #KEYS, #ARGV}", '1', 'a'),
  step('EVAL', "KEYS[1.5] = 1 ARGV['1'] = 'text' return 1", '1', 'a', 'b'),
  step('EVAL', "local n = 0 for _ in pairs(KEYS) do n = n + 1 end for _ in pairs(ARGV) do n = n + 10 end return {n, ARGV[1]}", '1', 'a', 'b'),
  step('EVAL', "return redis.status_reply('MY_OK')", '0'), step('EVAL', "return redis.error_reply('MY_ERR custom')", '0'),
  step('SET', 'mykey', 'myval'), step('EVAL', "return redis.call('get',KEYS[1])", '1', 'mykey'),
  step('EVAL', "local foo = redis.pcall('incr',KEYS[1]) return {type(foo),foo['err']}", '1', 'mykey'),
  step('EVAL', "local foo = redis.pcall('get','nokey') return {type(foo), foo == false}", '0'),
  step('EVAL', "return redis.call('incr', 'counter')", '0'), step('EVAL', "return redis.call('incrbyfloat', 'fl', '1.5')", '0'),
  step('EVAL', "redis.call('nosuchcommand')", '0'), step('EVAL', "redis.call('get','a','b','c')", '0'),
  step('EVAL', "return redis.call('lpush', KEYS[1], 'x')", '1', 'mykey'),
  step('EVAL', 'return a', '0'), step('EVAL', 'a = 10', '0'), step('EVAL', "redis.call = function() return 1 end", '0'),
  step('EVAL', "return loadstring(string.dump(function() return 1 end))()", '0'),
  step('EVAL', "print('x')", '0'), step('EVAL', "return redis.call()", '0'),
  step('EVAL', "return tostring(10/2) .. ' ' .. tostring(3.5) .. ' ' .. tostring(2^53)", '0'),
  step('EVAL', "return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')", '0'),
  step('EVAL', "return cjson.encode({1,2,'x/y',{a=1}})", '0'), step('EVAL', "return cjson.decode('{\"a\":[1,2,{\"b\":null}]}').a[2]", '0'),
  step('EVAL', "local e = cmsgpack.pack(-1099511627776) local h = '' for i = 1, #e do h = h .. string.format('%02x', string.byte(e, i)) end return h", '0'),
  step('EVAL', "local e = cmsgpack.pack({1,2,3}, 'abc', 0.1, 1.5) local a, b, c, d = cmsgpack.unpack(e) return {a[3], b, tostring(c), tostring(d)}", '0'),
  step('EVAL', 'return {bit.band(0xff, 0x0f), bit.bor(1,2,4), bit.bxor(5,3), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.tohex(255), bit.tohex(-1, -4), bit.bnot(0)}', '0'),
  step('EVAL', "local s = struct.pack('>iHb', 123456, 65535, -2) local a, b, c, n = struct.unpack('>iHb', s) return {#s, a, b, c, n, struct.size('>iHb')}", '0'),
  step('EVAL', "return {unpack({1,2,3})}", '0'), step('EVAL', 'return table.getn({1,2,3})', '0'),
  step('EVAL', "math.randomseed(10) return {tostring(math.random()), math.random(10), math.random(5, 8)}", '0'),
  step('EVAL', "return redis.sha1hex('Pizza & Mandolino')", '0'),
  step('EVAL', "return string.format('%d %s %5.2f', 3.7, 2.0, 1.234)", '0'),
  step('EVAL', "return 'x'", '-1'), step('EVAL', "return 'x'", '2', 'a'), step('EVAL', "return 'x'", 'abc'),
  step('EVAL', '#!lua flags=no-writes\nreturn redis.call("set", "x", 1)', '0'),
  step('EVAL', '#!lua flags=bad\nreturn 1', '0'), step('EVAL', '#!notlua\nreturn 1', '0'),
  step('EVAL_RO', "return redis.call('set', 'x', 1)", '0'), step('EVAL_RO', "return redis.call('get', 'mykey')", '0'),
  step('SCRIPT', 'LOAD', "return 'loaded'"), step('EVALSHA', 'b534286061d4b9e4026607613b95c06c06015ae8', '0'),
  step('EVALSHA', 'B534286061D4B9E4026607613B95C06C06015AE8', '0'), step('EVALSHA', 'ffd632c7d33e571e9f24556ebed26c3479a87130', '0'),
  step('SCRIPT', 'EXISTS', 'b534286061d4b9e4026607613b95c06c06015ae8', 'ffd632c7d33e571e9f24556ebed26c3479a87130'),
  step('SCRIPT', 'FLUSH', 'bad'), step('SCRIPT', 'KILL'), step('SCRIPT', 'HELP'),
  step('HSET', 'h', 'f', 'v'), step('EVAL', "redis.setresp(3) return redis.call('hgetall', 'h')", '0'),
  step('EVAL', "redis.setresp(3) return redis.call('debug', 'protocol', 'double')", '0'),
  step('EVAL', "redis.setresp(3) return redis.call('get', 'nokey') == nil", '0'),
];

const lib = (name: string, body: string): string => `#!lua name=${name}\n${body}`;

const functionSteps: Step[] = [
  step('FUNCTION', 'FLUSH'),
  step('FUNCTION', 'LOAD', lib('mylib', "redis.register_function('f1', function(keys, args) return redis.call('set', keys[1], args[1]) end)\nredis.register_function{function_name='f2', callback=function() return 'ro' end, flags={'no-writes'}, description='read only'}")),
  step('FCALL', 'f1', '1', 'k', 'v'), step('GET', 'k'), step('FCALL', 'F1', '1', 'k', 'w'), step('FCALL_RO', 'f2', '0'), step('FCALL_RO', 'f1', '1', 'k', 'v'),
  step('FCALL', 'nope', '0'), step('FCALL', 'f1', 'x'), step('FCALL', 'f1', '5', 'a'),
  // A library's functions are listed in Redis's dict order: compared by shape here, exactly with one function below.
  shape('FUNCTION', 'LIST'), shape('FUNCTION', 'LIST', 'WITHCODE', 'LIBRARYNAME', 'my*'), step('FUNCTION', 'LIST', 'bad'),
  step('FUNCTION', 'LOAD', lib('mylib', "redis.register_function('f3', function() return 1 end)")),
  step('FUNCTION', 'LOAD', lib('other', "redis.register_function('f1', function() return 1 end)")),
  step('FUNCTION', 'LOAD', lib('bad', 'return 1')), step('FUNCTION', 'LOAD', lib('bad', 'math.random()')), step('FUNCTION', 'LOAD', lib('bad', 'a = 1')),
  step('FUNCTION', 'LOAD', lib('bad', 'x = = 1')), step('FUNCTION', 'LOAD', '#!nope name=x\nreturn 1'), step('FUNCTION', 'LOAD', '#!lua\nreturn 1'),
  step('FUNCTION', 'LOAD', lib('bad', "redis.register_function('f9', 'x')")), step('FUNCTION', 'LOAD', lib('bad', "redis.register_function{function_name='f9', callback=function() end, flags={'bogus'}}")),
  step('FUNCTION', 'STATS'), step('FUNCTION', 'DELETE', 'nope'), step('FUNCTION', 'KILL'), step('FUNCTION', 'FLUSH', 'bad'),
  step('FUNCTION', 'RESTORE', 'bad_payload'), step('FUNCTION', 'DELETE', 'mylib'), step('FUNCTION', 'LIST'),
  step('FUNCTION', 'LOAD', lib('one', "redis.register_function{function_name='g', callback=function() return 1 end, flags={'allow-stale', 'no-writes'}}")),
  step('FUNCTION', 'LIST', 'WITHCODE'), step('FUNCTION', 'STATS'), step('FCALL', 'g', '0'),
];

const limited = (...cmd: string[]): Step => ({ ...step(...cmd), session: 'limited' });

/** What scripts see of Lua 5.1 table order, the lazily compiled libraries, CLUSTER, ACL and attributes. */
const compatSteps: Step[] = [
  step('FLUSHALL'), step('SCRIPT', 'FLUSH'),
  // The libraries exist before a script first names them.
  step('EVAL', "return {rawget(_G, 'cjson') ~= nil, type(rawget(_G, 'struct'))}", '0'),
  step('EVAL', 'local names = {} for name in pairs(_G) do names[#names + 1] = name end table.sort(names) return names', '0'),
  // cjson and cmsgpack write keys in Lua 5.1's iteration order (tables whose keys do not collide in 5.1's hash).
  step('EVAL', 'return cjson.encode({a=1,b=2,c=3})', '0'),
  step('EVAL', 'return cjson.encode({id=1, items={{sku="a", qty=2},{sku="b", qty=1}}, total=3.5})', '0'),
  step('EVAL', 'local t = {} t.first = 1 t.second = 2 t.third = 3 t.fourth = 4 return cjson.encode(t)', '0'),
  step('EVAL', 'return cjson.encode({[10]=1,[0]=3,[100]=4})', '0'), step('EVAL', 'return cjson.encode({[10]=1,[20]=2,x=3})', '0'), step('EVAL', 'return cjson.encode({1,2,nil,4,x=1})', '0'),
  step('EVAL', "local e = cmsgpack.pack({a=1,b={c=2,d=3},e='x'}) local h = '' for i = 1, #e do h = h .. string.format('%02x', e:byte(i)) end return h", '0'),
  step('EVAL', "local a = {x=nil,y=5} local b = {x=a} a['x'] = b local e = cmsgpack.pack(a) local h = '' for i = 1, #e do h = h .. string.format('%02x', e:byte(i)) end return h", '0'),
  // The libraries' argument errors name the script's line and what was passed, as luaL_argerror does (checked in C's order).
  step('EVAL', 'local r = cjson.decode() return r', '0'), step('EVAL', 'local r = cjson.decode(ARGV[1]) return r', '0'), step('EVAL', 'local r = cjson.encode() return r', '0'),
  step('EVAL', 'local r = cmsgpack.unpack() return r', '0'), step('EVAL', 'local r = cmsgpack.unpack(nil) return r', '0'),
  step('EVAL', "local r = cmsgpack.unpack_one('a', 'x') return r", '0'), step('EVAL', 'local r = cmsgpack.unpack_limit() return r', '0'),
  // A set sorted BY a constant inside a script is sorted ALPHA (sortCommand's rule for scripts).
  step('SADD', 'myset', 'b', 'a', 'aa', 'z', 'c', '10', '2'), step('EVAL', "return redis.call('sort', KEYS[1], 'by', '_')", '1', 'myset'),
  step('EVAL', "return redis.call('sort', KEYS[1], 'by', '_', 'get', '#', 'get', '_:*')", '1', 'myset'),
  step('EVAL', "redis.setresp(3) return redis.call('debug', 'protocol', 'attrib')", '0'),
  step('CLUSTER', 'INFO'), step('CLUSTER', 'HELP'), step('CLUSTER', 'RESET'), step('CLUSTER', 'NOSUCH'), step('CLUSTER'),
  step('EVAL', "return redis.pcall('cluster', 'reset')", '0'), step('EVAL', "return redis.pcall('cluster', 'info')", '0'),
  step('EVAL', "return redis.pcall('cluster', 'nosuch')", '0'), step('EVAL', "return redis.pcall('nosuch')", '0'),
  step('ACL', 'SETUSER', 'limited', 'on', 'nopass', '+eval', '+get', '~allowed*'),
  limited('AUTH', 'limited', 'any'),
  limited('EVAL', "return {redis.acl_check_cmd('get', 'allowed1'), redis.acl_check_cmd('get', 'other'), redis.acl_check_cmd('set', 'allowed1', 'v')}", '0'),
  limited('EVAL', "return redis.acl_check_cmd('nosuchcommand')", '0'), limited('EVAL', "return redis.pcall('get', 'other')", '0'),
  step('EVAL', "return redis.acl_check_cmd('set', 'any', 'v')", '0'), step('ACL', 'DELUSER', 'limited'),
];

/**
 * Tables a script walks with pairs()/next() or encodes come out in Lua 5.1's
 * order (lua-key-order51.ts): exact for what cjson.decode, cmsgpack.unpack
 * and redis.call filled (their insertions are replayed), and for script-built
 * tables whose keys do not collide in 5.1's node array.
 */
const MSGPACK_MAP = '86a47a65746101a5616c70686106a46265746105a567616d6d6104a564656c746103a7657073696c6f6e02';
const tableOrderSteps: Step[] = [
  step('FLUSHALL'),
  step('EVAL', 'local t = {} t.b=1 t.a=2 t.c=3 local r = {} for k in pairs(t) do r[#r+1]=k end return r', '0'),
  step('EVAL', "local t = {} for i=1,10 do t['key'..i]=i end local r = {} for k in pairs(t) do r[#r+1]=k end return r", '0'),
  step('EVAL', 'local t = {} t[10]=1 t[20]=2 t[5]=3 t.x=1 local r = {} for k in pairs(t) do r[#r+1]=tostring(k) end return r', '0'),
  step('EVAL', 'local t = {1,2,3,x=1,y=2} local r = {} for k, v in pairs(t) do r[#r+1]=tostring(k) end return r', '0'),
  step('EVAL', "local t = {} t.field1='a' t.field2='b' t.field3='c' local r = {} local k = next(t) while k do r[#r+1]=k k = next(t, k) end return r", '0'),
  step('EVAL', "local t = {} t.field1='a' t.field2='b' t.field3='c' local r = {} for k in next, t do r[#r+1]=k end return r", '0'),
  step('EVAL', 'local t = {x=1,y=2,z=3,w=4} local r = {} for k in pairs(t) do r[#r+1]=k t[k]=nil end return {r, next(t) == nil}', '0'),
  step('EVAL', 'local r = {} table.foreach({alpha=1,beta=2,gamma=3}, function(k) r[#r+1]=k end) return r', '0'),
  step('EVAL', "local t = {} for i=1,6 do t['field:'..i] = i end local r = {} for k, v in pairs(t) do r[#r+1]=k..'='..v end return r", '0'),
  step('EVAL', 'local t = {a=1} return {next(t), next({}) == nil, select(\'#\', next({}))}', '0'),
  // cjson.decode's objects: walked and re-encoded in the order their members were inserted in 5.1.
  step('EVAL', "local o = cjson.decode(ARGV[1]) local r = {} for k in pairs(o) do r[#r+1]=k end return r", '0', '{"id":7,"email":"e","zip":"z","city":"y","age":3,"name":"x"}'),
  step('EVAL', 'return cjson.encode(cjson.decode(ARGV[1]))', '0', '{"first":1,"second":2,"third":3,"fourth":4,"fifth":5,"sixth":6,"seventh":7}'),
  step('EVAL', "local o = cjson.decode(ARGV[1]) local r = {} for k in pairs(o) do r[#r+1]=k end return r", '0', '{"first":1,"second":2,"third":3,"fourth":4,"fifth":5,"sixth":6,"seventh":7}'),
  step('EVAL', 'local o = cjson.decode(ARGV[1]) o.age = 4 o.extra = 1 return cjson.encode(o)', '0', '{"id":7,"email":"e","zip":"z","city":"y","age":3,"name":"x"}'),
  step('EVAL', 'local o = cjson.decode(ARGV[1]) o.zip = nil return cjson.encode(o)', '0', '{"id":7,"email":"e","zip":"z","city":"y","age":3,"name":"x"}'),
  step('EVAL', "local o = cjson.decode(ARGV[1]) local r = {} for _, e in ipairs(o) do for k in pairs(e) do r[#r+1]=k end end return r", '0', '[{"b":1,"a":2},{"y":1,"x":2}]'),
  // cmsgpack.unpack's maps likewise (the bytes are redis-server's cmsgpack.pack of a six-key table).
  step('EVAL', "local s = ARGV[1]:gsub('..', function(c) return string.char(tonumber(c, 16)) end) local r = {} for k in pairs(cmsgpack.unpack(s)) do r[#r+1]=k end return r", '0', MSGPACK_MAP),
  step('EVAL', "redis.setresp(3) return {map={alpha=1,beta=2,gamma=3}}", '0'),
];

// Errors raised inside the libraries Redis has in C (bit, cjson, cmsgpack,
// struct, and 5.1's string.format and setmetatable, which the engine wraps
// in Lua) carry the position of the script line that called them, as
// luaL_error gives it, also when the script tail-calls them.
const libraryErrorSteps: Step[] = [
  step('EVAL', "return cjson.decode('{')", '0'), step('EVAL', "local x = cjson.decode('{') return x", '0'),
  step('EVAL', 'return cjson.encode(function() end)', '0'), step('EVAL', 'return bit.band({})', '0'),
  step('EVAL', 'local x = bit.bor(1, {}) return x', '0'), step('EVAL', "return struct.pack('i', 'x')", '0'),
  step('EVAL', 'return cmsgpack.unpack(1)', '0'), step('EVAL', "return string.format('%d', 'x')", '0'),
  step('EVAL', "local x = string.format('%d', 'x') return x", '0'), step('EVAL', 'return setmetatable(1, 2)', '0'),
  step('EVAL', "\n\nreturn cjson.decode('[')", '0'), step('EVAL', "local t = {}\nreturn cjson.decode('{')", '0'),
  step('EVAL', "local ok, e = pcall(function() return cjson.decode('{') end) return e", '0'),
  step('EVAL', "return redis.call('GET', 'nokey')", '0'), step('EVAL', 'return redis.sha1hex()', '0'), step('EVAL', 'return string.rep()', '0'),
  // 5.1's own argument checks of what 5.4 dropped or changed.
  step('EVAL', 'return unpack(1)', '0'), step('EVAL', 'return table.getn()', '0'), step('EVAL', 'return table.getn(nil)', '0'),
  step('EVAL', 'return math.mod()', '0'), step('EVAL', "return math.mod(5, 'x')", '0'), step('EVAL', "return math.mod('x', 2)", '0'),
  step('EVAL', 'return math.mod(7, 3)', '0'), step('EVAL', 'return table.concat({{}})', '0'), step('EVAL', "return table.concat({1, 'a', true})", '0'),
  step('EVAL', 'return table.concat(1)', '0'), step('EVAL', "return table.concat({1, 2}, '-')", '0'), step('EVAL', 'return {unpack({1, 2, 3}, 2)}', '0'),
  // A library function passed straight to pcall: no position, and luaL_argerror names it '?'.
  step('EVAL', 'local ok, e = pcall(string.rep) return e', '0'), step('EVAL', "local ok, e = pcall(string.format, '%d', 'x') return e", '0'),
  step('EVAL', 'local ok, e = pcall(bit.band, {}) return e', '0'), step('EVAL', 'local ok, e = pcall(unpack, 1) return e', '0'),
  step('EVAL', 'local ok, e = pcall(cjson.encode) return e', '0'), step('EVAL', "local ok, e = pcall(cjson.decode, '{') return e", '0'),
];

// Lua 5.1 has proper tail calls: a script's own tail recursion has no depth
// limit on redis-server (a non-tail one fails at 5.1's 20,000 C levels, which
// the engine does not emulate). Keeping library errors' positions must not
// take them away from the script's own functions.
const tailRecursionSteps: Step[] = [
  step('EVAL', "local function loop(n) if n == 0 then return 'done' end return loop(n - 1) end return loop(tonumber(ARGV[1]))", '0', '2000000'),
  step('EVAL', "local M = {} function M.walk(n) if n == 0 then return 'end' end return M.walk(n - 1) end return M.walk(1500000)", '0'),
];

// Lua 5.1 allows 20000 nested calls (16384 before a state's first overflow): deeper fails with "stack overflow" at the calling line.
const DEEP = "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end return f(tonumber(ARGV[1]))";
const deepRecursionSteps: Step[] = [
  step('EVAL', DEEP, '0', '15000'), step('EVAL', DEEP, '0', '100000'), step('EVAL', DEEP, '0', '1000000'),
  step('EVAL', "local function f(n) if n == 0 then return 0 end local r = f(n - 1)\nreturn r end\nreturn f(50000)", '0'),
  step('EVAL', "local function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end\nlocal ok, err = pcall(f, 100000)\nreturn {tostring(ok), err}", '0'),
  step('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=deep\nlocal function f(n) if n == 0 then return 0 end return 1 + f(n - 1) end\nredis.register_function('deep', function(keys, args) return f(tonumber(args[1])) end)"),
  step('FCALL', 'deep', '0', '100000'), step('FCALL', 'deep', '0', '15000'), step('FUNCTION', 'DELETE', 'deep'),
  step('EVAL', DEEP, '0', '15000'),
];

describe('scripting', () => {
  it('non-tail recursion past Lua 5.1\'s 20000 calls fails with its "stack overflow", as on redis-server', async () => {
    expect(await peers.compare(deepRecursionSteps)).toEqual([]);
  });

  it("a script's own tail recursion is unbounded, as Lua 5.1's proper tail calls on redis-server", async () => {
    expect(await peers.compare(tailRecursionSteps)).toEqual([]);
  });

  it('a library error names the script line that called the library, tail call or not, as redis-server', async () => {
    expect(await peers.compare(libraryErrorSteps)).toEqual([]);
  });

  it('EVAL, EVALSHA and SCRIPT answer like redis-server (RESP2 and RESP3)', async () => {
    expect(await peers.compare(evalSteps)).toEqual([]);
    expect(await peers.compare(evalSteps, 3)).toEqual([]);
  });

  it('Lua 5.1 key order, lazily compiled libraries, SORT BY a constant, CLUSTER, ACL checks and attributes in scripts match redis-server', async () => {
    expect(await peers.compare(compatSteps)).toEqual([]);
    expect(await peers.compare(compatSteps, 3)).toEqual([]);
  });

  it('pairs, next, cjson and cmsgpack walk the tables scripts build or decode in Lua 5.1 order, as redis-server', async () => {
    expect(await peers.compare(tableOrderSteps)).toEqual([]);
    expect(await peers.compare(tableOrderSteps, 3)).toEqual([]);
  });

  it('FUNCTION and FCALL answer like redis-server (RESP2 and RESP3)', async () => {
    expect(await peers.compare(functionSteps)).toEqual([]);
    expect(await peers.compare(functionSteps, 3)).toEqual([]);
  });
});
