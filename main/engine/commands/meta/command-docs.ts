/**
 * The parts of COMMAND DOCS the command specs do not carry: each command's
 * complexity, history and argument tree, as redis-server 7.0.15 sends them
 * (command-docs.json, written by scripts/generate-command-docs.ts from a
 * real server's reply; Redis builds them from src/commands/*.json).
 *
 * Shapes, as addReplyCommandHistory / addReplyCommandArgList send them:
 *   history    set of [version, description] arrays
 *   arguments  array of maps, each field in Redis's order: name, type,
 *              key_spec_index (integer), token, since, deprecated_since,
 *              flags (set of simple strings: optional, multiple,
 *              multiple_token), arguments (the same, nested)
 */
import { array, bulk, integer, map, set, simple, type Reply } from '../../resp/reply';
import data from './command-docs.json';

type ArgumentField = readonly [string, string | number | ReadonlyArray<string> | ReadonlyArray<ArgumentPairs>];
type ArgumentPairs = ReadonlyArray<ArgumentField>;

interface CommandDocDetail {
  readonly complexity?: string;
  readonly history?: ReadonlyArray<readonly [string, string]>;
  readonly arguments?: ReadonlyArray<ArgumentPairs>;
}

const DETAILS = data.commands as unknown as Readonly<Record<string, CommandDocDetail>>;

function argumentReply(pairs: ArgumentPairs): Reply {
  const items: Reply[] = [];
  for (const [field, value] of pairs) {
    items.push(bulk(field));
    if (typeof value === 'number') items.push(integer(value));
    else if (typeof value === 'string') items.push(bulk(value));
    else if (field === 'flags') items.push(set((value as ReadonlyArray<string>).map((flag) => simple(flag))));
    else items.push(array((value as ReadonlyArray<ArgumentPairs>).map(argumentReply)));
  }
  return map(items);
}

/** Redis's complexity text of a command (by full name, "client|kill"), if it has one. */
export function commandComplexity(fullName: string): string | undefined {
  return Object.hasOwn(DETAILS, fullName) ? DETAILS[fullName]!.complexity : undefined;
}

/** The history field of COMMAND DOCS, or null when the command has none. */
export function commandHistoryReply(fullName: string): Reply | null {
  const history = Object.hasOwn(DETAILS, fullName) ? DETAILS[fullName]!.history : undefined;
  return history ? set(history.map(([version, text]) => array([bulk(version), bulk(text)]))) : null;
}

/** The arguments field of COMMAND DOCS, or null when the command takes none. */
export function commandArgumentsReply(fullName: string): Reply | null {
  const args = Object.hasOwn(DETAILS, fullName) ? DETAILS[fullName]!.arguments : undefined;
  return args ? array(args.map(argumentReply)) : null;
}
