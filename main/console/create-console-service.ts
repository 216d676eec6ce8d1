/**
 * The one way hosts (Electron shell, web mode) create the console service.
 * With `demo.autoStart` the embedded demo starts at once, with its load
 * generator writing, so the console opens on replication already running.
 */
import { DEFAULT_LOAD } from './demo/load-generator';
import type { ConsoleService, ConsoleServiceOptions } from './service-types';
import { ConsoleServiceImpl } from './service/console-service';

/** The demo opens with writes flowing, so replication is visible at once. */
const AUTOSTART_LOAD = { ...DEFAULT_LOAD, running: true, opsPerSec: 300 };

export async function createConsoleService(options: ConsoleServiceOptions): Promise<ConsoleService> {
  const service = new ConsoleServiceImpl(options);
  if (options.demo?.autoStart) {
    try {
      await service.startDemo(options.demo.spec ?? {});
      const load = await service.call('demo.load', AUTOSTART_LOAD);
      if (!load.ok) options.logger.warn(`the demo load generator did not start: ${load.message}`);
    } catch (failure) {
      options.logger.error(`the demo could not start: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }
  return service;
}
