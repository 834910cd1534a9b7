import {
  Alert,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useForm } from '@mantine/form';
import { getHotkeyHandler } from '@mantine/hooks';
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import type { Priority, WorkflowStep } from '../../../shared/types';
import { ApiError, core } from '../api/client';
import { ErrorAlert } from '../components/QueryView';
import { METADATA_FIELDS } from '../format';
import { useQuery } from '../hooks/useQuery';
import { NeedsServer } from '../components/NeedsServer';
import { useAppStore } from '../stores/appStore';
import { ITEM_LIMITS } from '../../../shared/limits';
import { CharacterCount, overLimit } from '../components/LimitedText';
import { startingTemplate, useLastTemplates } from './createItem/lastTemplate';

function StepsPreview({ steps }: { steps: WorkflowStep[] }) {
  return (
    <Group gap={6} aria-label="Workflow steps">
      {steps.map((s, i) => (
        <Group key={`${i}-${s.name}`} gap={6} wrap="nowrap">
          {i > 0 && <IconArrowRight size={14} color="var(--mantine-color-dimmed)" />}
          <Badge variant="light" radius="sm" size="lg" tt="none">
            {i + 1}. {s.name}
            {s.minSignoffs && s.minSignoffs > 1 ? ` · ${s.minSignoffs} sign-offs` : ''}
            {s.targetHours ? ` · ${s.targetHours} h` : ''}
          </Badge>
        </Group>
      ))}
    </Group>
  );
}

interface Values {
  title: string;
  description: string;
  priority: Priority;
  workflowId: string | null;
  customSteps: string[];
  metadata: Record<string, string>;
}

const FIELDS = ['title', 'description', 'workflowId', 'steps', 'metadata'];

export function CreateItem() {
  const [, navigate] = useLocation();
  const workflows = useQuery(() => core('workflows.list', {}), []);
  const person = useAppStore((s) => s.status?.actor?.id ?? '');
  const lastUsed = useLastTemplates((s) => s.byPerson[person]);
  const remember = useLastTemplates((s) => s.remember);
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState<'draft' | 'submit' | null>(null);

  const choices = workflows.data ?? [];
  const useTemplates = choices.length > 0;
  const form = useForm<Values>({
    initialValues: { title: '', description: '', priority: 'normal', workflowId: null, customSteps: [], metadata: {} },
    validate: {
      title: (v) => (!v.trim() ? 'A title is required' : overLimit('The title', v, ITEM_LIMITS.title)),
      description: (v) => overLimit('The description', v, ITEM_LIMITS.description),
      workflowId: (v) => (useTemplates && !v ? 'Choose a workflow' : null),
      customSteps: (v) => (!useTemplates && v.length === 0 ? 'Add at least one step' : null),
      metadata: (m) =>
        METADATA_FIELDS.map((f) => overLimit(f.label, m[f.key] ?? '', ITEM_LIMITS.metadataValue)).find((e) => e !== null) ?? null,
    },
  });
  const { values } = form;
  useEffect(() => {
    if (values.workflowId === null && choices.length) form.setFieldValue('workflowId', startingTemplate(choices, lastUsed));
  }, [choices, values.workflowId, lastUsed]);
  const selected = choices.find((c) => c.id === values.workflowId);
  const steps: WorkflowStep[] = useTemplates ? (selected?.steps ?? []) : values.customSteps.map((name) => ({ name }));

  const save = async (submit: boolean) => {
    setFormError(null);
    if (form.validate().hasErrors) return;
    setSaving(submit ? 'submit' : 'draft');
    try {
      const filled = Object.fromEntries(Object.entries(values.metadata).filter(([, v]) => v.trim() !== ''));
      const item = await core('workItems.create', {
        title: values.title,
        description: values.description,
        priority: values.priority,
        metadata: filled,
        submit,
        ...(useTemplates ? { workflowId: values.workflowId! } : { steps }),
      });
      if (useTemplates && values.workflowId) remember(person, values.workflowId);
      navigate(`/items/${item.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VALIDATION') {
        const fields = error.fieldErrors();
        form.setErrors({ ...fields, ...(fields['steps'] ? { customSteps: fields['steps'] } : {}) });
        if (!Object.keys(fields).some((k) => FIELDS.includes(k))) setFormError(error.message);
      } else {
        setFormError((error as Error).message);
      }
    } finally {
      setSaving(null);
    }
  };
  // Ctrl+Enter (⌘+Enter) submits from any field; a plain Enter never sends an item on its way by accident.
  const submitKeys = getHotkeyHandler([['mod+Enter', () => void save(true)]]);

  return (
    <Stack gap="lg" maw={880}>
      <Title order={1} size="h2">New work item</Title>
      <Paper withBorder radius="md" p="lg" component="form" onSubmit={(e) => e.preventDefault()} onKeyDown={submitKeys} aria-label="New work item">
        <Stack gap="md">
          <div>
            <TextInput
              label="Title"
              placeholder="e.g. Replace left main gear actuator seal"
              required
              autoFocus
              aria-describedby="title-count"
              {...form.getInputProps('title')}
            />
            <CharacterCount id="title-count" length={values.title.length} limit={ITEM_LIMITS.title} />
          </div>
          <div>
            <Textarea
              label="Description"
              placeholder="What needs doing, references, parts…"
              autosize
              minRows={3}
              maxRows={16}
              aria-describedby="description-count"
              {...form.getInputProps('description')}
            />
            <CharacterCount id="description-count" length={values.description.length} limit={ITEM_LIMITS.description} />
          </div>
          <div>
            <Text size="sm" fw={500} mb={4} id="priority-label">
              Priority
            </Text>
            <SegmentedControl
              aria-labelledby="priority-label"
              {...form.getInputProps('priority')}
              data={[
                { value: 'normal', label: 'Normal' },
                { value: 'urgent', label: 'Urgent' },
              ]}
              color={values.priority === 'urgent' ? 'orange' : undefined}
            />
          </div>

          {workflows.error && <ErrorAlert title="Workflows could not be loaded" message={workflows.error.message} onRetry={workflows.reload} />}
          {useTemplates ? (
            <Select
              label="Workflow"
              description="The departments this item goes through, in order."
              data={choices.map((c) => ({ value: c.id, label: c.version ? `${c.label} (v${c.version})` : c.label }))}
              allowDeselect={false}
              required
              {...form.getInputProps('workflowId')}
            />
          ) : (
            workflows.data && (
              <TagsInput
                label="Steps, in order"
                description="No workflow templates are available, so name the departments this item goes through. Press Enter after each."
                placeholder="e.g. Engineering"
                required
                {...form.getInputProps('customSteps')}
              />
            )
          )}
          {steps.length > 0 && <StepsPreview steps={steps} />}

          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {METADATA_FIELDS.map((field) => (
              <TextInput key={field.key} label={field.label} placeholder={field.placeholder} {...form.getInputProps(`metadata.${field.key}`)} value={values.metadata[field.key] ?? ''} />
            ))}
          </SimpleGrid>
          {form.errors['metadata'] && (
            <Text c="red" size="sm">
              {form.errors['metadata']}
            </Text>
          )}

          {formError && (
            <Alert color="red" variant="light" role="alert" title="Not saved">
              {formError}
            </Alert>
          )}
          <Group justify="space-between">
            <Text size="xs" c="dimmed">
              Ctrl+Enter submits
            </Text>
            <Group>
              <NeedsServer>
                <Button variant="default" loading={saving === 'draft'} disabled={saving !== null} onClick={() => save(false)}>
                  Save as draft
                </Button>
              </NeedsServer>
              <NeedsServer>
                <Button loading={saving === 'submit'} disabled={saving !== null} onClick={() => save(true)}>
                  Submit
                </Button>
              </NeedsServer>
            </Group>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}
