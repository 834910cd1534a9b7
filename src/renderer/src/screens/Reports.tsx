import { Stack, Tabs, Title } from '@mantine/core';
import { useLocation } from 'wouter';
import { Loading } from '../components/Loading';
import { useEnabledModules } from '../modules';
import { ReportsOverview } from './ReportsOverview';

/**
 * The Reports screen: the core's overview of where items are now, then one tab per report a
 * module adds (the reports module's history and trends). The tab is part of the address, so a
 * report can be linked to and comes back after a reload.
 */
export function Reports({ tab }: { tab?: string | undefined }) {
  const moduleReports = useEnabledModules().flatMap((m) => m.reports ?? []);
  const [, navigate] = useLocation();
  const active = moduleReports.find((r) => r.id === tab) ? tab! : 'overview';
  const Active = moduleReports.find((r) => r.id === active)?.component ?? ReportsOverview;

  return (
    <Stack gap="lg">
      <Title order={1} size="h2">Reports</Title>
      {moduleReports.length > 0 && (
        <Tabs value={active} onChange={(value) => navigate(value === 'overview' ? '/reports' : `/reports/${value}`)}>
          <Tabs.List>
            <Tabs.Tab value="overview">Overview</Tabs.Tab>
            {moduleReports.map((r) => (
              <Tabs.Tab key={r.id} value={r.id}>
                {r.label}
              </Tabs.Tab>
            ))}
          </Tabs.List>
        </Tabs>
      )}
      {/* A module's report (charts) is its own chunk, fetched when its tab opens. */}
      <Loading>
        <Active />
      </Loading>
    </Stack>
  );
}
