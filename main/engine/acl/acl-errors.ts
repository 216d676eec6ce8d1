/**
 * Why an ACL rule could not be applied (acl.c sets errno; ACLSetUserStringError
 * turns it into these sentences, which ACL SETUSER, ACL LOAD and config
 * loading quote word for word).
 */
export type AclRuleError =
  /** A command or category name after + or - that does not exist. */
  | 'unknown-name'
  /** An operation not understood, or a pattern with spaces or NUL. */
  | 'syntax'
  /** A key pattern after `~*` / allkeys. */
  | 'key-after-all'
  /** A channel pattern after `&*` / allchannels. */
  | 'channel-after-all'
  /** `<pass` / `!hash` naming a password the user does not have. */
  | 'no-such-password'
  /** `#hash` / `!hash` that is not 64 lowercase hex chars. */
  | 'bad-hash'
  /** The same user defined twice in the config. */
  | 'duplicate-user'
  /** `+cmd|sub|arg`: a first-arg rule on a subcommand. */
  | 'first-arg-of-subcommand';

const MESSAGES: Readonly<Record<AclRuleError, string>> = {
  'unknown-name': 'Unknown command or category name in ACL',
  syntax: 'Syntax error',
  'key-after-all':
    "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
  'channel-after-all':
    "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
  'no-such-password': 'The password you are trying to remove from the user does not exist',
  'bad-hash': 'The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters',
  'duplicate-user': 'Duplicate user found. A user can only be defined once in config files',
  'first-arg-of-subcommand': 'Allowing first-arg of a subcommand is not supported',
};

export function aclRuleErrorMessage(error: AclRuleError): string {
  return MESSAGES[error];
}

/** ACLStringHasSpaces: C isspace() in the C locale, or NUL. Usernames and patterns may not contain them. */
export function hasSpaceOrNul(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || (code >= 0x09 && code <= 0x0d) || code === 0) return true;
  }
  return false;
}
