/**
 * Where the keys are in a propagated command, for the tap's by-prefix
 * breakdown and its samples.
 *
 * The engine's Redis 7.0 key-spec table (main/engine/commands/meta) is reused
 * rather than copied: key-spec-table.ts and key-spec.ts are plain data with
 * no imports beyond each other, and key-extraction.ts adds only functions of
 * argv (its one engine import is a type, erased at runtime). Nothing of the
 * engine's state, keyspace or server comes with them, so the console stays
 * an engine-free process apart from these tables.
 *
 * Positions only matter here, not flags: a command whose flags vary with its
 * arguments (SET ... GET, BITFIELD) still has its keys where its specs say;
 * the per-command procedures answer only where the specs cannot be followed
 * (SORT's STORE, MIGRATE's KEYS).
 *
 * The first key decides a command's prefix. Most commands have it at a fixed
 * index (their first spec is `index N`), found without looking at the
 * arguments; the others (keyword or key-count specs) read their arguments.
 */
import { KEY_NOT_KEY, type KeySpec } from '../../engine/commands/meta/key-spec';
import { keysUsingSpecs, resolveKeyInfo } from '../../engine/commands/meta/key-extraction';
import { KEY_SPECS } from '../../engine/commands/meta/key-spec-table';

interface KeyPlan {
  readonly specs: ReadonlyArray<KeySpec>;
  /** The first key's index when the first spec is a plain index (checked against argc), else -1. */
  readonly fixedFirst: number;
  readonly proc: ((argv: ReadonlyArray<string>) => ReadonlyArray<{ index: number }>) | null;
  readonly hasKeys: boolean;
}

const NO_KEYS: KeyPlan = { specs: [], fixedFirst: -1, proc: null, hasKeys: false };
const plans = new Map<string, KeyPlan>();

function planFor(fullName: string): KeyPlan {
  const cached = plans.get(fullName);
  if (cached) return cached;
  const specs = (KEY_SPECS[fullName] ?? []).filter((spec) => (spec.flags & KEY_NOT_KEY) === 0);
  const proc = resolveKeyInfo(fullName, specs).proc;
  const first = specs[0];
  const plan: KeyPlan = specs.length === 0 && proc === null
    ? NO_KEYS
    : { specs, proc, hasKeys: true, fixedFirst: first && first.beginSearch.type === 'index' && first.findKeys.type === 'range' ? first.beginSearch.index : -1 };
  plans.set(fullName, plan);
  return plan;
}

/** "xgroup create" -> "xgroup|create" when the container's subcommand has specs of its own. */
export function fullCommandName(name: string, second: Buffer | undefined): string {
  if (second === undefined || second.length > 32) return name;
  const candidate = `${name}|${second.toString('latin1').toLowerCase()}`;
  return KEY_SPECS[candidate] !== undefined ? candidate : name;
}

function argvStrings(args: readonly Buffer[]): string[] {
  return args.map((arg) => arg.toString('latin1'));
}

/** Indexes of every key argument (samples hide or show exactly these). */
export function keyIndexes(fullName: string, args: readonly Buffer[]): number[] {
  const plan = planFor(fullName);
  if (!plan.hasKeys) return [];
  const argv = argvStrings(args);
  const found = keysUsingSpecs(plan.specs, -1, argv) ?? plan.proc?.(argv) ?? [];
  return [...new Set(found.map((key) => key.index))].filter((index) => index < args.length).sort((a, b) => a - b);
}

/** The index of the first key argument, or -1 when the command has none. */
export function firstKeyIndex(fullName: string, args: readonly Buffer[]): number {
  const plan = planFor(fullName);
  if (!plan.hasKeys) return -1;
  if (plan.fixedFirst > 0) return plan.fixedFirst < args.length ? plan.fixedFirst : -1;
  return keyIndexes(fullName, args)[0] ?? -1;
}
