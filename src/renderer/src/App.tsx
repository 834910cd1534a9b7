import { Alert, AppShell, Badge, Group, NavLink, ScrollArea, Text, ThemeIcon } from '@mantine/core';
import {
  IconAlertTriangle,
  IconChecklist,
  IconLayoutDashboard,
  IconPlaneTilt,
  IconPlus,
  IconReportAnalytics,
} from '@tabler/icons-react';
import { useEffect, type ComponentType } from 'react';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { rendererModules } from './modules';
import { Approvals } from './screens/Approvals';
import { CreateItem } from './screens/CreateItem';
import { Dashboard } from './screens/Dashboard';
import { ItemView } from './screens/ItemView';
import { Reports } from './screens/Reports';
import { subscribeToChanges, useAppStore } from './stores/appStore';

const CORE_NAV = [
  { path: '/', label: 'Dashboard', icon: IconLayoutDashboard },
  { path: '/create', label: 'Create item', icon: IconPlus },
  { path: '/approvals', label: 'Approvals', icon: IconChecklist },
  { path: '/reports', label: 'Reports', icon: IconReportAnalytics },
];

function Navigation({ extra }: { extra: { path: string; label: string; icon: ComponentType<{ size?: number | string }> }[] }) {
  const [location] = useLocation();
  const isActive = (path: string) => (path === '/' ? location === '/' : location.startsWith(path));
  return (
    <nav aria-label="Main">
      {[...CORE_NAV, ...extra].map((entry) => (
        <NavLink
          key={entry.path}
          component={Link}
          href={entry.path}
          label={entry.label}
          leftSection={<entry.icon size={20} />}
          active={isActive(entry.path)}
          aria-current={isActive(entry.path) ? 'page' : undefined}
          py="sm"
          style={{ borderRadius: 8 }}
        />
      ))}
    </nav>
  );
}

const NO_PROBLEMS: string[] = [];

function Problems() {
  const problems = useAppStore((s) => s.status?.problems ?? NO_PROBLEMS);
  const statusError = useAppStore((s) => s.statusError);
  if (!problems.length && !statusError) return null;
  return (
    <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Start-up problems" mb="md" role="status">
      {statusError && <Text size="sm">{statusError}</Text>}
      {problems.map((p) => (
        <Text size="sm" key={p}>
          {p}
        </Text>
      ))}
    </Alert>
  );
}

export function App() {
  const status = useAppStore((s) => s.status);
  const loadStatus = useAppStore((s) => s.loadStatus);
  const isEnabled = useAppStore((s) => s.isModuleEnabled);

  useEffect(() => {
    subscribeToChanges();
    void loadStatus();
  }, [loadStatus]);

  const moduleScreens = rendererModules.filter((m) => isEnabled(m.name)).flatMap((m) => m.screens ?? []);

  return (
    <Router hook={useHashLocation}>
      <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'xs' }} padding="lg">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Group gap="xs">
              <ThemeIcon size="lg" radius="md" variant="filled">
                <IconPlaneTilt size={20} />
              </ThemeIcon>
              <Text fw={700} size="lg">
                Aviation Workflow
              </Text>
            </Group>
            {status && (
              <Badge variant="default" size="lg" radius="sm" tt="none" aria-label="Signed in as">
                {status.actor.name}
              </Badge>
            )}
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="sm">
          <AppShell.Section grow component={ScrollArea}>
            <Navigation extra={moduleScreens} />
          </AppShell.Section>
          <AppShell.Section>
            <Text size="xs" c="dimmed" px="sm">
              {status ? `v${status.appVersion}` : ''}
            </Text>
          </AppShell.Section>
        </AppShell.Navbar>
        <AppShell.Main bg="var(--mantine-color-gray-0)">
          <Problems />
          <Switch>
            <Route path="/" component={Dashboard} />
            <Route path="/create" component={CreateItem} />
            <Route path="/approvals" component={Approvals} />
            <Route path="/reports" component={Reports} />
            <Route path="/items/:id">{(params) => <ItemView id={Number(params.id)} />}</Route>
            {moduleScreens.map((s) => (
              <Route key={s.path} path={s.path} component={s.component} />
            ))}
            <Route>
              <Text>This page does not exist.</Text>
            </Route>
          </Switch>
        </AppShell.Main>
      </AppShell>
    </Router>
  );
}
