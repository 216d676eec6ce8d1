import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// Two projects: everything that runs in plain Node (engine, console, transport,
// shared, integration suites against real redis-server), and the renderer's
// component tests in happy-dom. End-to-end suites drive real Chromium from the
// node project.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['main/**/*.test.ts', 'shared/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        plugins: [vue()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['renderer/**/*.test.ts'],
        },
      },
    ],
  },
});
