/**
 * Process boundaries: only main/app may import electron (the engine, the
 * console service, the transports, the contract and the renderer must run in
 * plain Node or a browser), and the renderer's shipped code (its tests run in
 * Node and may) never imports Node or main code.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(root, dir))) {
    const relative = path.join(dir, entry);
    if (statSync(path.join(root, relative)).isDirectory()) out.push(...sources(relative));
    else if (/\.(ts|vue|mjs)$/.test(entry)) out.push(relative);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  return [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1] ?? match[2] ?? match[3]!);
}

describe('process boundaries', () => {
  it('electron is imported only under main/app', () => {
    const offenders = ['main/engine', 'main/console', 'main/transport', 'main/web', 'shared', 'renderer/src']
      .flatMap(sources)
      .filter((file) => importsOf(file).some((specifier) => specifier === 'electron' || specifier.startsWith('electron/')));
    expect(offenders).toEqual([]);
    expect(sources('main/app').some((file) => importsOf(file).includes('electron'))).toBe(true);
  });

  it('the renderer imports neither Node built-ins nor main-process code', () => {
    const offenders = sources('renderer/src').filter((file) => !file.endsWith('.test.ts')).flatMap((file) =>
      importsOf(file).filter((specifier) => specifier.startsWith('node:') || /(^|\/)main\//.test(specifier)).map((specifier) => `${file}: ${specifier}`));
    expect(offenders).toEqual([]);
  });

  it('the preload bundles nothing but the channel names and the bridge type', () => {
    const imports = importsOf('main/app/preload.ts');
    expect(imports.filter((specifier) => !specifier.startsWith('electron') && !specifier.includes('shared/contract/'))).toEqual([]);
    expect(imports).toContain('../../shared/contract/ipc-channels');
  });

  it('the engine, the console service and the transports load in plain Node (no Electron runtime)', () => {
    const script = [
      "const engine = await import('./main/engine/node.ts');",
      "const service = await import('./main/console/create-console-service.ts');",
      "const web = await import('./main/transport/web-server.ts');",
      "const ipc = await import('./main/transport/ipc-router.ts');",
      "console.log([typeof engine.EngineNode, typeof service.createConsoleService, typeof web.startWebServer, typeof ipc.registerIpc].join(','));",
    ].join('\n');
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    expect(output.trim()).toBe('function,function,function,function');
  });
});
