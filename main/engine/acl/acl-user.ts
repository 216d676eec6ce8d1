/**
 * One ACL user (acl.c `user`): on/off, passwords kept as SHA-256 hex
 * digests, nopass, the payload-sanitizing flag, and its selectors (the root
 * one first). A new user is off, has no password and may run nothing.
 *
 * Rules are applied with apply() (ACLSetUser). Callers that must apply a
 * whole list atomically work on a copy() and copy it back with assign().
 * `unrestricted` is recomputed after every change: the dispatcher skips the
 * permission check entirely for such a user, so it must be exact (some
 * selector allows every command, key and channel).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ResolvedCommand } from '../commands/command-spec';
import { splitInlineArguments } from '../resp/request-decoder';
import type { AclCommands } from './acl-commands';
import type { AclRuleError } from './acl-errors';
import { describeSelector } from './acl-describe';
import { ACL_DENIED_CMD, ACL_OK, AclSelector, type AclCheckResult, type KeyCache } from './acl-selector';

/** Payload sanitizing for RESTORE (sanitize-dump-payload "clients" mode). */
export type SanitizePayload = 'unset' | 'sanitize' | 'skip';

export interface AclCheck {
  readonly result: AclCheckResult;
  /** argv index of the denied key or channel (0 for a denied command). */
  readonly index: number;
}

const HASH_LENGTH = 64;

/** ACLHashPassword: SHA-256 of the password's bytes, lowercase hex. */
export function hashPassword(password: string): string {
  return createHash('sha256').update(Buffer.from(password, 'latin1')).digest('hex');
}

/** ACLCheckPasswordHash: exactly 64 chars of 0-9a-f. */
export function isPasswordHash(text: string): boolean {
  return text.length === HASH_LENGTH && /^[0-9a-f]+$/.test(text);
}

export class AclUser {
  enabled = false;
  nopass = false;
  sanitizePayload: SanitizePayload = 'unset';
  passwords: string[] = [];
  selectors: AclSelector[];
  unrestricted = false;
  /** ACLDescribeUser's result, dropped on every change. */
  private description: string | null = null;

  constructor(
    readonly name: string,
    private readonly commands: AclCommands,
    private readonly pubsubAllChannels: () => boolean,
  ) {
    this.selectors = [new AclSelector(commands, true, pubsubAllChannels())];
  }

  get root(): AclSelector {
    return this.selectors[0]!;
  }

  /** A detached copy with the same rules (ACLCreateUnlinkedUser + ACLCopyUser). */
  copy(): AclUser {
    const copy = new AclUser(this.name, this.commands, this.pubsubAllChannels);
    copy.assign(this);
    return copy;
  }

  /** ACLCopyUser: takes every rule of `source`, keeping this user's name. */
  assign(source: AclUser): void {
    this.enabled = source.enabled;
    this.nopass = source.nopass;
    this.sanitizePayload = source.sanitizePayload;
    this.passwords = [...source.passwords];
    this.selectors = source.selectors.map((selector) => selector.copy());
    this.changed();
  }

  private changed(): void {
    this.description = null;
    this.unrestricted = this.selectors.some((selector) => selector.unrestricted);
  }

  /** ACLSetUser: applies one rule; an empty one does nothing. */
  apply(op: string): AclRuleError | null {
    const error = this.applyRule(op);
    this.changed();
    return error;
  }

  private applyRule(op: string): AclRuleError | null {
    if (op.length === 0) return null;
    const lower = op.toLowerCase();
    switch (lower) {
      case 'on':
        this.enabled = true;
        return null;
      case 'off':
        this.enabled = false;
        return null;
      case 'skip-sanitize-payload':
        this.sanitizePayload = 'skip';
        return null;
      case 'sanitize-payload':
        this.sanitizePayload = 'sanitize';
        return null;
      case 'nopass':
        this.nopass = true;
        this.passwords = [];
        return null;
      case 'resetpass':
        this.nopass = false;
        this.passwords = [];
        return null;
      case 'clearselectors':
        this.selectors.length = 1;
        return null;
      case 'reset':
        this.passwords = [];
        this.nopass = false;
        this.root.apply('resetkeys');
        this.root.apply('resetchannels');
        if (this.pubsubAllChannels()) this.root.apply('allchannels');
        this.enabled = false;
        this.sanitizePayload = 'sanitize';
        this.selectors.length = 1;
        this.root.apply('-@all');
        return null;
    }
    const kind = op[0];
    if (kind === '>' || kind === '#') {
      const hash = kind === '>' ? hashPassword(op.slice(1)) : op.slice(1);
      if (kind === '#' && !isPasswordHash(hash)) return 'bad-hash';
      if (!this.passwords.includes(hash)) this.passwords.push(hash);
      this.nopass = false;
      return null;
    }
    if (kind === '<' || kind === '!') {
      const hash = kind === '<' ? hashPassword(op.slice(1)) : op.slice(1);
      if (kind === '!' && !isPasswordHash(hash)) return 'bad-hash';
      const index = this.passwords.indexOf(hash);
      if (index < 0) return 'no-such-password';
      this.passwords.splice(index, 1);
      return null;
    }
    if (kind === '(' && op[op.length - 1] === ')') {
      const selector = selectorFromRules(op, this.commands, this.pubsubAllChannels());
      if (typeof selector === 'string') return selector;
      this.selectors.push(selector);
      return null;
    }
    return this.root.apply(op);
  }

  /** ACLCheckUserCredentials, once the user is known to exist. */
  passwordMatches(password: string): boolean {
    if (!this.enabled) return false;
    if (this.nopass) return true;
    const hashed = Buffer.from(hashPassword(password));
    return this.passwords.some((stored) => timingSafeEqual(Buffer.from(stored), hashed));
  }

  /**
   * ACLCheckAllUserCommandPerm: allowed when one selector allows it all;
   * otherwise the denial to report is a command one if no selector got past
   * the command, else the key or channel denial with the highest argument
   * index.
   */
  check(command: ResolvedCommand, argv: ReadonlyArray<string>): AclCheck {
    if (this.unrestricted) return ALLOWED;
    const cache: KeyCache = { keys: null };
    const position = { value: 0 };
    let relevant: AclCheckResult = ACL_DENIED_CMD;
    let relevantIndex = 0;
    for (const selector of this.selectors) {
      position.value = 0;
      const result = selector.check(command, argv, cache, position);
      if (result === ACL_OK) return ALLOWED;
      if (result > relevant || (result === relevant && position.value > relevantIndex)) {
        relevant = result;
        relevantIndex = position.value;
      }
    }
    return { result: relevant, index: relevantIndex };
  }

  /** ACLUserCheckCmdWithUnrestrictedKeyAccess: a selector allows the command and every key for this access. */
  allowsWithUnrestrictedKeyAccess(command: ResolvedCommand, argv: ReadonlyArray<string>, keySpecFlags: number): boolean {
    const cache: KeyCache = { keys: null };
    const position = { value: 0 };
    return this.selectors.some((selector) => selector.check(command, argv, cache, position) === ACL_OK && selector.hasUnrestrictedKeyAccess(keySpecFlags));
  }

  /** ACLDescribeUser: flags, password hashes, root selector, then each selector in parentheses. */
  describe(): string {
    if (this.description !== null) return this.description;
    let text = '';
    if (this.enabled) text += 'on ';
    else text += 'off ';
    if (this.nopass) text += 'nopass ';
    if (this.sanitizePayload === 'skip') text += 'skip-sanitize-payload ';
    if (this.sanitizePayload === 'sanitize') text += 'sanitize-payload ';
    for (const hash of this.passwords) text += `#${hash} `;
    this.selectors.forEach((selector, index) => {
      text += index === 0 ? describeSelector(selector, this.commands) : ` (${describeSelector(selector, this.commands)})`;
    });
    this.description = text;
    return text;
  }

  /** GETUSER's flags field, in ACLUserFlags order. */
  flagNames(): string[] {
    const names = [this.enabled ? 'on' : 'off'];
    if (this.nopass) names.push('nopass');
    if (this.sanitizePayload === 'skip') names.push('skip-sanitize-payload');
    if (this.sanitizePayload === 'sanitize') names.push('sanitize-payload');
    return names;
  }
}

const ALLOWED: AclCheck = Object.freeze({ result: ACL_OK, index: 0 });

/**
 * aclCreateSelectorFromOpSet: "(rule rule ...)" split like sdssplitargs
 * (quotes allowed inside), each rule applied to a fresh selector.
 */
function selectorFromRules(op: string, commands: AclCommands, pubsubAllChannels: boolean): AclSelector | AclRuleError {
  const selector = new AclSelector(commands, false, pubsubAllChannels);
  const inner = Buffer.from(op.slice(1, -1), 'latin1');
  // Unbalanced quotes split into nothing: Redis then creates an empty selector.
  for (const rule of splitInlineArguments(inner, inner.length) ?? []) {
    const error = selector.apply(rule);
    if (error) return error;
  }
  return selector;
}
