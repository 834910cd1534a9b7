import { Alert, Anchor, Badge, Button, Group, List, Paper, Progress, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { VerifyProblem, VerifyProgress, VerifyReport } from '../contract';
import { chainSummary, HANDFUL, PROBLEM_LABEL, problemEntry, problemsHeadline } from '../problems';
import { auditApi, errorMessage } from './api';

/** One finding: where (entry, kind) as a badge, then what, in words. */
function ProblemLine({ problem }: { problem: VerifyProblem }) {
  return (
    <List.Item>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Badge color="red" variant="outline" radius="sm" tt="none" w={168} miw={168} mt={2} styles={{ label: { textAlign: 'left', width: '100%' } }}>
          {problemEntry(problem) === null ? PROBLEM_LABEL[problem.kind] : `#${problemEntry(problem)} · ${PROBLEM_LABEL[problem.kind]}`}
        </Badge>
        <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
          {problem.message}
        </Text>
      </Group>
    </List.Item>
  );
}

function Notes({ notes }: { notes: string[] }) {
  if (notes.length === 0) return null;
  return (
    <Alert color="gray" variant="light" icon={<IconInfoCircle size={18} />} title="Good to know" aria-label="Notes on the check">
      <List size="sm" spacing={4}>
        {notes.map((n) => (
          <List.Item key={n}>{n}</List.Item>
        ))}
      </List>
    </Alert>
  );
}

/** "Verify audit trail": walks the hash chain and what it seals in the core, and shows OK or what no longer matches. */
export function VerifyCard({ onResult }: { onResult(report: VerifyReport | null): void }) {
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [progress, setProgress] = useState<VerifyProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState(HANDFUL);

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
    setShown(HANDFUL);
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

  const sealed = (r: Extract<VerifyReport, { ok: true }>) => {
    const parts = [
      ...(r.events > 0 ? [`the ${r.events.toLocaleString()} work-item ${r.events === 1 ? 'event' : 'events'}`] : []),
      ...(r.records > 0 ? [`the ${r.records.toLocaleString()} ${r.records === 1 ? 'record' : 'records'} (e-signatures, comments…)`] : []),
    ];
    return parts.length ? `, with ${parts.join(' and ')} their blocks seal` : '';
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
              Each entry carries a hash of itself and of the entry before it, and seals the records it covers. Verifying
              recomputes them all and compares people and comments with their last recorded state, so anything changed
              or removed outside the app shows up here, by table, row and field.
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
            {sealed(report)}
            {report.entries > 0 && (
              <>
                . Last entry #{report.lastSeq}, hash <code style={{ overflowWrap: 'anywhere' }}>{report.lastHash}</code>
              </>
            )}
            .
          </Alert>
        )}
        {report && !report.ok && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={`Audit trail broken: ${problemsHeadline(report.problemCount, report.broken)}`} role="alert">
            <Stack gap="xs">
              <List spacing={6} listStyleType="none" aria-label="Problems found">
                {report.problems.slice(0, shown).map((p, i) => (
                  <ProblemLine key={i} problem={p} />
                ))}
              </List>
              {report.problemCount > shown && (
                <Group gap="sm">
                  <Text size="sm" fw={600}>
                    … and {(report.problemCount - shown).toLocaleString()} more.
                  </Text>
                  {report.problems.length > shown && (
                    <Anchor component="button" type="button" size="sm" onClick={() => setShown((n) => n + HANDFUL)}>
                      Show {Math.min(HANDFUL, report.problems.length - shown)} more
                    </Anchor>
                  )}
                </Group>
              )}
              {report.problemCount > report.problems.length && shown >= report.problems.length && (
                <Text size="sm">
                  The first {report.problems.length.toLocaleString()} are listed here; <code>npm run audit:verify -- --all</code> lists
                  every one.
                </Text>
              )}
              <Text size="sm">{chainSummary(report)} Keep a copy of the database file and tell whoever is responsible for records.</Text>
            </Stack>
          </Alert>
        )}
        {report && <Notes notes={report.notes} />}
      </Stack>
    </Paper>
  );
}
