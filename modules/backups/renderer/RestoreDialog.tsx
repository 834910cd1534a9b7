import { Alert, Button, Group, List, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorAlert } from '../../../src/renderer/src/components/QueryView';
import type { Backup } from '../contract';
import { backupsApi, errorMessage, preciseTime as dateTime } from './api';

interface Props {
  backup: Backup;
  onClose(): void;
  /** After the core answered, either way (a refused backup is now marked damaged). */
  onSettled(): void;
}

/** Says what a restore does before it is done; the core checks the backup again first. */
export function RestoreDialog({ backup, onClose, onSettled }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [restarting, setRestarting] = useState(false);

  const restore = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await backupsApi('backups.restore', { name: backup.name });
      if (answer.restarting) setRestarting(true);
      else onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
      onSettled();
    }
  };

  return (
    <Modal opened onClose={onClose} title="Restore this backup?" size="lg" closeOnClickOutside={!busy && !restarting} withCloseButton={!restarting}>
      {restarting ? (
        <Text role="status">Restoring: the app is restarting with the backup from {dateTime(backup.createdAt)}…</Text>
      ) : (
        <Stack gap="md">
          <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />}>
            The database is replaced by the backup from <b>{dateTime(backup.createdAt)}</b>
            {backup.rows ? ` (${backup.rows.workItems} work item${backup.rows.workItems === 1 ? '' : 's'})` : ''}. Work recorded after it is not in the restored database.
          </Alert>
          <List size="sm" spacing={4}>
            <List.Item>The backup is checked again first; a damaged one is refused and nothing changes.</List.Item>
            <List.Item>The current database is kept as a “Before a restore” copy, so you can undo this.</List.Item>
            <List.Item>The app restarts to finish; every window reloads.</List.Item>
          </List>
          {error && <ErrorAlert title="Not restored" message={error} />}
          <Group justify="flex-end">
            {error ? (
              // Refused: trying the same file again would fail the same way.
              <Button variant="default" onClick={onClose}>
                Close
              </Button>
            ) : (
              <>
                <Button variant="default" onClick={onClose} disabled={busy}>
                  Cancel
                </Button>
                <Button color="orange" onClick={restore} loading={busy}>
                  Restore and restart
                </Button>
              </>
            )}
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
