/**
 * Command tips (COMMAND INFO's 8th field) of every Redis 7.0 command that
 * has any, grouped by identical tip lists. Tips tell clients and proxies how
 * to treat a reply: nondeterministic output (or order), and in cluster mode
 * which shards a request goes to and how their replies combine. Commands
 * absent here have none.
 */
const TIP_GROUPS: ReadonlyArray<readonly [tips: ReadonlyArray<string>, commands: ReadonlyArray<string>]> = [
  [['nondeterministic_output'], [
    'client|info client|list cluster|bumpepoch cluster|count-failure-reports cluster|getkeysinslot',
    'cluster|info cluster|links cluster|nodes cluster|replicas cluster|shards cluster|slaves',
    'cluster|slots dump hrandfield hscan lastsave migrate object|encoding object|freq object|idletime',
    'object|refcount pttl spop srandmember sscan time ttl xadd xautoclaim xclaim xinfo|consumers xpending',
    'xtrim zrandmember zscan',
  ]],
  [['nondeterministic_output_order'], [
    'command command|docs command|info command|list function|list hgetall hkeys hvals module|list sdiff',
    'sinter smembers sunion',
  ]],
  [['request_policy:all_shards', 'response_policy:all_succeeded'], [
    'flushall flushdb function|delete function|flush function|load function|restore memory|purge ping',
  ]],
  [['request_policy:all_nodes', 'response_policy:all_succeeded'], [
    'config|set latency|reset script|flush script|load slowlog|reset',
  ]],
  [['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'], [
    'function|stats info memory|doctor memory|malloc-stats memory|stats',
  ]],
  [['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'], [
    'latency|doctor latency|graph latency|histogram latency|history latency|latest',
  ]],
  [['request_policy:multi_shard', 'response_policy:agg_sum'], [
    'del exists touch unlink',
  ]],
  [['request_policy:all_shards', 'response_policy:one_succeeded'], [
    'function|kill script|kill',
  ]],
  [['request_policy:all_shards', 'response_policy:agg_sum'], [
    'dbsize',
  ]],
  [['request_policy:all_shards', 'nondeterministic_output_order'], [
    'keys',
  ]],
  [['request_policy:multi_shard'], [
    'mget',
  ]],
  [['request_policy:multi_shard', 'response_policy:all_succeeded'], [
    'mset',
  ]],
  [['request_policy:multi_shard', 'response_policy:agg_min'], [
    'msetnx',
  ]],
  [['request_policy:all_shards', 'nondeterministic_output'], [
    'randomkey',
  ]],
  [['nondeterministic_output', 'request_policy:special'], [
    'scan',
  ]],
  [['request_policy:all_shards', 'response_policy:agg_logical_and'], [
    'script|exists',
  ]],
  [['request_policy:all_nodes', 'nondeterministic_output'], [
    'slowlog|get',
  ]],
  [['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'], [
    'slowlog|len',
  ]],
  [['request_policy:all_shards', 'response_policy:agg_min'], [
    'wait',
  ]],
];

/** Full command name ("config|set") -> its tips, in Redis's order. */
export const COMMAND_TIPS: ReadonlyMap<string, ReadonlyArray<string>> = new Map(
  TIP_GROUPS.flatMap(([tips, lines]) => lines.join(' ').split(' ').map((name) => [name, tips] as const)),
);
