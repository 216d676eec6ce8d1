/**
 * moduleLoadFromQueue, once redis-server is initialized: each loadmodule
 * path in order goes to moduleLoad (a file without execute permission is
 * refused, else dlopen), and the first that fails is logged and aborts
 * startup; then a module parameter no module took aborts it. The engine
 * loads no modules: the first queued path is refused with what redis-server
 * logs for it when the file cannot be opened (dlerror's text), or with the
 * engine's reason when it could be.
 */
import { statSync } from 'node:fs';
import { fsPath, resolveBytes } from '../util/byte-paths';
import { systemErrorText } from '../util/system-error-text';

/** Why moduleLoad refuses `path` (relative to `dir`, the directory redis-server is in by then). */
function moduleLoadFailure(path: string, dir: string): string {
  let mode: number;
  try {
    mode = statSync(fsPath(resolveBytes(dir, path))).mode;
  } catch (failure) {
    return `${path}: cannot open shared object file: ${systemErrorText(failure)}`;
  }
  if ((mode & 0o111) === 0) return 'It does not have execute permissions.';
  // dlopen looks for a name without a slash in the library directories only, not the working directory.
  if (!path.includes('/')) return `${path}: cannot open shared object file: No such file or directory`;
  return 'this engine cannot load modules';
}

/** The warnings redis-server logs before exiting 1, or null when nothing is queued. */
export function moduleQueueRefusal(paths: ReadonlyArray<string>, moduleConfig: boolean, dir: string): string[] | null {
  const first = paths[0];
  if (first !== undefined) return [`Module ${first} failed to load: ${moduleLoadFailure(first, dir)}`, `Can't load module from ${first}: server aborting`];
  if (moduleConfig) return ['Module Configuration detected without loadmodule directive or no ApplyConfig call: aborting'];
  return null;
}
