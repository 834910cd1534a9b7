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
import { IconArrowDown, IconArrowLeft, IconArrowUp, IconInfoCircle, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import type { TemplateDetail, TemplateRules, TemplateSummary } from '../contract';
import { issuesByPath, RULE_LABELS, templatesApi, type Department } from './shared';
import { slugify } from '../slug';

interface DraftStep {
  uid: number;
  department: string;
  minSignoffs: number | string;
  targetHours: number | string;
}

interface Draft {
  key: string;
  name: string;
  description: string;
  steps: DraftStep[];
  rules: TemplateRules;
}

let nextUid = 1;
const NO_RULES: TemplateRules = { commentOnReject: false, commentOnEveryAction: false, noSelfApproval: false, eSignature: false };

function draftOf(template: TemplateSummary | null): Draft {
  if (!template) return { key: '', name: '', description: '', steps: [], rules: { ...NO_RULES } };
  return {
    key: template.key,
    name: template.name,
    description: template.description,
    steps: template.steps.map((s) => ({ uid: nextUid++, department: s.department, minSignoffs: s.minSignoffs, targetHours: s.targetHours ?? '' })),
    rules: { ...template.rules },
  };
}

/** What the core receives: numbers where the inputs hold numbers, nothing for an empty target. */
function payload(draft: Draft) {
  return {
    name: draft.name,
    description: draft.description,
    rules: draft.rules,
    steps: draft.steps.map((s) => ({
      department: s.department,
      minSignoffs: typeof s.minSignoffs === 'number' ? s.minSignoffs : s.minSignoffs === '' ? 1 : Number(s.minSignoffs),
      ...(s.targetHours === '' ? {} : { targetHours: Number(s.targetHours) }),
    })),
  };
}


interface Props {
  /** null: a new template. */
  template: TemplateSummary | null;
  departments: Department[];
  onDone(saved: TemplateDetail, note: string): void;
  onCancel(): void;
}

/** Name, description, the ordered steps with their sign-offs and target hours, and the rules. Saving makes a new version. */
export function TemplateEditor({ template, departments, onDone, onCancel }: Props) {
  const [base, setBase] = useState(template);
  const [draft, setDraft] = useState<Draft>(() => draftOf(template));
  const initial = useMemo(() => JSON.stringify(payload(draftOf(base))), [base]);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [saving, setSaving] = useState(false);

  const isNew = base === null;
  const dirty = isNew || JSON.stringify(payload(draft)) !== initial;
  const byCode = new Map(departments.map((d) => [d.code, d]));
  const addable = departments.filter((d) => d.active);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    setErrors((e) => {
      const { [key]: _gone, ...rest } = e;
      return rest;
    });
  };
  // Step positions change when steps move, so step errors from the last save no longer apply.
  const setSteps = (change: (steps: DraftStep[]) => DraftStep[]) => {
    setDraft((d) => ({ ...d, steps: change(d.steps) }));
    setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !k.startsWith('steps'))));
  };
  const updateStep = (uid: number, patch: Partial<DraftStep>, field: string, index: number) => {
    setDraft((d) => ({ ...d, steps: d.steps.map((s) => (s.uid === uid ? { ...s, ...patch } : s)) }));
    setErrors((e) => {
      const { [`steps.${index}.${field}`]: _gone, ...rest } = e;
      return rest;
    });
  };
  const move = (index: number, by: -1 | 1) =>
    setSteps((steps) => {
      const next = [...steps];
      const [step] = next.splice(index, 1);
      next.splice(index + by, 0, step!);
      return next;
    });

  const save = async () => {
    const local: Record<string, string> = {};
    if (!draft.name.trim()) local['name'] = 'A template needs a name';
    if (draft.steps.length === 0) local['steps'] = 'A template needs at least one step.';
    setErrors(local);
    setFormError(null);
    setStale(false);
    if (Object.keys(local).length) return;
    setSaving(true);
    try {
      const body = payload(draft);
      const saved = isNew
        ? await templatesApi('templates.create', { ...body, ...(draft.key.trim() ? { key: draft.key.trim() } : {}) })
        : await templatesApi('templates.update', { ...body, id: base.id, expectedVersion: base.version });
      onDone(
        saved,
        isNew
          ? `Created "${saved.name}" (version 1). It is offered on the Create item screen.`
          : `Saved "${saved.name}" as version ${saved.version}. Items already running keep version ${base.version}.`,
      );
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VALIDATION') {
        const fields = issuesByPath(error.details);
        setErrors(fields);
        const shown = Object.keys(fields).some((k) => k === 'name' || k === 'key' || k === 'description' || k.startsWith('steps'));
        if (!shown) setFormError(error.message);
      } else if (error instanceof ApiError && error.code === 'STALE_VERSION') {
        setStale(true);
        setFormError(error.message);
      } else {
        setFormError((error as Error).message);
      }
    } finally {
      setSaving(false);
    }
  };

  const loadLatest = async () => {
    if (!base) return;
    try {
      const latest = await templatesApi('templates.get', { id: base.id });
      setBase(latest);
      setDraft(draftOf(latest));
      setErrors({});
      setFormError(null);
      setStale(false);
    } catch (error) {
      setFormError((error as Error).message);
    }
  };

  return (
    <Stack gap="lg" maw={920}>
      <div>
        <Button variant="subtle" size="compact-sm" leftSection={<IconArrowLeft size={16} />} onClick={onCancel} mb="xs">
          All templates
        </Button>
        <Title order={1} size="h2">{isNew ? 'New template' : `Edit template: ${base.name}`}</Title>
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
            <TextInput
              label="Name"
              placeholder="e.g. Heavy check"
              required
              maxLength={80}
              value={draft.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={errors['name']}
              data-autofocus
            />
            {isNew ? (
              <TextInput
                label="Key"
                description="Kept with every item and in exported files; cannot be changed later."
                placeholder={draft.name.trim() ? slugify(draft.name) : 'made from the name'}
                maxLength={40}
                value={draft.key}
                onChange={(e) => set('key', e.currentTarget.value)}
                error={errors['key']}
              />
            ) : (
              <TextInput label="Key" description="Kept with every item; cannot be changed." value={base.key} readOnly variant="filled" />
            )}
          </Group>
          <Textarea
            label="Description"
            placeholder="When to use this workflow"
            autosize
            minRows={2}
            maxLength={500}
            value={draft.description}
            onChange={(e) => set('description', e.currentTarget.value)}
            error={errors['description']}
          />
        </Stack>
      </Paper>

      <Paper withBorder radius="md" p="lg">
        <Stack gap="sm">
          <Group justify="space-between">
            <div>
              <Title order={3} size="h4" id="steps-heading">
                Steps, in order
              </Title>
              <Text size="sm" c="dimmed">
                Each step is a department. A step with more than one sign-off moves on only after that many different people approve.
              </Text>
            </div>
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <Button leftSection={<IconPlus size={16} />} variant="light" disabled={addable.length === 0}>
                  Add step
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>Add a department</Menu.Label>
                {addable.map((d) => (
                  <Menu.Item
                    key={d.code}
                    onClick={() => setSteps((steps) => [...steps, { uid: nextUid++, department: d.code, minSignoffs: 1, targetHours: '' }])}
                  >
                    {d.name} ({d.code})
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
          </Group>

          {draft.steps.length === 0 ? (
            <Text size="sm" c={errors['steps'] ? 'red' : 'dimmed'} py="md" ta="center" role={errors['steps'] ? 'alert' : undefined}>
              {errors['steps'] ?? 'No steps yet. Add the departments this workflow goes through, in order.'}
            </Text>
          ) : (
            <Table aria-labelledby="steps-heading" verticalSpacing="xs" layout="fixed">
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
                {draft.steps.map((step, i) => {
                  const dept = byCode.get(step.department);
                  const name = dept?.name ?? step.department;
                  const where = `Step ${i + 1} (${name})`;
                  const deptError =
                    errors[`steps.${i}.department`] ??
                    (!dept ? `Department "${step.department}" does not exist any more; remove this step.` : !dept.active ? `${dept.name} is inactive; remove this step or reactivate the department.` : undefined);
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
                          <Text size="xs" c="red" mt={2}>
                            {deptError}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={`${where}: minimum sign-offs`}
                          min={1}
                          max={5}
                          allowDecimal={false}
                          allowNegative={false}
                          clampBehavior="strict"
                          value={step.minSignoffs}
                          onChange={(v) => updateStep(step.uid, { minSignoffs: v }, 'minSignoffs', i)}
                          error={errors[`steps.${i}.minSignoffs`]}
                        />
                      </Table.Td>
                      <Table.Td>
                        <NumberInput
                          aria-label={`${where}: target hours`}
                          placeholder="none"
                          min={0}
                          max={10_000}
                          allowNegative={false}
                          decimalScale={1}
                          suffix=" h"
                          value={step.targetHours}
                          onChange={(v) => updateStep(step.uid, { targetHours: v }, 'targetHours', i)}
                          error={errors[`steps.${i}.targetHours`]}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap" justify="flex-end" pt={4}>
                          <Tooltip label="Move up" withinPortal>
                            <ActionIcon variant="subtle" color="gray" aria-label={`Move step ${i + 1} up`} disabled={i === 0} onClick={() => move(i, -1)}>
                              <IconArrowUp size={18} />
                            </ActionIcon>
                          </Tooltip>
                          <Tooltip label="Move down" withinPortal>
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              aria-label={`Move step ${i + 1} down`}
                              disabled={i === draft.steps.length - 1}
                              onClick={() => move(i, 1)}
                            >
                              <IconArrowDown size={18} />
                            </ActionIcon>
                          </Tooltip>
                          <Tooltip label="Remove" withinPortal>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={`Remove step ${i + 1}`}
                              onClick={() => setSteps((steps) => steps.filter((s) => s.uid !== step.uid))}
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
          {draft.steps.length > 0 && errors['steps'] && (
            <Text size="sm" c="red">
              {errors['steps']}
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
            <Switch
              key={rule.key}
              label={rule.label}
              description={rule.description}
              checked={draft.rules[rule.key]}
              onChange={(e) => {
                const checked = e.currentTarget.checked;
                setDraft((d) => ({ ...d, rules: { ...d.rules, [rule.key]: checked } }));
              }}
            />
          ))}
        </Stack>
      </Paper>

      {formError && (
        <Alert color="red" variant="light" role="alert" title="Not saved">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <span>{formError}</span>
            {stale && (
              <Button size="xs" variant="white" color="red" onClick={loadLatest}>
                Load the latest version
              </Button>
            )}
          </Group>
        </Alert>
      )}

      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel} disabled={saving}>
          Cancel
        </Button>
        <Button onClick={save} loading={saving} disabled={!dirty}>
          {isNew ? 'Create template' : `Save as version ${base.version + 1}`}
        </Button>
      </Group>
    </Stack>
  );
}
