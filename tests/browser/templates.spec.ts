import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expect, test, type Harness } from './fixtures';

/**
 * Opens Settings → Templates. Waits first until the main window knows which modules run (their
 * navigation shows): the settings window sends an unknown panel to its first one, and before the
 * status has loaded it does not know the templates panel yet.
 */
async function openTemplates(app: Page, harness: Harness) {
  await expect(app.getByRole('link', { name: 'Departments' })).toBeVisible();
  await app.goto(`${harness.url}#/settings/templates`);
  await expect(app.getByRole('heading', { name: 'Templates' })).toBeVisible();
}

/** A full-page screenshot taken from the top, so the fixed header is where it belongs. */
const top = async (app: Page) => app.evaluate(() => window.scrollTo(0, 0));

test('an admin builds a three-step template with rules; it is offered when creating an item', async ({ app, harness, shot }) => {
  await openTemplates(app, harness);
  const list = app.getByRole('list', { name: 'Templates' });
  const standard = list.getByRole('listitem', { name: 'Standard' });
  await expect(standard.getByRole('list', { name: 'Steps of Standard' })).toContainText('1. Engineering');
  await expect(standard).toContainText('v1');
  await expect(standard.getByRole('switch', { name: 'Standard active' })).toBeChecked();
  await shot('templates-list');

  // A new template: name, three departments, two sign-offs and 24 h at QC, a comment on reject.
  await app.getByRole('button', { name: 'New template' }).click();
  await expect(app.getByRole('heading', { name: 'New template' })).toBeVisible();
  await app.getByRole('button', { name: 'Create template' }).click();
  await expect(app.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByText('A template needs a name')).toBeVisible();
  await expect(app.getByText('A template needs at least one step.')).toBeVisible();

  await app.getByLabel('Name').fill('Heavy check');
  await app.getByLabel('Description').fill('C-check packages: QC needs two inspectors.');
  for (const department of ['Engineering (ENG)', 'Operations (OPS)', 'Quality Control (QC)']) {
    await app.getByRole('button', { name: 'Add step' }).click();
    await app.getByRole('menuitem', { name: department }).click();
  }
  // Put QC before OPS.
  await app.getByRole('button', { name: 'Move step 3 up' }).click();
  const steps = app.getByRole('table', { name: 'Steps, in order' });
  await expect(steps.getByRole('row')).toHaveCount(4);
  await expect(steps.getByRole('row').nth(2)).toContainText('Quality Control');
  await app.getByLabel('Step 2 (Quality Control): minimum sign-offs').fill('2');
  await app.getByLabel('Step 2 (Quality Control): target hours').fill('24');
  await app.getByRole('switch', { name: 'Comment required on reject' }).check();
  await expect(app.getByLabel('Key')).toHaveAttribute('placeholder', 'heavy-check');
  await top(app);
  await shot('template-editor-new');

  await app.getByRole('button', { name: 'Create template' }).click();
  await expect(app.getByRole('status')).toContainText('Created "Heavy check" (version 1)');
  const heavy = list.getByRole('listitem', { name: 'Heavy check' });
  const heavySteps = heavy.getByRole('list', { name: 'Steps of Heavy check' });
  await expect(heavySteps.getByRole('listitem')).toHaveText(['1. Engineering', '2. Quality Control · 2 sign-offs · 24 h', '3. Operations']);
  await expect(heavy).toContainText('Comment on reject');
  await shot('templates-list-with-new');

  // A name that is taken is refused by the core, and the message sits next to the field.
  await app.getByRole('button', { name: 'New template' }).click();
  await app.getByLabel('Name').fill('standard');
  await app.getByRole('button', { name: 'Add step' }).click();
  await app.getByRole('menuitem', { name: 'Engineering (ENG)' }).click();
  await app.getByRole('button', { name: 'Create template' }).click();
  await expect(app.getByText('There is already a template named "Standard". Choose another name.')).toBeVisible();
  await expect(app.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await top(app);
  await shot('template-editor-name-taken');
  await app.getByRole('button', { name: 'Cancel' }).click();

  // The main window offers it, with its steps.
  await app.goto(`${harness.url}#/create`);
  await expect(app.getByRole('heading', { name: 'New work item' })).toBeVisible();
  await app.getByRole('combobox', { name: 'Workflow' }).click();
  await app.getByRole('option', { name: 'Heavy check (v1)' }).click();
  const preview = app.getByLabel('Workflow steps');
  await expect(preview).toContainText('1. Engineering');
  await expect(preview).toContainText('2. Quality Control');
  await expect(preview).toContainText('3. Operations');
  await shot('create-item-heavy-check');
});

test('editing saves a new version, with history, export and import', async ({ app, harness, shot }) => {
  await openTemplates(app, harness);
  const list = app.getByRole('list', { name: 'Templates' });
  await list.getByRole('button', { name: 'Edit Standard' }).click();
  await expect(app.getByRole('heading', { name: 'Edit template: Standard' })).toBeVisible();
  await expect(app.getByRole('note')).toContainText('Saving creates version 2. Items already running keep version 1.');
  await expect(app.getByRole('button', { name: 'Save as version 2' })).toBeDisabled();
  await app.getByLabel('Step 2 (Quality Control): minimum sign-offs').fill('2');
  await app.getByRole('switch', { name: 'No self-approval' }).check();
  await app.getByRole('button', { name: 'Remove step 3' }).click();
  await top(app);
  await shot('template-editor-edit');
  await app.getByRole('button', { name: 'Save as version 2' }).click();
  await expect(app.getByRole('status')).toContainText('Saved "Standard" as version 2. Items already running keep version 1.');
  const standard = list.getByRole('listitem', { name: 'Standard' });
  await expect(standard.getByRole('list', { name: 'Steps of Standard' }).getByRole('listitem')).toHaveText([
    '1. Engineering',
    '2. Quality Control · 2 sign-offs',
  ]);

  await standard.getByRole('button', { name: 'History of Standard' }).click();
  const history = app.getByRole('dialog', { name: 'Version history: Standard' });
  const rows = history.getByRole('table', { name: 'Versions' }).getByRole('row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('v2');
  await expect(rows.nth(1)).toContainText('Current');
  await expect(rows.nth(1)).toContainText('No self-approval');
  await expect(rows.nth(2)).toContainText('3. Operations');
  await expect(rows.nth(2)).toContainText('From the settings file, on first run');
  await shot('template-history');
  await history.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(history).toBeHidden();

  // Export as YAML: a real file download.
  const downloading = app.waitForEvent('download');
  await standard.getByRole('button', { name: 'Export Standard' }).click();
  await app.getByRole('menuitem', { name: 'YAML file' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('standard-v2.template.yaml');
  const yaml = readFileSync(await download.path(), 'utf8');
  expect(yaml).toContain('format: aviation-workflow/template');
  expect(yaml).toContain('department: QC\n    minSignoffs: 2');

  // Import: a broken file shows what is wrong and where; a good one becomes a new template.
  const importInput = app.getByLabel('Template file to import');
  const broken = yaml.replace('noSelfApproval: true', 'noSelfApproval: maybe').replace('minSignoffs: 2', 'minSignoffs: 9');
  await importInput.setInputFiles({ name: 'broken.yaml', mimeType: 'application/yaml', buffer: Buffer.from(broken) });
  const alert = app.getByRole('alert');
  await expect(alert).toContainText('broken.yaml was not imported');
  await expect(alert).toContainText('"rules", "noSelfApproval": Must be true or false (and 1 more problem)');
  const problems = app.getByRole('list', { name: 'Problems found' }).getByRole('listitem');
  await expect(problems).toHaveCount(2);
  await expect(problems.nth(1)).toContainText(/Line \d+, step 2 › minSignoffs: At most 5 sign-offs/);
  await shot('template-import-error');

  const copy = yaml.replace('key: standard', 'key: standard-copy').replace('name: Standard', 'name: Standard (copy)');
  await importInput.setInputFiles({ name: 'copy.yaml', mimeType: 'application/yaml', buffer: Buffer.from(copy) });
  await expect(app.getByRole('status')).toContainText('Imported "Standard (copy)" as a new template (key "standard-copy", version 1).');
  await expect(list.getByRole('listitem', { name: 'Standard (copy)' })).toContainText('2 sign-offs');

  // Deactivated templates are no longer offered.
  // (The switch shows the saved state, so it flips once the core has answered.)
  await list.getByRole('switch', { name: 'Standard (copy) active' }).click();
  await expect(list.getByRole('switch', { name: 'Standard (copy) active' })).not.toBeChecked();
  await expect(app.getByRole('status')).toContainText('"Standard (copy)" is no longer offered for new items.');
  await expect(list.getByRole('listitem', { name: 'Standard (copy)' })).toContainText('Inactive');
  await shot('templates-after-import');

  await app.goto(`${harness.url}#/create`);
  await app.getByRole('combobox', { name: 'Workflow' }).click();
  await expect(app.getByRole('option')).toHaveText(['Standard (v2)']);
});
