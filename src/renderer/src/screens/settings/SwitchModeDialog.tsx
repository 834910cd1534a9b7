import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { FormDialog } from '../../components/FormDialog';
import { useState } from 'react';
import { terminalApi } from '../../api/terminal';

const WHAT = {
  site: {
    title: 'Connect this terminal to a site server?',
    body: 'The app restarts and asks for the site server’s address and an enrollment code. This terminal’s own database stays in its data folder, unused, until it is made standalone again.',
    confirm: 'Connect to a site server',
  },
  standalone: {
    title: 'Make this terminal standalone?',
    body: 'The app restarts on this terminal’s own database. It forgets its site credential: to connect it to the site again, enroll it with a new code. Work done on the site stays on the site server.',
    confirm: 'Make it standalone',
  },
} as const;

/** Asks before the terminal changes how it works; the switch restarts the app. */
export function SwitchModeDialog({ to, onClose }: { to: 'site' | 'standalone'; onClose(): void }) {
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ error: boolean; text: string } | null>(null);
  const what = WHAT[to];
  const confirm = async () => {
    setBusy(true);
    setNote(null);
    try {
      const result = await terminalApi('terminal.setMode', { mode: to });
      if (!result.restarting) setNote({ error: false, text: 'Saved. Close the app and start it again to apply it.' });
    } catch (e) {
      setNote({ error: true, text: (e as Error).message });
      setBusy(false);
    }
  };
  return (
    <FormDialog onClose={onClose} onSubmit={() => void (busy || confirm())} title={what.title}>
      <Stack gap="md">
        <Text size="sm">{what.body}</Text>
        {note && (
          <Alert color={note.error ? 'red' : 'teal'} variant="light" role={note.error ? 'alert' : 'status'}>
            {note.text}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Cancel
          </Button>
          <Button type="submit" loading={busy && !note} disabled={busy}>
            {what.confirm}
          </Button>
        </Group>
      </Stack>
    </FormDialog>
  );
}
