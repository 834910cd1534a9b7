import { Alert, Badge, Button, EmptyState, FileButton, Group, List, Menu, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconDownload, IconFileImport, IconHistory, IconPencil, IconPlus, IconTemplate } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import { ErrorAlert, QueryView } from '../../../src/renderer/src/components/QueryView';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { TemplateSummary } from '../contract';
import { HistoryModal } from './HistoryModal';
import { departmentsApi, downloadFile, issueList, rulesText, StepBadges, templatesApi } from './shared';
import { TemplateEditor } from './TemplateEditor';

type View = { kind: 'list' } | { kind: 'new' } | { kind: 'edit'; template: TemplateSummary };
type Notice = { kind: 'done'; text: string } | { kind: 'error'; title: string; text: string; issues: { where: string; message: string }[] };

const formatOf = (fileName: string): 'json' | 'yaml' | undefined =>
  /\.json$/i.test(fileName) ? 'json' : /\.ya?ml$/i.test(fileName) ? 'yaml' : undefined;

/** Settings → Templates: the list, the editor, history, activate/deactivate, import and export. */
export function TemplatesPanel() {
  const [view, setView] = useState<View>({ kind: 'list' });
  const [history, setHistory] = useState<TemplateSummary | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const list = useQuery(() => templatesApi('templates.list', { includeInactive: true }), []);
  const departments = useQuery(() => departmentsApi('departments.list', { includeInactive: true }), []);

  const fail = (title: string, error: unknown) =>
    setNotice({
      kind: 'error',
      title,
      text: (error as Error).message,
      issues: error instanceof ApiError ? issueList(error.details).filter((i) => i.where) : [],
    });

  const exportTemplate = async (template: TemplateSummary, format: 'json' | 'yaml', version?: number) => {
    setNotice(null);
    try {
      const file = await templatesApi('templates.export', { id: template.id, format, ...(version ? { version } : {}) });
      downloadFile(file.fileName, file.content, file.format);
      setNotice({ kind: 'done', text: `Exported "${template.name}" version ${version ?? template.version} as ${file.fileName}.` });
    } catch (error) {
      fail('Not exported', error);
    }
  };

  const importFile = async (file: File | null) => {
    if (!file) return;
    setNotice(null);
    setBusy('import');
    try {
      const content = await file.text();
      const format = formatOf(file.name);
      const result = await templatesApi('templates.import', { content, ...(format ? { format } : {}) });
      setNotice({ kind: 'done', text: result.message });
    } catch (error) {
      fail(`${file.name} was not imported`, error);
    } finally {
      setBusy(null);
    }
  };

  const setActive = async (template: TemplateSummary, active: boolean) => {
    setNotice(null);
    setBusy(`active-${template.id}`);
    try {
      await templatesApi('templates.setActive', { id: template.id, active });
      setNotice({
        kind: 'done',
        text: active
          ? `"${template.name}" is offered for new items again.`
          : `"${template.name}" is no longer offered for new items. Items already running on it carry on.`,
      });
    } catch (error) {
      fail('Not changed', error);
    } finally {
      setBusy(null);
    }
  };

  if (view.kind !== 'list') {
    return (
      <QueryView query={departments}>
        {(depts) => (
          <TemplateEditor
            key={view.kind === 'edit' ? `edit-${view.template.id}` : 'new'}
            template={view.kind === 'edit' ? view.template : null}
            departments={depts}
            onCancel={() => setView({ kind: 'list' })}
            onDone={(_saved, text) => {
              setNotice({ kind: 'done', text });
              setView({ kind: 'list' });
            }}
          />
        )}
      </QueryView>
    );
  }

  return (
    <Stack gap="lg" maw={920}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={1} size="h2">Templates</Title>
          <Text c="dimmed" size="sm">
            The workflows people pick when they create an item: departments in order, sign-offs per step, and comment and approval
            rules. Every save adds a version; items keep the version they started with.
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap">
          <FileButton onChange={importFile} accept=".json,.yaml,.yml,application/json,application/yaml,text/yaml" inputProps={{ 'aria-label': 'Template file to import' }}>
            {(props) => (
              <Button {...props} variant="default" leftSection={<IconFileImport size={16} />} loading={busy === 'import'}>
                Import…
              </Button>
            )}
          </FileButton>
          <Button leftSection={<IconPlus size={16} />} onClick={() => (setNotice(null), setView({ kind: 'new' }))}>
            New template
          </Button>
        </Group>
      </Group>

      {notice?.kind === 'done' && (
        <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} role="status" withCloseButton onClose={() => setNotice(null)} closeButtonLabel="Dismiss">
          {notice.text}
        </Alert>
      )}
      {notice?.kind === 'error' && (
        <div>
          <ErrorAlert title={notice.title} message={notice.text} />
          {notice.issues.length > 1 && (
            <List size="sm" mt="xs" ml="md" aria-label="Problems found">
              {notice.issues.map((issue, i) => (
                <List.Item key={i}>
                  <Text span fw={600} size="sm">
                    {issue.where}:
                  </Text>{' '}
                  {issue.message}
                </List.Item>
              ))}
            </List>
          )}
        </div>
      )}

      <Paper withBorder radius="md">
        <QueryView
          query={list}
          isEmpty={(d) => d.length === 0}
          empty={
            <EmptyState
              py="xl"
              icon={<IconTemplate size={32} />}
              title="No templates yet"
              description="Create one, or import a template file exported from another installation."
            />
          }
        >
          {(templates) => (
            <div role="list" aria-label="Templates">
              {templates.map((t, i) => (
                <Group
                  key={t.id}
                  role="listitem"
                  aria-label={t.name}
                  justify="space-between"
                  align="flex-start"
                  p="md"
                  wrap="nowrap"
                  style={i > 0 ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
                >
                  <Stack gap={6} style={{ minWidth: 0 }}>
                    <Group gap="xs">
                      <Text fw={600} c={t.active ? undefined : 'dimmed'}>
                        {t.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        v{t.version} · {t.key}
                      </Text>
                      <Badge size="sm" variant="light" color={t.active ? 'teal' : 'gray'}>
                        {t.active ? 'Active' : 'Inactive'}
                      </Badge>
                    </Group>
                    {t.description && (
                      <Text size="sm" c="dimmed">
                        {t.description}
                      </Text>
                    )}
                    <StepBadges steps={t.steps} label={`Steps of ${t.name}`} size="sm" />
                    <Text size="xs" c="dimmed">
                      {rulesText(t.rules)}
                    </Text>
                    {t.problems.map((p) => (
                      <Text key={p} size="xs" c="red">
                        {p} {t.active ? 'It is not offered for new items until this is fixed.' : ''}
                      </Text>
                    ))}
                  </Stack>
                  <Stack gap="xs" align="flex-end" style={{ flexShrink: 0 }}>
                    <Switch
                      label="Active"
                      labelPosition="left"
                      checked={t.active}
                      disabled={busy === `active-${t.id}`}
                      onChange={(e) => setActive(t, e.currentTarget.checked)}
                      aria-label={`${t.name} active`}
                    />
                    <Group gap={6} wrap="nowrap">
                      <Button
                        size="compact-sm"
                        variant="default"
                        leftSection={<IconPencil size={14} />}
                        onClick={() => (setNotice(null), setView({ kind: 'edit', template: t }))}
                        aria-label={`Edit ${t.name}`}
                      >
                        Edit
                      </Button>
                      <Button size="compact-sm" variant="default" leftSection={<IconHistory size={14} />} onClick={() => setHistory(t)} aria-label={`History of ${t.name}`}>
                        History
                      </Button>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <Button size="compact-sm" variant="default" leftSection={<IconDownload size={14} />} aria-label={`Export ${t.name}`}>
                            Export
                          </Button>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item onClick={() => exportTemplate(t, 'yaml')}>YAML file</Menu.Item>
                          <Menu.Item onClick={() => exportTemplate(t, 'json')}>JSON file</Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Group>
                  </Stack>
                </Group>
              ))}
            </div>
          )}
        </QueryView>
      </Paper>

      {departments.error && <ErrorAlert title="Departments could not be loaded" message={departments.error.message} onRetry={departments.reload} />}
      {history && (
        <HistoryModal
          template={history}
          departments={departments.data ?? []}
          onClose={() => setHistory(null)}
          onExport={(version, format) => exportTemplate(history, format, version)}
        />
      )}
    </Stack>
  );
}
