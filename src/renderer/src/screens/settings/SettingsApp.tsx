import { AppShell, Center, EmptyState, Group, NavLink, Text, ThemeIcon } from '@mantine/core';
import { IconDeviceDesktop, IconDevices, IconLock, IconPuzzle, IconSettings } from '@tabler/icons-react';
import { Link, Redirect, Route, Switch, useLocation } from 'wouter';
import { useEnabledModules } from '../../modules';
import { useAppStore } from '../../stores/appStore';
import { Loading } from '../../components/Loading';
import { ConnectionBanner } from '../../components/ConnectionBanner';
import { useReadOnlyReason } from '../../stores/terminalStore';
import { ModulesPanel } from './ModulesPanel';
import { TerminalsPanel } from './TerminalsPanel';
import { ThisTerminalPanel } from './ThisTerminalPanel';

/** The admins' settings window (a separate window in Electron, #/settings in a browser). */
export function SettingsApp() {
  const [location] = useLocation();
  // Module panels are known once the status is in; redirecting before would lose a deep link.
  const status = useAppStore((s) => s.status);
  const panels = [
    ...useEnabledModules()
      .flatMap((m) => m.settingsPanels ?? [])
      .sort((a, b) => (a.order ?? 50) - (b.order ?? 50)),
    // A site server's own panel: only when this window is connected to one.
    ...(status?.site ? [{ path: '/terminals', label: 'Terminals', icon: IconDevices, component: TerminalsPanel }] : []),
    { path: '/this-terminal', label: 'This terminal', icon: IconDeviceDesktop, component: ThisTerminalPanel },
    { path: '/modules', label: 'Modules', icon: IconPuzzle, component: ModulesPanel },
  ];
  const readOnly = useReadOnlyReason();
  if (status && !status.canAdminister) {
    return (
      <Center h="100vh" bg="var(--app-color-page)">
        <EmptyState
          icon={<IconLock size={32} />}
          withIndicatorBackground
          title="Administrators only"
          description="Settings change how the whole hangar works. Ask an administrator to sign in to open them."
        />
      </Center>
    );
  }
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'xs' }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" gap="xs">
          <ThemeIcon size="lg" radius="md" variant="light">
            <IconSettings size={20} />
          </ThemeIcon>
          <Text fw={700} size="lg">
            Settings
          </Text>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm">
        <nav aria-label="Settings">
          {panels.map((p) => (
            <NavLink
              key={p.path}
              component={Link}
              href={p.path}
              label={p.label}
              leftSection={<p.icon size={20} />}
              active={location.startsWith(p.path)}
              aria-current={location.startsWith(p.path) ? 'page' : undefined}
              py="sm"
              style={{ borderRadius: 8 }}
            />
          ))}
        </nav>
      </AppShell.Navbar>
      <AppShell.Main bg="var(--app-color-page)">
        <ConnectionBanner />
        {/* Each module's panel is its own chunk, fetched when it is opened. While nothing can be saved, every control in it is off. */}
        <fieldset disabled={readOnly !== null} title={readOnly ?? undefined} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
        <Loading>
          <Switch>
            {panels.map((p) => (
              <Route key={p.path} path={p.path} component={p.component} />
            ))}
            <Route>{status ? <Redirect to={panels[0]!.path} replace /> : null}</Route>
          </Switch>
        </Loading>
        </fieldset>
      </AppShell.Main>
    </AppShell>
  );
}
