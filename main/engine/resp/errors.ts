/**
 * Redis's shared error replies, word for word (server.c createSharedObjects
 * and the command files). Clients and tests match on these strings.
 */
import { error, type ErrorReply } from './reply';
import { cString } from '../util/c-string';

export const WRONGTYPE = error('WRONGTYPE Operation against a key holding the wrong kind of value');
export const SYNTAX = error('ERR syntax error');
export const NOT_INTEGER = error('ERR value is not an integer or out of range');
export const NOT_FLOAT = error('ERR value is not a valid float');
export const NO_SUCH_KEY = error('ERR no such key');
export const OUT_OF_RANGE = error('ERR index out of range');
export const NOAUTH = error('NOAUTH Authentication required.');
export const OOM = error("OOM command not allowed when used memory > 'maxmemory'.");
export const LOADING = error('LOADING Redis is loading the dataset in memory');
export const MASTERDOWN = error("MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.");
export const READONLY = error("READONLY You can't write against a read only replica.");
export const NOREPLICAS = error('NOREPLICAS Not enough good replicas to write.');
export const EXECABORT = error('EXECABORT Transaction discarded because of previous errors.');
export const BUSYKEY = error('BUSYKEY Target key name already exists.');
export const OVERFLOW = error('ERR increment or decrement would overflow');
export const INVALID_EXPIRE = (command: string): ErrorReply => error(`ERR invalid expire time in '${command}' command`);
export const TIMEOUT_NOT_FLOAT = error('ERR timeout is not a float or out of range');
export const TIMEOUT_NEGATIVE = error('ERR timeout is negative');
export const DB_INDEX_OUT_OF_RANGE = error('ERR DB index is out of range');

export function wrongArity(fullName: string): ErrorReply {
  return error(`ERR wrong number of arguments for '${fullName}' command`);
}

/**
 * "ERR unknown command 'x', with args beginning with: 'a' 'b' " (each arg
 * followed by a space, 128 chars max in all). Printed with "%.128s" and
 * "'%.*s' ": each argument ends at its first NUL.
 */
export function unknownCommand(argv: ReadonlyArray<string>): ErrorReply {
  const name = cStringArg(argv[0] ?? '').slice(0, 128);
  let args = '';
  for (let i = 1; i < argv.length && args.length < 128; i++) {
    args += `'${cStringArg(argv[i] ?? '').slice(0, 128 - args.length)}' `;
  }
  return error(`ERR unknown command '${sanitizeForError(name)}', with args beginning with: ${sanitizeForError(args)}`);
}

/** The subcommand is printed with "%.128s": it ends at its first NUL. */
export function unknownSubcommand(subcommand: string, command: string): ErrorReply {
  return error(`ERR unknown subcommand '${sanitizeForError(cStringArg(subcommand).slice(0, 128))}'. Try ${command.toUpperCase()} HELP.`);
}

/** addReplySubcommandSyntaxError: a subcommand the handler's own argument count check refused. */
export function subcommandSyntax(subcommand: string, command: string): ErrorReply {
  return error(`ERR unknown subcommand or wrong number of arguments for '${sanitizeForError(cStringArg(subcommand).slice(0, 128))}'. Try ${command.toUpperCase()} HELP.`);
}

/** Redis replaces CR and LF in error messages with spaces so the reply stays one line. */
export function sanitizeForError(text: string): string {
  return text.replace(/[\r\n]/g, ' ');
}

/**
 * An argument as addReplyErrorFormat's "%s" prints it: a C string, so it
 * ends at its first NUL byte ("EXPIRE k 1 \0x" says "Unsupported option ").
 * CR and LF become spaces when the reply is encoded.
 */
export function cStringArg(text: string): string {
  return cString(text);
}
