import { describe, expect, it } from 'vitest';
import { printFloatsAsLua51 } from './lua-float-text51';
import { loadLuaModule } from './lua-wasm';

const heapWith = (...parts: string[]): { HEAPU8: Uint8Array } => {
  const heap = new Uint8Array(4096);
  heap.set(Buffer.from(parts.join(''), 'latin1'), 1024);
  return { HEAPU8: heap };
};

describe('printFloatsAsLua51', () => {
  it('empties the one NUL-bounded "-0123456789" in the static data', () => {
    const data = '\0-1e9999\0-0123456789\0utf8\0';
    const module = heapWith(data);
    printFloatsAsLua51(module);
    expect(Buffer.from(module.HEAPU8.subarray(1024, 1024 + data.length)).toString('latin1')).toBe('\0-1e9999\0\x000123456789\0utf8\0');
  });

  it('refuses a module where the literal is missing, only a longer string\'s tail, or there twice', () => {
    for (const module of [heapWith('\0nothing here\0'), heapWith('\0x-0123456789\0'), heapWith('\0-0123456789\0-0123456789\0')]) {
      expect(() => printFloatsAsLua51(module)).toThrow(/exactly once/);
    }
  });

  it('is applied to every Lua module the engine loads (the literal is already empty there)', async () => {
    const module = await loadLuaModule();
    expect(() => printFloatsAsLua51(module)).toThrow(/exactly once/);
    expect(Buffer.from(module.HEAPU8.subarray(0, 1 << 20)).includes(Buffer.from('\0\x000123456789\0', 'latin1'))).toBe(true);
  });
});
