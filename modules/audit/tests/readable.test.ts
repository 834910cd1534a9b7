import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditPage } from '../contract';
import { auditApp, type AuditApp } from './support';

const apps: AuditApp[] = [];
afterEach(() => {
  for (const a of apps.splice(0)) a.t.cleanup();
});

const start = () => {
  const a = auditApp();
  apps.push(a);
  return a;
};

describe('the audit trail in words', () => {
  it('names departments and steps, spells out template rules and steps, and shows no JSON or session ids', async () => {
    const a = start();
    const [standard] = await a.t.call<{ id: number }[]>('templates.list', {});
    await a.t.call('templates.update', {
      id: standard!.id,
      expectedVersion: 1,
      name: 'Standard',
      description: 'QC twice.',
      steps: [
        { department: 'ENG', minSignoffs: 1 },
        { department: 'QC', minSignoffs: 2, targetHours: 8 },
      ],
      rules: { commentOnReject: true, commentOnEveryAction: true, noSelfApproval: false, eSignature: false },
    });
    await a.t.call('departments.reorder', { ids: [3, 1, 2] });
    const [workflow] = await a.t.call<{ id: string }[]>('workflows.list', {});
    const item = await a.t.call<{ id: number; version: number }>('workItems.create', { title: 'Gear swing', workflowId: workflow!.id, submit: true, metadata: { workOrder: '00123' } });
    await a.t.call('workItems.approve', { id: item.id, expectedVersion: item.version, comment: 'Checked' });

    const rows = (await a.t.call<AuditPage>('audit.list', { limit: 200 })).rows;
    const find = (action: string) => rows.find((r) => r.action === action)!.readable;

    expect(find('version-saved')).toEqual({
      subject: 'Template Standard',
      action: 'New version saved',
      changes: expect.arrayContaining([
        { field: 'Version', before: '1', after: '2' },
        { field: 'Description', before: 'Engineering, then Quality Control, then Operations.', after: 'QC twice.' },
        { field: 'Steps', before: 'Engineering → Quality Control → Operations', after: 'Engineering → Quality Control (2 sign-offs, target 8 h)' },
        { field: 'Rule: comment required on every action', before: 'no', after: 'yes' },
      ]),
    });
    expect(find('reordered')).toEqual({
      subject: 'All departments',
      action: 'Reordered',
      changes: [{ field: 'Order', before: 'Engineering → Quality Control → Operations', after: 'Operations → Engineering → Quality Control' }],
    });
    expect(find('approve')).toEqual({
      subject: `Work item #${item.id}`,
      action: 'Approved',
      changes: [
        { field: 'Comment', after: 'Checked' },
        { field: 'Step', before: 'Engineering', after: 'Quality Control' },
        { field: 'Version', before: '1', after: '2' },
      ],
    });
    // No value is written as JSON.
    const texts = rows.flatMap((r) => r.readable.changes.flatMap((c) => [c.before ?? '', c.after ?? '']));
    expect(texts.filter((t) => /[{}[\]"]/.test(t))).toEqual([]);
  });

  it("an item's own history: its creation, transitions and comments, in order", async () => {
    const a = start();
    const item = await a.t.call<{ id: number; version: number }>('workItems.create', { title: 'Mine', steps: [{ name: 'Engineering' }, { name: 'Quality Control' }], submit: true });
    const other = await a.t.call<{ id: number }>('workItems.create', { title: 'Not mine', steps: [{ name: 'Engineering' }], submit: true });
    a.advance(60_000);
    await a.t.call('comments.add', { itemId: item.id, text: 'Torque checked' });
    await a.t.call('comments.add', { itemId: other.id, text: 'Elsewhere' });
    a.advance(60_000);
    await a.t.call('workItems.approve', { id: item.id, expectedVersion: item.version });

    const history = await a.t.call<AuditEntry[]>('audit.itemHistory', { itemId: item.id });
    expect(history.map((e) => [e.readable.subject, e.readable.action])).toEqual([
      [`Work item #${item.id}`, 'Created'],
      [expect.stringMatching(new RegExp(`^Comment #\\d+ on work item #${item.id}$`)), 'Added'],
      [`Work item #${item.id}`, 'Approved'],
    ]);
    expect(history[1]!.readable.changes).toEqual([{ field: 'Text', after: 'Torque checked' }]);
    expect(await a.t.call('audit.itemHistory', { itemId: 999 })).toEqual([]);
  });
});
