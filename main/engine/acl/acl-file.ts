/**
 * Users from files: the ACL file (aclfile, ACL LOAD / ACL SAVE) and `user`
 * lines of the configuration (acl.c ACLLoadFromFile, ACLSaveToFile,
 * ACLAppendUserForLoading, ACLLoadConfiguredUsers).
 *
 * ACL file format, one user per line, blank lines allowed, no comments (the
 * file is rewritten by ACL SAVE):
 *
 *   user <name> <rule> <rule> ...
 *
 * Words are separated by single spaces (not shell-like: no quotes). ACL LOAD
 * builds a whole new set of users first; if any line is wrong nothing
 * changes and the reply lists every problem. Otherwise the new set replaces
 * the old one, the default user is updated in place (a fresh default one
 * when the file has none), and every client of every other old user is
 * disconnected (the users they held no longer exist, even if the file
 * defines users of the same names).
 */
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { fsPath, resolveBytes } from '../util/byte-paths';
import { aclRuleErrorMessage, hasSpaceOrNul } from './acl-errors';
import { mergeSelectorArguments, type Acl } from './acl-registry';
import type { AclUser } from './acl-user';
import type { Client } from '../server/client';
import { systemErrorText } from '../util/system-error-text';

/** The users a file defines, or every problem found (one line of text, as Redis reports them). */
export function parseAclFile(acl: Acl, text: string, filename: string): { users: Map<string, AclUser> } | { errors: string } {
  const users = new Map<string, AclUser>();
  let errors = '';
  text.split('\n').forEach((rawLine, index) => {
    const lineNumber = index + 1;
    const line = rawLine.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line.length === 0) return;
    const words = line.split(' ');
    if (words[0] !== 'user' || words.length < 2) {
      errors += `${filename}:${lineNumber} should start with user keyword followed by the username. `;
      return;
    }
    const name = words[1]!;
    if (hasSpaceOrNul(name)) {
      errors += `'${filename}:${lineNumber}: username '${name}' contains invalid characters. `;
      return;
    }
    if (users.has(name)) {
      errors += `WARNING: Duplicate user '${name}' found on line ${lineNumber}. `;
      return;
    }
    const user = acl.newUser(name);
    users.set(name, user);
    const merged = mergeSelectorArguments(words.slice(2));
    if ('unmatched' in merged) {
      errors += `${filename}:${lineNumber}: Unmatched parenthesis in selector definition.`;
      return;
    }
    let syntaxErrorSeen = false;
    for (const rawRule of merged.rules) {
      const rule = rawRule.replace(/^[\t\r\n]+|[\t\r\n]+$/g, '');
      const failure = user.apply(rule);
      if (failure === 'unknown-name') {
        errors += `${filename}:${lineNumber}: Error in applying operation '${rule}': ${aclRuleErrorMessage(failure)}. `;
      } else if (failure && !syntaxErrorSeen) {
        // Only the first other error of a line: later ones may just follow from it.
        errors += `${filename}:${lineNumber}: ${aclRuleErrorMessage(failure)}. `;
        syntaxErrorSeen = true;
      }
    }
  });
  return errors.length > 0 ? { errors } : { users };
}

/**
 * Where the aclfile is: a relative name is relative to `dir`, where Redis's
 * working directory is (it chdirs there), while messages name the file as
 * configured.
 */
export function aclFilePath(filename: string, dir: string): string {
  return resolveBytes(dir, filename);
}

/**
 * ACL LOAD (and aclfile at startup). Returns null, or the error text Redis
 * replies with. `caller` is closed after its reply if it loses its user.
 */
export function loadAclFile(acl: Acl, filename: string, dir: string, caller: Client | null): string | null {
  let text: string;
  try {
    text = readFileSync(fsPath(aclFilePath(filename, dir)), 'latin1');
  } catch (failure) {
    return `Error loading ACLs, opening file '${filename}': ${systemErrorText(failure)}`;
  }
  const parsed = parseAclFile(acl, text, filename);
  if ('errors' in parsed) return `${parsed.errors}WARNING: ACL errors detected, no change to the previously active ACL rules was performed`;
  const replaced = [...acl.users.values()].filter((user) => user !== acl.defaultUser);
  acl.defaultUser.assign(parsed.users.get('default') ?? acl.newDefaultUser());
  acl.users.clear();
  acl.users.set('default', acl.defaultUser);
  for (const [name, user] of parsed.users) if (name !== 'default') acl.users.set(name, user);
  acl.defaultUserChanged();
  acl.disconnectClientsOf(replaced, caller);
  return null;
}

/** The ACL file text for the current users (ACL SAVE, sorted by name). */
export function aclFileText(acl: Acl): string {
  return acl.sortedUsers().map((user) => `user ${user.name} ${user.describe()}\n`).join('');
}

/**
 * ACL SAVE: writes a temporary file next to the target, then renames it
 * over. Returns null, or the reason to log (the reply is generic).
 */
export function saveAclFile(acl: Acl, filename: string, dir: string): string | null {
  const target = aclFilePath(filename, dir);
  const temporary = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(fsPath(temporary), aclFileText(acl), { encoding: 'latin1', mode: 0o644 });
  } catch (failure) {
    return `Opening temp ACL file for ACL SAVE: ${systemErrorText(failure)}`;
  }
  try {
    renameSync(fsPath(temporary), fsPath(target));
  } catch (failure) {
    try {
      unlinkSync(fsPath(temporary));
    } catch {
      // Already gone.
    }
    return `Renaming ACL file for ACL SAVE: ${systemErrorText(failure)}`;
  }
  return null;
}

/**
 * ACLAppendUserForLoading's check of one `user` line (`args`: its words
 * after `user`) as the line is read: a name defined before is refused, and
 * each rule is tried on a new user, a rule naming an unknown command or
 * category passing (a module may add it). The rules, selectors merged, or
 * the error text config.c reports for the line ("Error in user declaration
 * '<word>': <reason>").
 */
export function checkUserLine(newUser: (name: string) => AclUser, args: ReadonlyArray<string>, definedBefore: ReadonlyArray<string>): { rules: string[] } | { error: string } {
  const words = ['user', ...args];
  const name = words[1];
  if (name === undefined) return { error: "Error in user declaration 'user': Syntax error" };
  if (definedBefore.includes(name)) return { error: `Error in user declaration '${name}': ${aclRuleErrorMessage('duplicate-user')}` };
  const merged = mergeSelectorArguments(words.slice(2));
  // Redis names words[i] for the failing rule's index i among the rules, two
  // words early (the line's words start with "user" and the name).
  if ('unmatched' in merged) {
    // An unclosed selector sets no errno of its own: the reason is ACLSetUserStringError() of the
    // errno left by earlier calls, which is ENOENT ("Unknown command or category name") in redis-server 7.0.15.
    return { error: `Error in user declaration '${words[merged.unmatchedIndex] ?? ''}': ${aclRuleErrorMessage('unknown-name')}` };
  }
  const probe = newUser(name);
  for (let index = 0; index < merged.rules.length; index++) {
    const failure = probe.apply(merged.rules[index]!);
    if (failure && failure !== 'unknown-name') return { error: `Error in user declaration '${words[index] ?? ''}': ${aclRuleErrorMessage(failure)}` };
  }
  return { rules: merged.rules };
}

/**
 * `user <name> <rules...>` lines of the configuration (each its arguments
 * after `user`, a rule keeping any spaces it was quoted with), checked as they are
 * read (ACLAppendUserForLoading: a rule naming an unknown command is let
 * through here and fails when the users are created), then created in
 * order; `user default` resets and redefines the default user. Returns the
 * fatal error text, or null; `notice` receives the warnings Redis logs.
 */
export function loadConfiguredUsers(acl: Acl, lines: ReadonlyArray<ReadonlyArray<string>>, notice: (message: string) => void): string | null {
  const pending: Array<{ name: string; rules: string[] }> = [];
  for (const line of lines) {
    const checked = checkUserLine((name) => acl.newUser(name), line, pending.map((user) => user.name));
    if ('error' in checked) return checked.error;
    pending.push({ name: line[0]!, rules: checked.rules });
  }
  for (const { name, rules } of pending) {
    if (hasSpaceOrNul(name)) return 'Spaces not allowed in ACL usernames';
    let user = acl.users.get(name);
    if (user) {
      user.apply('reset');
    } else {
      user = acl.newUser(name);
      acl.users.set(name, user);
    }
    for (const rule of rules) {
      const failure = user.apply(rule);
      if (failure) return `Error loading ACL rule '${rule}' for the user named '${name}': ${aclRuleErrorMessage(failure)}`;
    }
    if (user === acl.defaultUser) acl.defaultUserChanged();
    if (!user.enabled) notice(`The user '${name}' is disabled (there is no 'on' modifier in the user description). Make sure this is not a configuration error.`);
  }
  return null;
}
