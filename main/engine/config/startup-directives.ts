/**
 * The config-file lines that name no parameter, read as
 * loadServerConfigFromString reads them after its parameter lookup fails:
 * first the deprecated parameters it still accepts and ignores, then its
 * directives, each with its own argument count; anything else is refused at
 * its line ("Bad directive or wrong number of arguments").
 *
 * What the engine cannot do it refuses at the line, where redis-server
 * would act on it: rename-command (the command table is fixed; the names
 * are checked first, as redis-server checks them), include with a wildcard
 * (no glob(3) here). loadmodule lines and module parameters (a name with a
 * dot) are queued, as redis-server queues them, and refused once the
 * configuration is read (startup-modules.ts): no module loads here.
 */
import { lineError } from './startup-error';
import { renameCommandRefusal } from './startup-commands';

/** What a directive line asks for. */
export type Directive =
  | { readonly kind: 'ignore' }
  | { readonly kind: 'include'; readonly file: string }
  | { readonly kind: 'user'; readonly args: ReadonlyArray<string> }
  | { readonly kind: 'module-config' }
  | { readonly kind: 'loadmodule'; readonly path: string };

/** Deprecated parameters redis-server 7.0 accepts and ignores, with the argument count it accepts them with (argc counts the name). */
const DEPRECATED: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['list-max-ziplist-entries', [2, 2]],
  ['list-max-ziplist-value', [2, 2]],
  ['lua-replicate-commands', [2, 2]],
]);

const WILDCARD = /[*?[]/;

/** One directive line (`words[0]` already lower case), or the error redis-server reports for it. */
export function readDirective(words: ReadonlyArray<string>, lineNumber: number, line: string): Directive {
  const name = words[0]!;
  const argc = words.length;
  const deprecated = DEPRECATED.get(name);
  if (deprecated !== undefined && argc >= deprecated[0] && argc <= deprecated[1]) return { kind: 'ignore' };
  if (name === 'include' && argc === 2) {
    if (WILDCARD.test(words[1]!)) throw lineError(lineNumber, line, 'include with wildcards is not supported by this engine');
    return { kind: 'include', file: words[1]! };
  }
  if (name === 'rename-command' && argc === 3) throw lineError(lineNumber, line, renameCommandRefusal(words[1]!, words[2]!));
  if (name === 'user' && argc >= 2) return { kind: 'user', args: words.slice(1) };
  if (name === 'loadmodule' && argc >= 2) return { kind: 'loadmodule', path: words[1]! };
  if (name.includes('.')) {
    if (argc < 2) throw lineError(lineNumber, line, 'Module config specified without value');
    return { kind: 'module-config' };
  }
  if (name === 'sentinel') {
    // The bare word is main()'s business (sentinel mode comes from argv); with arguments it needs sentinel mode.
    if (argc === 1) return { kind: 'ignore' };
    throw lineError(lineNumber, line, 'sentinel directive while not in sentinel mode');
  }
  throw lineError(lineNumber, line, 'Bad directive or wrong number of arguments');
}
