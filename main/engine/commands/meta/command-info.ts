/**
 * COMMAND INFO and COMMAND DOCS replies of one command, laid out as Redis
 * 7.0 lays them out (addReplyCommandInfo / addReplyCommandDocs), so clients
 * that read them (redis-cli hints, cluster-aware clients routing by key
 * specs and tips) see what they see on Redis.
 *
 * COMMAND INFO is a 10-element array:
 *   name, arity, flags (set), first key, last key, key step,
 *   ACL categories (set), tips (set), key specs (set of maps),
 *   subcommands (array of the same, or an empty set when there are none)
 */
import type { AclCategory, CommandFlag, ResolvedCommand } from '../command-spec';
import { array, bulk, integer, map, set, simple, type Reply } from '../../resp/reply';
import { COMMAND_TIPS } from './command-tips';
import { COMMAND_DOC_STATUS } from './command-doc-status';
import { commandArgumentsReply, commandComplexity, commandHistoryReply } from './command-docs';
import { keyFlagNames, type KeySpec } from './key-spec';

/**
 * Flags in the order Redis prints them. may_replicate and protected are
 * hidden on purpose in Redis; touches_arbitrary_keys is hidden there too.
 */
const PRINTED_FLAGS: ReadonlyArray<CommandFlag> = [
  'write', 'readonly', 'denyoom', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale', 'skip_monitor',
  'skip_slowlog', 'asking', 'fast', 'no_auth', 'no_mandatory_keys', 'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
];

/** ACL categories in Redis's order (ACLCommandCategories). */
export const ACL_CATEGORY_ORDER: ReadonlyArray<AclCategory> = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

function flagsReply(command: ResolvedCommand): Reply {
  return set(PRINTED_FLAGS.filter((flag) => command.is[flag]).map((flag) => simple(flag)));
}

function categoriesReply(command: ResolvedCommand): Reply {
  const categories = new Set(command.spec.acl);
  return set(ACL_CATEGORY_ORDER.filter((category) => categories.has(category)).map((category) => simple(`@${category}`)));
}

function keySpecReply(spec: KeySpec): Reply {
  const items: Reply[] = [];
  if (spec.notes !== undefined) items.push(bulk('notes'), bulk(spec.notes));
  items.push(bulk('flags'), set(keyFlagNames(spec.flags).map((name) => simple(name))));
  const begin = spec.beginSearch;
  items.push(bulk('begin_search'));
  if (begin.type === 'index') items.push(map([bulk('type'), bulk('index'), bulk('spec'), map([bulk('index'), integer(begin.index)])]));
  else if (begin.type === 'keyword') {
    items.push(map([bulk('type'), bulk('keyword'), bulk('spec'), map([bulk('keyword'), bulk(begin.keyword), bulk('startfrom'), integer(begin.startFrom)])]));
  } else items.push(map([bulk('type'), bulk('unknown'), bulk('spec'), map([])]));
  const find = spec.findKeys;
  items.push(bulk('find_keys'));
  if (find.type === 'range') {
    items.push(map([bulk('type'), bulk('range'), bulk('spec'), map([
      bulk('lastkey'), integer(find.lastKey), bulk('keystep'), integer(find.keyStep), bulk('limit'), integer(find.limit),
    ])]));
  } else if (find.type === 'keynum') {
    items.push(map([bulk('type'), bulk('keynum'), bulk('spec'), map([
      bulk('keynumidx'), integer(find.keyNumIndex), bulk('firstkey'), integer(find.firstKey), bulk('keystep'), integer(find.keyStep),
    ])]));
  } else items.push(map([bulk('type'), bulk('unknown'), bulk('spec'), map([])]));
  return map(items);
}

/** The command's tips, in Redis's order. */
export function commandTips(command: ResolvedCommand): ReadonlyArray<string> {
  return COMMAND_TIPS.get(command.fullName) ?? [];
}

/** One command's COMMAND INFO entry; `subcommands` are its children (none for a subcommand). */
export function commandInfoReply(command: ResolvedCommand, subcommands: ReadonlyArray<ResolvedCommand>): Reply {
  const legacy = command.keyInfo.legacy;
  return array([
    bulk(command.fullName),
    integer(command.arity),
    flagsReply(command),
    integer(legacy ? legacy.first : 0),
    integer(legacy ? legacy.last : 0),
    integer(legacy ? legacy.step : 0),
    categoriesReply(command),
    set(commandTips(command).map((tip) => bulk(tip))),
    set(command.keyInfo.specs.map(keySpecReply)),
    subcommands.length === 0 ? set([]) : array(subcommands.map((sub) => commandInfoReply(sub, []))),
  ]);
}

/** One command's COMMAND DOCS entry (the value; the caller writes the name before it). */
export function commandDocsReply(command: ResolvedCommand, subcommands: ReadonlyArray<ResolvedCommand>): Reply {
  const doc = command.spec.doc;
  const items: Reply[] = [bulk('summary'), bulk(doc.summary), bulk('since'), bulk(doc.since), bulk('group'), bulk(doc.group)];
  const complexity = commandComplexity(command.fullName) ?? doc.complexity;
  if (complexity) items.push(bulk('complexity'), bulk(complexity));
  const status = COMMAND_DOC_STATUS.get(command.fullName);
  if (status) {
    items.push(bulk('doc_flags'), set(status.docFlags.map((flag) => simple(flag))));
    if (status.deprecatedSince !== undefined) items.push(bulk('deprecated_since'), bulk(status.deprecatedSince));
    if (status.replacedBy !== undefined) items.push(bulk('replaced_by'), bulk(status.replacedBy));
  }
  // addReplyCommandDocs: history, then arguments, then subcommands.
  const history = commandHistoryReply(command.fullName);
  if (history) items.push(bulk('history'), history);
  const args = commandArgumentsReply(command.fullName);
  if (args) items.push(bulk('arguments'), args);
  if (subcommands.length > 0) {
    const subItems: Reply[] = [];
    for (const sub of subcommands) subItems.push(bulk(sub.fullName), commandDocsReply(sub, []));
    items.push(bulk('subcommands'), map(subItems));
  }
  return map(items);
}
