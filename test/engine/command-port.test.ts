/**
 * Commands reach the node only through the command port
 * (main/engine/commands/port/command-node.ts): no file under
 * main/engine/commands imports node.ts, directly or through another module,
 * so no import circle joins commands/ and node.ts. Type imports count: the
 * rule is about what a command may touch, not about emitted JavaScript.
 *
 * When this fails, the message names the import chain. Add what the command
 * needs to the port (a narrow view under commands/port/) instead of
 * importing the module that holds the node.
 */
import { describe, expect, it } from 'vitest';
import { buildImportGraph, importCycles, importPath, type ImportGraph } from '../../scripts/import-graph/import-graph';

const graph = buildImportGraph('main/engine');
const commandFiles = [...graph.edges.keys()].filter((file) => file.startsWith('commands/'));

describe('the command port', () => {
  it('sees the engine as it is (so the checks below are not vacuous)', () => {
    expect(commandFiles.length).toBeGreaterThan(60);
    expect(graph.edges.get('node.ts')?.has('commands/index.ts')).toBe(true);
    expect(graph.edges.get('commands/command-context.ts')?.has('commands/port/command-node.ts')).toBe(true);
  });

  it('no file under commands/ imports node.ts', () => {
    const importers = commandFiles.filter((file) => graph.edges.get(file)?.has('node.ts'));
    expect(importers).toEqual([]);
  });

  it('no file under commands/ reaches node.ts through another module', () => {
    const chains = commandFiles
      .map((file) => importPath(graph, file, 'node.ts'))
      .filter((chain): chain is string[] => chain !== null)
      .map((chain) => chain.join(' -> '));
    expect(chains).toEqual([]);
  });

  it('no import circle holds both node.ts and a file under commands/', () => {
    const joined = importCycles(graph).filter((cycle) => cycle.includes('node.ts') && cycle.some((file) => file.startsWith('commands/')));
    expect(joined).toEqual([]);
  });
});

describe('the import graph', () => {
  const synthetic = (edges: Record<string, string[]>): ImportGraph => ({
    root: '/',
    edges: new Map(Object.entries(edges).map(([file, targets]) => [file, new Set(targets)])),
  });

  it('finds each circle once, largest first, and leaves acyclic files out', () => {
    const cycles = importCycles(
      synthetic({ a: ['b'], b: ['c'], c: ['a', 'd'], d: ['e'], e: ['d'], f: ['a'], g: ['g'] }),
    );
    expect(cycles).toEqual([['a', 'b', 'c'], ['d', 'e'], ['g']]);
  });

  it('gives the shortest import chain, or null when there is none', () => {
    const edges = synthetic({ a: ['b', 'c'], b: ['d'], c: ['d'], d: [] });
    expect(importPath(edges, 'a', 'd')).toEqual(['a', 'b', 'd']);
    expect(importPath(edges, 'd', 'a')).toBeNull();
  });

  it('counts type imports, export-from and import() types', () => {
    const folder = buildImportGraph('scripts/import-graph/fixture');
    expect([...(folder.edges.get('a.ts') ?? [])].sort()).toEqual(['b.ts', 'c/index.ts', 'd.ts']);
  });
});
