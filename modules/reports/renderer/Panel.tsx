import { Badge, Button, EmptyState, Group, Loader, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconChartHistogram, IconDownload, IconFileSpreadsheet } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import type { ExportFormat } from '../../../src/renderer/src/components/TableExport';
import type { QueryState } from '../../../src/renderer/src/hooks/useQuery';

interface PanelProps {
  title: string;
  /** One line under the title: what the figures cover. */
  scope?: ReactNode;
  /** A query is running for this panel (first load or refresh). */
  busy?: boolean;
  action?: ReactNode;
  children: ReactNode;
}

/** One report: a titled card with its controls and export on the right. */
export function Panel({ title, scope, busy, action, children }: PanelProps) {
  return (
    <Paper withBorder radius="md" p="lg" component="section" aria-label={title} aria-busy={busy || undefined}>
      <Group justify="space-between" align="flex-start" mb="md" wrap="nowrap">
        <Stack gap={2}>
          <Group gap="xs">
            <Title order={4}>{title}</Title>
            {busy && <Loader size={14} aria-label={`Computing ${title.toLowerCase()}`} />}
          </Group>
          {scope && (
            <Text size="xs" c="dimmed">
              {scope}
            </Text>
          )}
        </Stack>
        {action}
      </Group>
      {children}
    </Paper>
  );
}

/** "Export CSV" and "Export XLSX"; `label` names the CSV one for screen readers ("Export cycle time as CSV"). */
export function ExportButton({ label, onExport, disabled }: { label: string; onExport: (format: ExportFormat) => void; disabled?: boolean }) {
  return (
    // Each named by its hidden label alone, shown as "Export CSV" / "Export XLSX" (an aria-label would hide the shown words from speech input).
    <Group gap="xs" wrap="nowrap">
      <Button size="xs" variant="default" leftSection={<IconDownload size={14} />} onClick={() => onExport('csv')} disabled={disabled}>
        <VisuallyHidden>{label}</VisuallyHidden>
        <span aria-hidden>Export CSV</span>
      </Button>
      <Button size="xs" variant="default" leftSection={<IconFileSpreadsheet size={14} />} onClick={() => onExport('xlsx')} disabled={disabled}>
        <VisuallyHidden>{label.replace(/CSV$/, 'XLSX')}</VisuallyHidden>
        <span aria-hidden>Export XLSX</span>
      </Button>
    </Group>
  );
}

/** A filter that does not apply to this report, said plainly next to its title. */
export const NotFiltered = ({ children }: { children: ReactNode }) => (
  <Badge size="sm" variant="light" color="gray" radius="sm" tt="none" fw={500} component="span" ml={6}>
    {children}
  </Badge>
);

interface BodyProps<T> {
  /** Why the report cannot run (a bad date range), or null. */
  blocked: string | null;
  query: QueryState<T>;
  isEmpty: (data: T) => boolean;
  emptyTitle?: string;
  emptyText: string;
  children: (data: T) => ReactNode;
}

/** The report's figures, or its loading, error, empty or "fix the filters" state. */
export function ReportBody<T>({ blocked, query, isEmpty, emptyTitle = 'Nothing in this range', emptyText, children }: BodyProps<T>) {
  if (blocked) {
    return (
      <Text size="sm" c="dimmed">
        Choose a valid date range above.
      </Text>
    );
  }
  return (
    <QueryView
      query={query}
      isEmpty={isEmpty}
      empty={<EmptyState icon={<IconChartHistogram size={28} />} withIndicatorBackground title={emptyTitle} description={emptyText} py="lg" />}
    >
      {children}
    </QueryView>
  );
}
