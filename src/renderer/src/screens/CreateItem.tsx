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
import { useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import type { Priority, WorkflowStep } from '../../../shared/types';
import { ApiError, core } from '../api/client';
import { ErrorAlert } from '../components/QueryView';
import { METADATA_FIELDS } from '../format';
import { useQuery } from '../hooks/useQuery';
import { NeedsServer } from '../components/NeedsServer';

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

export function CreateItem() {
  const [, navigate] = useLocation();
  const workflows = useQuery(() => core('workflows.list', {}), []);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [priority, setPriority] = useState<Priority>('normal');
  const [workflowId, setWorkflowId] = useState<string | null>(null);
  const [customSteps, setCustomSteps] = useState<string[]>([]);
  const [metadata, setMetadata] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState<'draft' | 'submit' | null>(null);

  const choices = workflows.data ?? [];
  const useTemplates = choices.length > 0;
  useEffect(() => {
    if (workflowId === null && choices[0]) setWorkflowId(choices[0].id);
  }, [choices, workflowId]);
  const selected = choices.find((c) => c.id === workflowId);
  const steps: WorkflowStep[] = useTemplates ? (selected?.steps ?? []) : customSteps.map((name) => ({ name }));

  const save = async (submit: boolean) => {
    const local: Record<string, string> = {};
    if (!title.trim()) local['title'] = 'A title is required';
    if (useTemplates && !workflowId) local['workflowId'] = 'Choose a workflow';
    if (!useTemplates && customSteps.length === 0) local['steps'] = 'Add at least one step';
    setErrors(local);
    setFormError(null);
    if (Object.keys(local).length) return;
    setSaving(submit ? 'submit' : 'draft');
    try {
      const filled = Object.fromEntries(Object.entries(metadata).filter(([, v]) => v.trim() !== ''));
      const item = await core('workItems.create', {
        title,
        description,
        priority,
        metadata: filled,
        submit,
        ...(useTemplates ? { workflowId: workflowId! } : { steps }),
      });
      navigate(`/items/${item.id}`);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'VALIDATION') {
        const fields = error.fieldErrors();
        setErrors(fields);
        if (!Object.keys(fields).some((k) => ['title', 'description', 'workflowId', 'steps', 'metadata'].includes(k))) {
          setFormError(error.message);
        }
      } else {
        setFormError((error as Error).message);
      }
    } finally {
      setSaving(null);
    }
  };

  return (
    <Stack gap="lg" maw={880}>
      <Title order={1} size="h2">New work item</Title>
      <Paper withBorder radius="md" p="lg">
        <Stack gap="md">
          <TextInput
            label="Title"
            placeholder="e.g. Replace left main gear actuator seal"
            required
            maxLength={200}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors['title']}
            data-autofocus
          />
          <Textarea
            label="Description"
            placeholder="What needs doing, references, parts…"
            autosize
            minRows={3}
            maxLength={10_000}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={errors['description']}
          />
          <div>
            <Text size="sm" fw={500} mb={4} id="priority-label">
              Priority
            </Text>
            <SegmentedControl
              aria-labelledby="priority-label"
              value={priority}
              onChange={(v) => setPriority(v as Priority)}
              data={[
                { value: 'normal', label: 'Normal' },
                { value: 'urgent', label: 'Urgent' },
              ]}
              color={priority === 'urgent' ? 'orange' : undefined}
            />
          </div>

          {workflows.error && <ErrorAlert title="Workflows could not be loaded" message={workflows.error.message} onRetry={workflows.reload} />}
          {useTemplates ? (
            <Select
              label="Workflow"
              description="The departments this item goes through, in order."
              data={choices.map((c) => ({ value: c.id, label: c.version ? `${c.label} (v${c.version})` : c.label }))}
              value={workflowId}
              onChange={setWorkflowId}
              allowDeselect={false}
              error={errors['workflowId']}
              required
            />
          ) : (
            workflows.data && (
              <TagsInput
                label="Steps, in order"
                description="No workflow templates are available, so name the departments this item goes through. Press Enter after each."
                placeholder="e.g. Engineering"
                value={customSteps}
                onChange={setCustomSteps}
                error={errors['steps'] ?? errors['workflowId']}
                required
              />
            )
          )}
          {steps.length > 0 && <StepsPreview steps={steps} />}

          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {METADATA_FIELDS.map((field) => (
              <TextInput
                key={field.key}
                label={field.label}
                placeholder={field.placeholder}
                maxLength={500}
                value={metadata[field.key] ?? ''}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setMetadata((m) => ({ ...m, [field.key]: value }));
                }}
              />
            ))}
          </SimpleGrid>
          {errors['metadata'] && <Text c="red" size="sm">{errors['metadata']}</Text>}

          {formError && (
            <Alert color="red" variant="light" role="alert" title="Not saved">
              {formError}
            </Alert>
          )}
          <Group justify="flex-end">
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
        </Stack>
      </Paper>
    </Stack>
  );
}
