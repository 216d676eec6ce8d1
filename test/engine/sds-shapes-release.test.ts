/**
 * Database.sdsShapes (the allocation shapes APPEND, SETRANGE, SETBIT and
 * BITFIELD leave on strings grown in place) goes back to null once its last
 * key is gone, so later key writes in that db skip the map entirely.
 */
import { afterEach, expect, it } from 'vitest';
import { startEngine, stopAllEngines } from '../support/engine';

afterEach(() => stopAllEngines());

it('the map of in-place shapes is dropped when its last key is deleted or overwritten', async () => {
  const engine = await startEngine();
  const db = engine.node.keyspace.db(0);
  // Strings that exist and grow in place (a new key is made as SET makes it: no shape).
  await engine.call('SET', 'a', 'x');
  await engine.call('APPEND', 'a', 'yz');
  await engine.call('SET', 'b', 'xy');
  await engine.call('SETRANGE', 'b', '2', 'q');
  expect(db.sdsShapes?.size).toBe(2);
  await engine.call('DEL', 'a');
  expect(db.sdsShapes?.size).toBe(1);
  await engine.call('SET', 'b', 'plain');
  expect(db.sdsShapes).toBeNull();
  await engine.call('SET', 'c', 'plain');
  expect(db.sdsShapes).toBeNull();
});
