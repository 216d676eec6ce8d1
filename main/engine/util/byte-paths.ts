/**
 * File paths as redis-server holds them: bytes. A path reaches the engine
 * the way every value does, as a latin1 string (one char a byte: argv's
 * UTF-8 bytes, a config file's bytes, a CONFIG SET argument), so the path
 * `/tmp/dätä` given in UTF-8 is the 10-char string of its bytes. Node's fs
 * would encode such a string as UTF-8 again (each byte above 0x7f becoming
 * two), naming another file; a Buffer of the bytes names the file the bytes
 * name. Resolving works on the latin1 form as is: `/` and `.` are the same
 * byte in both.
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';

/** The bytes of a latin1 path, as fs and net calls take them. */
export function fsPath(bytes: string): Buffer {
  return Buffer.from(bytes, 'latin1');
}

/** getcwd(): the process's working directory as bytes. */
export function cwdBytes(): string {
  return Buffer.from(process.cwd(), 'utf8').toString('latin1');
}

/** path.resolve on byte paths: relative segments against the working directory's bytes. */
export function resolveBytes(...segments: ReadonlyArray<string>): string {
  return path.resolve(cwdBytes(), ...segments);
}

/**
 * realpath(3) of a byte path, as bytes; throws fs's error (its code is
 * errno's name). The path is joined to `from` unnormalized and resolved by
 * the C library, as chdir() then getcwd() would: `link/..` is the parent of
 * the link's target, not the directory holding the link (path.resolve and
 * fs.realpathSync fold `..` lexically before following links).
 */
export function realpathBytes(from: string, bytes: string): string {
  const joined = path.isAbsolute(bytes) ? bytes : `${from}/${bytes}`;
  return realpathSync.native(fsPath(joined), { encoding: 'buffer' }).toString('latin1');
}
