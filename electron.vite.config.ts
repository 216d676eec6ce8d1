/**
 * electron-vite build of the desktop app into out/:
 *  - out/main/index.js      the main process (main/app/main.ts), ESM;
 *  - out/main/engine-worker.js, out/main/load-worker.js
 *                           the demo's worker threads, emitted next to the
 *                           main bundle where main/console/demo/worker-entry.ts
 *                           looks for them;
 *  - out/preload/preload.cjs the sandboxed preload (sandboxed preloads must be
 *                           CommonJS);
 *  - out/renderer/          the Vue renderer, the same build as
 *                           `npm run build:renderer` (renderer/vite.config.ts,
 *                           with its CSP).
 *
 * The main bundles keep their modules' top-level `const` and `let`
 * (topLevelVar: false; vite 8 turns them into `var` unless told not to):
 * V8 can treat a module-level `const` (a command table, an encoder's
 * lookup table) as a constant in optimized code, which it cannot do for a
 * `var`, and an import cycle that reads a binding before it is initialized
 * throws, as it does when the sources run unbundled, instead of reading
 * `undefined`.
 */
import path from 'node:path';
import { defineConfig } from 'electron-vite';
import rendererConfig from './renderer/vite.config';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: 'main/app/main.ts',
          'engine-worker': 'main/console/demo/engine-worker.ts',
          'load-worker': 'main/console/demo/load-worker.ts',
        },
        output: { format: 'es', entryFileNames: '[name].js', topLevelVar: false },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: 'main/app/preload.ts' },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: { ...rendererConfig.build, outDir: 'out/renderer', rollupOptions: { input: path.join(String(rendererConfig.root), 'index.html') } },
  },
});
