import { Alert, Badge, Button, EmptyState, Group, Paper, Progress, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconCircleCheck, IconDatabaseExport, IconRefresh } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { core } from '../../../src/renderer/src/api/client';
import { ErrorAlert, QueryView } from '../../../src/renderer/src/components/QueryView';
import { useQuery } from '../../../src/renderer/src/hooks/useQuery';
import { useAppStore } from '../../../src/renderer/src/stores/appStore';
import type { Backup, BackupJob, BackupsStatus } from '../contract';
import { backupsApi, errorMessage, fileSize, preciseTime as dateTime } from './api';
import { RestoreDialog } from './RestoreDialog';

const KIND_LABEL: Record<Backup['kind'], string> = { manual: 'On demand', scheduled: 'Scheduled', 'pre-restore': 'Before a restore' };

const POLL_MS = 250;
const isRunning = (job: BackupJob | null | undefined) => job?.state === 'copying' || job?.state === 'verifying';

function VerifiedBadge({ backup }: { backup: Backup }) {
  const { state, checkedAt, problem } = backup.verification;
  if (state === 'ok') {
    return (
      <Tooltip label={`integrity_check ok${checkedAt ? `, ${dateTime(checkedAt)}` : ''}`}>
        <Badge color="teal" variant="light" leftSection={<IconCircleCheck size={12} />}>
          Verified
        </Badge>
      </Tooltip>
    );
  }
  if (state === 'failed') {
    return (
      <Tooltip label={problem ?? 'The check failed'} multiline w={320}>
        <Badge color="red" variant="light">
          Damaged
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge color="gray" variant="light">
      Not checked
    </Badge>
  );
}

function JobProgress({ job }: { job: BackupJob }) {
  if (isRunning(job)) {
    return (
      <Stack gap={4} role="status" aria-label="Backup in progress">
        <Group justify="space-between">
          <Text size="sm" fw={500}>
            {job.state === 'copying' ? 'Copying the database…' : 'Checking the copy (integrity_check)…'}
          </Text>
          <Text size="sm" c="dimmed">
            {job.progress} %
          </Text>
        </Group>
        <Progress value={job.progress} aria-label="Backup progress" size="lg" radius="sm" striped animated />
      </Stack>
    );
  }
  if (job.state === 'failed') return <ErrorAlert title="The backup did not succeed" message={job.error ?? 'Unknown error'} />;
  return (
    <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title="Backup saved and verified" role="status">
      {job.backup ? `${job.backup.name} · ${fileSize(job.backup.sizeBytes)}` : null}
    </Alert>
  );
}

/** The job's own result is stale once its backup has been checked again since (and, say, found damaged). */
const checkedSince = (job: BackupJob, backups: Backup[] | undefined) => {
  const now = backups?.find((b) => b.name === job.backup?.name)?.verification;
  return !!now && !!job.backup && now.checkedAt !== job.backup.verification.checkedAt;
};

function RestoredNotice({ restore }: { restore: NonNullable<BackupsStatus['lastRestore']> }) {
  return (
    <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title={`Restored ${restore.backup}`} role="status">
      {restore.reason === 'damaged-database' ? 'The database was damaged; the app started on this backup instead. ' : ''}
      {restore.previousDatabase?.startsWith('pre-restore-')
        ? 'The database as it was before is kept as the “Before a restore” copy below: Undo restore puts it back.'
        : restore.previousDatabase
          ? `The previous database file is kept in the data folder as ${restore.previousDatabase}.`
          : ''}
    </Alert>
  );
}

function schedule(status: BackupsStatus): string {
  if (!status.intervalHours) return 'No schedule: backups are made on demand only.';
  const every = status.intervalHours === 24 ? 'once a day' : `every ${status.intervalHours} h`;
  const dueNow = !status.nextDueAt || Date.parse(status.nextDueAt) <= Date.now() + 60_000;
  return `Scheduled ${every}; the next is due ${dueNow ? 'within minutes' : dateTime(status.nextDueAt!)}.`;
}

/** Back up now, see every backup with its check, restore one (and undo a restore). */
export function BackupsPanel() {
  const status = useQuery(() => backupsApi('backups.status', {}), []);
  const list = useQuery(() => backupsApi('backups.list', {}), []);
  const appStatus = useAppStore((s) => s.status);
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [restoring, setRestoring] = useState<Backup | null>(null);
  const running = isRunning(status.data?.job);

  // A backup finishes without a command, so no change event tells the window: ask until it is done.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(status.reload, POLL_MS);
    return () => clearInterval(timer);
  }, [running, status.reload]);
  const jobState = status.data?.job?.state;
  useEffect(() => {
    if (jobState === 'done' || jobState === 'failed') list.reload();
  }, [jobState, list.reload]);

  const backUpNow = async () => {
    setStarting(true);
    setStartError(null);
    try {
      await backupsApi('backups.start', {});
      status.reload();
    } catch (err) {
      setStartError(errorMessage(err));
    } finally {
      setStarting(false);
    }
  };

  return (
    <Stack gap="lg" maw={980}>
      <Group justify="space-between" align="flex-start">
        <div>
          <Title order={1} size="h2">Backups</Title>
          <Text c="dimmed" size="sm">
            Copies of the database made while the app keeps working, each checked after it is written.
          </Text>
          {status.data && (
            <Text size="sm" mt={4}>
              {schedule(status.data)} Saved in <Text span ff="monospace" size="xs">{status.data.folder}</Text>
            </Text>
          )}
        </div>
        <Button leftSection={<IconDatabaseExport size={18} />} onClick={backUpNow} loading={starting} disabled={running || !!status.data?.pendingRestore}>
          Back up now
        </Button>
      </Group>

      {startError && <ErrorAlert title="No backup was started" message={startError} />}
      {status.error && !status.data && <ErrorAlert title="Could not load the backup status" message={status.error.message} onRetry={status.reload} />}
      {status.data?.pendingRestore && (
        <Alert color="yellow" variant="light" icon={<IconRefresh size={18} />} title="Restart to finish the restore" role="status">
          <Group justify="space-between">
            <Text size="sm">
              {status.data.pendingRestore.backup} replaces the database when the app restarts. Work recorded until then is kept in the
              pre-restore copy.
            </Text>
            {appStatus?.canRestart ? (
              <Button size="xs" color="yellow" onClick={() => void core('app.restart', {})}>
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
      {status.data?.job && !checkedSince(status.data.job, list.data) && <JobProgress job={status.data.job} />}
      {status.data?.lastRestore && !status.data.job && <RestoredNotice restore={status.data.lastRestore} />}

      <Paper withBorder radius="md" p="md" component="section" aria-label="Backups kept">
        {status.data && (
          <Text size="sm" mb="sm" role="note" aria-label="Which backups are kept">
            {status.data.retention}
          </Text>
        )}
        <QueryView
          query={list}
          isEmpty={(d) => d.length === 0}
          empty={
            <EmptyState
              icon={<IconDatabaseExport size={32} />}
              title="No backups yet"
              description="Back up now, or wait for the schedule. Each backup is checked after it is written."
            />
          }
        >
          {(backups) => (
            <Table aria-label="Backups" verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Made</Table.Th>
                  <Table.Th>Kind</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th>Items</Table.Th>
                  <Table.Th>Check</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {backups.map((b) => (
                  <Table.Tr key={b.name}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {dateTime(b.createdAt)}
                      </Text>
                      <Text size="xs" c="dimmed" ff="monospace">
                        {b.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge variant="outline" color={b.kind === 'pre-restore' ? 'grape' : 'blue'} radius="sm">
                        {KIND_LABEL[b.kind]}
                      </Badge>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{fileSize(b.sizeBytes)}</Table.Td>
                    <Table.Td>{b.rows ? b.rows.workItems : '—'}</Table.Td>
                    <Table.Td>
                      <VerifiedBadge backup={b} />
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>
                      <Button
                        size="xs"
                        variant="default"
                        onClick={() => setRestoring(b)}
                        disabled={running || !!status.data?.pendingRestore}
                        aria-label={
                          b.kind === 'pre-restore' ? `Undo the restore: go back to the database as it was at ${dateTime(b.createdAt)}` : `Restore the backup from ${dateTime(b.createdAt)}`
                        }
                      >
                        {b.kind === 'pre-restore' ? 'Undo restore…' : 'Restore…'}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </QueryView>
      </Paper>
      {restoring && <RestoreDialog backup={restoring} onClose={() => setRestoring(null)} onSettled={() => (status.reload(), list.reload())} />}
    </Stack>
  );
}
