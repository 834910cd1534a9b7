import type { ApprovalRecord } from '../contract';

/** An e-signature as a sign-in module (users) reports it; described here, never imported. */
export interface ESignature {
  action: string;
  meaning: string;
  signer: { id: string; name: string; number: string; role: string };
  department: string;
  signedAt: string;
  /** The transition it signed (the item's version after it). */
  eventSeq?: number;
}

export interface SignoffRow {
  key: string;
  at: string;
  action: string;
  signerName: string;
  meaning: string;
  comment: string | null;
  /** Present when the person re-entered their PIN or password for it. */
  signature?: ESignature;
}

/**
 * One record from the approvals and rejections and the item's e-signatures: a signature joins
 * the approval it belongs to (the same event; for a sign-in module that does not say which, the
 * same moment, person and action); signatures on other actions (cancelling, submitting) are
 * rows of their own. Oldest first.
 */
export function signoffRows(records: ApprovalRecord[], signatures: ESignature[] | null): SignoffRow[] {
  const unmatched = [...(signatures ?? [])];
  const take = (r: ApprovalRecord) => {
    const i = unmatched.findIndex((s) =>
      s.eventSeq === undefined ? s.signedAt === r.at && s.signer.id === r.signer.id && s.action === r.action : s.eventSeq === r.eventSeq,
    );
    return i < 0 ? undefined : unmatched.splice(i, 1)[0];
  };
  const rows: SignoffRow[] = records.map((r) => {
    const signature = take(r);
    return { key: `a${r.id}`, at: r.at, action: r.action, signerName: r.signer.name, meaning: r.meaning, comment: r.comment, ...(signature ? { signature } : {}) };
  });
  for (const [i, s] of unmatched.entries()) {
    rows.push({ key: `s${i}`, at: s.signedAt, action: s.action, signerName: s.signer.name, meaning: s.meaning, comment: null, signature: s });
  }
  return rows.sort((a, b) => a.at.localeCompare(b.at));
}
