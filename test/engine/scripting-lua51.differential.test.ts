/**
 * Lua 5.1 as redis-server 7.0 embeds it, against our Lua 5.4 with the 5.1
 * emulation (main/engine/scripting/lua-compat51*.ts): the same EVAL
 * scripts on both, replies compared byte for byte, over the 5.1-vs-5.4
 * differences real scripts hit (number formatting, the globals each
 * version has, syntax, the string and table libraries, error texts).
 * Table iteration order is not compared (next/pairs order is unspecified).
 * Not probed: error() at the top level with a table lacking `err`, nil or
 * a boolean: redis-server 7.0.15 crashed on a later error after such ones
 * (seen here: EVAL "error({})" then EVAL "error({err='x'})" kills it).
 */
import { describe, expect, it } from 'vitest';
import { step, type Step } from '../support/differential';
import { differentialPair } from '../support/differential-pair';

const peers = differentialPair();

const ev = (script: string): Step => step('EVAL', script, '0');
/** A script whose value is returned as text (tostring), so the number formatting is compared too. */
const show = (expression: string): Step => ev(`return tostring(${expression})`);

const numberSteps: Step[] = [
  show('10/2'), show('3'), show('2^53+1'), show('1e15'), show('1e16'), show('-0.0'), show('0/0'), show('1/0'), show('-1/0'), show('math.huge'),
  show('7 % 3'), show('7.5 % 2'), show('-7 % 3'), show('2^63'), show('-2^63'), show('math.floor(3.7)'), show('math.ceil(3.2)'),
  show("'10' + 1"), show("'10' * '2'"), show("'0x10' + 0"), show("'1e2' + 0"), show('#tostring(1e100)'), show('1e100'), show('123456789012345678'),
  show('0x7fffffffffffffff'), show('9007199254740993'), show('-9223372036854775808'),
  show('tonumber("0x1p4")'), show('tonumber("  12  ")'), show('tonumber("12a")'), show('tonumber("ff", 16)'), show('tonumber("zz", 36)'),
  show('tonumber("1e")'), show('tonumber("")'), show('tonumber("0x")'), show('tonumber(" 0x1F ")'), show('tonumber("10", 2)'), 
  show('math.max(1, 2.5)'), show('math.min(3)'), show('math.abs(-3)'), show('math.sqrt(16)'), show('math.fmod(7, 3)'), show('math.modf(3.7)'),
  show('select(2, math.modf(3.7))'), show('1e15 + 0.5'), show('2^31'), show('10 / 3'), show('100000000000000'), show('1e14'),
  show('-1e14'), show('99999999999999'), show('math.pi'), show('3 == 3.0'), show('1/3*3 == 1'),
  ev('return (2^53) .. ""'),
  // An integral float through `..` and the C functions that take text (lua-float-text51.ts).
  ev("return 'a' .. 1 .. 2.0 .. 1e15 .. 2^53 .. (10/2)"), ev('return 3.0 .. ""'), ev('return -0.0 .. ""'), ev("return #('abc' .. 1.0)"),
  ev("return 2^31 .. ''"), ev('return string.len(2.0)'), ev("return string.gsub(2.0, '%.', ',')"), ev('return redis.sha1hex(3.0)'),
  ev("local key = 'k:' .. (10/2) redis.call('SET', key, 1) return redis.call('KEYS', 'k:*')"), ev("return string.rep(4/2, 2)"), ev("return ('x'):rep(3.0)"),
  ev("return {pcall(function() error('at ' .. 6/3) end)}"), ev("return {pcall(function() local t = nil return t[2.0] end)}"),
  ev("return string.format('%d', 3.7)"), ev("return string.format('%d', -3.7)"), ev("return string.format('%x', -1)"), ev("return string.format('%x', 255.9)"),
  ev("return string.format('%5.1f|%g|%e', 3.14159, 1e20, 12345.678)"), ev("return string.format('%s %s', 1e15, 10/2)"), ev("return string.format('%d', '12')"),
  ev("return string.format('%d', 2^63)"), ev("return string.format('%c%c', 72, 105.5)"), ev("return string.format('%i', 2^31)"), ev("return string.format('%.3s', 1.23456)"),
  ev('return 3.0'), ev('return 3.99'), ev('return -3.99'), ev('return 2^53'), ev('return 2^63'), ev('return -2^63'), ev('return 1e300'), ev('return 1/0'), ev('return -1/0'), ev('return 0/0'), ev('return -0.0'),
  ev('return {1.5, 2.9, -2.9, 1e20}'), ev("return 9007199254740993"), ev("return 0x7fffffffffffffff"),
  ev("redis.call('SET', 'n', 3.0) return redis.call('GET', 'n')"), ev("redis.call('SET', 'n', 2^53) return redis.call('GET', 'n')"),
  ev("redis.call('SET', 'n', 1e15) return redis.call('GET', 'n')"), ev("redis.call('SET', 'n', 10/3) return redis.call('GET', 'n')"),
  ev("redis.call('SET', 'n', -0.0) return redis.call('GET', 'n')"), ev("redis.call('SET', 'n', 1/0) return redis.call('GET', 'n')"),
  ev("redis.call('SET', 'n', 123456789012345678) return redis.call('GET', 'n')"),
  ev("return redis.call('INCRBY', 'cnt', 2.0)"), ev("return redis.call('EXPIRE', 'n', 10.5)"), ev("return redis.call('LRANGE', 'nol', 0, -1.0)"),
  ev("return redis.call('INCRBYFLOAT', 'f', 0.1)"), ev("return tonumber(redis.call('INCRBYFLOAT', 'f', 0.1)) * 10"),
  ev('return redis.sha1hex(1e15)'),
  ev("return {redis.call('SET', 'n', 5), type(redis.call('GET', 'n')), redis.call('STRLEN', 'n')}"),
  ev('local x = 0 for i = 1, 3, 0.5 do x = x + i end return tostring(x)'), ev('local t = {} for i = 1.0, 3 do t[#t+1] = tostring(i) end return table.concat(t, ",")'),
  ev('local t = {} t[1.0] = "a" t[2] = "b" return {#t, t[1], t[2.0]}'), ev('return math.floor(2^62) == 2^62'), ev('return tostring(2^62 + 1 - 2^62)'),
  ev('return tostring(9007199254740992 + 1)'), ev('return tostring(5 / 0 * 0)'), ev('return tostring(-(0/0))'), ev('return tostring(math.fmod(-6, 4))'), ev('return tostring(math.fmod(6, -4))'),
  ev('return tostring(3 % -2)'), ev('return tostring(-3 % 2)'), ev('return tostring(5.5 % -2)'), ev('return tostring(math.huge % 2)'),
  ev('return tostring(2^1024)'), ev('return tostring(math.floor(-3.5))'), ev('return tostring(1e15 / 10)'), ev('return tostring(256 ^ 0.5)'),
  // Integer literals are 5.1's doubles (lua-number-literals51.ts): "%.14g" from 1e14 up, no 64-bit wrap-around, `%` by zero is nan, `for` over floats.
  ev('return tostring(3 % 0)'), ev("return 100000000000000 .. ''"), ev("return -100000000000000 .. ''"), ev("return 99999999999999 .. ''"), ev('return tostring(123456789012345)'),
  ev("return redis.call('INCRBY', 'big', 1000000000000000)"), ev("return {pcall(redis.call, 'INCRBY', 'big', 1000000000000000)}"), ev("return redis.call('INCRBY', 'big', 99999999999999)"),
  ev("redis.call('SET', 'n', 100000000000000) return redis.call('GET', 'n')"), ev("return redis.call('EXPIRE', 'n', 100000000000000)"),
  ev('local x = 1 for i = 1, 64 do x = x * 2 end return tostring(x)'), ev('local x = 9223372036854775807 return tostring(x + 1)'), ev('local x = 9007199254740993 return x .. ""'),
  ev('local n = 4611686018427387904 return tostring(n * 4)'), ev('local c = 0 for i = 1, 20 do c = c * 10 + 9 end return tostring(c)'), ev('local x = 7 return tostring(x % 0)'),
  ev('local x = -7 return tostring(x % 0)'), ev('return {pcall(function() local a, b = 5, 0 return tostring(a % b) end)}'), ev('local t = {} for i = 1, 3 do t[i] = i * 2 end return t'),
  ev('local n = 0 for i = 10, 1, -3 do n = n + i end return n'), ev('local t = {[100000000000000] = "big", [2] = "two"} return {t[1e14], t[2.0]}'),
  ev("return string.format('%d %s %g', 100000000000000, 100000000000000, 100000000000000)"), ev("return {1, 2, 100000000000000, 1000000000000000000000}"),
  ev('return 9007199254740993'), ev("return cjson.encode({100000000000000, 12})"), ev('return redis.sha1hex(100000000000000)'), ev("return ('x'):rep(3) .. 100000000000000"),
  step('FUNCTION', 'LOAD', 'REPLACE', "#!lua name=big51\nlocal k = 100000000000000 .. ''\nlocal h = 4611686018427387904\nredis.register_function('big51', function() return {k, tostring(7 % 0), 2 * h .. ''} end)"),
  step('FCALL', 'big51', '0'),
  // tonumber, math.floor/ceil, cjson.decode and cmsgpack.unpack give doubles (lua-compat51.ts, lua-lib-cjson.ts, lua-lib-cmsgpack.ts).
  show('math.floor(-0.0)'), show('math.ceil(-0.5)'), show('math.floor(0.5)'), show('math.ceil(-0.0)'), show("math.floor('-0.5')"), show("math.ceil('-0.5')"), show('math.floor(0)'),
  ev("return math.floor(1e15 + 0.5) .. ''"), ev("return math.ceil(1e15 - 0.5) .. ''"), ev("return math.floor(2^62) .. ''"), ev('return tostring(math.floor(0/0)) .. tostring(math.ceil(1/0)) .. tostring(math.floor(-1/0))'),
  ev("return {math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.floor('3.9')}"), ev('return {pcall(math.floor)}'), ev("return {pcall(math.floor, 'x')}"),
  ev('return {pcall(function() return math.floor({}) end)}'), ev('return {pcall(function() return math.ceil() end)}'), ev('return {pcall(tonumber)}'), ev('return {pcall(tonumber, {})}'),
  ev("return tonumber('100000000000000') .. ''"), ev("return tonumber('1733400000123456') .. '-' .. 7"), ev("local a, b = tonumber('9223372036854775807'), tonumber('1') return tostring(a + b)"),
  ev("return tonumber('ff', 16) .. tonumber('  12  ') .. tonumber('0x10')"), ev("return {tonumber('zz', 36), tonumber('12a'), tonumber(''), tonumber(nil)}"), ev("return {pcall(tonumber, '10', 99)}"),
  ev("return tonumber(redis.call('INCRBY', 'k', 1)) .. ''"), ev("redis.call('SET', 'big', '123456789012345678') return tonumber(redis.call('GET', 'big')) .. ''"),
  ev("return tonumber('9007199254740993') .. ''"), show("tonumber('-0')"), ev("return tostring(tonumber('-0', 10)) .. tostring(tonumber('-0x0')) .. tostring(tonumber(' -0 ')) .. tostring(tonumber('-0', 16))"),
  ev("return {tonumber(12), tonumber(1.5), tonumber('1.5')}"), show('tonumber(10, 16)'), ev("return {tonumber(1.5, 10), tonumber(255, 16), tonumber(1e15, 16), tonumber(-7, '10'), tonumber(11, 2), tonumber(2^53, 36)}"),
  ev('return {pcall(tonumber, 10, 99)}'), ev('return {pcall(tonumber, 10, {})}'), ev('return {pcall(tonumber, {}, 16)}'), ev('return {pcall(tonumber, nil, 16)}'), ev("return string.format('%d %5.1f %s', tonumber('42'), math.floor(2.5), math.floor(1e15 + 0.5))"),
  ev("return string.rep('x', tonumber('3')) .. string.sub('abcdef', math.floor(2.5), math.ceil(3.5))"), ev("local t = {} t[tonumber('1')] = 'a' t[math.floor(2.5)] = 'b' return {#t, t[1], t[2]}"),
  ev("return cjson.decode('[100000000000000]')[1] .. ''"), ev("return {cjson.decode('[5, 5.0, 1e2, -3, 100000000000000, 12345678901234567890, -0]')}"),
  ev('return cjson.encode(cjson.decode(\'{"a":[1,2.5,1e2,100000000000000,-0,9007199254740993]}\'))'), ev("local t = cjson.decode('[100000000000000]') return tostring(t[1] * 1000)"),
  ev("return cjson.encode({math.floor(3.5), tonumber('7'), tonumber('100000000000000')})"), ev("return cmsgpack.unpack(cmsgpack.pack(100000000000000)) .. ''"),
  ev('return {cmsgpack.unpack(cmsgpack.pack(1, 200, 70000, 5000000000, -5, -200, -70000, -5000000000, 2^63, -2^63))}'), ev('return tostring(cmsgpack.unpack(cmsgpack.pack(5000000000)) * 5000000000)'),
  ev('return cmsgpack.pack(cmsgpack.unpack(cmsgpack.pack(5000000000, 70000)))'), ev("return cmsgpack.pack(5, 2.5, math.floor(3.5), tonumber('7'))"),
  ev("return bit.band(tonumber('255'), math.floor(15.5))"), ev("return struct.pack('>I2', tonumber('258'))"),
];

const globalSteps: Step[] = [
  ...['unpack', 'table.unpack', 'table.pack', 'table.getn', 'table.setn', 'table.maxn', 'table.move', 'table.foreach', 'table.foreachi', 'loadstring', 'load', 'setfenv', 'getfenv',
    'math.mod', 'math.pow', 'math.ldexp', 'math.frexp', 'math.maxinteger', 'math.mininteger', 'math.type', 'math.tointeger', 'math.ult', 'math.log10', 'math.cosh', 'math.atan2',
    'string.gfind', 'string.pack', 'string.unpack', 'string.packsize', 'coroutine.isyieldable', 'coroutine.running', 'coroutine.close', 'gcinfo', 'newproxy', 'module', 'rawlen', 'rawequal',
    'utf8', 'bit32', 'xpcall', 'select', 'collectgarbage', 'debug', 'os', 'io', 'require', 'package', 'print', 'dofile', 'loadfile', '_VERSION', 'string.dump', 'math.random'].map(
    (name) => ev(`local ok, v = pcall(function() return ${name} end) return {tostring(ok), type(v)}`)),
  ev('return _VERSION'), ev("return select('#', 1, nil, 3, nil)"), ev("return select(-1, 1, 2, 3)"), ev("return {pcall(select, 0, 1)}"),
  ev('return math.pow(2, 10)'), ev('return math.mod(7, 3)'), ev('return math.ldexp(0.5, 4)'), ev('return {math.frexp(8)}'), ev('return tostring(math.log(8, 2))'),
  ev('return tostring(math.log(100))'), ev('return tostring(math.log10(1000))'), ev('return table.maxn({1, 2, [10] = 3})'),
  ev("return {pcall(table.setn, {}, 1)}"), ev('return type(gcinfo())'), ev('return {pcall(loadstring, "return 1 +")}'), ev('return loadstring("return 1 +")'),
  ev('local f, e = loadstring("return 1 +") return e'), ev('local f, e = loadstring("return x", "chunk") return {pcall(f)}'), ev('local f, e = load("x =") return e'),
  ev('local n = 0 local f = load(function() n = n + 1 if n == 1 then return "return 7" end end) return f and f() or "nofunc"'),
  ev("return {pcall(setfenv, 1, {})}"), ev("return {pcall(getfenv)}"),
  ev("local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y, coroutine.status(co)}"),
  ev("return {coroutine.resume(coroutine.create(function() error('boom') end))}"), ev("return {coroutine.resume(coroutine.create(function() error({}) end))}"),
  ev("local co = coroutine.wrap(function() error('wrapped') end) return {pcall(co)}"), ev("return tostring(coroutine.running())"),
  ev("return {string.gfind('a1b2', '%d')()}"), ev("return {xpcall(function() error('x') end, function(m) return 'handled: ' .. m end)}"),
  ev("return {xpcall(function() return 1, 2 end, print)}"), 
  ev('return tostring(collectgarbage("count") > 0)'), ev('return {pcall(collectgarbage, "bogus")}'), ev('return collectgarbage("incremental")'),
  ev('return {pcall(collectgarbage, "generational")}'), ev('return collectgarbage("isrunning")'), ev('return collectgarbage()'),
  ev('return {pcall(rawequal, 1)}'), ev('return {pcall(rawget, 1, 2)}'), ev('return type(getmetatable("x").__index)'),
  ev('return {pcall(next, {}, "nokey")}'), ev('return {pcall(ipairs)}'), ev('local t = {} for i, v in ipairs({1, 2, nil, 4}) do t[#t+1] = v end return t'),
  ev('local t = setmetatable({}, {__index = function(_, i) if i < 4 then return i * 10 end end}) local r = {} for _, v in ipairs(t) do r[#r+1] = v end return r'),
];

const syntaxSteps: Step[] = [
  // 5.3+ operators and attributes: refused where 5.1 refuses them, with its words; untouched in strings and comments.
  show('5 // 1 == nil'), ev('return 7 // 2'), ev('return 5 & 3'), ev('return 5 | 3'), ev('return 5 ~ 3'), ev('return ~5'), ev('return 1 << 4'), ev('return 256 >> 4'),
  ev('local x <const> = 5 return x'), ev('local x <close> = nil return 1'), ev('::top:: return 1'), ev('local a = 1\nif a then\n  a = a // 2\nend\nreturn a'),
  ev('local function f(x)\n  return x & 1\nend\nreturn f(3)'), ev('local t = {1 | 2}'), ev('return f(1 >> 2)'), ev('return -~1'), ev('x = 1 ~= 2 return 1'),
  ev("return {'a // b', \"c & d\", [[e | f]], [==[g ~ h]==], 'i << j >> k :: l'} -- m // n & o"), ev('--[[ 1 // 2 & 3 ]] return 1 ~= 2, 1 <= 2, 2 >= 1'),
  ev("local s = 'x\\'' .. \"y // z\" return s"), ev('return 1 --[==[ & ]==] + 2'), ev('return #"a" // 1'), ev('return 1.5e+3 // 1'), ev('return a.b:c(1 & 2)'),
  step('FUNCTION', 'LOAD', "#!lua name=lib51\nredis.register_function('f', function() return 7 // 2 end)"),
  step('FUNCTION', 'LOAD', "#!lua name=lib51\nlocal x <const> = 1\nredis.register_function('f', function() return x end)"),
  
  
  ev('return 0x1p4'), 
  ev('return [[long\nstring]]'), ev('return [==[a]]b]==]'), ev('--[[ comment ]] return 1'), ev('--[==[ c ]] ]==] return 2'), ev('return [[\nfirst newline skipped]]'),
  ev('return [[a [[nested]] b]]'), ev('return 1 +'), ev('return )'), ev('local 1 = 2'), ev("return 'unfinished"), ev('return "\\300"'), ev('x = = 1'),
  ev('if true then return 1'), ev('for i = 1 do end'), ev('return 1 2'), ev('return ...'), ev('local a = {...} return #a'), ev('function f(...) return arg end return f(1)'),
  ev('function f(...) return select("#", ...) end return f(1, 2)'), ev('local function f() return end return f()'), ev('return 1; return 2'),
  ev('do return 1 end return 2'), ev('local a; a = 1 return a'), ev('return 1 --[['), ev('return [[abc'), ev("return 'a\\\nb'"), ev('return #"abc" + 0x10'), ev('return 1e'),
  ev('return 0x'), ev('return 3..2'), ev('return 1..""'), ev('return "a".."b"..1 ..2'), ev('local t = {1, 2, 3,} return #t'), ev('local t = {1; 2; 3} return #t'),
  ev('return (function() end)()'), ev('return ((function() return 1, 2 end)())'), ev('local a, b = (function() return 1, 2 end)() return {a, b}'),
  ev('return 2^-1'), ev('return -2^2'), ev('return not nil == true'), ev('return 1 < 2 == true'), ev('return "a" < "b"'), ev('return {pcall(function() return 1 < "2" end)}'),
  ev('return {pcall(function() return {} < {} end)}'), ev('return {pcall(function() return "10" < 9 end)}'), ev('return {pcall(function() return #5 end)}'),
  ev('return {pcall(function() return -{} end)}'), ev('return {pcall(function() return {} .. "x" end)}'), ev('return {pcall(function() return nil + 1 end)}'),
  ev('return {pcall(function() local t = nil return t.x end)}'), ev('return {pcall(function() local t = {} return t.x.y end)}'), ev('return {pcall(function() undefinedfn() end)}'),
  ev('return {pcall(function() local s = "x" return s:nomethod() end)}'), ev('return {pcall(function() return ("x")() end)}'), ev('return {pcall(function() return math.floor("a") end)}'),
  ev('return {pcall(function() local a = {} a[nil] = 1 end)}'), ev('return {pcall(function() local a = {} a[0/0] = 1 end)}'), ev('return {pcall(function() for i = 1, "x" do end end)}'),
  ev('return {pcall(function() return 1 + true end)}'), ev('return {pcall(function() return ("a") + 1 end)}'),
  ev('return {pcall(function() return 2^"x" end)}'), ev('return {pcall(function() return 1 % "a" end)}'), ev('return {pcall(function() local up = {} return function() return up.a.b end end)()}'),
  ev('local x = 1 x.y = 2'), ev('local t = {} t.f()'), ev('string.nofunc()'), ev('undefinedfn()'), ev('local a = nil; a()'), ev('return #nil'), ev('return nil .. "x"'), ev('return {} + 1'),
  ev('for k, v in 5 do end'), ev('local t = setmetatable({}, {__index = function() error("deep") end}) return t.x'), ev('return 1 < "x"'),
];

const stringSteps: Step[] = [
  ev("return string.rep('ab', 3, ',')"), ev("return string.rep('ab', 3)"), ev("return string.rep('x', 0)"), ev("return string.rep('x', -1)"), ev("return string.rep('x', 2.7)"),
  ev("return {pcall(string.rep)}"), ev("return {pcall(string.rep, 'x')}"), ev("return ('ab'):rep(2, '-')"),
  ev("return string.format('%q', 'a\\nb\\0c\"d\\\\e\\r\\t\\1\\127\\200')"), ev("return string.format('%q', 1/3)"), ev("return string.format('%q', 10)"), ev("return {pcall(string.format, '%q', {})}"),
  ev("return string.format('%5.2s|', 'abc')"), ev("return string.format('%-5s|', 'ab')"), ev("return {pcall(string.format, '%a', 1)}"), ev("return {pcall(string.format, '%A', 1)}"),
  ev("return {pcall(string.format, '%10.3q', 'x')}"), ev("return {pcall(string.format, '%y', 1)}"), ev("return {pcall(string.format, '%123d', 1)}"), ev("return {pcall(string.format, '%d')}"),
  ev("return {pcall(string.format, '%d', 'x')}"), ev("return {pcall(string.format, '%s')}"), ev("return string.format('%s', nil)"), ev("return string.format('%s %s', true, {} ~= nil)"),
  ev("return string.format('%5s', setmetatable({}, {__tostring = function() return 'obj' end}))"), ev("return string.format('%%')"), ev("return string.format('%05d', -42)"),
  ev("return string.format('%+d % d', 5, 5)"), ev("return string.format('%#x %#o', 255, 8)"), ev("return string.format('%.0f %.20f', 0.5, 0.1)"), ev("return string.format('%g', 2^53)"),
  ev("return string.format('%s', 2^63)"), ev("return string.format('%s', -0.0)"), ev("return string.format('%d', -0.0)"), ev("return string.format('%.14g', 0.1)"), ev("return {pcall(string.format, '%i', 1/0)}"),
  ev("return {pcall(string.format, '%d', 0/0)}"), ev("return string.format('%x', 2^53)"), ev("return string.format('%u', -1)"), ev("return string.format('%o', -8)"),
  ev("return string.format('%5.1s|', 'xyz')"), ev("return string.format('%.99f', 1)"), ev("return {pcall(string.format, '%.100f', 1)}"), ev("return string.format('%c', 0) == '\\0'"), ev("return string.format('%e', 0)"),
  ev("return {string.find('abc', 'b', 10)}"), ev("return {string.find('abc', '', 10)}"), ev("return {string.find('abc', '', 4)}"), ev("return {string.find('abc', '', 3)}"), ev("return {string.find('abc', 'c', -1)}"),
  ev("return {string.find('abc', 'a', -10)}"), ev("return {string.find('a.c', '.', 1, true)}"), ev("return {string.find('abc', '(b)(c)')}"), ev("return {string.match('abc', '()b()')}"),
  ev("return {string.find('x\\0y', '%z')}"), ev("return {pcall(string.find, 'abc', '%')}"), ev("return {pcall(string.find, 'abc', '[a')}"),
  ev("return {pcall(string.find, 'abc', '(()')}"), ev("return {pcall(string.match, 'abc', '%1')}"), ev("return {pcall(string.gsub, 'abc', '(a)', '%2')}"), ev("return {string.gsub('abc', '', '-')}"),
  ev("return {string.gsub('hello world', 'o', '0', 1)}"), ev("return {string.gsub('abc', '%w', '%0%0')}"), ev("return {string.gsub('abc', 'b', {b = 5})}"),
  ev("return {string.gsub('abc', 'b', function() return false end)}"), ev("return {pcall(string.gsub, 'abc', 'b', function() return {} end)}"), ev("return {string.gsub('abc', 'b', '%%')}"),
  ev("return {string.gsub('hello', 'l+', function(s) return #s end)}"), ev("return {string.gsub('abc', '.', {a = 1.5, b = true})}"), ev("return {pcall(string.gsub, 'abc', '.', {a = true})}"),
  ev("return {string.match('  key = value  ', '^%s*(%S+)%s*=%s*(%S+)%s*$')}"), ev("return {string.match('2024-01-02', '(%d+)-(%d+)-(%d+)')}"), ev("return {string.find('abc', '%f[%w]%w+')}"),
  ev("return {string.match('THE (quick) fox', '%((%a+)%)')}"), ev("return {string.match('[[x]]', '%[%[(.-)%]%]')}"), ev("return {string.match('abc', '.-b')}"), ev("return {string.match('aaa', 'a-', 2)}"),
  ev("return {string.match('f(a(b)c)', '%b()')}"), ev("return {pcall(string.match, 'x', '%b')}"), ev("return {string.match('abc', '[%a-z]+')}"), ev("return {string.match('a-z', '[a%-z]+')}"),
  ev("local r = {} for k, v in string.gmatch('a=1, b=2', '(%w+)=(%w+)') do r[#r+1] = k .. v end return r"), ev("local r = {} for w in string.gmatch('one two', '%a+') do r[#r+1] = w end return r"),
  ev("local r = {} for w in string.gmatch('abc', '') do r[#r+1] = 'e' end return #r"), ev("local r = {} for a in ('abc'):gmatch('()') do r[#r+1] = a end return r"),
  ev("local r = {} for w in string.gmatch('hello', '^h') do r[#r+1] = w end return r"), ev("return {string.gsub('hello', '^h', 'H')}"),
  ev("return {string.byte('abc', -1)}"), ev("return {string.byte('abc', -2, -1)}"), ev("return {string.byte('abc', 0)}"), ev("return {string.byte('abc', 10)}"), ev("return {string.byte('abc', 1, -1)}"),
  ev("return {string.byte('')}"), ev("return {string.byte('abc', 2.7)}"), ev("return {pcall(string.byte, 'abc', 'x')}"), ev("return string.char()"), ev("return {pcall(string.char, 256)}"), ev("return {pcall(string.char, -1)}"),
  ev("return string.char(72.9, 105)"), ev("return {string.sub('hello', 2), string.sub('hello', -3), string.sub('hello', 0), string.sub('hello', 2, 100), string.sub('hello', 4, 2), string.sub('hello', -100, 2)}"),
  ev("return {string.sub('hello', 2.5, 3.5)}"), ev("return {pcall(string.sub)}"), ev("return {pcall(string.sub, 'x', 'a')}"), ev("return string.sub('hello', 0, 0)"), ev("return string.sub('hello', -1, -1)"),
  ev("return {tostring(nil), tostring(true), tostring(false), tostring('s')}"), ev("return {pcall(tostring)}"), ev("return type(tostring({}))"), ev("return string.match(tostring({}), '^table: ') ~= nil"),
  ev("return string.match(tostring(print or tostring), '^function: ') ~= nil"), ev("return tostring(setmetatable({}, {__tostring = function() return 42 end}))"),
  ev("return {pcall(tostring, setmetatable({}, {__tostring = function() return {} end}))}"), ev("return tostring(setmetatable({}, {__name = 'MyType'})):match('^%a+')"),
  ev("return {string.upper('abc'), string.lower('ABC'), string.len('abc'), string.reverse('abc')}"), ev("return {pcall(string.len)}"), ev("return string.len(123)"), ev("return string.upper(1.5)"),
  ev("return ('x'):len()"), ev("return (5):type()"), ev("return ('%d'):format(5)"), ev("return 'abc' .. 2^63"), ev("return 10 .. ''"), ev("return 1e15 .. ''"), ev("return 1e16 .. ''"),
  ev("return 0.1 .. ''"), ev("return (1/3) .. ''"), ev("return -1e15 .. ''"), ev("return 3.14 .. ''"), ev("return (0/0) .. ''"), ev("return (1/0) .. ''"),
  ev("return table.concat({1, 2.0, 3.5, 1e15, 2^53}, ',')"), ev("return string.rep(1.0, 2)"), ev("return string.rep(2^53, 1)"), ev("return string.upper(2^53)"), ev("return ('x'):rep(3.0)"),
  ev("return string.sub(12345.0, 1, 3)"), ev("return string.byte(1.0, 1, -1)"), ev("return {string.find(1.5, '.', 1, true)}"), 
  ev("return string.format('%s', 2.0)"), ev("return string.format('%d', 2.0)"), ev("return string.format('%5.1f', '3.14159')"), ev("return string.format(2.0)"), ev("return string.format('%s|%s', 1e100, -1e-100)"),
  ev("return cjson.encode({2.0, 1e15, 2^53, 0.1, 1/3})"), ev("return cjson.encode(3.0)"), ev("return redis.call('SET', 'k', 2.0)"), ev("return redis.call('GET', 'k')"),
  ev("return redis.call('HSET', 'h', 1.0, 2.5)"), ev("return redis.call('HGETALL', 'h')"), ev("return redis.call('ZADD', 'z', 1.0, 'a', 2^53, 'b')"), ev("return redis.call('ZRANGE', 'z', 0, -1, 'WITHSCORES')"),
];

const tableSteps: Step[] = [
  ev("local t = {} table.insert(t, 'a') table.insert(t, 1, 'b') return t"), ev("return {pcall(table.insert, {}, 1, 2, 3)}"), ev("return {pcall(table.insert, {})}"),
  ev("return {pcall(table.insert, {1, 2}, 5, 'x')}"), ev("local t = {1, 2} table.insert(t, 5, 'x') return {#t, t[5]}"), ev("return {pcall(table.insert, {1, 2}, 0, 'x')}"),
  ev("return {pcall(table.insert, {1}, 'a', 'x')}"), ev("return {pcall(table.insert, {1}, 1.5, 'x')}"), ev("return {pcall(table.insert, nil, 1)}"), ev("local t = {1, 2} table.insert(t, 2.0, 'x') return t"),
  ev("local t = {1, 2, 3} return {table.remove(t), #t}"), ev("local t = {} return {table.remove(t)}"), ev("local t = {1, 2, 3} return {table.remove(t, 1), t[1]}"), ev("return {pcall(table.remove, {1, 2, 3}, 7)}"),
  ev("local t = {1, 2, 3} return {table.remove(t, 4), #t}"), ev("local t = {} return {table.remove(t, 0), #t}"), ev("local t = {[0] = 'z'} return {table.remove(t, 0)}"), ev("local t = {1, 2, 3} return {pcall(table.remove, t, 0)}"),
  ev("return {pcall(table.remove, {1, 2, 3}, -1)}"), ev("return {pcall(table.remove)}"),
  ev("return table.concat({1, 2, 3}, ', ')"), ev("return table.concat({}, 'x')"), ev("return table.concat({'a', 'b', 'c'}, '', 2)"), ev("return table.concat({'a', 'b', 'c'}, '', 2, 5)"),
  ev("return {pcall(table.concat, {1, {}, 3})}"), ev("return {pcall(table.concat, {1, nil, 3}, ',', 1, 3)}"), ev("return table.concat({'a', 'b'}, 1.5)"), ev("return table.concat({'a', 'b'}, ',', 3, 2)"),
  ev("return {pcall(table.concat, {true})}"), ev("return {pcall(table.concat)}"), ev("return {pcall(table.concat, {}, {})}"),
  ev('return #{1, 2, nil, 4}'), ev('return #{1, nil, 3}'), ev('return #{nil, nil, 3}'), ev('local t = {1, 2, 3} t[2] = nil return #t'), ev('local t = {1, 2, 3, 4} t[4] = nil t[3] = nil return #t'),
  ev('local t = {} t[1] = 1 t[2] = 2 t[4] = 4 return #t'), ev('local t = {} for i = 1, 10 do t[i] = i end t[5] = nil return #t'), ev('local t = {n = 1, 1, 2} return #t'),
  ev('local t = {nil, 2} return #t'), ev('local t = {1, 2, nil} return #t'), ev('local t = {} t[2] = 2 return #t'), ev('local t = {} t[1] = 1 t[3] = 3 return #t'),
  ev('local t = {10, 20, 30, nil, 50} return {#t, select("#", unpack(t))}'), ev('return {unpack({1, 2, 3}, 2)}'), ev('return {unpack({1, 2, 3}, 2, 5)}'), ev('return {pcall(unpack)}'),
  ev('return select("#", unpack({}, 1, 3))'), ev('return {pcall(unpack, {}, 1, 1e8)}'), ev('return {unpack({1, 2, 3}, -1, 1)}'),
  ev("local t = {5, 2, 8, 1} table.sort(t) return t"), ev("local t = {5, 2, 8, 1} table.sort(t, function(a, b) return a > b end) return t"), ev("local t = {'b', 'a', 'C'} table.sort(t) return t"),
  ev("return {pcall(table.sort, {3, 'a', 1})}"), ev("return {pcall(table.sort, {1, 2, 3}, 5)}"), ev("return {pcall(table.sort, {{}, {}})}"),
  ev("local t = {} for i = 1, 100 do t[i] = (i * 37) % 11 end return {pcall(table.sort, t, function(a, b) return true end)}"),
  
  ev("local t = {3, 1, 2} table.sort(t, nil) return t"), ev("return {pcall(table.sort)}"), ev("local t = {3.5, 1, 2.25} table.sort(t) return {tostring(t[1]), tostring(t[3])}"),
  ev("local t = {1, 2, 3} return table.maxn(t)"), ev("return table.maxn({})"), ev("return tostring(table.maxn({[1.5] = 1}))"), ev("return {pcall(table.maxn)}"), ev("return table.getn({n = 5})"),
  ev("local t = setmetatable({}, {__index = {1, 2, 3}}) return #t"),
  ev("local t = setmetatable({}, {__newindex = function(t, k, v) rawset(t, k, v * 2) end}) t[1] = 5 return t[1]"), ev("return rawlen and rawlen({1}) or 'nil'"),
  ev("local t = setmetatable({}, {__call = function(_, x) return x + 1 end}) return t(1)"), ev("local t = setmetatable({}, {__concat = function() return 'cc' end}) return t .. 'x'"),
  ev("local m = {__eq = function() return true end} return setmetatable({}, m) == setmetatable({}, m)"), ev("local m = {__lt = function() return true end} return setmetatable({}, m) < setmetatable({}, m)"),
  ev("local m = {__le = function() return false end} return setmetatable({}, m) <= setmetatable({}, m)"), 
  ev("local t = setmetatable({}, {__gc = true}) return 1"), ev("local t = setmetatable({}, {__mode = 'k'}) return 1"), ev("local t = setmetatable({}, {__metatable = 'locked'}) return {getmetatable(t), pcall(setmetatable, t, {})}"),
  ev("local t = setmetatable({}, {__unm = function() return 'neg' end}) return -t"), ev("local t = setmetatable({}, {__idiv = function() return 'idiv' end}) return 1"),
  ev("local t = {} t[1] = 'a' t[2] = 'b' t[3] = 'c' local r = {} for i, v in ipairs(t) do r[i] = v end return r"), ev("local t = {a = 1} return {next(t)}"), ev("return {next({})}"),
  ev("local t = {n = 0} for i = 1, select('#', 1, 2) do t.n = t.n + 1 end return t.n"), ev("local t = {...} return #t"), ev("return {pcall(ipairs, nil)}"), ev("return {pcall(pairs, nil)}"),
];

const errorSteps: Step[] = [
  ev("error('plain')"), ev("error('level0', 0)"), ev("error('level2', 2)"), ev("local function f() error('in f', 2) end f()"), ev("error({err = 'ERR custom'})"),
  ev("error({err = 'custom no prefix'})"), ev("error('multi\\nline')"),
  ev("return {pcall(error)}"), ev("return {pcall(error, 'x')}"), ev("return {pcall(error, 'x', 0)}"),
  ev("return {pcall(error, {1})}"), ev("local ok, e = pcall(error, {code = 7}) return {tostring(ok), type(e), e.code}"), ev("return {pcall(error, nil)}"),
  ev("return {pcall(function() error('lvl1') end)}"), ev("return {pcall(function() error('lvl2', 2) end)}"), ev("return {pcall(function() local function g() error('g2', 2) end g() end)}"),
  ev("return {pcall(function() local function g() error('g3', 3) end g() end)}"), 
  ev("return {pcall(function() return 1, 2, 3 end)}"), ev("return {pcall(function() end)}"), ev("return select('#', pcall(function() end))"),
  ev("return {xpcall(nil, function(e) return 'h:' .. e end)}"), 
  ev("return {xpcall(function() error({}) end, function(e) return type(e) end)}"), 
  ev("return {xpcall(function() error('a') end, function(e) error('b') end)}"),
  ev("return {pcall(redis.call, 'nosuchcmd')}"), ev("local ok, e = pcall(redis.call, 'incr', 'notnum') return {tostring(ok), e}"), ev("redis.call('SET', 'notnum', 'x') return redis.call('INCR', 'notnum')"),
  ev("return redis.pcall('INCR', 'notnum')"), ev("local r = redis.pcall('INCR', 'notnum') return {type(r), r.err}"), ev("local ok, e = pcall(redis.call, 'INCR', 'notnum') return type(e)"),
  ev("return {pcall(redis.call)}"), ev("return {pcall(redis.call, {})}"), ev("return redis.call('GET', {})"), ev("return redis.call('GET', nil)"), ev("return redis.call('GET', true)"),
  ev("return redis.error_reply('MY oops')"), ev("return redis.error_reply('oops')"), ev("return {pcall(redis.error_reply)}"), ev("return redis.status_reply(5)"),
  ev("return {pcall(redis.status_reply)}"), ev("return {err = 5}"), ev("return {ok = 5}"), ev("return {err = 'x', ok = 'y'}"), ev("error('ERR from error')"), ev("error('WRONGTYPE my own')"),
  ev("local t = {} local x = t.a.b"), ev("local x = 'a' + 1"), ev("return 'a' + 1"), ev("local a = {} a.b.c = 1"), ev("return ({}).x.y"), ev("notafunction()"), ev("local s = string s.nope()"),
  ev("return math.floor({})"), ev("return string.rep()"), ev("return ('x'):bad()"), ev("return #redis"), ev("redis = nil"), ev("string.x = 1"), ev("_G.x = 1"), 
  ev("local t = setmetatable({}, {__index = function(t, k) return t[k .. 'x'] end}) return t.a"),
  ev("local s = string.rep('x', 1000) return #s"), 
  ev("local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co) return {coroutine.resume(co), coroutine.resume(co)}"),
  ev("return {pcall(coroutine.resume, nil)}"), ev("return {coroutine.resume(coroutine.running())}"), 
  ev("return {pcall(function() local t = {} t[1] = t t[1][1][1].x.y = 1 end)}"), ev("return {pcall(function() return nil .. 'x' end)}"),
  ev("return {pcall(function() local a = 'x' return a.b.c end)}"), ev("return {pcall(function() return math.nope() end)}"), ev("return {pcall(function() local up = nil return function() return up() end end)()}"),
  ev("return {pcall(function() return KEYS.nope.x end)}"), ev("return {pcall(function() return ARGV[1]:upper() end)}"), ev("return {pcall(function() return #KEYS[1] end)}"),
  ev("return {pcall(function() local t = {} return t:method() end)}"), ev("return {pcall(function() return ('x'):nomethod() end)}"), ev("return {pcall(function() return (nil)() end)}"),
  ev("return {pcall(function() return 1 .. {} end)}"), ev("return {pcall(function() return {} == {} end)}"), ev("return {pcall(function() return -'abc' end)}"), ev("return {pcall(function() return -'2' end)}"),
  ev("return {pcall(function() local a = 1 local b = a < nil end)}"), ev("return {pcall(function() return 'a' < 1 end)}"), ev("return {pcall(function() return {} < 1 end)}"),
  ev("return {pcall(function() return 2 ^ {} end)}"), ev("return {pcall(function() return true .. '' end)}"), ev("return {pcall(function() for i = 'a', 2 do end end)}"),
  ev("return {pcall(function() for i = 1, 2, 'x' do end end)}"), ev("return {pcall(function() for i = 1, 2, {} do end end)}"), ev("return {pcall(function() for k in pairs(nil) do end end)}"),
  ev("return {pcall(function() for k in nil do end end)}"), ev("return {pcall(function() local x = #nil end)}"), ev("return {pcall(function() local t = {} t[nil] = 1 end)}"),
  ev("return {pcall(function() return setmetatable(1, {}) end)}"), ev("return {pcall(function() return setmetatable({}, 1) end)}"), ev("return {pcall(function() return tonumber('10', 99) end)}"),
  ev("return {pcall(function() return tonumber() end)}"), ev("return {pcall(function() return tonumber('z', 36), tonumber('8', 8) end)}"), ev("return {pcall(function() return ('x'):rep(1, 2, 3) end)}"),
  ev("return {pcall(function() return string.format('%d', {}) end)}"), ev("return {pcall(function() return math.max() end)}"), ev("return {pcall(function() return math.min() end)}"),
  
  ev("return {pcall(function() return math.floor() end)}"), ev('return {pcall(function() return math.random(0) end)}'),
  ev('return {pcall(function() return math.random(2, 1) end)}'), ev('return {pcall(function() return math.random(1, 2, 3) end)}'), ev('return {pcall(math.random, 0)}'), ev('math.random(5, 1)'), ev("return {pcall(function() return math.abs('x') end)}"), ev("return {pcall(function() return select(0) end)}"),
  ev("return {pcall(function() return select('x') end)}"), ev("return {pcall(function() return ipairs() end)}"), 
  ev("return {pcall(function() return assert(false) end)}"),
  ev("return {pcall(function() return assert(nil, 'custom assert') end)}"), ev("return {pcall(function() return assert() end)}"),
  ev("return {assert(1, 2, 3)}"), ev("assert(false)"), ev("assert(false, 'why')"),
  // assert's message is text with the position, as 5.1's luaL_error makes it (lua-compat51.ts).
  ev('assert(1 == 2, 42)'), ev('return {pcall(function() return assert(false, {}) end)}'), ev('return {pcall(assert)}'), ev('return {pcall(assert, false)}'),
  ev('return {pcall(assert, false, 42)}'), ev('return {pcall(assert, nil, {})}'), ev('return {pcall(function() assert(false, 1e15) end)}'), ev("return {assert('a', nil, 'c')}"),
  ev('return {pcall(function() assert(nil) end)}'), ev('return {pcall(function() assert(false, nil) end)}'), ev('return {pcall(function() local ok = assert(1, 2, 3) return ok end)}'),
  ev('return {xpcall(function() assert(false, 7) end, function(e) return type(e) .. ":" .. e end)}'), ev("return {pcall(function() return type() end)}"),
  ev("return {pcall(function() return unpack(nil) end)}"), ev("return {pcall(function() return string.char('x') end)}"), 
  ev("return {pcall(function() return tostring() end)}"), ev("return {pcall(function() return loadstring() end)}"),
  ev("return {pcall(function() return loadstring(5) end)}"), ev("return {pcall(function() return table.insert() end)}"), ev("return {pcall(function() return table.getn() end)}"),
  ev("return {pcall(function() return cjson.decode('{') end)}"), ev("return {pcall(function() return cjson.encode(function() end) end)}"),
];

/**
 * What still differs (the README's scripting section says why): each of
 * these gives another reply on redis-server. Checked to differ, so a fix
 * shows up here (move the script to the lists above).
 */
const stillDifferent: Step[] = [
  // The 5.4 VM's numbers: integers wrap at 64 bits, an integer from 1e14 up prints in full through `..` (5.1: "1e+14"), integer % 0 raises.
  show('0xffffffffffffffff'), show('9223372036854775807 + 1'),
  ev('return {pcall(function() for i = 1, 10, 0 do end return "ran" end)}'),
  ev("redis.call('SET', 'n', 0/0) return redis.call('GET', 'n')"),
  // goto and 5.2+ escapes the 5.4 compiler accepts; its wording of two compile errors.
  ev('goto done ::done:: return 1'), ev('local goto = 5 return goto'), ev('local t = {goto = 1} return t.goto'),
  ev('return "\\u{48}"'), ev('return "\\z   x"'), ev('return "\\x41"'), ev('return "\\q"'), ev('f() = 1'), ev('break'),
  // Library behaviour of 5.4's C code: %g, gsub's '%x', table.sort's checks, __len, __le from __lt.
  ev("return {string.match('hello world', '%g+')}"), ev("return {pcall(string.gsub, 'abc', 'a', '%x')}"),
  ev("local t = {} for i = 1, 20 do t[i] = i % 3 end return {pcall(table.sort, t, function(a, b) return a <= b end)}"),
  ev("local t = {} setmetatable(t, {__len = function() return 9 end}) return #t"),
  ev("local m = {__lt = function() return true end} return {pcall(function() return setmetatable({}, m) <= setmetatable({}, m) end)}"),
  // error() with a number (5.1 adds the position and makes it text), pcall/xpcall edge cases, yields outside a coroutine, some argument checks.
  ev('error(42)'), ev('error(4.5)'), ev('return {pcall(error, 42)}'), ev("return {pcall(function() error('x', 3) end)}"),
  ev('return {pcall(pcall)}'), ev('return {pcall(nil)}'), ev('return {pcall(5)}'), ev('return {pcall({})}'), ev('return {pcall(xpcall, function() return 1 end)}'),
  ev("return {xpcall(error, function(e) return e end, 'arg')}"), ev('return {xpcall(function() local x = nil x() end, function(e) return e end)}'),
  ev("rawset(_G, 'x', 1)"), ev('return {pcall(coroutine.yield)}'),
  ev('return {pcall(function() return getmetatable() end)}'), ev('return {pcall(function() return rawget({}) end)}'), ev('return {pcall(function() return rawset({}, nil, 1) end)}'),
  ev("return {pcall(function() return ('x'):byte({}) end)}"), ev('return {pcall(function() return next() end)}'),
];

describe('Lua 5.1 as redis-server 7.0 runs scripts', () => {
  const cases: Array<[string, Step[]]> = [
    ['numbers: formatting, arithmetic and conversions to and from Redis', numberSteps],
    ['globals and library functions 5.1 has or lacks', globalSteps],
    ['syntax: 5.3+ operators, goto, literals and syntax errors', syntaxSteps],
    ['the string library', stringSteps],
    ['the table library and the length of tables with holes', tableSteps],
    ['errors: error() values and levels, pcall results, runtime error texts', errorSteps],
  ];
  for (const [name, steps] of cases) {
    it(`${name} match redis-server (RESP2 and RESP3)`, async () => {
      expect(await peers.compare(steps)).toEqual([]);
      expect(await peers.compare(steps, 3)).toEqual([]);
    });
  }

  it('the differences left (documented in the README) still differ from redis-server', async () => {
    const mismatches = await peers.compare(stillDifferent);
    expect(mismatches.map((mismatch) => mismatch.index)).toEqual(stillDifferent.map((_, index) => index));
  });
});
