import { z } from 'zod';
import { adminCommand, query } from '../../src/shared/channel';
import { codeField, nameField } from './rules';

export interface Department {
  id: number;
  name: string;
  /** Fixed once created: work-item steps (their `ref`) and templates refer to it. */
  code: string;
  position: number;
  active: boolean;
  /** When it was deactivated (ISO), while it is inactive. */
  deactivatedAt: string | null;
}

/**
 * Where an open item stands relative to the department: waiting there now, reaching it later
 * (drafts included), or past it — a rejection can still send it back.
 */
export type UsageRelation = 'current' | 'later' | 'earlier';

export interface DepartmentUsageItem {
  id: number;
  title: string;
  status: 'draft' | 'active';
  currentStep: number | null;
  currentStepName: string | null;
  relation: UsageRelation;
  /** The step indexes (0-based) that belong to this department. */
  steps: number[];
}

export interface DepartmentUsage {
  department: Department;
  /** Open (draft or in-progress) items whose workflow goes through the department; current first. */
  openItems: DepartmentUsageItem[];
  /** All of them, when openItems was cut at the limit. */
  openTotal: number;
  byRelation: Record<UsageRelation, number>;
  /** Completed and cancelled items whose history names the department. */
  closedTotal: number;
  /** What other modules report using it (e.g. a template), as labels for people. */
  references: string[];
  /** True when nothing refers to it, so it may be deleted for good. */
  canDelete: boolean;
}

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const departmentsContract = {
  'departments.list': query<Department[]>()(z.strictObject({ includeInactive: z.boolean().default(false) })),

  /** Added at the end of the order, active. Names are unique ignoring case; codes are unique. */
  'departments.create': adminCommand<Department>()(z.strictObject({ name: nameField, code: codeField })),

  /** Changes the name only; the code never changes. Items already created keep the name they were created with. */
  'departments.rename': adminCommand<Department>()(z.strictObject({ id, name: nameField })),

  /** The new order; must name every department (active or not) exactly once. Returns them all in order. */
  'departments.reorder': adminCommand<Department[]>()(
    z.strictObject({
      ids: z
        .array(id)
        .min(1, 'Give the new order')
        .max(1000)
        .refine((ids) => new Set(ids).size === ids.length, 'Each department may appear only once in the new order'),
    }),
  ),

  /** Deactivating hides it from lists; items keep their steps. Returns who is affected. */
  'departments.setActive': adminCommand<DepartmentUsage>()(z.strictObject({ id, active: z.boolean() })),

  /** For good; refused while any work item (open or closed) or another module refers to it. */
  'departments.delete': adminCommand<{ deleted: Department }>()(z.strictObject({ id })),

  /** The open items that go through the department, and whether it could be deleted. */
  'departments.usage': query<DepartmentUsage>()(
    z.strictObject({ id, limit: z.number().int().min(1).max(500).default(100) }),
  ),
} as const;
