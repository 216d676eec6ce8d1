/**
 * The propagator's end-of-command contract: what reaches the stream, and
 * when the propagation queue counts as over (`released`, which drops the
 * OBJECT REFCOUNT marks of keyspace/argv-held-values.ts). Every flush and
 * discard releases, collected or not; a suspended script's detached
 * effects keep their argv held until they are attached back and flushed.
 */
import { describe, expect, it } from 'vitest';
import { Propagator } from './propagator';

function harness(wanted = true): { propagator: Propagator; emitted: string[]; releases: () => number } {
  const emitted: string[] = [];
  let released = 0;
  const propagator = new Propagator(
    (dbIndex, argv) => emitted.push(`${dbIndex}:${argv.join(' ')}`),
    () => wanted,
    () => released++,
  );
  return { propagator, emitted, releases: () => released };
}

describe('Propagator', () => {
  it('a single effect goes out bare, several inside MULTI/EXEC, each flush releasing once', () => {
    const { propagator, emitted, releases } = harness();
    propagator.add(0, ['SET', 'a', '1']);
    propagator.flush();
    expect(emitted).toEqual(['0:SET a 1']);
    expect(releases()).toBe(1);
    propagator.add(1, ['SET', 'b', '2']);
    propagator.add(2, ['DEL', 'c']);
    propagator.flush();
    expect(emitted).toEqual(['0:SET a 1', '1:MULTI', '1:SET b 2', '2:DEL c', '2:EXEC']);
    expect(releases()).toBe(2);
  });

  it('a flush with nothing collected still releases (no mark may outlive its command)', () => {
    const { propagator, emitted, releases } = harness();
    propagator.flush();
    expect(emitted).toEqual([]);
    expect(releases()).toBe(1);
    const idle = harness(false);
    idle.propagator.add(0, ['SET', 'a', '1']);
    idle.propagator.flush();
    expect(idle.emitted).toEqual([]);
    expect(idle.releases()).toBe(1);
  });

  it('discard drops what was collected and releases', () => {
    const { propagator, emitted, releases } = harness();
    propagator.add(0, ['SET', 'a', '1']);
    propagator.discard();
    propagator.flush();
    expect(emitted).toEqual([]);
    expect(releases()).toBe(2);
  });

  it('while a script is suspended its detached effects stay held: flushes in between emit others\' effects without releasing', () => {
    const { propagator, emitted, releases } = harness();
    propagator.add(0, ['SET', 'script', 'v']);
    const detached = propagator.detach();
    propagator.flush();
    propagator.add(0, ['DEL', 'other']);
    propagator.flush();
    propagator.discard();
    expect(emitted).toEqual(['0:DEL other']);
    expect(releases()).toBe(0);
    propagator.add(0, ['SET', 'script2', 'w']);
    propagator.attach(detached.concat(propagator.detach()));
    propagator.flush();
    expect(emitted).toEqual(['0:DEL other', '0:MULTI', '0:SET script v', '0:SET script2 w', '0:EXEC']);
    expect(releases()).toBe(1);
  });
});
