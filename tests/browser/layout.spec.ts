import type { Page } from '@playwright/test';
import { join } from 'node:path';
import { expect, screenshotDir, test } from './fixtures';
import { seedItems } from './seed';

/** The main screens at a small laptop's 1024×700 and at 1280×800: nothing clipped, titles whole or in a tooltip. */

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
];

/** Tables whose right edge is cut by an ancestor that hides overflow (one that scrolls is fine), and the page scrolling sideways. */
async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push(`the page scrolls sideways (${document.documentElement.scrollWidth}px)`);
    for (const table of document.querySelectorAll('table')) {
      const right = table.getBoundingClientRect().right;
      for (let el = table.parentElement; el; el = el.parentElement) {
        const { overflowX } = getComputedStyle(el);
        if (overflowX === 'auto' || overflowX === 'scroll') break;
        if (overflowX !== 'visible' && right > el.getBoundingClientRect().right + 1) {
          problems.push(`table "${table.getAttribute('aria-label')}" is cut at the right`);
          break;
        }
      }
    }
    return problems;
  });
}

/** Text cut by an ellipsis or line clamp that has no title to show it whole. */
async function cutWithoutTooltip(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('main *')]
      .filter((el) => el.children.length === 0 && el.textContent?.trim())
      .filter((el) => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)
      .filter((el) => ['hidden', 'clip'].includes(getComputedStyle(el).overflow) || getComputedStyle(el).textOverflow === 'ellipsis')
      .filter((el) => !el.closest('[title]'))
      .map((el) => `"${el.textContent!.trim().slice(0, 60)}" is cut without a tooltip`),
  );
}

test('the main screens fit 1024×700 and 1280×800', async ({ app }) => {
  test.setTimeout(120_000);
  await seedItems(app);
  await app.evaluate(async () => {
    await window.api['workItems.create']({
      title: 'Inspect and re-torque the number two engine pylon aft attach fitting bolts after the hard landing report',
      workflowId: 'template:standard',
      submit: true,
      metadata: { aircraftRegistration: 'G-EZAB', workOrder: 'WO-2026-0199' },
    });
  });
  const origin = new URL(app.url()).origin;
  // A terminal not yet told its departments, nothing overdue: the list of all items still starts in view.
  for (const size of SIZES) {
    await app.setViewportSize(size);
    await expect(app.getByRole('region', { name: 'Waiting at my departments' })).toContainText('Which departments work here?');
    await expect(app.getByRole('table', { name: 'Work items' }).getByRole('row').nth(1)).toBeInViewport();
  }
  // The terminal's departments, as it is set up once: what waits there is the dashboard's first list.
  await app.getByRole('combobox', { name: 'My departments' }).click();
  await app.getByRole('option', { name: 'Engineering' }).click();
  await app.keyboard.press('Escape');
  for (const size of SIZES) {
    await app.setViewportSize(size);
    const name = (screen: string) => join(screenshotDir, `${screen}-${size.width}x${size.height}.png`);
    const check = async (screen: string) => {
      await app.screenshot({ path: name(screen), animations: 'disabled' });
      expect(await clipped(app), `${screen} at ${size.width}×${size.height}`).toEqual([]);
      expect(await cutWithoutTooltip(app), `${screen} at ${size.width}×${size.height}`).toEqual([]);
    };

    await app.goto(`${origin}/#/`);
    await expect(app.getByRole('table', { name: 'Work items' }).getByRole('row')).toHaveCount(9);
    await check('dashboard');
    // Items show without scrolling past the cards: the first item listed is in view.
    await expect(app.locator('main a[href^="#/items/"]').first()).toBeInViewport();

    await app.goto(`${origin}/#/items/8`);
    await expect(app.getByRole('heading', { name: /Inspect and re-torque/ })).toBeVisible();
    await check('item-view');

    await app.goto(`${origin}/#/approvals`);
    await expect(app.getByRole('table', { name: 'Approval queue' })).toBeVisible();
    await check('approvals');

    await app.goto(`${origin}/#/create`);
    await expect(app.getByRole('heading', { name: 'New work item' })).toBeVisible();
    await check('create-item');

    await app.goto(`${origin}/#/reports`);
    await expect(app.getByLabel('Waiting per department')).toContainText('Engineering');
    await check('reports');
  }
});
