/**
 * One ACL selector (acl.c aclSelector): which commands, keys and channels it
 * allows. A user has a root selector (the rules outside parentheses) and any
 * number of extra ones; a command may run when any one selector allows all
 * of it (command, every key with the access it needs, every channel).
 *
 *   commands  a bitmap by command id (AclCommands), plus the "future
 *             commands" bit that only +@all / allcommands set, plus
 *             first-arg exceptions (+select|0) for commands without
 *             subcommands; ALLCOMMANDS skips the bitmap entirely and is
 *             cleared by any rule that removes a command
 *   keys      glob patterns with read/write flags (~p is both, %R~p read,
 *             %W~p write); ALLKEYS (~* or allkeys) skips them
 *   channels  glob patterns; ALLCHANNELS (&* or allchannels) skips them.
 *             A new selector starts with acl-pubsub-default.
 */
import type { ResolvedCommand } from '../commands/command-spec';
import { commandHasKeys, commandKeys, type KeyReference } from '../commands/meta/key-extraction';
import { KEY_ACCESS, KEY_DELETE, KEY_INSERT, KEY_UPDATE } from '../commands/meta/key-spec';
import { ACL_CATEGORY_ORDER } from '../commands/meta/command-info';
import { stringMatch } from '../util/glob';
import { hasSpaceOrNul, type AclRuleError } from './acl-errors';
import type { AclCommands } from './acl-commands';

export const PERMISSION_READ = 1;
export const PERMISSION_WRITE = 2;
export const PERMISSION_ALL = PERMISSION_READ | PERMISSION_WRITE;

export interface KeyPattern {
  readonly pattern: string;
  flags: number;
}

/**
 * Outcome of a check, ordered like acl.c's ACL_DENIED_* values: when no
 * selector allows a command, the highest-ranked denial is the one reported.
 */
export const ACL_OK = 0;
export const ACL_DENIED_CMD = 1;
export const ACL_DENIED_KEY = 2;
export const ACL_DENIED_CHANNEL = 4;
export type AclCheckResult = typeof ACL_OK | typeof ACL_DENIED_CMD | typeof ACL_DENIED_KEY | typeof ACL_DENIED_CHANNEL;

/** The keys of the command being checked, found once for all selectors (aclKeyResultCache). */
export interface KeyCache {
  keys: KeyReference[] | null;
}

/** Where each channel-taking command keeps its channels (db.c commands_with_channels). */
const CHANNEL_COMMANDS: ReadonlyMap<string, { readonly pattern: boolean; readonly count: number }> = new Map([
  ['subscribe', { pattern: false, count: -1 }],
  ['ssubscribe', { pattern: false, count: -1 }],
  ['psubscribe', { pattern: true, count: -1 }],
  ['publish', { pattern: false, count: 1 }],
  ['spublish', { pattern: false, count: 1 }],
]);

export class AclSelector {
  allKeys = false;
  allChannels: boolean;
  allCommands = false;
  /** allowed[id] is 1 when the command with that id may run. */
  allowed: Uint8Array;
  /** The reserved bit: set by +@all / allcommands only (ACL LIST then starts from +@all). */
  futureCommands = false;
  /** Command id -> first arguments allowed although the command is not (+select|0). */
  firstArgs: Map<number, string[]> | null = null;
  keyPatterns: KeyPattern[] = [];
  channels: string[] = [];

  constructor(
    private readonly commands: AclCommands,
    readonly root: boolean,
    pubsubAllChannels: boolean,
  ) {
    this.allChannels = pubsubAllChannels;
    this.allowed = new Uint8Array(commands.size);
  }

  copy(): AclSelector {
    const copy = new AclSelector(this.commands, this.root, this.allChannels);
    copy.allKeys = this.allKeys;
    copy.allCommands = this.allCommands;
    copy.allowed = this.allowed.slice();
    copy.futureCommands = this.futureCommands;
    copy.firstArgs = this.firstArgs ? new Map([...this.firstArgs].map(([id, args]) => [id, [...args]])) : null;
    copy.keyPatterns = this.keyPatterns.map((key) => ({ pattern: key.pattern, flags: key.flags }));
    copy.channels = [...this.channels];
    return copy;
  }

  /** True when this selector allows everything (the dispatcher's fast path). */
  get unrestricted(): boolean {
    return this.allCommands && this.allKeys && this.allChannels;
  }

  isAllowed(id: number): boolean {
    return id >= 0 && this.allowed[id] === 1;
  }

  private setBit(id: number, value: boolean): void {
    if (id < 0) return;
    this.allowed[id] = value ? 1 : 0;
    if (!value) this.allCommands = false;
  }

  /** ACLChangeSelectorPerm: a container's rule applies to its subcommands too. */
  changePermission(command: ResolvedCommand, allow: boolean): void {
    const id = this.commands.id(command);
    this.setBit(id, allow);
    this.firstArgs?.delete(id);
    for (const sub of this.commands.subcommandsOf(command)) this.setBit(this.commands.id(sub), allow);
  }

  private setAll(allow: boolean): void {
    this.allowed.fill(allow ? 1 : 0);
    this.futureCommands = allow;
    this.allCommands = allow;
    this.firstArgs = null;
  }

  /** +@category / -@category. Returns false for an unknown category. */
  setCategory(name: string, allow: boolean): boolean {
    const category = ACL_CATEGORY_ORDER.find((known) => known === name.toLowerCase());
    if (!category) return false;
    for (const command of this.commands.all) {
      if (this.commands.inCategory(command, category)) this.changePermission(command, allow);
    }
    return true;
  }

  /**
   * ACLSetSelector: applies one rule. Returns null, or why it cannot be
   * applied (the selector may then be partly changed: callers work on a copy).
   */
  apply(op: string): AclRuleError | null {
    const lower = op.toLowerCase();
    if (lower === 'allkeys' || op === '~*') {
      this.allKeys = true;
      this.keyPatterns = [];
    } else if (lower === 'resetkeys') {
      this.allKeys = false;
      this.keyPatterns = [];
    } else if (lower === 'allchannels' || op === '&*') {
      this.allChannels = true;
      this.channels = [];
    } else if (lower === 'resetchannels') {
      this.allChannels = false;
      this.channels = [];
    } else if (lower === 'allcommands' || lower === '+@all') {
      this.setAll(true);
    } else if (lower === 'nocommands' || lower === '-@all') {
      this.setAll(false);
    } else if (op[0] === '~' || op[0] === '%') {
      return this.addKeyPattern(op);
    } else if (op[0] === '&') {
      if (this.allChannels) return 'channel-after-all';
      const pattern = op.slice(1);
      if (hasSpaceOrNul(pattern)) return 'syntax';
      if (!this.channels.includes(pattern)) this.channels.push(pattern);
      this.allChannels = false;
    } else if (op[0] === '+' && op[1] !== '@') {
      return this.allowCommand(op.slice(1));
    } else if (op[0] === '-' && op[1] !== '@') {
      const command = this.commands.lookup(op.slice(1));
      if (!command) return 'unknown-name';
      this.changePermission(command, false);
    } else if ((op[0] === '+' || op[0] === '-') && op[1] === '@') {
      if (!this.setCategory(op.slice(2), op[0] === '+')) return 'unknown-name';
    } else {
      return 'syntax';
    }
    return null;
  }

  /** ~pattern, %R~pattern, %W~pattern, %RW~pattern. */
  private addKeyPattern(op: string): AclRuleError | null {
    if (this.allKeys) return 'key-after-all';
    let flags = 0;
    let offset = 1;
    if (op[0] === '%') {
      for (; offset < op.length; offset++) {
        const char = op[offset]!.toUpperCase();
        if (char === 'R' && (flags & PERMISSION_READ) === 0) flags |= PERMISSION_READ;
        else if (char === 'W' && (flags & PERMISSION_WRITE) === 0) flags |= PERMISSION_WRITE;
        else if (op[offset] === '~') {
          offset++;
          break;
        } else return 'syntax';
      }
      // "%" alone would give a pattern without permissions, which Redis 7.0
      // accepts and then cannot print (it aborts): refused here instead.
      if (flags === 0) return 'syntax';
    } else {
      flags = PERMISSION_ALL;
    }
    const pattern = op.slice(offset);
    if (hasSpaceOrNul(pattern)) return 'syntax';
    const existing = this.keyPatterns.find((key) => key.pattern === pattern);
    if (existing) existing.flags |= flags;
    else this.keyPatterns.push({ pattern, flags });
    this.allKeys = false;
    return null;
  }

  /**
   * +command, +container|sub, or +command|first-arg for a command without
   * subcommands (a deprecated form Redis still honours: +select|0).
   */
  private allowCommand(name: string): AclRuleError | null {
    const bar = name.lastIndexOf('|');
    if (bar < 0) {
      const command = this.commands.lookup(name);
      if (!command) return 'unknown-name';
      this.changePermission(command, true);
      return null;
    }
    const base = this.commands.lookup(name.slice(0, bar));
    if (!base) return 'unknown-name';
    if (base.parent) return 'first-arg-of-subcommand';
    const firstArg = name.slice(bar + 1);
    if (firstArg.length === 0) return 'syntax';
    if (this.commands.subcommandsOf(base).length > 0) {
      const sub = this.commands.lookup(name);
      if (!sub) return 'unknown-name';
      this.changePermission(sub, true);
      return null;
    }
    const id = this.commands.id(base);
    this.firstArgs ??= new Map();
    const allowed = this.firstArgs.get(id) ?? [];
    if (!allowed.some((arg) => arg.toLowerCase() === firstArg.toLowerCase())) allowed.push(firstArg);
    this.firstArgs.set(id, allowed);
    return null;
  }

  /**
   * ACLSelectorCheckCmd. `keyIndex.value` receives the argv index of the
   * denied key or channel.
   */
  check(command: ResolvedCommand, argv: ReadonlyArray<string>, cache: KeyCache, keyIndex: { value: number }): AclCheckResult {
    if (!this.allCommands && !command.is.no_auth) {
      const id = this.commands.id(command);
      if (!this.isAllowed(id)) {
        const allowedArgs = argv.length >= 2 ? this.firstArgs?.get(id) : undefined;
        if (!allowedArgs) return ACL_DENIED_CMD;
        const arg = (argv[command.parent ? 2 : 1] ?? '').toLowerCase();
        if (!allowedArgs.some((allowed) => allowed.toLowerCase() === arg)) return ACL_DENIED_CMD;
      }
    }
    if (!this.allKeys && commandHasKeys(command.keyInfo)) {
      cache.keys ??= commandKeys(command, argv);
      for (const reference of cache.keys) {
        if (!this.checkKey(argv[reference.index] ?? '', reference.flags)) {
          keyIndex.value = reference.index;
          return ACL_DENIED_KEY;
        }
      }
    }
    const channels = this.allChannels ? undefined : CHANNEL_COMMANDS.get(command.fullName);
    if (channels) {
      const stop = channels.count < 0 ? argv.length : Math.min(argv.length, 1 + channels.count);
      for (let index = 1; index < stop; index++) {
        if (!this.checkChannel(argv[index]!, channels.pattern)) {
          keyIndex.value = index;
          return ACL_DENIED_CHANNEL;
        }
      }
    }
    return ACL_OK;
  }

  /** ACLSelectorCheckKey: the key matches a pattern granting every access the key spec asks for. */
  checkKey(key: string, keySpecFlags: number): boolean {
    if (this.allKeys) return true;
    const needed = accessNeeded(keySpecFlags);
    for (const { pattern, flags } of this.keyPatterns) {
      if ((flags & needed) !== needed) continue;
      if (stringMatch(pattern, key, false)) return true;
    }
    return false;
  }

  /** ACLSelectorHasUnrestrictedKeyAccess: a `*` pattern (or allkeys) granting the access asked for. */
  hasUnrestrictedKeyAccess(keySpecFlags: number): boolean {
    if (this.allKeys) return true;
    const needed = accessNeeded(keySpecFlags);
    return this.keyPatterns.some(({ pattern, flags }) => (flags & needed) === needed && pattern === '*');
  }

  /**
   * A channel name is matched against the channel patterns; a PSUBSCRIBE
   * pattern only against an identical channel pattern (it could match
   * channels the patterns do not).
   */
  checkChannel(channel: string, isPattern: boolean): boolean {
    if (this.allChannels) return true;
    return channelAllowedBy(this.channels, channel, isPattern);
  }
}

export function channelAllowedBy(patterns: ReadonlyArray<string>, channel: string, isPattern: boolean): boolean {
  for (const pattern of patterns) {
    if (isPattern ? pattern === channel : stringMatch(pattern, channel, false)) return true;
  }
  return false;
}

/** Key-spec flags to the read/write permissions they need. */
function accessNeeded(keySpecFlags: number): number {
  let needed = 0;
  if ((keySpecFlags & KEY_ACCESS) !== 0) needed |= PERMISSION_READ;
  if ((keySpecFlags & (KEY_INSERT | KEY_DELETE | KEY_UPDATE)) !== 0) needed |= PERMISSION_WRITE;
  return needed;
}
