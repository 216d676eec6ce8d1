/**
 * Lua 5.1 prints every number with "%.14g": 10/2 .. '' is "5", 2^53 .. ''
 * is "9.007199254741e+15". Lua 5.4, which the engine runs, formats a float
 * the same way and then, in lobject.c's tostringbuff, appends ".0" when
 * the text "looks like an int":
 *
 *     if (buff[strspn(buff, "-0123456789")] == '\0') { buff[len++] = '.'; buff[len++] = '0'; }
 *
 * That one conversion (luaO_tostring) is behind `..`, lua_tolstring and so
 * every C function that takes a string (string.len(2.0), redis.sha1hex(3.0),
 * gsub ...), out of reach of the Lua-level wrappers in lua-compat51*.ts.
 *
 * The literal "-0123456789" lives once in the module's static data. Making
 * it the empty string there (its first byte NUL) turns the test into
 * `buff[0] == '\0'`, false for any number's text, so floats print as 5.1
 * prints them. Nothing else in the module reads that literal (lobject.c is
 * its only user in Lua 5.4; checked: it occurs once in the data, between
 * lstrlib's "-1e9999" and the next literal). Integers (5.4's subtype) still
 * print in full with "%lld": they differ from 5.1 only from 1e14 up
 * (5.1: "1e+14"), which the README lists among the differences left.
 */
import type { LuaModule } from './lua-wasm';

/** The literal with the NULs that bound it in the data segment, so a longer string ending in it cannot match. */
const LITERAL = Buffer.from('\0-0123456789\0', 'latin1');
/** Static data starts at the bottom of the linear memory (Emscripten's GLOBAL_BASE is 1024); the literal sits in its first pages. */
const SEARCH_LIMIT = 1 << 20;

/**
 * Finds the literal in the module's static data and empties it. Throws
 * when it is not there exactly once: a Lua build other than the one this
 * was written for, where printing floats as 5.1 must be looked at again.
 */
export function printFloatsAsLua51(module: Pick<LuaModule, 'HEAPU8'>): void {
  const heap = module.HEAPU8;
  const data = Buffer.from(heap.buffer, heap.byteOffset, Math.min(heap.length, SEARCH_LIMIT));
  const at = data.indexOf(LITERAL);
  if (at < 0 || data.indexOf(LITERAL, at + 1) >= 0) {
    throw new Error('the Lua WebAssembly module does not hold tostringbuff\'s "-0123456789" exactly once: floats cannot be printed as Lua 5.1 prints them');
  }
  heap[at + 1] = 0;
}
