/**
 * The name a deployment's files go under in the data directory (its on-disk
 * history, its kept alerts): the profile id, made safe as a file name; the
 * demo (no profile) is `demo`. A profile keeps its id across restarts of the
 * console, so what was written under it is found again on the next connect.
 */
export function deploymentKey(profileId: string | null): string {
  return (profileId ?? 'demo').replace(/[^A-Za-z0-9_-]/g, '_');
}
