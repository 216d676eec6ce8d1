/**
 * Users and selectors back to rules, the text ACL LIST, ACL GETUSER, ACL
 * SAVE and CONFIG REWRITE print (acl.c ACLDescribeUser and friends). The
 * text, applied to a fresh user, must rebuild exactly the same permissions.
 *
 * Command rules are found the way Redis finds them: start from +@all if the
 * selector has the "future commands" bit (only +@all sets it), else from
 * -@all; then, while some category has more commands in common with the
 * selector than commands that differ, apply the best one (fewest
 * differences, then most in common), in the category table's order; then
 * fix the remaining differences command by command, containers before their
 * subcommands, and list the first-arg exceptions of denied commands.
 */
import { ACL_CATEGORY_ORDER } from '../commands/meta/command-info';
import type { AclCommands } from './acl-commands';
import { AclSelector, PERMISSION_ALL, PERMISSION_READ, PERMISSION_WRITE, type KeyPattern } from './acl-selector';

export function describeCommandRules(selector: AclSelector, commands: AclCommands): string {
  const additive = !selector.futureCommands;
  const rules: string[] = [additive ? '-@all' : '+@all'];
  // `predicted` follows the rules emitted so far; `remaining` has the applied
  // categories undone, so each count only sees what is left to explain.
  const predicted = new AclSelector(commands, false, false);
  predicted.apply(rules[0]!);
  const remaining = new AclSelector(commands, false, false);
  remaining.allowed = selector.allowed.slice();
  const applied = new Set<number>();
  for (;;) {
    let best = -1;
    let minDiff = Number.MAX_SAFE_INTEGER;
    let maxSame = 0;
    ACL_CATEGORY_ORDER.forEach((category, index) => {
      if (applied.has(index)) return;
      let on = 0;
      let off = 0;
      for (const command of commands.all) {
        if (!commands.inCategory(command, category)) continue;
        if (remaining.isAllowed(commands.id(command))) on++;
        else off++;
      }
      const diff = additive ? off : on;
      const same = additive ? on : off;
      if (same > diff && (diff < minDiff || (diff === minDiff && same > maxSame))) {
        best = index;
        minDiff = diff;
        maxSame = same;
      }
    });
    if (best < 0) break;
    const category = ACL_CATEGORY_ORDER[best]!;
    predicted.setCategory(category, additive);
    remaining.setCategory(category, !additive);
    rules.push(`${additive ? '+' : '-'}@${category}`);
    applied.add(best);
  }
  for (const command of commands.all) {
    const id = commands.id(command);
    const allowed = selector.isAllowed(id);
    if (allowed !== predicted.isAllowed(id)) {
      rules.push(`${allowed ? '+' : '-'}${command.fullName}`);
      predicted.changePermission(command, allowed);
    }
    if (!allowed) {
      for (const arg of selector.firstArgs?.get(id) ?? []) rules.push(`+${command.fullName}|${arg}`);
    }
  }
  return rules.join(' ');
}

/** sdsCatPatternString: ~p for read and write, %R~p, %W~p. */
export function keyPatternString(key: KeyPattern): string {
  if (key.flags === PERMISSION_ALL) return `~${key.pattern}`;
  if (key.flags === PERMISSION_READ) return `%R~${key.pattern}`;
  if (key.flags === PERMISSION_WRITE) return `%W~${key.pattern}`;
  throw new Error(`key pattern ${key.pattern} has no permissions`);
}

/** ACLDescribeSelector: keys, channels (resetchannels first when restricted), command rules. */
export function describeSelector(selector: AclSelector, commands: AclCommands): string {
  const parts: string[] = [];
  if (selector.allKeys) parts.push('~*');
  else parts.push(...selector.keyPatterns.map(keyPatternString));
  if (selector.allChannels) parts.push('&*');
  else parts.push('resetchannels', ...selector.channels.map((channel) => `&${channel}`));
  parts.push(describeCommandRules(selector, commands));
  return parts.join(' ');
}

/** ACL GETUSER's "keys" field: ~* or the patterns separated by spaces. */
export function describeKeys(selector: AclSelector): string {
  return selector.allKeys ? '~*' : selector.keyPatterns.map(keyPatternString).join(' ');
}

/** ACL GETUSER's "channels" field: &* or the patterns, each with its &. */
export function describeChannels(selector: AclSelector): string {
  return selector.allChannels ? '&*' : selector.channels.map((channel) => `&${channel}`).join(' ');
}
