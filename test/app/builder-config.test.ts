/**
 * The packaging configuration, checked without running electron-builder (it
 * needs the Electron binary): every key is one electron-builder knows (from
 * its own JSON schema), the targets and fuses are the ones we promise, the
 * files list ships only the build output, the Lua VM's .wasm is unpacked
 * from the archive, and the icons are real PNGs.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
interface BuilderConfig {
  appId: string;
  productName: string;
  icon: string;
  asar: boolean;
  asarUnpack: string[];
  files: string[];
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  electronFuses: Record<string, boolean>;
}
const config = JSON.parse(readFileSync(path.join(root, 'build/electron-builder.json'), 'utf8')) as BuilderConfig;
const schema = JSON.parse(readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as { properties: Record<string, unknown>; definitions: Record<string, { properties?: Record<string, unknown> }> };

function pngSize(file: string): [number, number] {
  const bytes = readFileSync(path.join(root, file));
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('electron-builder configuration', () => {
  it('uses only keys electron-builder knows', () => {
    expect(Object.keys(config).filter((key) => !(key in schema.properties))).toEqual([]);
    const fuseKeys = Object.keys(schema.definitions.FuseOptionsV1!.properties!);
    expect(Object.keys(config.electronFuses).filter((key) => !fuseKeys.includes(key))).toEqual([]);
  });

  it('names the app and builds AppImage, deb, dmg and nsis', () => {
    expect(config.appId).toMatch(/^[a-z0-9.-]+$/);
    expect(config.productName).toBe('Replscope');
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toContain('dmg');
    expect(config.win.target).toContain('nsis');
  });

  it('turns the dangerous fuses off', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
    expect(config.asar).toBe(true);
  });

  it('ships the build output only: no sources, tests, benchmarks or source maps', () => {
    const files = config.files;
    expect(files).toContain('out/**/*');
    for (const excluded of ['!test/**', '!bench/**', '!main/**', '!renderer/**', '!**/*.ts', '!out/**/*.map']) expect(files).toContain(excluded);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };
    expect(pkg.main).toBe('./out/main/index.js');
    expect(pkg.scripts.dist).toContain('electron-builder --config build/electron-builder.json');
  });

  it("unpacks the Lua VM's WebAssembly file, which the engine's worker threads read with plain fs", () => {
    // lua-wasm.ts resolves wasmoon/dist/glue.wasm and reads it from app.asar.unpacked when packaged.
    expect(config.asarUnpack).toContain('node_modules/wasmoon/dist/glue.wasm');
    expect(existsSync(path.join(root, 'node_modules/wasmoon/dist/glue.wasm'))).toBe(true);
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // A runtime dependency, so electron-builder ships it in the app's node_modules (electron-vite leaves it external).
    expect(pkg.dependencies.wasmoon).toBeDefined();
  });

  it('has real icons', () => {
    expect(pngSize(config.icon)).toEqual([512, 512]);
    for (const size of [128, 256, 512]) expect(pngSize(`build/icons/${size}x${size}.png`)).toEqual([size, size]);
  });
});
