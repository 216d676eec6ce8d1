/**
 * COMMAND DOCS' doc_flags, deprecated_since and replaced_by of every Redis
 * 7.0 command that has them (src/commands/*.json of 7.0.15): the commands
 * servers send each other (syscmd) and the deprecated ones with what
 * replaces them. Commands absent here have none.
 */
export interface DocStatus {
  readonly docFlags: ReadonlyArray<'deprecated' | 'syscmd'>;
  readonly deprecatedSince?: string;
  readonly replacedBy?: string;
}

const SYSCMD: DocStatus = { docFlags: ['syscmd'] };

function deprecated(since: string, replacedBy: string): DocStatus {
  return { docFlags: ['deprecated'], deprecatedSince: since, replacedBy };
}

export const COMMAND_DOC_STATUS: ReadonlyMap<string, DocStatus> = new Map<string, DocStatus>([
  ['debug', SYSCMD],
  ['pfdebug', SYSCMD],
  ['pfselftest', SYSCMD],
  ['replconf', SYSCMD],
  ['restore-asking', SYSCMD],
  ['cluster|slaves', deprecated('5.0.0', '`CLUSTER REPLICAS`')],
  ['cluster|slots', deprecated('7.0.0', '`CLUSTER SHARDS`')],
  ['brpoplpush', deprecated('6.2.0', '`BLMOVE` with the `RIGHT` and `LEFT` arguments')],
  ['georadius', deprecated('6.2.0', '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument')],
  ['georadius_ro', deprecated('6.2.0', '`GEOSEARCH` with the `BYRADIUS` argument')],
  ['georadiusbymember', deprecated('6.2.0', '`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments')],
  ['georadiusbymember_ro', deprecated('6.2.0', '`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments')],
  ['getset', deprecated('6.2.0', '`SET` with the `!GET` argument')],
  ['hmset', deprecated('4.0.0', '`HSET` with multiple field-value pairs')],
  ['rpoplpush', deprecated('6.2.0', '`LMOVE` with the `RIGHT` and `LEFT` arguments')],
  ['slaveof', deprecated('5.0.0', '`REPLICAOF`')],
  ['substr', deprecated('2.0.0', '`GETRANGE`')],
  ['zrangebylex', deprecated('6.2.0', '`ZRANGE` with the `BYLEX` argument')],
  ['zrangebyscore', deprecated('6.2.0', '`ZRANGE` with the `BYSCORE` argument')],
  ['zrevrange', deprecated('6.2.0', '`ZRANGE` with the `REV` argument')],
  ['zrevrangebylex', deprecated('6.2.0', '`ZRANGE` with the `REV` and `BYLEX` arguments')],
  ['zrevrangebyscore', deprecated('6.2.0', '`ZRANGE` with the `REV` and `BYSCORE` arguments')],
]);
