import { expect, test } from './fixtures';

test('the dashboard opens empty with a way to start', async ({ app, shot }) => {
  await expect(app.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  await expect(app.getByText('No work items yet')).toBeVisible();
  await shot('dashboard-empty');
});
