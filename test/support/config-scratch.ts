/**
 * A scratch directory of config files for one startup differential test
 * file, removed when the file's tests end: `file(text)` writes the next
 * `case-N.conf` and returns its path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export interface ConfigScratch {
  readonly dir: string;
  file(text: string): string;
}

export function configScratch(name: string): ConfigScratch {
  const dir = mkdtempSync(path.join(tmpdir(), `replscope-${name}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let files = 0;
  return {
    dir,
    file(text: string): string {
      const full = path.join(dir, `case-${files++}.conf`);
      writeFileSync(full, text);
      return full;
    },
  };
}
