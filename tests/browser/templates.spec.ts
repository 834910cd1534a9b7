import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { expectAccessible } from './axe';
import { expect, test, type Harness } from './fixtures';
import { api } from './signIn';

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

test('a refused save shows each error on its own field and focuses the first; nothing is cut', async ({ app, harness, shot }) => {
  await openTemplates(app, harness);
  await app.getByRole('button', { name: 'New template' }).click();
  const name = app.getByLabel('Name');
  const longName = `Heavy check ${'x'.repeat(73)}`; // 85 characters, 5 over
  await name.fill(longName);
  await expect(name).toHaveValue(longName);
  await expect(app.getByText('85 / 80 characters — 5 too many')).toBeVisible();
  await app.getByLabel('Key').fill('Heavy Check');
  for (const department of ['Quality Control (QC)', 'Engineering (ENG)']) {
    await app.getByRole('button', { name: 'Add step' }).click();
    await app.getByRole('menuitem', { name: department }).click();
  }
  await app.getByLabel('Step 1 (Quality Control): target hours').fill('0');

  // Checked here first: each message sits on its field, and the first of them has the focus.
  await app.getByRole('button', { name: 'Create template' }).click();
  await expect(name).toBeFocused();
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByText('The name is 85 characters; the limit is 80. Shorten it by 5 — nothing was cut.')).toBeVisible();
  await expect(app.getByLabel('Key')).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByText('A key is lower-case letters and digits')).toBeVisible();
  const hours = app.getByLabel('Step 1 (Quality Control): target hours');
  await expect(hours).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByText('Target hours must be more than 0')).toBeVisible();
  await expect(app.getByRole('alert').filter({ hasText: 'Not saved' })).toHaveCount(0);
  await expectAccessible(app, 'template editor with errors');

  // Enter in a field saves (tries to): the next error down takes the focus, and it moves with its step.
  await name.fill('Heavy check');
  await app.getByLabel('Key').fill('heavy-check');
  await app.getByLabel('Key').press('Enter');
  await expect(hours).toBeFocused();
  await app.getByRole('button', { name: 'Move step 2 up' }).click();
  const moved = app.getByLabel('Step 2 (Quality Control): target hours');
  await expect(moved).toHaveAttribute('aria-invalid', 'true');
  await expect(app.getByLabel('Step 1 (Engineering): target hours')).not.toHaveAttribute('aria-invalid', 'true');
  await moved.fill('24');
  await expect(moved).not.toHaveAttribute('aria-invalid', 'true');

  // A department made inactive while the editor is open: the editor hears of it, says so on the
  // step and refuses to save, with the focus on the button that fixes it.
  const departments = await api(app, 'departments.list');
  const eng = (departments.value as { id: number; code: string }[]).find((d) => d.code === 'ENG')!;
  expect(await api(app, 'departments.setActive', { id: eng.id, active: false })).toMatchObject({ ok: true });
  await app.getByRole('button', { name: 'Create template' }).click();
  const remove = app.getByRole('button', { name: 'Remove step 1' });
  await expect(remove).toBeFocused();
  await expect(remove).toHaveAccessibleDescription('Engineering is inactive; remove this step or reactivate the department.');
  await top(app);
  await shot('template-editor-step-errors');
  await remove.click();

  // The core is the authority: what only it knows lands on the field it is about. A key in use:
  const key = app.getByLabel('Key');
  await key.fill('standard');
  await app.getByRole('button', { name: 'Create template' }).click();
  await expect(key).toBeFocused();
  await expect(key).toHaveAccessibleDescription(/The key "standard" is already used by the template "Standard"\./);
  // ...and a step's field, by its path (steps.0.minSignoffs), as a newer core might refuse it.
  await key.fill('heavy-check');
  await app.route('**/__api/templates.create', (route) =>
    route.fulfill({
      json: {
        ok: false,
        error: {
          code: 'VALIDATION',
          message: 'Quality Control needs 2 sign-offs at least',
          details: { issues: [{ path: ['steps', 0, 'minSignoffs'], message: 'Quality Control needs 2 sign-offs at least' }] },
        },
      },
    }),
  );
  await app.getByRole('button', { name: 'Create template' }).click();
  const signoffs = app.getByLabel('Step 1 (Quality Control): minimum sign-offs');
  await expect(signoffs).toBeFocused();
  await expect(signoffs).toHaveAccessibleDescription('Quality Control needs 2 sign-offs at least');
  await expect(app.getByRole('alert').filter({ hasText: 'Not saved' })).toHaveCount(0);
  await app.unroute('**/__api/templates.create');

  await app.getByRole('button', { name: 'Create template' }).click();
  await expect(app.getByRole('status')).toContainText('Created "Heavy check" (version 1)');
  await expect(app.getByRole('listitem', { name: 'Heavy check' })).toContainText('1. Quality Control · 24 h');
});

test('saving is offered only when something changed', async ({ app, harness }) => {
  await openTemplates(app, harness);
  await app.getByRole('list', { name: 'Templates' }).getByRole('button', { name: 'Edit Standard' }).click();
  const save = app.getByRole('button', { name: 'Save as version 2' });
  await expect(save).toBeDisabled();
  // Changed and put back: nothing to save.
  await app.getByLabel('Name').fill('Standard (edited)');
  await expect(save).toBeEnabled();
  await app.getByLabel('Name').fill('Standard');
  await app.getByRole('button', { name: 'Move step 1 down' }).click();
  await expect(save).toBeEnabled();
  await app.getByRole('button', { name: 'Move step 2 up' }).click();
  await expect(save).toBeDisabled();
  // A step removed after a field was put back is still a change.
  await app.getByRole('button', { name: 'Remove step 3' }).click();
  await expect(save).toBeEnabled();
  await app.getByLabel('Name').press('Enter');
  await expect(app.getByRole('status')).toContainText('Saved "Standard" as version 2.');
});

test('a template saved meanwhile by someone else: the editor says so and loads the latest', async ({ app, harness }) => {
  await openTemplates(app, harness);
  await app.getByRole('list', { name: 'Templates' }).getByRole('button', { name: 'Edit Standard' }).click();
  await app.getByLabel('Step 1 (Engineering): target hours').fill('8');
  const [standard] = (await api(app, 'templates.list')).value as { id: number }[];
  const elsewhere = { name: 'Standard', description: 'Changed elsewhere', steps: [{ department: 'ENG' }, { department: 'QC', minSignoffs: 3 }] };
  expect(await api(app, 'templates.update', { id: standard!.id, expectedVersion: 1, ...elsewhere })).toMatchObject({ ok: true });

  await app.getByRole('button', { name: 'Save as version 2' }).click();
  const alert = app.getByRole('alert').filter({ hasText: 'Not saved' });
  await expect(alert).toContainText('it is now at version 2, you edited version 1');
  await alert.getByRole('button', { name: 'Load the latest version' }).click();
  await expect(alert).toBeHidden();
  await expect(app.getByRole('note')).toContainText('This is version 2. Saving creates version 3.');
  await expect(app.getByLabel('Description')).toHaveValue('Changed elsewhere');
  await expect(app.getByLabel('Step 2 (Quality Control): minimum sign-offs')).toHaveValue('3');
  await expect(app.getByLabel('Step 1 (Engineering): target hours')).toHaveValue('');
  await expect(app.getByRole('table', { name: 'Steps, in order' }).getByRole('row')).toHaveCount(3);
  const save = app.getByRole('button', { name: 'Save as version 3' });
  await expect(save).toBeDisabled();
  await app.getByLabel('Step 1 (Engineering): target hours').fill('8');
  await save.click();
  await expect(app.getByRole('status')).toContainText('Saved "Standard" as version 3. Items already running keep version 2.');
});
