/**
 * `user` lines at startup: config.c checks each as it reads it
 * (ACLAppendUserForLoading: a name defined before, a rule no user takes),
 * so a bad one stops startup at its own line, before any later line is
 * read; the users are created once the configuration is read, by the node
 * (acl-file.ts loadConfiguredUsers). The rules are tried on a user of the
 * startup command table (startup-commands.ts): the node's is not built yet.
 */
import { AclCommands } from '../acl/acl-commands';
import { checkUserLine } from '../acl/acl-file';
import { AclUser } from '../acl/acl-user';
import { startupCommandTable } from './startup-commands';

let commands: AclCommands | null = null;

function probeUser(name: string): AclUser {
  commands ??= new AclCommands(startupCommandTable());
  return new AclUser(name, commands, () => false);
}

/** One `user` line's arguments (after `user`), given the names of the lines before: config.c's error text, or null. */
export function userLineError(args: ReadonlyArray<string>, definedBefore: ReadonlyArray<string>): string | null {
  const checked = checkUserLine(probeUser, args, definedBefore);
  return 'error' in checked ? checked.error : null;
}
