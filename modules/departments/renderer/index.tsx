import { Badge, EmptyState, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { IconBuildingFactory2 } from '@tabler/icons-react';
import { QueryView } from '../../../src/renderer/src/components/QueryView';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import type { RendererModule } from '../../../src/renderer/src/moduleTypes';
import { departmentsApi } from './api';
import { lazy } from 'react';

// Not on the first paint: its own chunk, fetched when the panel opens.
const DepartmentsPanel = lazy(() => import('./DepartmentsPanel').then((m) => ({ default: m.DepartmentsPanel })));

/** Read-only, for everyone in the main window; admins change departments in the settings window. */
function DepartmentsScreen() {
  const list = useQuery(() => departmentsApi('departments.list', { includeInactive: true }), []);
  return (
    <Stack gap="lg" maw={720}>
      <div>
        <Title order={1} size="h2">Departments</Title>
        <Text c="dimmed" size="sm">
          The departments items move through, in their usual order. Admins change them in the settings window (Settings, at
          the bottom of the menu).
        </Text>
      </div>
      <Paper withBorder radius="md" p="md">
        <QueryView
          query={list}
          isEmpty={(d) => d.length === 0}
          empty={<EmptyState icon={<IconBuildingFactory2 size={32} />} title="No departments" description="Admins add departments in the settings window." />}
        >
          {(departments) => (
            <Table aria-label="Departments">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Order</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Code</Table.Th>
                  <Table.Th>State</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {departments.map((d, i) => (
                  <Table.Tr key={d.id}>
                    <Table.Td>{i + 1}</Table.Td>
                    <Table.Td fw={600} c={d.active ? undefined : 'dimmed'}>
                      {d.name}
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="outline" radius="sm">{d.code}</Badge>
                    </Table.Td>
                    <Table.Td>{d.active ? 'Active' : 'Inactive'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryView>
      </Paper>
    </Stack>
  );
}

const departmentsRenderer: RendererModule = {
  name: 'departments',
  screens: [{ path: '/departments', label: 'Departments', icon: IconBuildingFactory2, component: DepartmentsScreen }],
  settingsPanels: [{ path: '/departments', label: 'Departments', icon: IconBuildingFactory2, component: DepartmentsPanel, order: 10 }],
};

export default departmentsRenderer;
