import type { z } from 'zod';
import { apiFor } from '../../../src/renderer/src/api/client';
import type { Channel } from '../../../src/shared/channel';
import type { usersContract } from '../contract';

/** This module's channels, typed from its contract (types only: no zod in the bundle). */
export const usersApi = apiFor<typeof usersContract>();

/** The one departments channel the user editor reads (modules describe what they use of each other). */
export interface DepartmentOption {
  code: string;
  name: string;
  active: boolean;
}
export const departmentsApi = apiFor<{ 'departments.list': Channel<z.ZodType<{ includeInactive?: boolean }>, DepartmentOption[]> }>();

export const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const ROLE_LABEL = { staff: 'Staff', lead: 'Lead', admin: 'Administrator' } as const;
export const ROLE_COLOR = { staff: 'gray', lead: 'blue', admin: 'grape' } as const;
