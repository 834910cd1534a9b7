import { z } from 'zod';
import { query } from '../../src/shared/channel';

export interface Department {
  id: number;
  name: string;
  code: string;
  position: number;
  active: boolean;
}

export const departmentsContract = {
  'departments.list': query<Department[]>()(z.strictObject({ includeInactive: z.boolean().default(false) })),
} as const;
