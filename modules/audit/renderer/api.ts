import { apiFor } from '../../../src/renderer/src/api/client';
import type { auditContract } from '../contract';

/** This module's channels, typed from its contract (types only: no zod in the bundle). */
export const auditApi = apiFor<typeof auditContract>();

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
