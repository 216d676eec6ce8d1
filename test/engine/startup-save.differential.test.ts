/**
 * `save` lines at startup, against redis-server 7.0.15: setConfigSaveOption
 * drops the default points at the first save line and adds each later
 * line's points, but config.c's reading_config_file is cleared when an
 * include's lines end, so every save line after an include (in the
 * including file, or a command-line --save) replaces the points instead.
 */
import { describe, expect, it } from 'vitest';
import { configScratch } from '../support/config-scratch';
import { withBothStarted } from '../support/startup-outcome';

const { dir, file } = configScratch('startup-save');

describe('save points from config lines and options', () => {
  it('accumulate until an include has been read, then each line replaces them', async () => {
    const inner = file('save 9000 1\n');
    const cases: Array<ReadonlyArray<string>> = [
      [file(`save 1000 2\ninclude ${inner}\nsave 5000 5 4000 4\n`)],
      [file(`save 1000 2\ninclude ${inner}\n`), '--save', '7000 7'],
      [file(`include ${inner}\nsave 6000 6\nsave 8000 8\n`)],
      [file('save 1000 2\nsave 2000 3\n'), '--save', '3000', '4'],
      [file('save ""\nsave 7000 7\n'), '--save', '8000 8'],
      [file('maxmemory 1mb\n'), '--save', '5000 5', '--save', '6000 6'],
      [file(`include ${inner}\n`)],
      [file('maxmemory 1mb\n')],
    ];
    for (const args of cases) {
      const saves: unknown[] = [];
      await withBothStarted(
        (port) => [...args, '--port', String(port)],
        dir,
        async (node) => {
          const connection = node.connect();
          try {
            saves.push(await connection.call('CONFIG', 'GET', 'save'));
          } finally {
            connection.close();
          }
        },
        { keepSave: true },
      );
      expect(saves[1], JSON.stringify(args)).toEqual(saves[0]);
    }
  }, 120_000);
});
