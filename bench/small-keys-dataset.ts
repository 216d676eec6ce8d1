/**
 * The "1M small keys built by commands" dataset of issue 19, as one command
 * per key, deterministic in the key's number so both servers get the same
 * bytes:
 *
 *   i % 3 == 0   SET session:<i> <24-byte token>
 *   i % 3 == 1   HSET user:<i> name user<i> email user<i>@example.com visits <n> plan free|pro
 *   i % 3 == 2   ZADD board:<i> five members player:<n>, integer and fractional scores
 *
 * Every collection stays under Redis's listpack limits (128 entries, 64-byte
 * elements), as such keys do in applications.
 */

/** A cheap deterministic mix of the key's number (no Math.random: both servers must get the same data). */
function mix(i: number, salt: number): number {
  let x = Math.imul(i ^ salt, 0x9e3779b1);
  x ^= x >>> 15;
  x = Math.imul(x, 0x85ebca6b);
  return (x ^ (x >>> 13)) >>> 0;
}

function token(i: number): string {
  return (mix(i, 1).toString(36) + mix(i, 2).toString(36) + mix(i, 3).toString(36)).padEnd(24, '0').slice(0, 24);
}

export function smallKeyCommand(i: number): ReadonlyArray<string> {
  switch (i % 3) {
    case 0:
      return ['SET', `session:${i}`, token(i)];
    case 1:
      return ['HSET', `user:${i}`, 'name', `user${i}`, 'email', `user${i}@example.com`, 'visits', String(mix(i, 4) % 5000), 'plan', mix(i, 5) % 4 === 0 ? 'pro' : 'free'];
    default: {
      const command = ['ZADD', `board:${i}`];
      for (let k = 0; k < 5; k++) {
        const score = k % 2 === 0 ? String(mix(i, 10 + k) % 100_000) : ((mix(i, 10 + k) % 100_000) / 8).toString();
        command.push(score, `player:${mix(i, 20 + k) % 1_000_000}`);
      }
      return command;
    }
  }
}
