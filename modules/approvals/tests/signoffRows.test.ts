import { describe, expect, it } from 'vitest';
import type { ApprovalRecord } from '../contract';
import { signoffRows, type ESignature } from '../renderer/signoffRows';

const ada = { id: 'user:1', name: 'Ada Admin' };
const quinn = { id: 'user:2', name: 'Quinn Inspector' };
const record = (id: number, at: string, signer: typeof ada, action: 'approve' | 'reject', meaning: string): ApprovalRecord => ({
  id,
  itemId: 1,
  eventSeq: id + 1,
  action,
  signer,
  at,
  fromStep: 0,
  fromDepartment: 'Engineering',
  toStep: 1,
  toDepartment: 'Quality Control',
  meaning,
  comment: null,
});
const signature = (at: string, signer: typeof ada, action: string, meaning: string): ESignature => ({
  action,
  meaning,
  signer: { ...signer, number: signer === ada ? 'A100' : 'QC-7', role: signer === ada ? 'admin' : 'staff' },
  department: 'Engineering',
  signedAt: at,
});

describe('the sign-off record joins approvals and e-signatures', () => {
  it('puts each signature on its approval, keeps unsigned approvals, and adds signed cancellations in time order', () => {
    const rows = signoffRows(
      [record(1, '2026-06-01T08:00:00.000Z', ada, 'approve', 'Approved at Engineering'), record(2, '2026-06-01T09:00:00.000Z', quinn, 'reject', 'Rejected at QC')],
      [signature('2026-06-01T10:00:00.000Z', ada, 'cancel', 'Cancelled at Engineering'), signature('2026-06-01T09:00:00.000Z', quinn, 'reject', 'Rejected to Engineering')],
    );
    expect(rows.map((r) => [r.meaning, r.signature?.signer.number ?? null])).toEqual([
      ['Approved at Engineering', null],
      ['Rejected at QC', 'QC-7'],
      ['Cancelled at Engineering', 'A100'],
    ]);
  });

  it('does not attach a signature by someone else at the same moment', () => {
    const rows = signoffRows([record(1, '2026-06-01T08:00:00.000Z', ada, 'approve', 'Approved')], [signature('2026-06-01T08:00:00.000Z', quinn, 'approve', 'Approved')]);
    expect(rows.map((r) => [r.signerName, Boolean(r.signature)])).toEqual([
      ['Ada Admin', false],
      ['Quinn Inspector', true],
    ]);
  });

  it('joins by event when the sign-in module names it, whatever the times say', () => {
    // The same person rejecting twice within the same millisecond (a clock set back, say): the time cannot tell them apart.
    const at = '2026-06-01T08:00:00.000Z';
    const rows = signoffRows(
      [record(1, at, quinn, 'reject', 'Rejected first'), record(2, at, quinn, 'reject', 'Rejected second')],
      [
        { ...signature(at, quinn, 'reject', 'Signed second'), eventSeq: 3 },
        { ...signature(at, quinn, 'reject', 'Signed first'), eventSeq: 2 },
      ],
    );
    expect(rows.map((r) => [r.meaning, r.signature?.meaning])).toEqual([
      ['Rejected first', 'Signed first'],
      ['Rejected second', 'Signed second'],
    ]);
  });

  it('is just the approvals without a sign-in module', () => {
    expect(signoffRows([record(1, '2026-06-01T08:00:00.000Z', ada, 'approve', 'Approved')], null)).toMatchObject([{ signerName: 'Ada Admin', meaning: 'Approved' }]);
  });
});
