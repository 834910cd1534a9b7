import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { FormDialog } from '../../components/FormDialog';
import { useState } from 'react';
import type { TerminalInfo } from '../../../../shared/siteContract';
import { siteApi } from '../../api/terminal';

/** Asks before a terminal loses its access; names it, so the wrong one is not revoked. */
export function RevokeTerminalDialog({ terminal, onClose, onDone }: { terminal: TerminalInfo; onClose(): void; onDone(): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const revoke = async () => {
    setBusy(true);
    setError(null);
    try {
      await siteApi('site.revokeTerminal', { id: terminal.id });
      onDone();
    } catch (e) {
      setError((e as Error).message);
      setBusy(false);
    }
  };
  return (
    <FormDialog onClose={onClose} onSubmit={() => void revoke()} title={`Revoke “${terminal.name}”?`}>
      <Stack gap="md">
        <Text size="sm">
          “{terminal.name}” will no longer reach the site server{terminal.signedIn.length ? `, and ${terminal.signedIn.join(', ')} will be signed out there` : ''}. To use it
          again, enroll it with a new code.
        </Text>
        {error && (
          <Alert color="red" variant="light" role="alert" title="Not revoked">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose} data-autofocus>
            Keep it
          </Button>
          <Button type="submit" color="red" loading={busy}>
            Revoke {terminal.name}
          </Button>
        </Group>
      </Stack>
    </FormDialog>
  );
}
