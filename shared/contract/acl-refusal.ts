/**
 * Why the connected ACL user cannot use an action, in words true on the
 * node. The console learns permissions with ACL DRYRUN
 * (main/console/monitor/capabilities.ts). Two different answers:
 *  - ACL DRYRUN refused a command: the user may not run it, and DRYRUN's
 *    own answer says so;
 *  - the user may not run ACL DRYRUN itself: nothing was checked. The
 *    action stays refused (the console does not guess), but saying "may not
 *    run" would be false for a user that can (`+@all -acl|dryrun`), so the
 *    refusal says it could not check, with the node's NOPERM line.
 * The preflight (main/console/service/actions.ts) and the Controls tab
 * (renderer/src/utils/controls.ts) both say it with this function.
 */
import type { Capabilities } from './sessions';

const commandWord = (name: string): string => name.replace('|', ' ').toUpperCase();

/** The refusal for an action needing `names`, or null when the user may run them all. */
export function aclRefusal(capabilities: Capabilities, names: readonly string[]): string | null {
  const refused = names.filter((name) => capabilities.commands[name] === false);
  if (refused.length === 0) return null;
  const answers = capabilities.dryrunAnswers ?? {};
  const unchecked = capabilities.uncheckedBecause ?? null;
  const denied = refused.filter((name) => answers[name] !== undefined || unchecked === null);
  if (denied.length > 0) {
    const said = [...new Set(denied.map((name) => answers[name]).filter((answer) => answer !== undefined))];
    return `the connected ACL user may not run ${denied.map(commandWord).join(', ')}${said.length > 0 ? `: ACL DRYRUN answered ${said.map((answer) => `"${answer}"`).join(', ')}` : ''}`;
  }
  // The grant helps only when the node refused the check for permission (NOPERM); another error
  // (no ACL DRYRUN before Redis 7.0, "ERR User '…' not found") is quoted as it is.
  const hint = unchecked!.startsWith('NOPERM') ? ' (grant +acl|dryrun to let it check)' : '';
  return `the console could not check whether the connected ACL user may run ${refused.map(commandWord).join(', ')}: ACL DRYRUN answered "${unchecked}"${hint}`;
}
