// Development and test entry for worker threads: registers the tsx loader in
// this thread, then imports the TypeScript worker module named in workerData.
// Production builds ship compiled .js workers and never load this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__workerEntry);
