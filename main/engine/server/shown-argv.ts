import type { CommandContext } from '../commands/command-context';

/** The command's argv as SLOWLOG and MONITOR show it. */
export function shownArgv(ctx: CommandContext): ReadonlyArray<string> {
  return ctx.redactedArgs === null ? ctx.argv : redacted(ctx.argv, ctx.redactedArgs);
}

/** argv with the given arguments replaced by "(redacted)", as SLOWLOG and MONITOR show them. */
function redacted(argv: ReadonlyArray<string>, indexes: ReadonlyArray<number>): string[] {
  const shown = [...argv];
  for (const index of indexes) if (index < shown.length) shown[index] = '(redacted)';
  return shown;
}
