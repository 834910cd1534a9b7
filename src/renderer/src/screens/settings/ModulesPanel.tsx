import { Alert, Badge, Button, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import type { ModuleStatus } from '../../../../shared/types';
import { ApiError, core } from '../../api/client';
import { ErrorAlert } from '../../components/QueryView';
import { useAppStore } from '../../stores/appStore';

const STATE_BADGE: Record<ModuleStatus['state'], { color: string; label: string }> = {
  enabled: { color: 'teal', label: 'Running' },
  disabled: { color: 'gray', label: 'Off' },
  failed: { color: 'red', label: 'Not started' },
};

/** Switch modules on and off. Changes are saved at once and take effect after a restart. */
export function ModulesPanel() {
  const status = useAppStore((s) => s.status);
  const loadStatus = useAppStore((s) => s.loadStatus);
  const [pending, setPending] = useState<Record<string, boolean>>({});
  const [error, setError] = useState<string | null>(null);
  const [restarting, setRestarting] = useState(false);
  if (!status) return null;

  const toggle = async (module: ModuleStatus, enabled: boolean) => {
    setError(null);
    try {
      await core('modules.setEnabled', { name: module.name, enabled });
      setPending((p) => ({ ...p, [module.name]: enabled }));
      await loadStatus();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };

  const restart = async () => {
    setRestarting(true);
    try {
      await core('app.restart', {});
    } catch (err) {
      setRestarting(false);
      setError((err as Error).message);
    }
  };

  return (
    <Stack gap="lg" maw={820}>
      <div>
        <Title order={1} size="h2">Modules</Title>
        <Text c="dimmed" size="sm">
          Every feature beyond work items and their transitions is a module. Switching one off keeps its data; switching it on
          again brings it back.
        </Text>
      </div>
      {status.restartRequired && (
        <Alert color="yellow" variant="light" icon={<IconRefresh size={18} />} title="Restart required" role="status">
          <Group justify="space-between">
            <Text size="sm">Module changes are saved and take effect when the app restarts.</Text>
            {status.canRestart ? (
              <Button size="xs" color="yellow" loading={restarting} onClick={restart}>
                Restart now
              </Button>
            ) : (
              <Text size="sm" fw={600}>
                Close and start the app again.
              </Text>
            )}
          </Group>
        </Alert>
      )}
      {error && <ErrorAlert title="Not changed" message={error} />}
      <Paper withBorder radius="md">
        {status.modules.map((m, i) => {
          const running = m.state !== 'disabled';
          const wanted = pending[m.name] ?? running;
          const badge = wanted === running ? STATE_BADGE[m.state] : { color: 'yellow', label: wanted ? 'On after restart' : 'Off after restart' };
          return (
            <Group
              key={m.name}
              justify="space-between"
              align="flex-start"
              p="md"
              wrap="nowrap"
              style={i > 0 ? { borderTop: '1px solid var(--mantine-color-default-border)' } : undefined}
            >
              <div>
                <Group gap="xs">
                  <Text fw={600}>{m.name}</Text>
                  <Text size="xs" c="dimmed">
                    v{m.version}
                  </Text>
                  <Badge size="sm" variant="light" color={badge.color}>
                    {badge.label}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {m.description}
                </Text>
                {m.dependsOn.length > 0 && (
                  <Text size="xs" c="dimmed" mt={2}>
                    Needs: {m.dependsOn.join(', ')}
                  </Text>
                )}
                {m.problem && (
                  <Text size="xs" c="red" mt={2}>
                    {m.problem}
                  </Text>
                )}
              </div>
              <Switch
                checked={wanted}
                onChange={(e) => toggle(m, e.currentTarget.checked)}
                aria-label={`${m.name} module`}
                size="md"
              />
            </Group>
          );
        })}
      </Paper>
    </Stack>
  );
}
