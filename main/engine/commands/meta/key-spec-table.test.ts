import { describe, expect, it } from 'vitest';
import { CommandTable } from '../command-table';
import { registerAllCommands } from '../index';
import type { ResolvedCommand } from '../command-spec';
import { KEY_SPECS } from './key-spec-table';
import { commandHasKeys } from './key-extraction';

function everyCommand(): ResolvedCommand[] {
  const table = new CommandTable();
  registerAllCommands(table);
  return [...table.all()].flatMap((command) => [command, ...table.subcommandsOf(command.spec.name)]);
}

describe('key spec table', () => {
  it('agrees with the legacy key positions every command declares', () => {
    const disagreements: string[] = [];
    for (const command of everyCommand()) {
      const declared = command.spec.keys;
      const derived = command.keyInfo.legacy;
      const same = declared === null ? derived === null : derived !== null && derived.first === declared.first && derived.last === declared.last && derived.step === declared.step;
      // Movable commands' legacy range is only a hint; channel-only specs (SSUBSCRIBE) are no keys.
      if (!same && !command.is.movablekeys && commandHasKeys(command.keyInfo)) disagreements.push(`${command.fullName}: declared ${JSON.stringify(declared)}, specs give ${JSON.stringify(derived)}`);
    }
    expect(disagreements).toEqual([]);
  });

  it('covers every registered command that declares keys', () => {
    for (const command of everyCommand()) {
      if (command.spec.keys !== null) expect(KEY_SPECS[command.fullName], command.fullName).toBeDefined();
    }
  });
});
