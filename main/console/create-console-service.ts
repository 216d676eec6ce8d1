/**
 * The one way hosts (Electron shell, web mode) create the console service.
 * With `demo.autoStart` the embedded demo starts at once, so the console opens
 * on replication already running.
 */
import type { ConsoleService, ConsoleServiceOptions } from './service-types';
import { ConsoleServiceImpl } from './service/console-service';

export async function createConsoleService(options: ConsoleServiceOptions): Promise<ConsoleService> {
  const service = new ConsoleServiceImpl(options);
  if (options.demo?.autoStart) {
    try {
      await service.startDemo(options.demo.spec ?? {});
    } catch (failure) {
      options.logger.error(`the demo could not start: ${failure instanceof Error ? failure.message : String(failure)}`);
    }
  }
  return service;
}
