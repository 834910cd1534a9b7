import { Group, Paper, SegmentedControl, Select, Text, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';

export interface Filters {
  from: string;
  to: string;
  bucket: 'day' | 'week';
  workflowId: string | null;
  department: string | null;
}

interface Props {
  filters: Filters;
  onChange: (patch: Partial<Filters>) => void;
  rangeError: string | null;
  templates: { value: string; label: string }[] | undefined;
  departments: string[] | undefined;
  /** Shown under the filters, on the right: how far the reports have got. */
  status?: ReactNode;
}

/** Dates, grouping, template and department for every report on the screen. */
export function FilterBar({ filters, onChange, rangeError, templates, departments, status }: Props) {
  return (
    <Paper withBorder radius="md" p="md" role="group" aria-label="Report filters">
      <Group align="flex-end" gap="md">
        <TextInput
          type="date"
          label="From"
          value={filters.from}
          max={filters.to}
          onChange={(e) => onChange({ from: e.currentTarget.value })}
          error={Boolean(rangeError) && rangeError !== 'Choose an end date'}
          w={170}
        />
        <TextInput
          type="date"
          label="To"
          value={filters.to}
          min={filters.from}
          onChange={(e) => onChange({ to: e.currentTarget.value })}
          error={rangeError === 'Choose an end date'}
          w={170}
        />
        <div>
          <Text size="sm" fw={500} mb={4} id="reports-group-by">
            Group by
          </Text>
          <SegmentedControl
            value={filters.bucket}
            onChange={(v) => onChange({ bucket: v as 'day' | 'week' })}
            data={[
              { value: 'day', label: 'Per day' },
              { value: 'week', label: 'Per week' },
            ]}
            aria-labelledby="reports-group-by"
          />
        </div>
        <Select
          label="Template"
          placeholder="All templates"
          data={templates ?? []}
          value={filters.workflowId}
          onChange={(workflowId) => onChange({ workflowId })}
          clearable
          w={200}
          disabled={templates === undefined}
        />
        <Select
          label="Department"
          placeholder="All departments"
          data={departments ?? []}
          value={filters.department}
          onChange={(department) => onChange({ department })}
          clearable
          searchable
          nothingFoundMessage="No such department"
          w={200}
          disabled={departments === undefined}
        />
      </Group>
      <Group justify="space-between" align="flex-end" mt="sm" mih={20}>
        {rangeError ? (
          <Text c="red" size="sm" role="alert">
            {rangeError}
          </Text>
        ) : (
          <span />
        )}
        {status}
      </Group>
    </Paper>
  );
}
