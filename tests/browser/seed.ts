import type { Page } from '@playwright/test';

/**
 * A few items in every state, with comments, through the real API as the screens call it:
 * urgent and waiting at Engineering, at Quality Control, at Operations, completed, rejected once,
 * a draft and a cancelled one. `secret` signs each action where sign-in is on.
 */
export async function seedItems(page: Page, secret?: string) {
  await page.evaluate(async (secret) => {
    const signature = secret ? { signature: { secret } } : {};
    const ok = <T,>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
      if (!r.ok) throw new Error(r.error.message);
      return r.value;
    };
    const run = async (create: Record<string, unknown>, actions: ('approve' | 'reject' | 'cancel')[]) => {
      let item = ok(await window.api['workItems.create']({ workflowId: 'template:standard', submit: true, ...create } as never));
      for (const action of actions) {
        const base = { id: item.id, expectedVersion: item.version, ...signature };
        if (action === 'approve') item = ok(await window.api['workItems.approve'](base));
        if (action === 'reject') item = ok(await window.api['workItems.reject']({ ...base, toStep: 0, comment: 'Torque values missing' }));
        if (action === 'cancel') item = ok(await window.api['workItems.cancel']({ ...base, comment: 'Superseded' }));
      }
      await window.api['comments.add']?.({ itemId: item.id, text: 'Parts on order, due Tuesday' });
      return item;
    };
    await run({ title: 'Replace hydraulic pump, system B', priority: 'urgent', metadata: { aircraftRegistration: 'G-EZTH', workOrder: 'WO-2026-0101', ataChapter: '29' } }, []);
    await run({ title: 'Cabin emergency lighting test', metadata: { aircraftRegistration: 'G-EZUK' } }, ['approve']);
    await run({ title: 'Landing gear lubrication', metadata: { ataChapter: '32' } }, ['approve', 'approve']);
    await run({ title: 'Wheel and brake change, #3', priority: 'urgent' }, ['approve', 'approve', 'approve']);
    await run({ title: 'Borescope inspection, engine 2' }, ['approve', 'reject']);
    await run({ title: 'Galley drain valve replacement', submit: false }, []);
    await run({ title: 'Lavatory smoke detector check' }, ['cancel']);
  }, secret);
}
