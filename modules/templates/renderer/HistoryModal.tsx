import { Badge, Button, Group, Menu, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconDownload } from '@tabler/icons-react';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import { dateTime } from '../../../src/renderer/src/format';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { TemplateSummary } from '../contract';
import { ORIGIN_LABEL, rulesText, StepBadges, templatesApi, type Department } from './shared';

interface Props {
  template: TemplateSummary;
  departments: Department[];
  onExport(version: number, format: 'json' | 'yaml'): void;
  onClose(): void;
}

/** Every saved version of a template, newest first. Items keep the version they started with. */
export function HistoryModal({ template, departments, onExport, onClose }: Props) {
  const detail = useQuery(() => templatesApi('templates.get', { id: template.id }), [template.id]);
  const nameOf = (code: string) => departments.find((d) => d.code === code)?.name ?? code;

  return (
    <Modal opened onClose={onClose} title={`Version history: ${template.name}`} size="xl">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Saved versions never change. Items started on an older version keep its steps and rules until they are done.
        </Text>
        <QueryView query={detail}>
          {(d) => (
            <Table aria-label="Versions" verticalSpacing="sm" styles={{ td: { verticalAlign: 'top' } }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={90}>Version</Table.Th>
                  <Table.Th>Steps and rules</Table.Th>
                  <Table.Th w={200}>Saved</Table.Th>
                  <Table.Th w={110}>
                    <VisuallyHidden>Export</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.versions.map((v) => (
                  <Table.Tr key={v.version}>
                    <Table.Td>
                      <Stack gap={4} align="flex-start">
                        <Text fw={700}>v{v.version}</Text>
                        {v.version === d.currentVersion && (
                          <Badge size="sm" variant="light" color="teal">
                            Current
                          </Badge>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={6}>
                        {v.name !== d.name && (
                          <Text size="sm" fw={600}>
                            Named “{v.name}”
                          </Text>
                        )}
                        <StepBadges steps={v.steps.map((s) => ({ ...s, name: nameOf(s.department) }))} label={`Steps of version ${v.version}`} size="sm" />
                        <Text size="xs" c="dimmed">
                          {rulesText(v.rules)}
                        </Text>
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{dateTime(v.savedAt)}</Text>
                      <Text size="xs" c="dimmed">
                        {v.origin === 'default' ? 'From the settings file, on first run' : `${ORIGIN_LABEL[v.origin]} by ${v.savedBy.name}`}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Menu position="bottom-end" withinPortal>
                        <Menu.Target>
                          <Button size="compact-sm" variant="default" leftSection={<IconDownload size={14} />} aria-label={`Export version ${v.version}`}>
                            Export
                          </Button>
                        </Menu.Target>
                        <Menu.Dropdown>
                          <Menu.Item onClick={() => onExport(v.version, 'yaml')}>YAML file</Menu.Item>
                          <Menu.Item onClick={() => onExport(v.version, 'json')}>JSON file</Menu.Item>
                        </Menu.Dropdown>
                      </Menu>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryView>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
