import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Menu,
  NumberInput,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { formRootRule, useForm, type FormErrors } from '@mantine/form';
import { randomId } from '@mantine/hooks';
import { IconArrowDown, IconArrowLeft, IconArrowUp, IconInfoCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useId, useRef, useState } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import { CharacterCount, overLimit } from '../../../src/renderer/src/components/LimitedText';
import type { TemplateDetail, TemplateRules, TemplateSummary } from '../contract';
import { KEY_PATTERN, TEMPLATE_LIMITS as LIMITS, TEMPLATE_MESSAGES as MESSAGES } from '../limits';
import { issuesByPath, RULE_LABELS, templatesApi, type Department } from './shared';
import { slugify } from '../slug';

interface StepValues {
  /** For React only: stays with the step when it moves, so its inputs move with it. */
  uid: string;
  department: string;
  /** What the number inputs hold: a number, or '' while empty. */
  minSignoffs: number | string;
  targetHours: number | string;
}

interface Values {
  key: string;
  name: string;
  description: string;
  steps: StepValues[];
  rules: TemplateRules;
}

const NO_RULES: TemplateRules = { commentOnReject: false, commentOnEveryAction: false, noSelfApproval: false, eSignature: false };

const newStep = (department: string, minSignoffs: number | string = 1, targetHours: number | string = ''): StepValues => ({
  uid: randomId(),
  department,
  minSignoffs,
  targetHours,
});

function valuesOf(template: TemplateSummary | null): Values {
  if (!template) return { key: '', name: '', description: '', steps: [], rules: { ...NO_RULES } };
  return {
    key: template.key,
    name: template.name,
    description: template.description,
    steps: template.steps.map((s) => newStep(s.department, s.minSignoffs, s.targetHours ?? '')),
    rules: { ...template.rules },
  };
}

/** What the core receives: numbers where the inputs hold numbers, nothing for an empty target. */
function payload(values: Values) {
  return {
    name: values.name,
    description: values.description,
    rules: values.rules,
    steps: values.steps.map((s) => ({
      department: s.department,
      minSignoffs: Number(s.minSignoffs),
      ...(s.targetHours === '' ? {} : { targetHours: Number(s.targetHours) }),
    })),
  };
}

/** Why a step cannot be saved with this department (the core refuses it too), or null. */
function departmentProblem(code: string, byCode: Map<string, Department>): string | null {
  const dept = byCode.get(code);
  if (!dept) return `Department "${code}" does not exist any more; remove this step.`;
  if (!dept.active) return `${dept.name} is inactive; remove this step or reactivate the department.`;
  return null;
}

const minSignoffsProblem = (v: number | string): string | null => {
  if (v === '') return `Enter 1 to ${LIMITS.minSignoffs} sign-offs`;
  const n = Number(v);
  if (!Number.isInteger(n)) return 'Minimum sign-offs must be a whole number';
  return n < 1 ? MESSAGES.minSignoffsLow : n > LIMITS.minSignoffs ? MESSAGES.minSignoffsHigh : null;
};

const targetHoursProblem = (v: number | string): string | null => {
  if (v === '') return null;
  const n = Number(v);
  return !(n > 0) ? MESSAGES.targetHoursLow : n > LIMITS.targetHours ? MESSAGES.targetHoursHigh : null;
};

/** The issue paths shown next to a field (the key only on a new template); the core's other issues go in the alert under the form. */
const ON_A_FIELD = /^(name|key|description|steps(\.\d+\.(department|minSignoffs|targetHours))?)$/;

/**
 * What makes a change. Asked part by part: form.isDirty() without a path believes the per-field
 * flags it keeps, and a list change drops only the list's flags, so a name typed and put back,
 * then a step removed, would read as "nothing changed".
 */
const PARTS = ['name', 'description', 'steps', 'rules'] as const;

interface Props {
  /** null: a new template. */
  template: TemplateSummary | null;
  departments: Department[];
  onDone(saved: TemplateDetail, note: string): void;
  onCancel(): void;
}

/** Name, description, the ordered steps with their sign-offs and target hours, and the rules. Saving makes a new version. */
export function TemplateEditor({ template, departments, onDone, onCancel }: Props) {
  /** The version being edited: the one opened, or the latest after "Load the latest version". */
  const [base, setBase] = useState(template);
  const [failure, setFailure] = useState<{ message: string; stale?: boolean } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const ids = useId();

  const isNew = base === null;
  const byCode = new Map(departments.map((d) => [d.code, d]));
  const addable = departments.filter((d) => d.active);

  const form = useForm<Values>({
    initialValues: valuesOf(template),
    validate: {
      name: (v) => (!v.trim() ? MESSAGES.nameRequired : overLimit('The name', v, LIMITS.name)),
      key: (v) => {
        const key = v.trim();
        if (!isNew || !key) return null;
        return overLimit('The key', key, LIMITS.key) ?? (KEY_PATTERN.test(key) ? null : MESSAGES.keyFormat);
      },
      description: (v) => overLimit('The description', v, LIMITS.description),
      steps: {
        [formRootRule]: (steps: StepValues[]) =>
          steps.length === 0 ? MESSAGES.stepsRequired : steps.length > LIMITS.steps ? MESSAGES.tooManySteps : null,
        department: (code) => departmentProblem(code, byCode),
        minSignoffs: minSignoffsProblem,
        targetHours: targetHoursProblem,
      },
    },
  });
  const { values } = form;
  const dirty = isNew || PARTS.some((part) => form.isDirty(part));

  // A step's errors move with it (the form moves them); the list's own error ("at least one step") goes.
  const addStep = (code: string) => {
    form.insertListItem('steps', newStep(code));
    form.clearFieldError('steps');
  };
  const removeStep = (index: number) => {
    form.removeListItem('steps', index);
    form.clearFieldError('steps');
  };
  const moveStep = (from: number, by: -1 | 1) => form.reorderListItem('steps', { from, to: from + by });

  /** After a refused save, the first field with an error, in screen order, takes the focus. */
  const focusFirstError = (errors: FormErrors) =>
    requestAnimationFrame(() => {
      const fields = [...(formRef.current?.querySelectorAll<HTMLElement>('[data-path]') ?? [])];
      fields.find((field) => errors[field.dataset['path'] ?? ''])?.focus();
    });

  const save = async (draft: Values) => {
    try {
      const body = payload(draft);
      const key = draft.key.trim();
      const saved = isNew
        ? await templatesApi('templates.create', { ...body, ...(key ? { key } : {}) })
        : await templatesApi('templates.update', { ...body, id: base.id, expectedVersion: base.version });
      onDone(
        saved,
        isNew
          ? `Created "${saved.name}" (version 1). It is offered on the Create item screen.`
          : `Saved "${saved.name}" as version ${saved.version}. Items already running keep version ${base.version}.`,
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VALIDATION') {
        const issues = Object.entries(issuesByPath(error.details));
        const shown = (path: string) => ON_A_FIELD.test(path) && (isNew || path !== 'key');
        const onFields = Object.fromEntries(issues.filter(([path]) => shown(path)));
        const elsewhere = issues.filter(([path]) => !shown(path)).map(([, message]) => message);
        form.setErrors(onFields);
        if (elsewhere.length || issues.length === 0) setFailure({ message: elsewhere.length ? elsewhere.join(' ') : error.message });
        focusFirstError(onFields);
      } else if (error instanceof ApiError && error.code === 'STALE_VERSION') {
        setFailure({ message: error.message, stale: true });
      } else {
        setFailure({ message: (error as Error).message });
      }
    }
  };

  const loadLatest = async () => {
    if (!base) return;
    try {
      const latest = await templatesApi('templates.get', { id: base.id });
      setBase(latest);
      form.setInitialValues(valuesOf(latest));
      form.reset();
      setFailure(null);
    } catch (error) {
      setFailure({ message: (error as Error).message });
    }
  };

  return (
    <form
      ref={formRef}
      noValidate
      aria-labelledby={`${ids}-title`}
      onSubmit={(event) => {
        setFailure(null);
        form.onSubmit(save, focusFirstError)(event);
      }}
    >
      <Stack gap="lg" maw={920}>
        <div>
          <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={16} />} onClick={onCancel} mb="xs">
            All templates
          </Button>
          <Title order={1} size="h2" id={`${ids}-title`}>
            {isNew ? 'New template' : `Edit template: ${base.name}`}
          </Title>
        </div>

        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />} role="note">
          {isNew ? (
            'The template starts at version 1. Every later save adds a new version; items keep the version they started with.'
          ) : (
            <>
              This is version {base.version}. Saving creates version {base.version + 1}.{' '}
              <Text span inherit fw={600}>
                Items already running keep version {base.version}.
              </Text>
            </>
          )}
        </Alert>

        <Paper withBorder radius="md" p="lg">
          <Stack gap="md">
            <Group grow align="flex-start">
              <div>
                <TextInput label="Name" placeholder="e.g. Heavy check" required {...form.getInputProps('name')} data-autofocus />
                <CharacterCount id={`${ids}-name-count`} length={values.name.length} limit={LIMITS.name} />
              </div>
              {isNew ? (
                <TextInput
                  label="Key"
                  description="Kept with every item and in exported files; cannot be changed later."
                  placeholder={values.name.trim() ? slugify(values.name) : 'made from the name'}
                  {...form.getInputProps('key')}
                />
              ) : (
                <TextInput label="Key" description="Kept with every item; cannot be changed." value={base.key} readOnly variant="filled" />
              )}
            </Group>
            <div>
              <Textarea
                label="Description"
                placeholder="When to use this workflow"
                autosize
                minRows={2}
                {...form.getInputProps('description')}
              />
              <CharacterCount id={`${ids}-description-count`} length={values.description.length} limit={LIMITS.description} />
            </div>
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="lg">
          <Stack gap="sm">
            <Group justify="space-between">
              <div>
                <Title order={3} size="h4" id={`${ids}-steps`}>
                  Steps, in order
                </Title>
                <Text size="sm" c="dimmed">
                  Each step is a department. A step with more than one sign-off moves on only after that many different people approve.
                </Text>
              </div>
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <Button leftSection={<IconPlus size={16} />} variant="light" disabled={addable.length === 0} data-path="steps">
                    Add step
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Label>Add a department</Menu.Label>
                  {addable.map((d) => (
                    <Menu.Item key={d.code} onClick={() => addStep(d.code)}>
                      {d.name} ({d.code})
                    </Menu.Item>
                  ))}
                </Menu.Dropdown>
              </Menu>
            </Group>

            {values.steps.length === 0 ? (
              <Text size="sm" c={form.errors['steps'] ? 'red' : 'dimmed'} py="md" ta="center" role={form.errors['steps'] ? 'alert' : undefined}>
                {form.errors['steps'] ?? 'No steps yet. Add the departments this workflow goes through, in order.'}
              </Text>
            ) : (
              <Table aria-labelledby={`${ids}-steps`} verticalSpacing="xs" layout="fixed">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={44}>#</Table.Th>
                    <Table.Th>Department</Table.Th>
                    <Table.Th w={150}>Min. sign-offs</Table.Th>
                    <Table.Th w={150}>Target hours</Table.Th>
                    <Table.Th w={120}>
                      <VisuallyHidden>Order</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {values.steps.map((step, i) => {
                    const name = byCode.get(step.department)?.name ?? step.department;
                    const where = `Step ${i + 1} (${name})`;
                    const deptError = form.errors[`steps.${i}.department`] ?? departmentProblem(step.department, byCode);
                    const deptErrorId = `${ids}-${step.uid}-department`;
                    return (
                      <Table.Tr key={step.uid} style={{ verticalAlign: 'top' }}>
                        <Table.Td pt={14}>
                          <Text fw={600}>{i + 1}</Text>
                        </Table.Td>
                        <Table.Td pt={12}>
                          <Text fw={600} lh={1.3}>
                            {name}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {step.department}
                          </Text>
                          {deptError && (
                            <Text size="xs" c="red" mt={2} id={deptErrorId}>
                              {deptError}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <NumberInput
                            aria-label={`${where}: minimum sign-offs`}
                            min={1}
                            max={LIMITS.minSignoffs}
                            allowDecimal={false}
                            allowNegative={false}
                            clampBehavior="strict"
                            {...form.getInputProps(`steps.${i}.minSignoffs`)}
                          />
                        </Table.Td>
                        <Table.Td>
                          <NumberInput
                            aria-label={`${where}: target hours`}
                            placeholder="none"
                            min={0}
                            max={LIMITS.targetHours}
                            allowNegative={false}
                            decimalScale={1}
                            suffix=" h"
                            {...form.getInputProps(`steps.${i}.targetHours`)}
                          />
                        </Table.Td>
                        <Table.Td>
                          <Group gap={4} wrap="nowrap" justify="flex-end" pt={4}>
                            <Tooltip label="Move up" withinPortal>
                              <ActionIcon variant="subtle" color="gray" aria-label={`Move step ${i + 1} up`} disabled={i === 0} onClick={() => moveStep(i, -1)}>
                                <IconArrowUp size={18} />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label="Move down" withinPortal>
                              <ActionIcon
                                variant="subtle"
                                color="gray"
                                aria-label={`Move step ${i + 1} down`}
                                disabled={i === values.steps.length - 1}
                                onClick={() => moveStep(i, 1)}
                              >
                                <IconArrowDown size={18} />
                              </ActionIcon>
                            </Tooltip>
                            <Tooltip label="Remove" withinPortal>
                              {/* A department problem is fixed by removing the step: a refused save brings the focus here. */}
                              <ActionIcon
                                variant="subtle"
                                color="red"
                                aria-label={`Remove step ${i + 1}`}
                                aria-describedby={deptError ? deptErrorId : undefined}
                                data-path={`steps.${i}.department`}
                                onClick={() => removeStep(i)}
                              >
                                <IconTrash size={18} />
                              </ActionIcon>
                            </Tooltip>
                          </Group>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            )}
            {values.steps.length > 0 && form.errors['steps'] && (
              <Text size="sm" c="red">
                {form.errors['steps']}
              </Text>
            )}
          </Stack>
        </Paper>

        <Paper withBorder radius="md" p="lg">
          <Stack gap="md">
            <div>
              <Title order={3} size="h4">
                Rules
              </Title>
              <Text size="sm" c="dimmed">
                They apply to items started on this version. The approvals module enforces them; the users module asks for e-signatures.
              </Text>
            </div>
            {RULE_LABELS.map((rule) => (
              <Switch key={rule.key} label={rule.label} description={rule.description} {...form.getInputProps(`rules.${rule.key}`, { type: 'checkbox' })} />
            ))}
          </Stack>
        </Paper>

        {failure && (
          <Alert color="red" variant="light" role="alert" title="Not saved">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <span>{failure.message}</span>
              {failure.stale && (
                <Button size="xs" variant="white" color="red" onClick={loadLatest}>
                  Load the latest version
                </Button>
              )}
            </Group>
          </Alert>
        )}

        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel} disabled={form.submitting}>
            Cancel
          </Button>
          <Button type="submit" loading={form.submitting} disabled={!dirty}>
            {isNew ? 'Create template' : `Save as version ${base.version + 1}`}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
