import { z } from 'zod';
import { query } from '../../src/shared/channel';
import type { Actor } from '../../src/shared/types';

export interface ApprovalRecord {
  id: number;
  itemId: number;
  /** The transition's event: its seq among the item's events (the item's version after it). */
  eventSeq: number;
  action: 'approve' | 'reject';
  signer: Actor;
  at: string;
  fromStep: number;
  fromDepartment: string;
  toStep: number | null;
  toDepartment: string | null;
  meaning: string;
  comment: string | null;
}

export interface ApprovalRules {
  commentOnReject: boolean;
  commentOnEveryAction: boolean;
  noSelfApproval: boolean;
}

export const approvalsContract = {
  'approvals.records': query<ApprovalRecord[]>()(
    z.strictObject({ itemId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
  ),
  /** The rules that apply to an item (from its template version), or null for a custom workflow. */
  'approvals.rules': query<ApprovalRules | null>()(
    z.strictObject({ itemId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
  ),
} as const;
