/**
 * Arguments holding a NUL byte where redis-server 7.0 reads them as C
 * strings: option words are compared with strcasecmp (or char by char up to
 * the terminator, as SET's parser does), so "NX\0junk" is the NX option, and
 * an argument printed into an error with "%s" ends at its NUL. Compared
 * byte for byte in RESP2 and RESP3.
 *
 * Left out on purpose: a command or subcommand name whose text before the
 * NUL is a real one (looked up in a dict whose bucket follows
 * redis-server's random hash seed, then compared with strcasecmp:
 * "OBJECT ENCODING\0x" is found or not by chance there).
 */
import { describe, expect, it } from 'vitest';
import { differentialPair } from '../support/differential-pair';
import { step, type Step } from '../support/differential';

const peers = differentialPair();

/** The section headers of an INFO reply, in order (the fields' values are the nodes' own). */
function infoHeaders(raw: Buffer): string {
  // RESP3 sends INFO as a verbatim string: its "txt:" prefix comes before the first header.
  return raw.toString('latin1').replace('txt:', '').split('\r\n').filter((line) => line.startsWith('# ')).join('|');
}

/** An option word with a NUL and more bytes after it. */
const nul = (word: string): string => `${word}\u0000junk`;

const cases: Record<string, Step[]> = {
  'SET and GETEX options end at a NUL (parseExtendedStringArgumentsOrReply)': [
    step('FLUSHALL'), step('SET', 'k', 'v', nul('NX')), step('SET', 'k', 'w', nul('xx'), nul('GET')), step('GET', 'k'),
    step('SET', 'k2', 'v', nul('PX'), '100000'), step('TTL', 'k2'), step('GETEX', 'k2', nul('PERSIST')), step('TTL', 'k2'),
    step('GETEX', 'k', 'EX\u0000', '100'), step('TTL', 'k'), step('SET', 'k', 'v', nul('KEEPTTL')), step('TTL', 'k'),
  ],
  'sorted set options: ZADD, ZRANGE, ZRANDMEMBER, ZUNIONSTORE, ZMPOP': [
    step('FLUSHALL'), step('ZADD', 'z', nul('NX'), nul('CH'), '1', 'a'), step('ZADD', 'z', 'INCR\u0000', '2', 'a'),
    step('ZRANDMEMBER', 'z', '-1', 'WITHSCORES\u0000'), step('ZADD', 'z', '5', 'b'),
    step('ZRANGE', 'z', '0', '-1', nul('WITHSCORES')), step('ZRANGE', 'z', '0', '10', nul('BYSCORE'), nul('LIMIT'), '0', '1'),
    step('ZUNIONSTORE', 'z3', '1', 'z', 'AGGREGATE', nul('MAX')), step('ZRANGE', 'z3', '0', '-1', 'WITHSCORES'),
    step('ZUNION', '1', 'z', 'WEIGHTS\u0000', '2', 'WITHSCORES'), step('ZMPOP', '1', 'z', nul('MIN'), nul('COUNT'), '1'),
  ],
  'key, list, set, hash and bit options': [
    step('FLUSHALL'), step('SET', 'k', 'v'), step('EXPIRE', 'k', '100', nul('NX')), step('EXPIRE', 'k', '200', 'GT\u0000'), step('TTL', 'k'),
    step('EXPIRE', 'k', '100', 'ZZ\u0000NX'), step('MEMORY', 'USAGE', 'k', nul('SAMPLES'), '1'),
    step('SCAN', '0', nul('COUNT'), '10', 'MATCH\u0000', '*', nul('TYPE'), nul('string')),
    step('RPUSH', 'l', 'a', 'b', 'c'), step('LPOS', 'l', 'b', nul('RANK'), '1'), step('LMOVE', 'l', 'l2', nul('LEFT'), nul('RIGHT')), step('LMPOP', '1', 'l', 'LEFT\u0000'),
    step('RPUSH', 'n', '3', '1', '2'), step('SORT', 'n', nul('DESC'), 'LIMIT\u0000', '0', '2'), step('SORT', 'l', nul('ALPHA'), nul('BY'), 'nosort'),
    step('SADD', 's', 'a', 'b'), step('SINTERCARD', '1', 's', 'LIMIT\u0000', '1'), step('HSET', 'h', 'f', 'v'), step('HRANDFIELD', 'h', '1', nul('WITHVALUES')),
    step('BITOP', nul('AND'), 'd', 'k'), step('BITFIELD', 'bf', nul('OVERFLOW'), nul('SAT'), 'SET', 'u8', '0', '300'), step('BITFIELD', 'bf', 'GET\u0000', 'u8', '0'),
    step('BITCOUNT', 'k', '0', '0', nul('BIT')), step('BITPOS', 'k', '1', '0', '0', 'BYTE\u0000'), step('LCS', 'k', 'k', nul('LEN')),
    step('COPY', 'k', 'k9', nul('REPLACE'), nul('DB'), '0'), step('RESTORE', 'rk', '0', 'x', nul('REPLACE')), step('FLUSHDB', nul('SYNC')), step('DBSIZE'),
  ],
  'stream words: "*", "~", "=", "$", ">" compared as C strings (IDs already were)': [
    step('FLUSHALL'), step('XADD', 'x', nul('NOMKSTREAM'), nul('MAXLEN'), '~\u0000', '10', '1-1', 'f', 'v'), step('XADD', 'x', nul('MAXLEN'), '=\u0000', '10', '2-1', 'f', 'v'),
    step('XADD', 'x', 'MAXLEN', '5', '3-1\u0000junk', 'f', 'v'), step('XADD', 'x', 'MAXLEN', '5', '9999999999999-1', 'f', 'v'),
    step('XADD', 'x', 'MAXLEN', '5', '*\u0000', 'f', 'v'), step('XLEN', 'x'),
    step('XRANGE', 'x', '-\u0000', '+\u0000', 'COUNT', '2'), step('XREAD', nul('COUNT'), '1', nul('STREAMS'), 'x', '0'), step('XREAD', 'STREAMS', 'x', '$\u0000'),
    step('XGROUP', 'CREATE', 'x', 'g', '$\u0000', nul('MKSTREAM')), step('XGROUP', 'SETID', 'x', 'g', nul('$')), step('XGROUP', 'SETID', 'x', 'g', '0'),
    step('XREADGROUP', nul('GROUP'), 'g', 'c', nul('COUNT'), '1', 'STREAMS', 'x', '>\u0000'), step('XPENDING', 'x', 'g', nul('IDLE'), '100000000', '-', '+', '10', 'c'),
    step('XAUTOCLAIM', 'x', 'g', 'c', '0', '0', nul('COUNT'), '1', nul('JUSTID')), step('XCLAIM', 'x', 'g', 'c', '0', '1-1', nul('FORCE'), nul('JUSTID')),
    step('XTRIM', 'x', nul('MINID'), '2'), step('XRANGE', 'x', '-', '+'),
  ],
  'geo options and units': [
    step('FLUSHALL'), step('GEOADD', 'g', nul('NX'), '13.361389', '38.115556', 'p'),
    step('GEOSEARCH', 'g', 'FROMLONLAT\u0000', '13', '38', nul('BYRADIUS'), '100', nul('km'), nul('ASC'), nul('WITHDIST')),
    step('GEORADIUS', 'g', '13', '38', '100', 'km\u0000', 'WITHDIST\u0000'),
  ],
  'client, script and function options': [
    step('CLIENT', 'NO-EVICT', nul('on')), step('CLIENT', 'NO-EVICT', 'off'), step('CLIENT', 'REPLY', 'ON\u0000'),
    step('CLIENT', 'KILL', nul('TYPE'), 'pubsub'), step('CLIENT', 'KILL', 'TYPE', nul('pubsub')), step('CLIENT', 'KILL', nul('SKIPME'), 'yes\u0000', 'TYPE', 'pubsub'),
    step('CLIENT', 'UNBLOCK', '99999', nul('ERROR')), step('SCRIPT', 'FLUSH', nul('ASYNC')), step('SCRIPT', 'DEBUG', nul('no')),
    step('FUNCTION', 'FLUSH', 'SYNC\u0000'), step('FUNCTION', 'LIST', nul('WITHCODE')), step('PFADD', 'hll', 'a'), step('PFDEBUG', nul('ENCODING'), 'hll'),
    step('CLIENT', 'PAUSE', '10', nul('WRITE')), step('CLIENT', 'UNPAUSE'),
  ],
  // addReplyErrorFormat and sdscatfmt print a C string with "%s": the argument ends at its NUL.
  'an argument echoed in an error ends at its NUL': [
    step('FLUSHALL'), step('LATENCY', 'GRAPH', nul('event')), step('XADD', 's', '1-1', 'f', 'v'),
    step('XREADGROUP', 'GROUP', nul('g'), 'c', 'STREAMS', 's', '>'), step('XREADGROUP', 'GROUP', 'g', 'c', 'STREAMS', nul('s'), '>'),
    step('XPENDING', 's', nul('g')), step('XINFO', 'CONSUMERS', 's', nul('g')), step('XGROUP', 'CREATECONSUMER', 's', nul('g'), 'c'),
    step('XGROUP', 'CREATE', 's', 'g', '0'), step('XGROUP', 'SETID', 's', nul('g2'), '0'),
    step('CLIENT', 'KILL', 'TYPE', 'x\u0000pubsub'), step('CLIENT', 'KILL', 'USER', nul('nobody')), step('CLIENT', 'LIST', 'TYPE', 'x\u0000normal'),
    step('REPLCONF', nul('nonsense'), '1'), step('FUNCTION', 'LIST', nul('nonsense')), step('PFADD', 'hll', 'a'), step('PFDEBUG', 'x\u0000GETREG', 'hll'),
    step('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', nul('a'), 'PREFIX', 'a'), step('CLIENT', 'TRACKING', 'on', 'BCAST', 'PREFIX', 'ab', 'PREFIX', 'a\u0000b'),
    step('ACL', 'SETUSER', 'nul-user', 'x\u0000on'), step('ACL', 'SETUSER', 'nul-user', '(~x\u0000y', 'on'), step('ACL', 'SETUSER', 'nul-user', 'on', '%R~\u0000'),
  ],
  // "unknown command '%.128s', with args beginning with: " + "'%.*s' " per argument; "unknown subcommand '%.128s'".
  'unknown command and subcommand errors print their words up to a NUL': [
    step('NOSUCHCMD\u0000junk', nul('a'), 'b', 'c\u0000'), step('NOSUCHCMD', nul('x'.repeat(120)), nul('y'.repeat(20)), 'z'),
    step('CONFIG', nul('NOSUCH')), step('OBJECT', 'nosuch\u0000ENCODING', 'k'), step('XINFO', nul('nosuch'), 's'),
  ],
  // getKeysUsingKeySpecs and the getkeys procs strcasecmp their keywords; a key spec's numkeys is string2ll'd whole.
  'key extraction keywords end at a NUL (COMMAND GETKEYS / GETKEYSANDFLAGS)': [
    step('COMMAND', 'GETKEYS', 'XREAD', 'COUNT', '1', nul('STREAMS'), 'a', 'b', '0', '0'), step('COMMAND', 'GETKEYS', 'XREADGROUP', nul('GROUP'), 'g', 'c', 'STREAMS\u0000', 'a', '0'),
    step('COMMAND', 'GETKEYS', 'SORT', 'k', nul('STORE'), 'd'), step('COMMAND', 'GETKEYS', 'SORT', 'k', nul('LIMIT'), '0', '1', nul('GET'), '#', 'STORE', 'd'),
    step('COMMAND', 'GETKEYS', 'GEORADIUS', 'g', '1', '2', '3', 'km', 'STORE\u0000', 'd'), step('COMMAND', 'GETKEYS', 'GEORADIUSBYMEMBER', 'g', 'm', '3', 'km', nul('STOREDIST'), 'd'),
    step('COMMAND', 'GETKEYSANDFLAGS', 'SET', 'k', 'v', 'GET\u0000'), step('COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'k', nul('GET'), 'u8', '0'),
    step('COMMAND', 'GETKEYSANDFLAGS', 'BITFIELD', 'k', nul('OVERFLOW'), 'SAT', 'GET', 'u8', '0'),
    step('COMMAND', 'GETKEYS', 'MIGRATE', 'h', '1', '', '0', '1', nul('AUTH'), 'p', nul('KEYS'), 'a', 'b'),
    step('COMMAND', 'GETKEYS', 'ZUNIONSTORE', 'd', '2\u0000x', 'a', 'b'), step('COMMAND', 'GETKEYS', 'LMPOP', '1\u0000', 'l', 'LEFT'),
    step('COMMAND', 'GETKEYS', 'LCS', nul('a'), 'b'), step('COMMAND', 'GETKEYS', 'XINFO', 'STREAM', nul('s')),
  ],
  // genInfoSectionDict: strcasecmp for default/all/everything, sdsnew (up to the NUL) for a section name.
  'INFO section names end at a NUL': [
    ...[[nul('server')], ['all\u0000'], [nul('everything')], [nul('default')], [nul('CPU'), 'keyspace\u0000'], ['\u0000server']]
      .map((names) => ({ cmd: ['INFO', ...names], compare: infoHeaders })),
  ],
  // commandListCommand: strcasecmp for FILTERBY and its type, ACLGetCommandCategoryFlagByName for a category; a pattern is matched whole.
  'COMMAND LIST FILTERBY words end at a NUL; a pattern does not': [
    { cmd: ['COMMAND', 'LIST', nul('FILTERBY'), 'ACLCAT\u0000', nul('hyperloglog')], compare: 'unordered' },
    { cmd: ['COMMAND', 'LIST', 'FILTERBY', nul('PATTERN'), 'pf*'], compare: 'unordered' },
    step('COMMAND', 'LIST', 'FILTERBY', 'PATTERN', 'pfadd\u0000'), step('COMMAND', 'LIST', 'FILTERBY', nul('MODULE'), 'x'),
  ],
  // luaExtractErrorInformation and the status reply copy the Lua string with sdsnew: it ends at a NUL.
  'a script error or status text ends at its NUL': [
    step('EVAL', "return redis.error_reply('a\\0b')", '0'), step('EVAL', "return {err='x\\0y'}", '0'), step('EVAL', "error('x\\0y')", '0'),
    step('EVAL', "error({err='ERR e\\0f'})", '0'), step('EVAL', "return redis.status_reply('o\\0k')", '0'), step('EVAL', "return {ok='o\\0k'}", '0'),
    step('EVAL', "return redis.pcall('set', 'k', 'v', 'bad\\0option')", '0'), step('EVAL', "return {'a\\0b', {ok='c\\0d'}}", '0'),
  ],
  // strchr finds the shebang's end (a NUL before the newline: none), strcmp compares, "%s" prints.
  'EVAL shebang and FUNCTION LOAD metadata read as C strings': [
    step('EVAL', '#!lua\u0000\nreturn 1', '0'), step('EVAL', '#!"lu\\x00a"\nreturn 1', '0'), step('EVAL', '#!"lua\\x00x" flags=no-writes\nreturn 1', '0'),
    step('EVAL', '#!lua "flags=no-writes\\x00junk"\nreturn 1', '0'), step('EVAL', '#!lua "fl\\x00ags=no-writes"\nreturn 1', '0'),
    step('EVAL', '#!lua "flags=no-writes,bad\\x00x"\nreturn 1', '0'),
    step('FUNCTION', 'LOAD', "#!lua name=nul1\u0000\nredis.register_function('f1', function() return 1 end)"),
    step('FUNCTION', 'LOAD', "#!lua name=nul2 \"x\\x00y\"\nredis.register_function('f2', function() return 1 end)"),
    step('FUNCTION', 'LOAD', "#!lua \"name=nul3\\x00y\"\nredis.register_function('f3', function() return 1 end)"),
    step('FUNCTION', 'FLUSH'),
  ],
};

describe('arguments with a NUL byte read as C strings where redis-server 7.0 reads them so', () => {
  for (const protocol of [2, 3] as const) {
    for (const [name, script] of Object.entries(cases)) {
      it(`${name} (RESP${protocol})`, async () => {
        expect(await peers.compare(script, protocol)).toEqual([]);
      });
    }
  }
});
