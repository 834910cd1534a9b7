import { Alert, Text } from '@mantine/core';
import { IconCloudOff, IconPlugConnectedX } from '@tabler/icons-react';
import { timeOrDateTime } from '../format';
import { useTerminalStore } from '../stores/terminalStore';

/**
 * Across the top of every window of a site terminal whose server is unreachable or refuses it.
 * It keeps its place while the content scrolls, and is announced when it appears.
 */
export function ConnectionBanner() {
  const terminal = useTerminalStore((s) => s.terminal);
  if (!terminal || terminal.mode !== 'site' || !terminal.enrolled) return null;
  const sticky = { position: 'sticky', top: 'calc(var(--app-shell-header-offset, 0rem) + 8px)', zIndex: 150 } as const;
  if (terminal.connection === 'unreachable') {
    return (
      <Alert
        color="orange"
        variant="light"
        styles={{ root: { background: 'var(--mantine-color-orange-0)', border: '1px solid var(--mantine-color-orange-4)', boxShadow: 'var(--mantine-shadow-sm)' }, title: { color: 'var(--mantine-color-orange-9)' }, message: { color: 'var(--mantine-color-dark-7)' } }}
        icon={<IconCloudOff size={20} />}
        role="status"
        aria-live="polite"
        mb="md"
        style={sticky}
        title={`Site server unreachable since ${timeOrDateTime(terminal.since)} — retrying`}
      >
        <Text size="sm">You see what was last read; nothing can be changed until the connection is back. It reconnects by itself.</Text>
      </Alert>
    );
  }
  if (terminal.connection === 'refused') {
    return (
      <Alert color="red.8" variant="filled" icon={<IconPlugConnectedX size={20} />} role="alert" mb="md" style={sticky} title="The site server refuses this terminal">
        <Text size="sm">{terminal.problem ?? 'Ask an administrator to look at Settings → Terminals.'}</Text>
      </Alert>
    );
  }
  return null;
}
