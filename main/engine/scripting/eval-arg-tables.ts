/**
 * KEYS and ARGV of the EVAL state, kept across runs and refilled in place.
 *
 * Redis builds two new tables per EVAL (luaCreateArray) and lets the
 * collector take the old ones. Here a new table costs a wasm call that
 * allocates in the Lua heap, plus the young collections that free it: about
 * 70 ns each, most of the cost of passing a key to a one-call script. So
 * the state keeps one KEYS and one ARGV table, and a run refills entries
 * 1..n and clears the entries the previous run had past n.
 *
 * Why nobody can tell the difference: a script is free to change its
 * KEYS and ARGV (Redis's are plain tables), but an EVAL script has no
 * place to keep anything between runs (the globals and every table reachable
 * from them are read-only, the script's only upvalue is _ENV, the registry
 * is out of reach without the debug library), so it can never hold last
 * run's table next to this run's. What it could notice is a change it made
 * surviving into the next run: so after every run each table is checked to
 * hold exactly the keys 1..n it was given, and no metatable; one that does
 * not is replaced by a new table (in the globals and in the registry).
 * FCALL passes its keys and arguments as new tables: a library's functions
 * share upvalues, so they could keep a table from one call to the next.
 *
 * The check reads the tables' shape from the heap (lua-table-shape.ts),
 * with no call into the VM; on a Lua build whose layout the reader does
 * not recognise, it walks them with lua_next.
 */
import { luaInteger, LUA_REGISTRYINDEX, type LuaRuntime, type LuaState } from './lua-runtime';
import { TableShapeReader } from './lua-table-shape';

interface ArgTable {
  /** Registry ref of the table, as a lua_Integer. */
  readonly ref: bigint;
  /** The global's name, as an interned C string. */
  readonly name: number;
  /** Entries 1..count hold this run's (or the last run's) values. */
  count: number;
  /** The table's address (lua_topointer; tables never move). */
  pointer: number;
}

export class EvalArgTables {
  private readonly keys: ArgTable;
  private readonly args: ArgTable;
  private readonly shape: TableShapeReader | null;

  /** `realGlobals` is the registry ref of the state's real globals table (not the sandbox's proxy). */
  constructor(private readonly rt: LuaRuntime, private readonly L: LuaState, private readonly realGlobals: bigint) {
    this.shape = TableShapeReader.create(rt, L);
    this.keys = this.create('KEYS');
    this.args = this.create('ARGV');
  }

  private create(name: string): ArgTable {
    const m = this.rt.m;
    const L = this.L;
    m._lua_createtable(L, 0, 0);
    const pointer = m._lua_topointer(L, -1);
    const table: ArgTable = { ref: luaInteger(m._luaL_ref(L, LUA_REGISTRYINDEX)), name: this.rt.cString(name), count: 0, pointer };
    this.install(table);
    return table;
  }

  /** Makes the table of `table.ref` the global `table.name`. */
  private install(table: ArgTable): void {
    const m = this.rt.m;
    const L = this.L;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, this.realGlobals);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, table.ref);
    m._lua_setfield(L, -2, table.name);
    m._lua_settop(L, -2);
  }

  /** KEYS = argv[3 .. 3+numkeys), ARGV = argv[3+numkeys ..) (EVAL's argument layout). */
  fill(argv: ReadonlyArray<string>, numkeys: number): void {
    this.fillTable(this.keys, argv, 3, 3 + numkeys);
    this.fillTable(this.args, argv, 3 + numkeys, argv.length);
  }

  private fillTable(table: ArgTable, argv: ReadonlyArray<string>, from: number, to: number): void {
    const count = to - from;
    if (count === table.count && this.holdsAlready(table, argv, from, count)) return;
    const m = this.rt.m;
    const L = this.L;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, table.ref);
    for (let i = 0; i < count; i++) {
      this.rt.pushString(L, argv[from + i]!);
      m._lua_rawseti(L, -2, luaInteger(i + 1));
    }
    for (let i = count + 1; i <= table.count; i++) {
      m._lua_pushnil(L);
      m._lua_rawseti(L, -2, luaInteger(i));
    }
    table.count = count;
    m._lua_settop(L, -2);
  }

  /**
   * Does the table hold argv[from .. from+count) at 1..count already (the
   * same key again, as a script run over and over is called)? Read from the
   * heap: the refill would store the same values (short strings are
   * interned: equal bytes are the same Lua string), and checkAfterRun made
   * sure the table has no other keys, so skipping it is invisible.
   */
  private holdsAlready(table: ArgTable, argv: ReadonlyArray<string>, from: number, count: number): boolean {
    if (count === 0) return true;
    const shape = this.shape;
    if (shape === null) return false;
    for (let i = 0; i < count; i++) {
      if (!shape.holdsShortString(table.pointer, i + 1, argv[from + i]!)) return false;
    }
    return true;
  }

  /** After a run: replaces a table the script changed beyond its values (see the top). */
  checkAfterRun(): void {
    const shape = this.shape;
    if (shape !== null) {
      if (!shape.holdsOnlyIndices(this.keys.pointer, this.keys.count)) this.replace(this.keys);
      if (!shape.holdsOnlyIndices(this.args.pointer, this.args.count)) this.replace(this.args);
      return;
    }
    if (!this.isPristine(this.keys)) this.replace(this.keys);
    if (!this.isPristine(this.args)) this.replace(this.args);
  }

  /** No metatable, and exactly the keys 1..count (values may have changed: the next fill overwrites them). */
  private isPristine(table: ArgTable): boolean {
    const m = this.rt.m;
    const L = this.L;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, table.ref);
    const index = m._lua_gettop(L);
    let pristine = m._lua_getmetatable(L, index) === 0;
    let seen = 0;
    if (pristine) {
      m._lua_pushnil(L);
      while (m._lua_next(L, index) !== 0) {
        // Key at -2, value at -1. Integer keys 1..count, each once, make `count` entries.
        const key = m._lua_isinteger(L, -2) !== 0 ? m._lua_tonumberx(L, -2, 0) : 0;
        seen++;
        if (key < 1 || key > table.count || seen > table.count) {
          pristine = false;
          break;
        }
        m._lua_settop(L, -2);
      }
    }
    m._lua_settop(L, index - 1);
    return pristine && seen === table.count;
  }

  private replace(table: ArgTable): void {
    const m = this.rt.m;
    const L = this.L;
    m._lua_createtable(L, 0, 0);
    table.pointer = m._lua_topointer(L, -1);
    m._lua_rawseti(L, LUA_REGISTRYINDEX, table.ref);
    table.count = 0;
    this.install(table);
  }
}
