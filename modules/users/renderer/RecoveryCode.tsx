import { Alert, Button, Checkbox, Code, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { IconPrinter, IconShieldLock } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { ApiError } from '../../../src/renderer/src/api/client';
import { errorMessage, usersApi } from './api';
import { useSessionStore } from './sessionStore';
import { FullWindowCard } from '../../../src/renderer/src/components/FullWindowCard';

/** The code in large, well-spaced type, as it would be copied onto paper. */
function CodeBlock({ code }: { code: string }) {
  return (
    <Code
      block
      aria-label="Recovery code"
      style={{
        fontSize: 'clamp(17px, 4.2vw, 24px)',
        letterSpacing: '0.08em',
        textAlign: 'center',
        padding: '14px 8px',
        fontWeight: 700,
        color: 'var(--mantine-color-dark-9)',
        whiteSpace: 'normal',
        overflowWrap: 'anywhere',
      }}
    >
      {code}
    </Code>
  );
}

/** Opens the browser's print dialog with only the code on the page (no app around it). */
function printCode(name: string, code: string) {
  const frame = document.createElement('iframe');
  frame.style.position = 'fixed';
  frame.style.width = '0';
  frame.style.height = '0';
  frame.style.border = '0';
  document.body.appendChild(frame);
  const doc = frame.contentDocument!;
  const heading = doc.createElement('h1');
  heading.textContent = `Aviation Workflow — recovery code for ${name}`;
  const body = doc.createElement('p');
  body.textContent = 'Signs this administrator in once, even when their account is locked. Keep it somewhere safe and private.';
  const codeLine = doc.createElement('p');
  codeLine.textContent = code;
  codeLine.style.font = 'bold 28px monospace';
  codeLine.style.letterSpacing = '0.12em';
  doc.body.append(heading, body, codeLine);
  frame.contentWindow!.print();
  setTimeout(() => frame.remove(), 1000);
}

/**
 * Shown once, right after the first administrator is set up or used their recovery code: the
 * one-time code that signs them in if guesses at their PIN ever lock them out everywhere.
 */
export function RecoveryCodeNotice({ code, name }: { code: string; name: string }) {
  const dismiss = useSessionStore((s) => s.dismissRecoveryCode);
  const [kept, setKept] = useState(false);
  return (
    <FullWindowCard
      title="Your recovery code"
      subtitle="If wrong PINs ever lock you out at every terminal, this code signs you in, once. It is shown only now: write it down or print it, and keep it somewhere safe."
      width={520}
    >
      <Stack gap="md">
        <CodeBlock code={code} />
        <Alert color="blue" variant="light" icon={<IconShieldLock size={18} />}>
          After you use it you get a new one. You can also make a new one later from your name in the header (the old one then stops working).
        </Alert>
        <Checkbox label="I have written it down or printed it" checked={kept} onChange={(e) => setKept(e.currentTarget.checked)} />
        <Group justify="space-between">
          <Button variant="default" leftSection={<IconPrinter size={16} />} onClick={() => printCode(name, code)}>
            Print
          </Button>
          <Button disabled={!kept} onClick={dismiss}>
            Continue
          </Button>
        </Group>
      </Stack>
    </FullWindowCard>
  );
}

/** An administrator replaces their recovery code from the header menu, proving their PIN. */
export function NewRecoveryCodeDialog({ name, onClose }: { name: string; onClose(): void }) {
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCode((await usersApi('users.newRecoveryCode', { secret })).recoveryCode);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : errorMessage(err));
      setSecret('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened onClose={onClose} title="New recovery code" centered closeButtonProps={{ 'aria-label': 'Close dialog' }}>
      {code ? (
        <Stack gap="md">
          <Text size="sm">Your new recovery code. The old one no longer works. It is shown only now: write it down or print it.</Text>
          <CodeBlock code={code} />
          <Group justify="space-between">
            <Button variant="default" leftSection={<IconPrinter size={16} />} onClick={() => printCode(name, code)}>
              Print
            </Button>
            <Button onClick={onClose} data-autofocus>
              Done
            </Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Text size="sm">
              A recovery code signs you in once if wrong PINs lock you out at every terminal. Making a new one stops the old one working.
            </Text>
            <PasswordInput
              label="Your PIN or password"
              autoComplete="current-password"
              value={secret}
              onChange={(e) => setSecret(e.currentTarget.value)}
              error={error}
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Back
              </Button>
              <Button type="submit" loading={busy} disabled={!secret}>
                Make a new code
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
