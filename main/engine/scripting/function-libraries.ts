/**
 * FUNCTION libraries (functions.c): library name -> code and functions,
 * function name -> function, with Redis's load, replace, delete, flush,
 * dump and restore semantics.
 *
 * Names: libraries are case-sensitive, functions case-insensitive (FCALL
 * TEST finds test), both [A-Za-z0-9_]+. A load is all or nothing: the
 * library's code runs in the functions state and registers its functions
 * into a pending library; only when that succeeded, registered at least
 * one function and collides with no other library's function is it linked
 * (replacing the old library of the same name when REPLACE was given).
 *
 * Persistence: each library is its code; RDB and FUNCTION DUMP write one
 * RDB_OPCODE_FUNCTION2 entry per library with the code as an RDB string.
 */
import type { RegisteredFunction } from './redis-api';
import { flagsFromNames, isValidName, parseLibraryMetadata, SCRIPT_FLAG_NAMES, type ScriptFlags } from './shebang';

export interface FunctionInfo {
  readonly name: string;
  readonly description: string | null;
  /** Flag names in Redis's order. */
  readonly flagNames: ReadonlyArray<string>;
  readonly flags: ScriptFlags;
  readonly ref: number;
  readonly library: Library;
}

export interface Library {
  readonly name: string;
  readonly engine: string;
  readonly code: string;
  readonly functions: Map<string, FunctionInfo>;
}

/** Runs a library's code so it registers its functions (the Lua side). */
export interface LibraryCompiler {
  /** Compiles and runs `code`; calls `register` for each redis.register_function. */
  load(code: string, timeoutMs: number, register: (fn: RegisteredFunction) => string): string | null;
  release(ref: number): void;
}

const NAME_ERROR = 'Library names can only contain letters, numbers, or underscores(_) and must be at least one character long';

export type RestorePolicy = 'flush' | 'append' | 'replace';

export class FunctionLibraries {
  libraries = new Map<string, Library>();
  functions = new Map<string, FunctionInfo>();

  constructor(private readonly compiler: LibraryCompiler) {}

  /**
   * functionsCreateWithLibraryCtx: compiles `payload` and links it into
   * `target` (this registry's maps by default). Returns the library name or
   * an error text (without the ERR code).
   */
  create(payload: string, replace: boolean, timeoutMs: number, target: { libraries: Map<string, Library>; functions: Map<string, FunctionInfo> } = this): { name: string } | { error: string } {
    const metadata = parseLibraryMetadata(payload);
    if ('error' in metadata) return metadata;
    if (!isValidName(metadata.name)) return { error: NAME_ERROR };
    if (metadata.engine.toUpperCase() !== 'LUA') return { error: `Engine '${metadata.engine}' not found` };
    const old = target.libraries.get(metadata.name);
    if (old && !replace) return { error: `Library '${metadata.name}' already exists` };
    const library: Library = { name: metadata.name, engine: 'LUA', code: payload, functions: new Map() };
    const registered: FunctionInfo[] = [];
    const failure = this.compiler.load(metadata.code, timeoutMs, (fn) => {
      if (!isValidName(fn.name)) return NAME_ERROR;
      const key = fn.name.toLowerCase();
      if (library.functions.has(key)) return 'Function already exists in the library';
      const flagNames = SCRIPT_FLAG_NAMES.filter((flag) => fn.flags.includes(flag));
      const info: FunctionInfo = { name: fn.name, description: fn.description, flagNames, flags: flagsFromNames(flagNames), ref: fn.ref, library };
      library.functions.set(key, info);
      registered.push(info);
      return '';
    });
    const discard = (error: string): { error: string } => {
      for (const info of registered) this.compiler.release(info.ref);
      return { error };
    };
    if (failure !== null) return discard(failure);
    if (library.functions.size === 0) return discard('No functions registered');
    for (const key of library.functions.keys()) {
      const existing = target.functions.get(key);
      if (existing && existing.library !== old) return discard(`Function ${existing.name} already exists`);
    }
    if (old) this.unlink(old, target, true);
    this.link(library, target);
    return { name: library.name };
  }

  private link(library: Library, target: { libraries: Map<string, Library>; functions: Map<string, FunctionInfo> }): void {
    target.libraries.set(library.name, library);
    for (const [key, info] of library.functions) target.functions.set(key, info);
  }

  private unlink(library: Library, target: { libraries: Map<string, Library>; functions: Map<string, FunctionInfo> }, release: boolean): void {
    target.libraries.delete(library.name);
    for (const key of library.functions.keys()) target.functions.delete(key);
    if (release) for (const info of library.functions.values()) this.compiler.release(info.ref);
  }

  delete(name: string): boolean {
    const library = this.libraries.get(name);
    if (!library) return false;
    this.unlink(library, this, true);
    return true;
  }

  flush(): void {
    for (const library of this.libraries.values()) for (const info of library.functions.values()) this.compiler.release(info.ref);
    this.libraries = new Map();
    this.functions = new Map();
  }

  /**
   * FUNCTION RESTORE / loading an RDB: the payloads are compiled into a new
   * set first; nothing changes unless all of them load and the policy's
   * collision rules hold.
   */
  restore(payloads: ReadonlyArray<string>, policy: RestorePolicy): string | null {
    const staged = { libraries: new Map<string, Library>(), functions: new Map<string, FunctionInfo>() };
    const dropStaged = (): void => {
      for (const library of staged.libraries.values()) for (const info of library.functions.values()) this.compiler.release(info.ref);
    };
    for (const payload of payloads) {
      const result = this.create(payload, false, 0, staged);
      if ('error' in result) {
        dropStaged();
        return result.error;
      }
    }
    if (policy === 'flush') {
      this.flush();
      this.libraries = staged.libraries;
      this.functions = staged.functions;
      return null;
    }
    const replaced: Library[] = [];
    for (const library of staged.libraries.values()) {
      const old = this.libraries.get(library.name);
      if (!old) continue;
      if (policy === 'append') {
        dropStaged();
        return `Library ${library.name} already exists`;
      }
      replaced.push(old);
    }
    for (const old of replaced) this.unlink(old, this, false);
    for (const [key, info] of staged.functions) {
      if (this.functions.has(key)) {
        for (const old of replaced) this.link(old, this);
        dropStaged();
        return `Function ${info.name} already exists`;
      }
    }
    for (const old of replaced) for (const info of old.functions.values()) this.compiler.release(info.ref);
    for (const library of staged.libraries.values()) this.link(library, this);
    return null;
  }

  /** Every library's payload (what FUNCTION DUMP and an RDB hold). */
  codes(): string[] {
    return [...this.libraries.values()].map((library) => library.code);
  }

  get functionCount(): number {
    return this.functions.size;
  }

  /** Rough bytes held by the registry (used_memory_functions): code and names. */
  memory(): number {
    let bytes = 0;
    for (const library of this.libraries.values()) {
      bytes += 64 + library.name.length + library.code.length;
      for (const info of library.functions.values()) bytes += 64 + info.name.length + (info.description?.length ?? 0);
    }
    return bytes;
  }
}
