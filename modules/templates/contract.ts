import { z } from 'zod';
import { query } from '../../src/shared/channel';
import type { WorkflowStep } from '../../src/shared/types';

export interface TemplateSummary {
  id: number;
  key: string;
  name: string;
  description: string;
  active: boolean;
  version: number;
  steps: WorkflowStep[];
}

export const templatesContract = {
  'templates.list': query<TemplateSummary[]>()(z.strictObject({ includeInactive: z.boolean().default(false) })),
} as const;
