/**
 * The zod schemas the renderer checks input against before sending it: the
 * same ones the console service validates with (shared/contract), so a
 * limit is enforced in the form, next to the field, and not only by a
 * refusal from main. Only what the forms need is imported here (contract.ts
 * stays types-only).
 *
 * jitless: zod compiles fast paths with `new Function` when it may; under
 * the renderer's CSP (no 'unsafe-eval') even the probe for that is reported
 * as a CSP violation, so the compiler is switched off before any parse.
 */
import { z } from 'zod';

z.config({ jitless: true });

export { SaveProfileRequest } from '../../../shared/contract/profiles';
export { AlertRules } from '../../../shared/contract/alerts';
