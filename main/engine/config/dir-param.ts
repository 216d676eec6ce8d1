/**
 * `dir`: redis-server chdir()s into it when the line is read (or at CONFIG
 * SET), so a relative value is relative to the directory in force then
 * (`dir a` then `dir b` is a/b), a missing one is refused with chdir's
 * strerror, and CONFIG GET prints getcwd(): absolute, symbolic links
 * resolved. The engine does not chdir (several nodes can share a process):
 * it stores that absolute, resolved directory and every file it opens is
 * resolved against it. Values are byte paths (util/byte-paths.ts).
 */
import { accessSync, constants, statSync } from 'node:fs';
import { fsPath, realpathBytes, resolveBytes } from '../util/byte-paths';
import { systemErrorText } from '../util/system-error-text';
import { cString } from '../util/c-string';

/** chdir(value) from the directory `current`: the directory it lands in, or strerror's text. The path ends at a NUL (a C string to chdir). */
export function changeDirectory(raw: string, current: string): { value: string } | { error: string } {
  const value = cString(raw);
  // chdir("") fails ENOENT, where resolving "" would stay put.
  if (value === '') return { error: 'No such file or directory' };
  try {
    const target = realpathBytes(resolveBytes(current), value);
    if (!statSync(fsPath(target)).isDirectory()) return { error: 'Not a directory' };
    accessSync(fsPath(target), constants.X_OK);
    return { value: target };
  } catch (failure) {
    return { error: systemErrorText(failure) };
  }
}

/** getcwd(): the stored directory (the default '.' is the process's own). */
export function currentDirectory(value: string): string {
  return resolveBytes(value);
}
