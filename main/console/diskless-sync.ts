/**
 * Whether a master sends a full sync's RDB straight to the socket
 * (repl-diskless-sync yes) rather than saving it to disk first, from its
 * CONFIG GET value. Unknown (CONFIG GET denied, not read yet) counts as
 * diskless, redis-server 7.0's default: only a master that says "no" is
 * treated as saving to disk.
 */
export function isDisklessSync(value: string | undefined | null): boolean {
  return value !== 'no';
}
