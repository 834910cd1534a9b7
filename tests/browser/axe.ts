import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect } from './fixtures';

export type ColorScheme = 'light' | 'dark';

/** One line per failing element: rule, impact, what axe says is wrong, and where. */
function describe(violations: Awaited<ReturnType<AxeBuilder['analyze']>>['violations']): string[] {
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.impact} ${v.id}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim() ?? v.help} — ${n.target.join(' ')}`),
  );
}

/**
 * axe-core over the page as it is now, in each colour scheme asked for (the app follows the OS
 * setting): no critical and no serious violations. Every rule stays on; causes are fixed in the
 * theme and components, not here.
 */
export async function expectAccessible(page: Page, screen: string, schemes: ColorScheme[] = ['light', 'dark']) {
  for (const colorScheme of schemes) {
    await page.emulateMedia({ colorScheme, reducedMotion: 'reduce' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', colorScheme);
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
    expect(describe(serious), `${screen} (${colorScheme})`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
}
