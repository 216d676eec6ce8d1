/**
 * Where the packaged app reads the Lua VM's .wasm: a path resolved inside
 * app.asar is read from app.asar.unpacked when electron-builder unpacked
 * the file there (asarUnpack), and kept otherwise.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { asarUnpackedPath } from './lua-wasm';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe('asarUnpackedPath', () => {
  it('reads an unpacked file beside the archive, keeps other paths', () => {
    dir = mkdtempSync(path.join(tmpdir(), 'replscope-asar-'));
    const inArchive = path.join(dir, 'resources', 'app.asar', 'node_modules', 'wasmoon', 'dist', 'glue.wasm');
    const unpacked = path.join(dir, 'resources', 'app.asar.unpacked', 'node_modules', 'wasmoon', 'dist', 'glue.wasm');
    expect(asarUnpackedPath(inArchive)).toBe(inArchive);
    mkdirSync(path.dirname(unpacked), { recursive: true });
    writeFileSync(unpacked, 'wasm');
    expect(asarUnpackedPath(inArchive)).toBe(unpacked);
    const development = path.join(dir, 'node_modules', 'wasmoon', 'dist', 'glue.wasm');
    expect(asarUnpackedPath(development)).toBe(development);
  });
});
