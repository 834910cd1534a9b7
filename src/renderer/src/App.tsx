import { Alert, AppShell, Group, NavLink, ScrollArea, Text } from '@mantine/core';
import {
  IconAlertTriangle,
  IconChecklist,
  IconLayoutDashboard,
  IconPlus,
  IconReportAnalytics,
  IconSettings,
} from '@tabler/icons-react';
import { Fragment, lazy, useEffect, type ComponentType, type ReactNode } from 'react';
import { Link, Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { AppMark } from './components/AppMark';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Loading } from './components/Loading';
import { OperatorBadge } from './components/OperatorBadge';
import { useEnabledModules } from './modules';
import { Dashboard } from './screens/Dashboard';
import { ConnectionBanner } from './components/ConnectionBanner';
import { ArrivalNotifier } from './notifications/ArrivalNotifier';
import { MyQueueBadge } from './notifications/MyQueueBadge';
import { MyQueueNav } from './notifications/MyQueueNav';
import { NotificationToggle } from './notifications/NotificationToggle';
import { useAppStore } from './stores/appStore';
import { subscribeToChanges } from './stores/subscribeToChanges';
import { ShortcutsHelp } from './shortcuts/ShortcutsHelp';
import { TerminalGate } from './TerminalGate';

// The dashboard is the first paint; every other screen is its own chunk, fetched when opened.
const Approvals = lazy(() => import('./screens/Approvals').then((m) => ({ default: m.Approvals })));
const CreateItem = lazy(() => import('./screens/CreateItem').then((m) => ({ default: m.CreateItem })));
const ItemView = lazy(() => import('./screens/ItemView').then((m) => ({ default: m.ItemView })));
const PrintView = lazy(() => import('./screens/PrintView').then((m) => ({ default: m.PrintView })));
const Reports = lazy(() => import('./screens/Reports').then((m) => ({ default: m.Reports })));
const SettingsApp = lazy(() => import('./screens/settings/SettingsApp').then((m) => ({ default: m.SettingsApp })));

/** `sub`: entries shown under this one (the queues of my departments under Approvals). */
type NavEntry = { path: string; label: string; icon: ComponentType<{ size?: number | string }>; badge?: ComponentType; sub?: ComponentType };

const CORE_NAV: NavEntry[] = [
  { path: '/', label: 'Dashboard', icon: IconLayoutDashboard },
  { path: '/create', label: 'Create item', icon: IconPlus },
  { path: '/approvals', label: 'Approvals', icon: IconChecklist, badge: MyQueueBadge, sub: MyQueueNav },
  { path: '/reports', label: 'Reports', icon: IconReportAnalytics },
];

function Navigation({ entries }: { entries: NavEntry[] }) {
  const [location] = useLocation();
  const isActive = (path: string) => (path === '/' ? location === '/' : location.startsWith(path));
  return (
    <nav aria-label="Main">
      {entries.map((entry) => (
        <Fragment key={entry.path}>
        <NavLink
          component={Link}
          href={entry.path}
          label={entry.label}
          leftSection={<entry.icon size={20} />}
          rightSection={entry.badge && <entry.badge />}
          active={isActive(entry.path)}
          aria-current={isActive(entry.path) ? 'page' : undefined}
          py="sm"
          style={{ borderRadius: 8 }}
        />
        {entry.sub && <entry.sub />}
        </Fragment>
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

/** Opens the settings window (Electron allows exactly this window; a browser opens a tab). */
const openSettings = () => window.open(`${location.pathname}${location.search}#/settings`, 'aviation-workflow-settings');

/** A module's gate around a window (sign-in), or the window as it is. */
function Gated({ window, children }: { window: 'main' | 'settings'; children: ReactNode }) {
  const Gate = useEnabledModules().find((m) => m.gate)?.gate;
  return Gate ? <Gate window={window}>{children}</Gate> : <Fragment>{children}</Fragment>;
}

function MainWindow() {
  const [location] = useLocation();
  const status = useAppStore((s) => s.status);
  const modules = useEnabledModules();
  const moduleScreens = modules.flatMap((m) => m.screens ?? []);
  const headerItems = modules.flatMap((m) => m.headerItems ?? []);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'xs' }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <AppMark />
          <Group gap="sm">
            <ShortcutsHelp />
            <NotificationToggle />
            {headerItems.map((Item, i) => (
              <Item key={i} />
            ))}
            {status && !status.signIn && <OperatorBadge />}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <AppShell.Section grow component={ScrollArea}>
          <Navigation entries={[...CORE_NAV, ...moduleScreens]} />
        </AppShell.Section>
        <AppShell.Section>
          <NavLink
            component="button"
            label="Settings"
            leftSection={<IconSettings size={20} />}
            onClick={openSettings}
            py="sm"
            style={{ borderRadius: 8 }}
          />
          <Text size="xs" c="dimmed" px="sm" mt="xs">
            {status ? `v${status.appVersion}` : ''}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main bg="var(--app-color-page)">
        <ArrivalNotifier />
        <ConnectionBanner />
        <Problems />
        <ErrorBoundary resetKey={location} home={{ href: '#/', label: 'Go to the dashboard' }}>
        <Loading>
          <Switch>
            <Route path="/" component={Dashboard} />
            <Route path="/create" component={CreateItem} />
            <Route path="/approvals/:scope?/:department?">{(params) => <Approvals scope={params.scope} department={params.department} />}</Route>
            <Route path="/reports/:tab?">{(params) => <Reports tab={params.tab} />}</Route>
            <Route path="/items/:id">{(params) => <ItemView id={Number(params.id)} />}</Route>
            {moduleScreens.map((s) => (
              <Route key={s.path} path={s.path} component={s.component} />
            ))}
            <Route>
              <Text>This page does not exist.</Text>
            </Route>
          </Switch>
        </Loading>
        </ErrorBoundary>
      </AppShell.Main>
    </AppShell>
  );
}

export function App() {
  const loadStatus = useAppStore((s) => s.loadStatus);
  useEffect(() => {
    subscribeToChanges();
    void loadStatus();
  }, [loadStatus]);

  return (
    <TerminalGate>
    <Router hook={useHashLocation}>
      <Switch>
        <Route path="/items/:id/print">
          {(params) => (
            <Gated window="main">
              <Loading>
                <PrintView id={Number(params.id)} />
              </Loading>
            </Gated>
          )}
        </Route>
        <Route path="/settings" nest>
          <Gated window="settings">
            <Loading>
              <SettingsApp />
            </Loading>
          </Gated>
        </Route>
        <Route>
          <Gated window="main">
            <MainWindow />
          </Gated>
        </Route>
      </Switch>
    </Router>
    </TerminalGate>
  );
}
