import { Alert, Button, Group, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { VerifyProgress, VerifyReport } from '../contract';
import { auditApi, errorMessage } from './api';

const KIND_LABEL = { 'content-altered': 'content altered', 'link-broken': 'chain link broken', missing: 'entries missing' } as const;

/** "Verify audit trail": walks the hash chain in the core and shows OK or the first broken entry. */
export function VerifyCard({ onResult }: { onResult(report: VerifyReport | null): void }) {
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<VerifyProgress | null>(null);
  const [busy, setBusy] = useState(false);

  // A long log takes a while: ask how far the check has come.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => void auditApi('audit.verifyProgress', {}).then(setProgress, () => undefined), 300);
    return () => clearInterval(timer);
  }, [busy]);

  const verify = async () => {
    setBusy(true);
    setError(null);
    setReport(null);
    setProgress(null);
    try {
      const result = await auditApi('audit.verify', {});
      setReport(result);
      onResult(result);
    } catch (err) {
      setError(errorMessage(err));
      onResult(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-labelledby="verify-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Title order={4} id="verify-title">
              Integrity
            </Title>
            <Text size="sm" c="dimmed" maw={560}>
              Each entry carries a hash of itself and of the entry before it. Verifying recomputes them all, so an entry
              changed or removed outside the app shows up here.
            </Text>
          </div>
          <Button leftSection={<IconShieldCheck size={18} />} onClick={verify} loading={busy}>
            Verify audit trail
          </Button>
        </Group>
        {busy && progress && progress.total > 0 && (
          <Stack gap={4} aria-live="polite">
            <Progress value={(100 * progress.checked) / progress.total} aria-label="Verification progress" />
            <Text size="xs" c="dimmed">
              Checked {progress.checked.toLocaleString()} of {progress.total.toLocaleString()} entries…
            </Text>
          </Stack>
        )}
        {error && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Could not verify" role="alert">
            {error}
          </Alert>
        )}
        {report?.ok && (
          <Alert color="teal" variant="light" icon={<IconShieldCheck size={18} />} title="Audit trail intact" role="status">
            {report.entries === 1 ? 'The one entry checks out' : `All ${report.entries.toLocaleString()} entries check out`}
            {report.events > 0 && `, with the ${report.events.toLocaleString()} work-item ${report.events === 1 ? 'event' : 'events'} their blocks seal`}
            {report.entries > 0 && (
              <>
                . Last entry #{report.lastSeq}, hash <code style={{ overflowWrap: 'anywhere' }}>{report.lastHash}</code>
              </>
            )}
            .
          </Alert>
        )}
        {report && !report.ok && (
          <Alert
            color="red"
            variant="filled"
            icon={<IconAlertTriangle size={18} />}
            title={`Audit trail broken at entry #${report.broken.seq} (${KIND_LABEL[report.broken.kind]})`}
            role="alert"
          >
            {report.broken.message}{' '}
            {report.entries === 0 ? 'It is the first entry' : report.entries === 1 ? 'The entry before it checks out' : `The ${report.entries.toLocaleString()} entries before it check out`}
            . Keep a copy of the
            database file and tell whoever is responsible for records.
          </Alert>
        )}
      </Stack>
    </Paper>
  );
}
